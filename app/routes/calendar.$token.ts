import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { getPrivateFeedEvents } from "../features/events/calendar-feed.server";
import { buildIcs } from "../features/events/ics";

/**
 * A member's private iCal feed, /calendar/<token>.ics: calendar apps poll it without a session, so the token
 * is the credential. Unknown tokens are a plain 404 (no hint whether a feed ever existed); the token is never
 * logged or echoed.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const file = params.token ?? "";
  if (!file.endsWith(".ics")) throw new Response("Not found", { status: 404 });
  const appUrl = getEnv().APP_URL;
  const events = await getPrivateFeedEvents(await getDb(), file.slice(0, -".ics".length), appUrl);
  if (!events) throw new Response("Not found", { status: 404 });
  return new Response(buildIcs({ calendarName: "Hearth: my events", events }), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Cache-Control": "private, max-age=300",
      // A feed must never be indexed, wherever its address ends up.
      "X-Robots-Tag": "noindex",
    },
  });
}
