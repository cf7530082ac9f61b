import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { eventCalendarFileResponse } from "../features/events/calendar-feed.server";

/** "Add to calendar" for one webinar: its .ics, published or cancelled ones only. */
export async function loader({ params }: LoaderFunctionArgs) {
  return eventCalendarFileResponse(await getDb(), "webinar", params.slug, getEnv().APP_URL);
}
