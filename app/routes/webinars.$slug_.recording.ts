import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { eventSlugParam } from "../features/events/catalog.schema";
import { getPublicEventId } from "../features/events/reads.server";
import { openRecording } from "../features/events/registrations.server";

/** Records "recording watched" for a signed-in member, then sends them to the recording (302); 404 when there is none. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const slug = eventSlugParam.safeParse(params.slug);
  if (!slug.success) throw new Response("Not found", { status: 404 });
  const db = await getDb();
  const eventId = await getPublicEventId(db, "webinar", slug.data);
  if (eventId === null) throw new Response("Not found", { status: 404 });
  const url = await openRecording(db, context.user ? { id: context.user.id, role: context.user.role } : null, eventId);
  // Stored URLs are http(s) by the form schema; anything else is treated as no recording.
  if (!url || !/^https?:\/\//i.test(url)) throw new Response("Not found", { status: 404 });
  return redirect(url, { status: 302, headers: { "Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer" } });
}
