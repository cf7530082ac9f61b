import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import adminEventStyles from "../components/admin-events/admin-events.css";
import { EventFormFields } from "../components/events/event-form";
import { FormErrors, type FormState } from "../components/forms";
import groupStyles from "../components/groups/groups.css";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requireUser } from "../features/auth/guards.server";
import type { SessionUser } from "../features/auth/permissions";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { eventFormSchema, type EventFormInput } from "../features/events/events.schema";
import { groupSlugParam } from "../features/events/groups.schema";
import { getLedGroup } from "../features/events/groups.server";
import { createEvent } from "../features/events/manage.server";
import { groupManagePath } from "../features/events/paths";
import { eventRefusalResponse, failedEventResult } from "../features/events/responses.server";
import type { Db } from "../../db/client";
import { translate } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";

// The event form's own styles live with the staff event pages, which share it.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: adminEventStyles },
  { rel: "stylesheet", href: groupStyles },
];

/** The group a leader drafts for; staff are sent to the staff event form, which can also publish. */
async function ledGroup(db: Db, user: SessionUser, slugValue: string | undefined) {
  const slug = groupSlugParam.safeParse(slugValue);
  if (!slug.success) throw new Response("Not found", { status: 404 });
  const result = await getLedGroup(db, { id: user.id, role: user.role }, slug.data);
  if (!result.ok) {
    if ("reason" in result) throw eventRefusalResponse(result.reason);
    throw new Response("Not found", { status: 404 });
  }
  if (result.isStaff) throw redirect(`/admin/webinars/new?kind=group_event&groupId=${result.group.id}`);
  return result.group;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const group = await ledGroup(await getDb(), user, params.slug);
  return json({ group, timeZoneDefault: user.timeZone ?? context.timeZone, title: translate(context.locale, "groups.draft.title", { name: group.name }) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} · Hearth` }, { name: "robots", content: "noindex" }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const db = await getDb();
  const group = await ledGroup(db, user, params.slug);
  const formData = await request.formData();
  // The kind and group come from the URL, whatever the form says.
  formData.set("kind", "group_event");
  formData.set("groupId", String(group.id));
  const submission = parseForm(formData, eventFormSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values = formValues(formData);
  const result = await createEvent(db, { id: user.id, role: user.role }, values as EventFormInput);
  if (!result.ok) return failedEventResult(result, values);
  return redirect(`${groupManagePath(group.slug)}?saved=drafted`);
}

export default function DraftGroupEvent() {
  const t = useT();
  const { group, timeZoneDefault, title } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const state: FormState | undefined = actionData && "errors" in actionData ? (actionData as FormState) : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <div className="page">
      <p>
        <Link to={groupManagePath(group.slug)}>{t("groups.draft.back")}</Link>
      </p>
      <h1>{title}</h1>
      <p className="lead">{t("groups.draft.lead")}</p>
      <Form method="post" noValidate>
        <FormErrors state={state} />
        <EventFormFields kind="group_event" fixedGroupId={group.id} state={state} timeZoneDefault={timeZoneDefault} />
        <button type="submit" className="button" disabled={busy}>
          {t("groups.draft.submit")}
        </button>
      </Form>
    </div>
  );
}
