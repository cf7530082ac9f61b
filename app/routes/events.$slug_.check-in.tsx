import type { ActionFunctionArgs, HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { CheckInPage } from "../components/groups/check-in";
import groupStyles from "../components/groups/groups.css";
import { getDb } from "../db.server";
import { checkInAction, checkInLoader } from "../features/events/check-in-route.server";

// Per-viewer pages: the loader's Cache-Control applies to the document too.
export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? "private, no-store" });

export const links: LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.event.title ?? ""} · ${data?.pageTitle ?? ""} · Hearth` },
  { name: "robots", content: "noindex" },
];

export async function loader(args: LoaderFunctionArgs) {
  return checkInLoader(await getDb(), args, "group_event");
}

export async function action(args: ActionFunctionArgs) {
  return checkInAction(await getDb(), args, "group_event");
}

export default function CheckIn() {
  return <CheckInPage />;
}
