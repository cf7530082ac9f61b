import crypto from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { calendarFeeds, eventRegistrations, events } from "../../../db/schema";
import { buildIcs, eventToIcsEvent, icsFileName, type IcsEvent } from "./ics";

// Private per-member feeds and the public feed. The private feed's token is its only credential (calendar
// apps cannot sign in), so it is long and random, only its SHA-256 is stored, and it is shown once.

/** How far back a private feed reaches; calendar apps drop what a feed no longer lists. */
const PRIVATE_FEED_PAST_DAYS = 90;
const PUBLIC_FEED_PAST_DAYS = 30;
/** Calendar apps poll every few minutes to hours; the last-used time needs no finer grain than this. */
const LAST_USED_RESOLUTION_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/** Creates or replaces the member's private feed token; returns the token (shown once; only its hash is kept). */
export async function resetCalendarFeed(db: Db, userId: number): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  const tokenHash = hashToken(token);
  await db
    .insert(calendarFeeds)
    .values({ userId, tokenHash })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { tokenHash, lastUsedAt: null, createdAt: new Date() } });
  return token;
}

/** Whether the member has a feed (the settings page shows "reset" rather than "create"). */
export async function hasCalendarFeed(db: Db, userId: number): Promise<boolean> {
  const [row] = await db.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  return Boolean(row);
}

const icsColumns = {
  id: events.id,
  kind: events.kind,
  slug: events.slug,
  title: events.title,
  summary: events.summary,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  status: events.status,
  attendanceMode: events.attendanceMode,
  venueName: events.venueName,
  venueAddress: events.venueAddress,
  updatedAt: events.updatedAt,
};

/** The feed's events (registered and waitlisted, upcoming and the last 90 days), or null for an unknown token. */
export async function getPrivateFeedEvents(db: Db, token: string, appUrl: string): Promise<IcsEvent[] | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const now = new Date();
  const [feed] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.tokenHash, hashToken(token)));
  if (!feed) return null;
  if (!feed.lastUsedAt || now.getTime() - feed.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so concurrent polls write once an hour at most (a feed read is otherwise write-free).
    await db
      .update(calendarFeeds)
      .set({ lastUsedAt: now })
      .where(and(eq(calendarFeeds.userId, feed.userId), or(isNull(calendarFeeds.lastUsedAt), lt(calendarFeeds.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)))));
  }
  const rows = await db
    .select(icsColumns)
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .where(
      and(
        eq(eventRegistrations.userId, feed.userId),
        inArray(eventRegistrations.status, ["registered", "waitlisted"]),
        // Cancelled events stay listed (as CANCELLED) so subscribed calendars drop them rather than keep a stale copy.
        inArray(events.status, ["published", "cancelled"]),
        gt(events.endsAt, new Date(now.getTime() - PRIVATE_FEED_PAST_DAYS * DAY_MS)),
      ),
    )
    .orderBy(asc(events.startsAt));
  return rows.map((row) => eventToIcsEvent(row, appUrl));
}

/** Every published upcoming event (and the last 30 days), for /events.ics. */
export async function getPublicFeedEvents(db: Db, appUrl: string): Promise<IcsEvent[]> {
  const since = new Date(Date.now() - PUBLIC_FEED_PAST_DAYS * DAY_MS);
  const rows = await db
    .select(icsColumns)
    .from(events)
    .where(and(eq(events.status, "published"), gt(events.endsAt, since)))
    .orderBy(asc(events.startsAt))
    .limit(1000);
  return rows.map((row) => eventToIcsEvent(row, appUrl));
}

/** An upcoming event the member holds a place for (or waits for), for the settings page's list. */
export interface MyRegistration {
  eventId: number;
  kind: "webinar" | "group_event";
  slug: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: "registered" | "waitlisted";
}

/** The member's upcoming registrations and waitlist places, soonest first. */
export async function listMyUpcomingRegistrations(db: Db, userId: number): Promise<MyRegistration[]> {
  const rows = await db
    .select({ eventId: events.id, kind: events.kind, slug: events.slug, title: events.title, startsAt: events.startsAt, endsAt: events.endsAt, status: eventRegistrations.status })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .where(and(eq(eventRegistrations.userId, userId), inArray(eventRegistrations.status, ["registered", "waitlisted"]), eq(events.status, "published"), gt(events.endsAt, new Date())))
    .orderBy(asc(events.startsAt))
    .limit(100);
  return rows.map((row) => ({ ...row, status: row.status === "waitlisted" ? "waitlisted" : "registered" }));
}

/** One event's calendar entry for "Add to calendar": published or cancelled, of the given kind, else null. */
export async function getEventIcs(db: Db, kind: "webinar" | "group_event", slug: string, appUrl: string): Promise<{ event: IcsEvent; slug: string } | null> {
  const [row] = await db
    .select(icsColumns)
    .from(events)
    .where(and(eq(events.slug, slug), eq(events.kind, kind), inArray(events.status, ["published", "cancelled"])));
  return row ? { event: eventToIcsEvent(row, appUrl), slug: row.slug } : null;
}

/**
 * The "Add to calendar" download of one event (the webinar and group-event routes share it): 404 unless
 * the slug names a published or cancelled event of that kind, so drafts stay invisible.
 */
export async function eventCalendarFileResponse(db: Db, kind: "webinar" | "group_event", slug: string | undefined, appUrl: string): Promise<Response> {
  const found = slug ? await getEventIcs(db, kind, slug, appUrl) : null;
  if (!found) throw new Response("Not found", { status: 404 });
  return new Response(buildIcs({ calendarName: found.event.title, events: [found.event] }), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="${icsFileName(found.slug)}"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
