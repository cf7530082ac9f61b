import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { requirePermission } from "../features/auth/guards.server";
import { getAdminEvent, streamRegistrationsCsv } from "../features/events/manage.server";
import { parseEventRouteId } from "../features/events/responses.server";

/**
 * Every registration of an event as a CSV download, streamed from the database in batches. Cells that a
 * spreadsheet would run as formulas are prefixed with ' (csvCell), and a BOM tells Excel it is UTF-8.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const eventId = parseEventRouteId(params.eventId);
  const db = await getDb();
  const event = await getAdminEvent(db, eventId);
  if (!event) throw new Response("Not found", { status: 404 });
  const fileName = `registrations-${event.slug}.csv`;
  return new Response(streamRegistrationsCsv(db, eventId, { locale: context.locale, questions: event.registrationQuestions }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
