import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import adminEventsStyles from "../components/admin-events/admin-events.css";
import { EventFormFields } from "../components/events/event-form";
import { FormErrors, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues, queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { newEventQuery } from "../features/events/admin-events.schema";
import type { EventFormInput } from "../features/events/events.schema";
import { listGroupsForSelect } from "../features/events/groups.server";
import { createEvent } from "../features/events/manage.server";
import { adminEventPath } from "../features/events/paths";
import { failedEventResult } from "../features/events/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("adminEvents.new.webinar");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminEventsStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const { kind, groupId } = newEventQuery.parse(queryValues(request.url));
  const groups = kind === "group_event" ? await listGroupsForSelect(await getDb()) : [];
  const preselected = groups.some((g) => g.id === groupId) ? String(groupId) : undefined;
  return json({ kind, groups, timeZone: context.timeZone, defaults: preselected ? { groupId: preselected } : {} });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "events.manage");
  const values = formValues(await request.formData());
  // createEvent parses the form itself (field errors come back in its result).
  const result = await createEvent(await getDb(), actor, values as unknown as EventFormInput, { publish: values.intent === "publish" });
  if (!result.ok) return failedEventResult(result, values);
  return redirect(`${adminEventPath(result.eventId)}?saved=${values.intent === "publish" ? "published" : "created"}`);
}

export default function NewAdminEvent() {
  const t = useT();
  const { kind, groups, timeZone, defaults } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const heading = kind === "webinar" ? t("adminEvents.new.webinar") : t("adminEvents.new.groupEvent");
  return (
    <section className="ae-page" aria-labelledby="ae-new-title">
      <p>
        <Link to="/admin/webinars">{t("adminEvents.action.back")}</Link>
      </p>
      <h1 id="ae-new-title">{heading}</h1>
      <Form method="post" className="stack" noValidate>
        <FormErrors state={state} />
        <EventFormFields kind={kind} state={state} groups={groups} defaults={defaults} timeZoneDefault={timeZone} />
        <div className="ae-actions">
          <button type="submit" name="intent" value="draft" className="button button-secondary" disabled={busy}>
            {t("adminEvents.action.saveDraft")}
          </button>
          <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
            {t("adminEvents.action.publish")}
          </button>
        </div>
      </Form>
    </section>
  );
}
