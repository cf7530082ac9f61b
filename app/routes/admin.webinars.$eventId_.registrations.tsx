import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { adminMeta, Pagination } from "../components/admin-ui";
import adminEventsStyles from "../components/admin-events/admin-events.css";
import { QueryTabs } from "../components/admin-events/admin-events-ui";
import { FormErrors, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { idParam } from "../features/events/events.schema";
import { registrationListQuery } from "../features/events/admin-events.schema";
import { getAdminEvent, listEventRegistrations, listSurveyResponses } from "../features/events/manage.server";
import { adminEventPath } from "../features/events/paths";
import { checkInAttendee } from "../features/events/registrations.server";
import { failedEventResult, parseEventRouteId } from "../features/events/responses.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { formatNumber } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("adminEvents.links.registrations");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminEventsStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const query = registrationListQuery.parse(queryValues(request.url));
  const db = await getDb();
  const event = await getAdminEvent(db, eventId);
  if (!event) throw new Response("Not found", { status: 404 });
  const [list, survey] = await Promise.all([listEventRegistrations(db, eventId, { status: query.status, page: query.page }), listSurveyResponses(db, eventId)]);
  return json({
    event: { id: event.id, title: event.title, questions: event.registrationQuestions },
    list,
    survey,
    query,
  });
}

const checkInSchema = z.object({ userId: idParam, attended: z.enum(["true", "false"]).transform((v) => v === "true") });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const formData = await request.formData();
  const submission = parseForm(formData, checkInSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await checkInAttendee(await getDb(), actor, { eventId, userId: submission.data.userId, attended: submission.data.attended });
  if (!result.ok) return failedEventResult(result, {});
  // Back to the same tab and page.
  const url = new URL(request.url);
  return redirect(`${url.pathname}${url.search}`);
}

const TABS = [
  { value: "registered", label: "adminEvents.reg.tab.registered" },
  { value: "waitlisted", label: "adminEvents.reg.tab.waitlisted" },
  { value: "maybe", label: "adminEvents.reg.tab.maybe" },
  { value: "cancelled", label: "adminEvents.reg.tab.cancelled" },
  { value: "attended", label: "adminEvents.reg.tab.attended" },
] as const;

export default function EventRegistrations() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { event, list, survey, query } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const showCheckIn = query.status === "registered" || query.status === "attended";
  const maxBucket = Math.max(1, ...survey.distribution);
  return (
    <section className="ae-page" aria-labelledby="ae-reg-title">
      <p>
        <Link to={adminEventPath(event.id)}>← {event.title}</Link>
      </p>
      <h1 id="ae-reg-title">{t("adminEvents.reg.heading", { title: event.title })}</h1>
      <p>
        <a href={`${adminEventPath(event.id)}/registrations.csv`} className="button button-secondary" download>
          {t("adminEvents.reg.download")}
        </a>
      </p>
      <FormErrors state={state} />
      <QueryTabs param="status" tabs={TABS} current={query.status} label="adminEvents.reg.tabs.label" counts={list.counts} />
      {list.items.length === 0 ? (
        <p>{t("adminEvents.reg.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t(TABS.find((tab) => tab.value === query.status)!.label)}</caption>
            <thead>
              <tr>
                {query.status === "waitlisted" ? <th scope="col">{t("adminEvents.reg.col.position")}</th> : null}
                <th scope="col">{t("adminEvents.reg.col.member")}</th>
                <th scope="col">{t("adminEvents.reg.col.email")}</th>
                <th scope="col">{t("adminEvents.reg.col.account")}</th>
                <th scope="col">{t("adminEvents.reg.col.when")}</th>
                {event.questions.length ? <th scope="col">{t("adminEvents.field.questions")}</th> : null}
                <th scope="col">{t("adminEvents.reg.col.attended")}</th>
                {showCheckIn ? <th scope="col">{t("adminEvents.reg.col.checkIn")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.items.map((r) => (
                <tr key={r.userId}>
                  {query.status === "waitlisted" ? <td>{r.position}</td> : null}
                  <th scope="row">{r.name}</th>
                  <td>{r.email}</td>
                  <td>{r.accountName ?? ""}</td>
                  <td className="ae-nowrap">{r.since ? dateTime(r.since) : ""}</td>
                  {event.questions.length ? (
                    <td>
                      <dl className="ae-answers">
                        {event.questions
                          .filter((q) => r.answers[q.id])
                          .map((q) => (
                            <div key={q.id}>
                              <dt>{q.label}</dt>
                              <dd>{r.answers[q.id]}</dd>
                            </div>
                          ))}
                      </dl>
                    </td>
                  ) : null}
                  <td>
                    {r.attendedAt ? (
                      <>
                        {t("adminEvents.reg.checkedIn")}
                        {r.attendedMinutes !== null ? ` · ${formatNumber(r.attendedMinutes, locale)} min` : ""}
                        {r.attendanceSource ? <span className="muted"> ({t(`adminEvents.reg.source.${r.attendanceSource}`)})</span> : null}
                      </>
                    ) : (
                      ""
                    )}
                  </td>
                  {showCheckIn ? (
                    <td>
                      {r.status === "registered" ? (
                        <Form method="post">
                          <input type="hidden" name="userId" value={r.userId} />
                          <input type="hidden" name="attended" value={r.attendedAt ? "false" : "true"} />
                          <button type="submit" className="button button-small button-secondary" disabled={busy} aria-label={`${r.attendedAt ? t("adminEvents.reg.undoCheckIn") : t("adminEvents.reg.checkIn")}: ${r.name}`}>
                            {r.attendedAt ? t("adminEvents.reg.undoCheckIn") : t("adminEvents.reg.checkIn")}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={query.page} pageCount={list.pageCount} />

      <section aria-labelledby="ae-survey">
        <h2 id="ae-survey">{t("adminEvents.survey.heading")}</h2>
        {survey.count === 0 ? (
          <p>{t("adminEvents.survey.empty")}</p>
        ) : (
          <>
            <p>{t("adminEvents.survey.average", { average: formatNumber(survey.average ?? 0, locale), count: formatNumber(survey.count, locale) })}</p>
            <h3>{t("adminEvents.survey.distribution")}</h3>
            <ul className="ae-bars">
              {[5, 4, 3, 2, 1].map((rating) => {
                const n = survey.distribution[rating - 1] ?? 0;
                return (
                  <li key={rating}>
                    <span>{t("adminEvents.survey.stars", { rating })}</span>
                    {/* A meter, not a styled span: the CSP allows no inline styles. */}
                    <meter className="ae-bar" min={0} max={maxBucket} value={n} aria-hidden="true" />
                    <span>{formatNumber(n, locale)}</span>
                  </li>
                );
              })}
            </ul>
            {survey.comments.length ? (
              <>
                <h3>{t("adminEvents.survey.comments")}</h3>
                <ul className="ae-comments">
                  {survey.comments.map((c, i) => (
                    <li key={i}>
                      <strong>{t("adminEvents.survey.stars", { rating: c.rating })}</strong> {c.name} <span className="muted">· {dateTime(c.at)}</span>
                      <p>{c.comment}</p>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        )}
      </section>
    </section>
  );
}
