import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { getPublicFeedEvents } from "../features/events/calendar-feed.server";
import { buildIcs } from "../features/events/ics";

/** The public calendar of every published upcoming event (and the last 30 days), /events.ics. */
export async function loader(_args: LoaderFunctionArgs) {
  const events = await getPublicFeedEvents(await getDb(), getEnv().APP_URL);
  return new Response(buildIcs({ calendarName: "Hearth events", events }), {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
