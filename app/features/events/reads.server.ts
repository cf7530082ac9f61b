import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { eventRegistrations, events, userGroups } from "../../../db/schema";
import type {
  AttendanceMode,
  EventKind,
  EventLanguage,
  EventLevel,
  EventSpeaker,
  EventStatus,
  RegistrationQuestion,
  RegistrationStatus,
} from "../../../db/schema/events";
import { cachedRead } from "../cache/content-cache.server";
import { canManageEvent } from "./access.server";
import { EVENT_MAX_HOURS, JOIN_LINK_OPENS_MINUTES } from "./events.schema";
import { eventPath, groupPath } from "./paths";
import { getRegistrationState, type RegistrationState } from "./registrations.server";
import type { EventActor } from "./result";

// What the public pages read. Only published and cancelled events are visible to everyone; drafts and
// pending events only to those who manage them (getEventPage), and never in lists.
//
// Every list is one indexed query plus, where a page needs it, one count: no per-row queries, and seat
// numbers come from the counters kept on events (never a COUNT over registrations during a request).

export interface EventCard {
  id: number;
  kind: EventKind;
  slug: string;
  path: string;
  title: string;
  summary: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  language: EventLanguage;
  level: EventLevel;
  tags: string[];
  attendanceMode: AttendanceMode;
  venueName: string | null;
  capacity: number | null;
  registeredCount: number;
  /** null when unlimited. */
  seatsLeft: number | null;
  hasRecording: boolean;
  group: { id: number; slug: string; name: string } | null;
}

/**
 * "Now" to the minute, for catalog pages that cache their reads (content version "events", raised by
 * triggers on events and groups): one cache entry serves a minute of requests, so an event that ended
 * less than a minute ago may still be listed as upcoming.
 */
export function catalogNow(at: number = Date.now()): Date {
  return new Date(Math.floor(at / 60_000) * 60_000);
}

export interface ListEventsFilter {
  kind?: EventKind;
  groupId?: number;
  tag?: string;
  language?: EventLanguage;
  /** upcoming: not yet ended, soonest first; past: ended, newest first; on_demand: ended with a recording. */
  when: "upcoming" | "past" | "on_demand";
  page?: number;
  pageSize?: number;
}

export const EVENTS_PAGE_SIZE = 12;
const PAGE_SIZE_MAX = 100;

/** A seat count that never goes negative, even if staff lowered the capacity below the registrations. */
export function seatsLeftOf(capacity: number | null, registeredCount: number): number | null {
  return capacity === null ? null : Math.max(0, capacity - registeredCount);
}

const cardColumns = {
  id: events.id,
  kind: events.kind,
  slug: events.slug,
  title: events.title,
  summary: events.summary,
  status: events.status,
  startsAt: events.startsAt,
  endsAt: events.endsAt,
  timeZone: events.timeZone,
  language: events.language,
  level: events.level,
  tags: events.tags,
  attendanceMode: events.attendanceMode,
  venueName: events.venueName,
  capacity: events.capacity,
  registeredCount: events.registeredCount,
  recordingUrl: events.recordingUrl,
  groupId: userGroups.id,
  groupSlug: userGroups.slug,
  groupName: userGroups.name,
};

type CardRow = {
  id: number;
  kind: EventKind;
  slug: string;
  title: string;
  summary: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  language: EventLanguage;
  level: EventLevel;
  tags: string[];
  attendanceMode: AttendanceMode;
  venueName: string | null;
  capacity: number | null;
  registeredCount: number;
  recordingUrl: string | null;
  groupId: number | null;
  groupSlug: string | null;
  groupName: string | null;
};

function toCard(row: CardRow, now: Date): EventCard {
  return {
    id: row.id,
    kind: row.kind,
    slug: row.slug,
    path: eventPath(row.kind, row.slug),
    title: row.title,
    summary: row.summary,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    timeZone: row.timeZone,
    language: row.language,
    level: row.level,
    tags: row.tags,
    attendanceMode: row.attendanceMode,
    venueName: row.venueName,
    capacity: row.capacity,
    registeredCount: row.registeredCount,
    // Seats stop mattering once an event is over; a past card saying "24 seats left" reads as an invitation.
    seatsLeft: row.endsAt <= now ? null : seatsLeftOf(row.capacity, row.registeredCount),
    hasRecording: row.recordingUrl !== null && row.endsAt <= now,
    group: row.groupId !== null && row.groupSlug !== null && row.groupName !== null ? { id: row.groupId, slug: row.groupSlug, name: row.groupName } : null,
  };
}

const iso = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Bounds on starts_at that say "not ended yet" / "ended" in a form the (kind, status, starts_at) index can
 * range-scan: an event lasts at most EVENT_MAX_HOURS, so everything not ended started after now − that.
 */
function whenConditions(when: ListEventsFilter["when"], now: Date): SQL[] {
  const earliestRunning = new Date(now.getTime() - EVENT_MAX_HOURS * 3600_000);
  if (when === "upcoming") return [gt(events.startsAt, earliestRunning), sql`${events.endsAt} > ${iso(now)}`];
  const ended = [lte(events.startsAt, now), sql`${events.endsAt} <= ${iso(now)}`];
  return when === "on_demand" ? [...ended, isNotNull(events.recordingUrl)] : ended;
}

/**
 * A page of the public catalog. Upcoming lists include cancelled events (registrants look for them and see
 * the cancellation); past and on-demand lists only published ones. Never drafts or pending events.
 */
export async function listEvents(db: Db, filter: ListEventsFilter, now: Date = new Date()): Promise<{ items: EventCard[]; total: number }> {
  const pageSize = Math.min(Math.max(1, filter.pageSize ?? EVENTS_PAGE_SIZE), PAGE_SIZE_MAX);
  const page = Math.max(1, filter.page ?? 1);
  const conditions: SQL[] = [
    filter.when === "upcoming" ? inArray(events.status, ["published", "cancelled"]) : eq(events.status, "published"),
    ...whenConditions(filter.when, now),
  ];
  if (filter.kind) conditions.push(eq(events.kind, filter.kind));
  if (filter.groupId !== undefined) conditions.push(eq(events.groupId, filter.groupId));
  if (filter.language) conditions.push(eq(events.language, filter.language));
  // `@>` so the GIN index on tags answers it.
  if (filter.tag) conditions.push(sql`${events.tags} @> array[${filter.tag}]::text[]`);
  const where = and(...conditions);
  const order = filter.when === "upcoming" ? [asc(events.startsAt), asc(events.id)] : [desc(events.startsAt), desc(events.id)];
  const [rows, [count]] = await Promise.all([
    db
      .select(cardColumns)
      .from(events)
      .leftJoin(userGroups, eq(userGroups.id, events.groupId))
      .where(where)
      .orderBy(...order)
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(events).where(where),
  ]);
  return { items: rows.map((row) => toCard(row, now)), total: Number(count?.n ?? 0) };
}

/** Topic tags of published events, most used first, for the catalog's filter. */
export async function listEventTags(db: Db, options: { kind?: EventKind; limit?: number } = {}): Promise<string[]> {
  const conditions: SQL[] = [eq(events.status, "published")];
  if (options.kind) conditions.push(eq(events.kind, options.kind));
  const rows = await db
    .select({ tag: sql<string>`t.tag` })
    .from(sql`${events} cross join lateral unnest(${events.tags}) as t(tag)`)
    .where(and(...conditions))
    .groupBy(sql`t.tag`)
    .orderBy(sql`count(*) desc`, sql`t.tag`)
    .limit(options.limit ?? 50);
  return rows.map((r) => r.tag);
}

export interface EventPage {
  id: number;
  kind: EventKind;
  slug: string;
  path: string;
  title: string;
  summary: string;
  status: EventStatus;
  /** Sanitized when saved (renderMarkdown); never rendered per request. */
  descriptionHtml: string;
  agendaHtml: string;
  speakers: EventSpeaker[];
  level: EventLevel;
  language: EventLanguage;
  tags: string[];
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  attendanceMode: AttendanceMode;
  venueName: string | null;
  venueAddress: string | null;
  /** http(s) only; anything else stored by mistake is dropped here. */
  mapUrl: string | null;
  capacity: number | null;
  registeredCount: number;
  waitlistCount: number;
  maybeCount: number;
  seatsLeft: number | null;
  isFull: boolean;
  hasStarted: boolean;
  hasEnded: boolean;
  /** Only once the event ended; the page links to eventRecordingPath, never to the URL itself. */
  hasRecording: boolean;
  slidesUrl: string | null;
  questions: RegistrationQuestion[];
  group: { id: number; slug: string; name: string; path: string } | null;
  cancelReason: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  registration: RegistrationState | null;
  canManage: boolean;
  /** When the join link appears for registrants. */
  joinOpensAt: Date;
  /**
   * Only for a viewer holding a seat (status registered) of a published event, from JOIN_LINK_OPENS_MINUTES
   * before the start until the end. Decided here so the link never reaches anyone else's page or JSON.
   */
  joinUrl: string | null;
}

const HTTP_URL = /^https?:\/\/[^\s]+$/i;
const httpOnly = (url: string | null) => (url && HTTP_URL.test(url) ? url : null);

/**
 * Everything a webinar or group event page needs, as this viewer may see it; null when there is no such
 * event or the viewer may not see it (a draft or pending event, unless they manage it): the route answers 404.
 * Three reads: the event with its group, then the viewer's registration and manage right side by side.
 */
export async function getEventPage(
  db: Db,
  viewer: EventActor | null,
  kind: EventKind,
  slug: string,
  now: Date = new Date(),
  options: { cached?: boolean } = {},
): Promise<EventPage | null> {
  // With options.cached (the pages), the row comes from the process cache kept exact by the "events" content
  // version; the join URL in it stays in server memory, and what reaches the page is decided below per viewer.
  const loadRow = async () => {
    const [found] = await db
      .select({ event: events, group: { id: userGroups.id, slug: userGroups.slug, name: userGroups.name } })
      .from(events)
      .leftJoin(userGroups, eq(userGroups.id, events.groupId))
      .where(and(eq(events.slug, slug), eq(events.kind, kind)))
      .limit(1);
    return found ?? null;
  };
  const row = options.cached ? await cachedRead(db, "events", `page:${kind}:${slug}`, loadRow) : await loadRow();
  if (!row) return null;
  const event = row.event;
  const isPublic = event.status === "published" || event.status === "cancelled";
  const [canManage, registration] = await Promise.all([
    canManageEvent(db, viewer, { groupId: event.groupId }),
    viewer && isPublic ? getRegistrationState(db, viewer.id, event.id) : null,
  ]);
  if (!isPublic && !canManage) return null;

  const hasEnded = event.endsAt <= now;
  const joinOpensAt = new Date(event.startsAt.getTime() - JOIN_LINK_OPENS_MINUTES * 60_000);
  const joinOpen = event.status === "published" && registration?.status === "registered" && now >= joinOpensAt && now < event.endsAt;
  const seatsLeft = seatsLeftOf(event.capacity, event.registeredCount);
  return {
    id: event.id,
    kind: event.kind,
    slug: event.slug,
    path: eventPath(event.kind, event.slug),
    title: event.title,
    summary: event.summary,
    status: event.status,
    descriptionHtml: event.descriptionHtml,
    agendaHtml: event.agendaHtml,
    speakers: event.speakers,
    level: event.level,
    language: event.language,
    tags: event.tags,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    timeZone: event.timeZone,
    attendanceMode: event.attendanceMode,
    venueName: event.venueName,
    venueAddress: event.venueAddress,
    mapUrl: httpOnly(event.mapUrl),
    capacity: event.capacity,
    registeredCount: event.registeredCount,
    waitlistCount: event.waitlistCount,
    maybeCount: event.maybeCount,
    seatsLeft,
    isFull: seatsLeft === 0,
    hasStarted: event.startsAt <= now,
    hasEnded,
    hasRecording: hasEnded && event.kind === "webinar" && httpOnly(event.recordingUrl) !== null,
    slidesUrl: hasEnded ? httpOnly(event.slidesUrl) : null,
    questions: event.registrationQuestions,
    group: row.group ? { ...row.group, path: groupPath(row.group.slug) } : null,
    cancelReason: event.status === "cancelled" ? event.cancelReason : null,
    publishedAt: event.publishedAt,
    updatedAt: event.updatedAt,
    registration,
    canManage,
    joinOpensAt,
    joinUrl: joinOpen ? httpOnly(event.joinUrl) : null,
  };
}

export interface ViewerRegistration {
  eventId: number;
  kind: EventKind;
  path: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  status: Exclude<RegistrationStatus, "cancelled">;
  eventStatus: EventStatus;
}

/** The member's places in events that have not ended (seat, waitlist or maybe), soonest first. */
export async function listViewerRegistrations(db: Db, userId: number, now: Date = new Date(), limit = 20): Promise<ViewerRegistration[]> {
  const rows = await db
    .select({
      eventId: events.id,
      kind: events.kind,
      slug: events.slug,
      title: events.title,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      status: eventRegistrations.status,
      eventStatus: events.status,
    })
    .from(eventRegistrations)
    .innerJoin(events, eq(events.id, eventRegistrations.eventId))
    .where(
      and(
        eq(eventRegistrations.userId, userId),
        inArray(eventRegistrations.status, ["registered", "waitlisted", "maybe"]),
        inArray(events.status, ["published", "cancelled"]),
        sql`${events.endsAt} > ${iso(now)}`,
      ),
    )
    .orderBy(asc(events.startsAt), asc(events.id))
    .limit(limit);
  return rows.map((r) => ({
    eventId: r.eventId,
    kind: r.kind,
    path: eventPath(r.kind, r.slug),
    title: r.title,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    status: r.status as ViewerRegistration["status"],
    eventStatus: r.eventStatus,
  }));
}

/** Published event pages for the sitemap, past ones included (their pages stay, with recordings). */
export async function listPublicEventsForSitemap(db: Db, limit = 10_000): Promise<Array<{ path: string; lastmod: Date }>> {
  const rows = await db
    .select({ kind: events.kind, slug: events.slug, updatedAt: events.updatedAt })
    .from(events)
    .where(eq(events.status, "published"))
    .orderBy(desc(events.startsAt))
    .limit(limit);
  return rows.map((r) => ({ path: eventPath(r.kind, r.slug), lastmod: r.updatedAt }));
}

/** Pages of groups that are not archived. */
export async function listGroupPathsForSitemap(db: Db): Promise<Array<{ path: string; lastmod: Date }>> {
  const rows = await db.select({ slug: userGroups.slug, updatedAt: userGroups.updatedAt }).from(userGroups).where(isNull(userGroups.archivedAt)).orderBy(asc(userGroups.name));
  return rows.map((r) => ({ path: groupPath(r.slug), lastmod: r.updatedAt }));
}

/** Groups that have upcoming published events, for the /events group filter. */
export async function listGroupsWithUpcomingEvents(db: Db, now: Date = new Date()): Promise<Array<{ id: number; slug: string; name: string }>> {
  return db
    .selectDistinct({ id: userGroups.id, slug: userGroups.slug, name: userGroups.name })
    .from(userGroups)
    .innerJoin(events, eq(events.groupId, userGroups.id))
    .where(and(isNull(userGroups.archivedAt), eq(events.kind, "group_event"), eq(events.status, "published"), ...whenConditions("upcoming", now)))
    .orderBy(asc(userGroups.name));
}

/** The id of a published or cancelled event of this kind, for routes that act on it by slug (the recording link). */
export async function getPublicEventId(db: Db, kind: EventKind, slug: string): Promise<number | null> {
  const [row] = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.slug, slug), eq(events.kind, kind), inArray(events.status, ["published", "cancelled"])))
    .limit(1);
  return row?.id ?? null;
}

/**
 * Search hits on webinars and group events as readers may open them: published, and not ended unless a
 * recording makes the page worth finding (as search/documents.ts indexes them). A stale index entry for
 * anything else is dropped here. One query by primary key.
 */
export async function loadEventSearchRows(
  db: Db,
  ids: readonly number[],
  now: Date = new Date(),
): Promise<Array<{ id: number; kind: EventKind; path: string; title: string; language: EventLanguage; startsAt: Date }>> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: events.id, kind: events.kind, slug: events.slug, title: events.title, language: events.language, startsAt: events.startsAt })
    .from(events)
    .where(and(inArray(events.id, [...ids]), eq(events.status, "published"), sql`(${events.endsAt} > ${iso(now)} or ${events.recordingUrl} is not null)`));
  return rows.map((r) => ({ id: r.id, kind: r.kind, path: eventPath(r.kind, r.slug), title: r.title, language: r.language, startsAt: r.startsAt }));
}
