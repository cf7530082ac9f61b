import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import eventStyles from "../components/events/events.css";
import { EventPageView } from "../components/events/event-page";
import { getDb } from "../db.server";
import { eventPageAction, eventPageLoader } from "../features/events/event-page-route.server";
import { useT } from "../features/i18n/use-i18n";
import markdownStyles from "../styles/markdown.css";
import { eventPageMeta, webinarTagHref } from "../components/events/event-meta";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: eventStyles },
];

export async function loader(args: LoaderFunctionArgs) {
  return eventPageLoader(await getDb(), args, "webinar");
}

export async function action(args: ActionFunctionArgs) {
  return eventPageAction(await getDb(), args, "webinar");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => eventPageMeta(data);

export default function WebinarPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <EventPageView
      {...data}
      formState={actionData && "errors" in actionData ? actionData : undefined}
      catalog={{ path: "/webinars", label: t("events.webinars.title"), tagHref: webinarTagHref }}
    />
  );
}
