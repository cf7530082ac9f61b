import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import adminEventsStyles from "../components/admin-events/admin-events.css";
import { QueryTabs } from "../components/admin-events/admin-events-ui";
import { FormErrors, Notice, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import type { AttendanceRowStatus } from "../../db/schema/events";
import { importRowsQuery } from "../features/events/admin-events.schema";
import { ATTENDANCE_INVALID_ROWS_KEPT, commitAttendanceImport, getAttendanceImport } from "../features/events/attendance-import.server";
import { adminEventPath } from "../features/events/paths";
import { failedEventResult, parseEventRouteId } from "../features/events/responses.server";
import { formatNumber } from "../features/i18n/format";
import { isMessageKey } from "../features/i18n/messages";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("adminEvents.links.attendance");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminEventsStyles }];

async function loadImport(eventIdParam: string | undefined, importIdParam: string | undefined, options: { status?: AttendanceRowStatus; page?: number } = {}) {
  const eventId = parseEventRouteId(eventIdParam);
  const importId = parseEventRouteId(importIdParam);
  const view = await getAttendanceImport(await getDb(), importId, options);
  // An import is only reachable under its own event's URL.
  if (!view || view.eventId !== eventId) throw new Response("Not found", { status: 404 });
  return view;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const query = importRowsQuery.parse(queryValues(request.url));
  const view = await loadImport(params.eventId, params.importId, { status: query.status, page: query.page });
  const status = query.status ?? (view.matchedCount > 0 || view.status !== "ready" ? "matched" : view.unknownCount > 0 ? "unknown" : "invalid");
  return json({ view, status, page: query.page, invalidKept: ATTENDANCE_INVALID_ROWS_KEPT });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "events.manage");
  const view = await loadImport(params.eventId, params.importId);
  const result = await commitAttendanceImport(await getDb(), actor, view.id);
  if (!result.ok) return failedEventResult(result, {});
  return redirect(`${adminEventPath(view.eventId)}/attendance/${view.id}`);
}

const TABS = [
  { value: "matched", label: "adminEvents.import.tab.matched" },
  { value: "unknown", label: "adminEvents.import.tab.unknown" },
  { value: "invalid", label: "adminEvents.import.tab.invalid" },
] as const;

export default function AttendanceImportPreview() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { view, status, page, invalidKept } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const n = (v: number) => formatNumber(v, locale);
  const fileErrorText = (e: { key: string; params?: Record<string, string | number> }) => (isMessageKey(e.key) ? t(e.key, e.params) : e.key);
  return (
    <section className="ae-page" aria-labelledby="ae-prev-title">
      <p>
        <Link to={`${adminEventPath(view.eventId)}/attendance`}>← {t("adminEvents.import.back")}</Link>
      </p>
      <h1 id="ae-prev-title">{t("adminEvents.import.previewHeading", { file: view.fileName })}</h1>
      <p className="muted">
        {view.eventTitle} · {dateTime(view.createdAt)}
      </p>
      <FormErrors state={state} />

      {view.status === "failed" ? (
        <Notice kind="error">
          <p>{t("adminEvents.import.failed")}</p>
          {view.fileErrors.length ? (
            <ul>
              {view.fileErrors.map((e, i) => (
                <li key={i}>{fileErrorText(e)}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : (
        <>
          <dl className="ae-counts">
            <div>
              <dt>{t("adminEvents.import.count.rows")}</dt>
              <dd>{n(view.rowCount)}</dd>
            </div>
            <div>
              <dt>{t("adminEvents.import.count.matched")}</dt>
              <dd>{n(view.matchedCount)}</dd>
            </div>
            <div>
              <dt>{t("adminEvents.import.count.unknown")}</dt>
              <dd>{n(view.unknownCount)}</dd>
            </div>
            <div>
              <dt>{t("adminEvents.import.count.invalid")}</dt>
              <dd>{n(view.invalidCount)}</dd>
            </div>
          </dl>
          {view.status === "committed" ? (
            <Notice kind="success">
              <p>{t("adminEvents.import.committed", { date: view.committedAt ? dateTime(view.committedAt) : "", count: n(view.appliedCount ?? 0) })}</p>
            </Notice>
          ) : (
            <>
              {view.duplicateOfCommitted ? (
                <Notice kind="info">
                  <p>{t("adminEvents.import.duplicate")}</p>
                </Notice>
              ) : null}
              <Form method="post" className="stack">
                <p>{t("adminEvents.import.commitExplain")}</p>
                <button type="submit" className="button" disabled={busy}>
                  {t("adminEvents.import.commit")}
                </button>
              </Form>
            </>
          )}
          <QueryTabs
            param="status"
            tabs={TABS}
            current={status}
            label="adminEvents.import.tabs.label"
            counts={{ matched: view.matchedCount, unknown: view.unknownCount, invalid: view.invalidCount }}
          />
          {status === "invalid" && view.invalidTruncated ? <p className="muted">{t("adminEvents.import.invalidTruncated", { count: n(invalidKept) })}</p> : null}
          {view.rows.length === 0 ? (
            <p>{t("adminEvents.import.emptyRows")}</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">{t(TABS.find((tab) => tab.value === status)!.label)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("adminEvents.import.col.line")}</th>
                    <th scope="col">{t("adminEvents.import.col.email")}</th>
                    <th scope="col">{t("adminEvents.import.col.name")}</th>
                    {status === "invalid" ? (
                      <th scope="col">{t("adminEvents.import.col.problem")}</th>
                    ) : (
                      <>
                        <th scope="col">{t("adminEvents.import.col.firstJoin")}</th>
                        <th scope="col">{t("adminEvents.import.col.lastLeave")}</th>
                        <th scope="col">{t("adminEvents.import.col.minutes")}</th>
                        <th scope="col">{t("adminEvents.import.col.joins")}</th>
                      </>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {view.rows.map((r) => (
                    <tr key={`${r.line}-${r.email ?? ""}`}>
                      <td>{r.line}</td>
                      <th scope="row">{r.email ?? ""}</th>
                      <td>{r.name ?? ""}</td>
                      {status === "invalid" ? (
                        <td>{r.problem && isMessageKey(r.problem) ? t(r.problem) : (r.problem ?? "")}</td>
                      ) : (
                        <>
                          <td className="ae-nowrap">{r.firstJoinAt ? dateTime(r.firstJoinAt) : "—"}</td>
                          <td className="ae-nowrap">{r.lastLeaveAt ? dateTime(r.lastLeaveAt) : "—"}</td>
                          <td>{r.minutes === null ? "—" : n(r.minutes)}</td>
                          <td>{n(r.joins)}</td>
                        </>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={page} pageCount={view.pageCount} />
        </>
      )}
    </section>
  );
}
