import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import adminEventsStyles from "../components/admin-events/admin-events.css";
import { EventStatusBadge, StatsPanel } from "../components/admin-events/admin-events-ui";
import { EventFormFields } from "../components/events/event-form";
import { FormErrors, Notice, TextAreaField, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import type { EventFormInput } from "../features/events/events.schema";
import { listGroupsForSelect } from "../features/events/groups.server";
import { CANCEL_REASON_MAX, cancelEvent, duplicateEvent, getAdminEvent, getEventStats, publishEvent, setEventRecording, updateEvent } from "../features/events/manage.server";
import { adminEventPath, eventCheckInPath, eventPath } from "../features/events/paths";
import { failedEventResult, parseEventRouteId } from "../features/events/responses.server";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("adminEvents.edit.heading");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminEventsStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const db = await getDb();
  const event = await getAdminEvent(db, eventId);
  if (!event) throw new Response("Not found", { status: 404 });
  const [stats, groups] = await Promise.all([getEventStats(db, eventId), event.kind === "group_event" ? listGroupsForSelect(db) : Promise.resolve([])]);
  return json({ event, stats, groups, timeZone: context.timeZone, cancelReasonMax: CANCEL_REASON_MAX });
}

const intentSchema = z.object({ intent: z.enum(["save", "publish", "cancel", "duplicate", "recording"]) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const values = formValues(await request.formData());
  const parsedIntent = intentSchema.safeParse(values);
  if (!parsedIntent.success) return invalidForm({ _form: ["form.invalid"] }, values);
  const db = await getDb();
  const back = (saved: string) => redirect(`${adminEventPath(eventId)}?saved=${saved}`);
  switch (parsedIntent.data.intent) {
    case "save": {
      const result = await updateEvent(db, actor, eventId, values as unknown as EventFormInput);
      return result.ok ? back("saved") : failedEventResult(result, values);
    }
    case "publish": {
      const result = await publishEvent(db, actor, eventId);
      return result.ok ? back("published") : failedEventResult(result, values);
    }
    case "cancel": {
      if (values.confirm !== "yes") return invalidForm({ confirm: ["adminEvents.cancel.mustConfirm"] }, values);
      const result = await cancelEvent(db, actor, eventId, values.reason ?? "");
      return result.ok ? back("cancelled") : failedEventResult(result, values);
    }
    case "duplicate": {
      const result = await duplicateEvent(db, actor, eventId);
      return result.ok ? redirect(`${adminEventPath(result.eventId)}?saved=duplicated`) : failedEventResult(result, values);
    }
    case "recording": {
      const result = await setEventRecording(db, actor, eventId, { recordingUrl: values.recordingUrl ?? null, slidesUrl: values.slidesUrl ?? null });
      return result.ok ? back("recording") : failedEventResult(result, values);
    }
  }
}

const SAVED = {
  created: "adminEvents.saved.created",
  saved: "adminEvents.saved.saved",
  published: "adminEvents.saved.published",
  cancelled: "adminEvents.saved.cancelled",
  duplicated: "adminEvents.saved.duplicated",
  recording: "adminEvents.saved.recording",
} as const;

export default function AdminEventPage() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { event, stats, groups, timeZone, cancelReasonMax } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (FormState & { values?: Record<string, string> }) | undefined;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const submittedIntent = actionData?.values?.intent;
  // Each form shows only its own errors.
  const stateFor = (intent: string) => (submittedIntent === intent ? actionData : undefined);
  const cancelled = event.status === "cancelled";
  const canPublish = event.status === "draft" || event.status === "pending_approval";
  const headingId = "ae-edit-title";
  return (
    <section className="ae-page" aria-labelledby={headingId}>
      <p>
        <Link to="/admin/webinars">{t("adminEvents.action.back")}</Link>
      </p>
      <h1 id={headingId}>{event.title}</h1>
      <p>
        <EventStatusBadge status={event.status} /> {t(`adminEvents.kind.${event.kind}`)}
        {event.groupName ? ` · ${event.groupName}` : ""} · {dateTime(event.startsAt)}
        {event.createdByName ? <span className="muted"> · {t("adminEvents.meta.createdBy", { name: event.createdByName })}</span> : null}
      </p>
      <SavedNotice messages={SAVED} />
      {cancelled ? (
        <Notice kind="info">
          <p>{t("adminEvents.cancelled.notice", { date: event.cancelledAt ? dateTime(event.cancelledAt) : "", reason: event.cancelReason ?? "" })}</p>
        </Notice>
      ) : null}
      {submittedIntent && submittedIntent !== "save" && submittedIntent !== "cancel" && submittedIntent !== "recording" ? <FormErrors state={actionData} /> : null}
      <ul className="ae-links">
        <li>
          <Link to={`${adminEventPath(event.id)}/registrations`}>{t("adminEvents.links.registrations")}</Link>
        </li>
        <li>
          <Link to={`${adminEventPath(event.id)}/attendance`}>{t("adminEvents.links.attendance")}</Link>
        </li>
        {event.status === "published" ? (
          <>
            <li>
              <a href={eventPath(event.kind, event.slug)}>{t("adminEvents.links.public")}</a>
            </li>
            <li>
              <a href={eventCheckInPath(event.kind, event.slug)}>{t("adminEvents.links.checkIn")}</a>
            </li>
          </>
        ) : null}
      </ul>
      <h2 className="visually-hidden">{t("adminEvents.stats.heading")}</h2>
      <StatsPanel stats={stats} />
      <div className="ae-actions">
        {canPublish ? (
          <Form method="post">
            <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
              {event.status === "pending_approval" ? t("adminEvents.action.approve") : t("adminEvents.action.publish")}
            </button>
          </Form>
        ) : null}
        <Form method="post">
          <button type="submit" name="intent" value="duplicate" className="button button-secondary" disabled={busy}>
            {t("adminEvents.action.duplicate")}
          </button>
        </Form>
      </div>
      <div className="ae-layout">
        <div>
          <h2>{t("adminEvents.edit.heading")}</h2>
          {cancelled ? null : (
            <Form method="post" className="stack" noValidate>
              <FormErrors state={stateFor("save")} />
              <EventFormFields kind={event.kind} defaults={event.defaults} state={stateFor("save")} groups={groups} timeZoneDefault={timeZone} />
              <div className="ae-actions">
                <button type="submit" name="intent" value="save" className="button" disabled={busy}>
                  {t("adminEvents.action.save")}
                </button>
              </div>
            </Form>
          )}
        </div>
        <div className="ae-side">
          <section aria-labelledby="ae-recording">
            <h2 id="ae-recording">{t("adminEvents.recording.heading")}</h2>
            <p className="muted">{t("adminEvents.recording.explain")}</p>
            {cancelled ? null : (
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="recording" />
                <FormErrors state={stateFor("recording")} />
                <TextField name="recordingUrl" type="url" label={t("adminEvents.field.recordingUrl")} defaultValue={event.recordingUrl ?? ""} state={stateFor("recording")} />
                <TextField name="slidesUrl" type="url" label={t("adminEvents.field.slidesUrl")} defaultValue={event.slidesUrl ?? ""} state={stateFor("recording")} />
                <button type="submit" className="button button-secondary" disabled={busy}>
                  {t("adminEvents.action.saveRecording")}
                </button>
              </Form>
            )}
          </section>
          {cancelled ? null : (
            <section aria-labelledby="ae-cancel" className="ae-danger">
              <h2 id="ae-cancel">{t("adminEvents.cancel.heading")}</h2>
              <p>{t("adminEvents.cancel.explain", { count: event.registeredCount + event.waitlistCount })}</p>
              <Form method="post" className="stack" noValidate>
                <input type="hidden" name="intent" value="cancel" />
                <FormErrors state={stateFor("cancel")} />
                <TextAreaField name="reason" label={t("adminEvents.cancel.reason")} rows={3} maxLength={cancelReasonMax} required state={stateFor("cancel")} />
                <div className={stateFor("cancel")?.errors?.confirm ? "field field-invalid" : "field"}>
                  <label className="ae-check">
                    <input type="checkbox" name="confirm" value="yes" required aria-describedby={stateFor("cancel")?.errors?.confirm ? "confirm-error" : undefined} />
                    <span>{t("adminEvents.cancel.confirm")}</span>
                  </label>
                  {stateFor("cancel")?.errors?.confirm ? (
                    <p id="confirm-error" className="field-error" role="alert">
                      {t("adminEvents.cancel.mustConfirm")}
                    </p>
                  ) : null}
                </div>
                <button type="submit" className="button button-danger" disabled={busy}>
                  {t("adminEvents.action.cancelConfirm")}
                </button>
              </Form>
            </section>
          )}
        </div>
      </div>
    </section>
  );
}
