import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import adminEventsStyles from "../components/admin-events/admin-events.css";
import { AttendanceUploadForm } from "../components/admin-events/attendance-upload";
import type { FormState } from "../components/forms";
import { getDb } from "../db.server";
import { requirePermission } from "../features/auth/guards.server";
import { ATTENDANCE_FILE_MAX_BYTES, listAttendanceImports, previewAttendanceImport } from "../features/events/attendance-import.server";
import { getAdminEvent } from "../features/events/manage.server";
import { adminEventPath } from "../features/events/paths";
import { eventRefusalResponse, parseEventRouteId } from "../features/events/responses.server";
import type { EventResult } from "../features/events/result";
import { invalidForm } from "../features/forms/responses.server";
import { formatNumber } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("adminEvents.links.attendance");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminEventsStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const db = await getDb();
  const event = await getAdminEvent(db, eventId);
  if (!event) throw new Response("Not found", { status: 404 });
  const imports = await listAttendanceImports(db, eventId);
  return json({ event: { id: event.id, title: event.title }, imports, maxMegabytes: ATTENDANCE_FILE_MAX_BYTES / 1024 / 1024 });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const db = await getDb();
  let result: EventResult<{ importId: number }> | null = null;
  // The file part streams straight into the import (never buffered); other parts are ignored.
  const uploadHandler: UploadHandler = async ({ name, filename, data }) => {
    const iterator = data[Symbol.asyncIterator]();
    if (name === "file" && filename && result === null) {
      result = await previewAttendanceImport(db, actor, { eventId, fileName: filename, data: { [Symbol.asyncIterator]: () => iterator } });
    }
    // Whatever the import did not read (it stops at the size limit) is read and dropped, so the
    // multipart parser can finish the request.
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      // discard
    }
    return undefined;
  };
  await unstable_parseMultipartFormData(request, uploadHandler);
  const outcome = result as EventResult<{ importId: number }> | null;
  if (!outcome) return invalidForm({ file: ["adminEvents.import.noFile"] });
  if (!outcome.ok) {
    if ("fieldErrors" in outcome) return invalidForm(outcome.fieldErrors);
    return eventRefusalResponse(outcome.reason);
  }
  return redirect(`${adminEventPath(eventId)}/attendance/${outcome.importId}`);
}

export default function EventAttendance() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { event, imports, maxMegabytes } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>() as FormState | undefined;
  const n = (v: number) => formatNumber(v, locale);
  return (
    <section className="ae-page" aria-labelledby="ae-att-title">
      <p>
        <Link to={adminEventPath(event.id)}>← {event.title}</Link>
      </p>
      <h1 id="ae-att-title">{t("adminEvents.import.heading", { title: event.title })}</h1>
      <p>{t("adminEvents.import.explain")}</p>
      <AttendanceUploadForm maxMegabytes={maxMegabytes} state={state} />
      <p>
        <Link to={`${adminEventPath(event.id)}/registrations?status=registered`}>{t("adminEvents.links.registrations")}</Link>
      </p>
      <section aria-labelledby="ae-att-previous">
        <h2 id="ae-att-previous">{t("adminEvents.import.previous")}</h2>
        {imports.length === 0 ? (
          <p>{t("adminEvents.import.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t("adminEvents.import.col.file")}</th>
                  <th scope="col">{t("adminEvents.import.col.uploaded")}</th>
                  <th scope="col">{t("adminEvents.import.col.status")}</th>
                  <th scope="col">{t("adminEvents.import.col.counts")}</th>
                </tr>
              </thead>
              <tbody>
                {imports.map((imp) => (
                  <tr key={imp.id}>
                    <th scope="row">
                      <Link to={`${adminEventPath(event.id)}/attendance/${imp.id}`}>{imp.fileName}</Link>
                    </th>
                    <td className="ae-nowrap">{dateTime(imp.createdAt)}</td>
                    <td>
                      <span className={imp.status === "committed" ? "badge badge-ok" : imp.status === "failed" ? "badge badge-danger" : "badge badge-warn"}>
                        {t(`adminEvents.import.status.${imp.status}`)}
                      </span>
                    </td>
                    <td className="ae-nowrap">
                      {imp.status === "failed" ? "—" : `${n(imp.matchedCount)} / ${n(imp.unknownCount)} / ${n(imp.invalidCount)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}
