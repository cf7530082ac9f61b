import { and, asc, count, desc, eq, gt, gte, isNotNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { accountMembers, accounts, eventRegistrations, events, eventSurveyResponses, userGroups, users } from "../../../db/schema";
import type { EventKind, EventStatus, RegistrationQuestion, RegistrationStatus } from "../../../db/schema/events";
import { can } from "../auth/permissions";
import { issuesToFieldErrors } from "../forms/parse";
import { translate } from "../i18n/messages";
import { slugFromTitle } from "../kb/kb.schema";
import { MarkdownRejectedError, renderMarkdown } from "../markdown/render.server";
import type { Locale } from "../../../db/schema/identity";
import { canManageEvent, isGroupLeader } from "./access.server";
import { firstFreeSlug, isSlugTaken } from "./slugs.server";
import type { AdminEventTab, RegistrationTab } from "./admin-events.schema";
import { eventFormSchema, formatRegistrationQuestions, optionalHttpUrl, type EventFormData, type EventFormInput } from "./events.schema";
import { enqueueEventCancelledNotices, enqueueEventFollowUps } from "./jobs.server";
import { fillFreeSeats } from "./registrations.server";
import { fieldError, refuse, type EventActor, type EventResult } from "./result";
import { utcToZonedLocal } from "./zoned-time";

/**
 * Creating and running events. Staff (events.manage) manage every event; a group's leaders draft events
 * for their own group (pending_approval until staff approve) and may edit them until then. Every command
 * authorizes itself, so routes and the leaders' pages can call them directly.
 */

const isEventStaff = (actor: EventActor | null) => can(actor, "events.manage");

export const CANCEL_REASON_MAX = 1000;
export const ADMIN_EVENTS_PAGE_SIZE = 25;
export const ADMIN_REGISTRATIONS_PAGE_SIZE = 50;
/** A duplicate is placed this much later than its original, so it never collides with it on a calendar. */
const DUPLICATE_OFFSET_MS = 7 * 24 * 3600_000;

type ParsedForm = { ok: true; data: EventFormData; descriptionHtml: string; agendaHtml: string } | { ok: false; fieldErrors: Record<string, string[]> };

/** The form parsed again (commands trust no caller) and the markdown rendered, before any transaction. */
function parseEventForm(input: EventFormInput): ParsedForm {
  const parsed = eventFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const data = parsed.data;
  // Webinars belong to no group, whatever a crafted form says.
  if (data.kind === "webinar") data.groupId = null;
  if (data.attendanceMode === "online") Object.assign(data, { venueName: null, venueAddress: null, mapUrl: null });
  let descriptionHtml: string;
  let agendaHtml: string;
  try {
    descriptionHtml = renderMarkdown(data.descriptionMd).html;
  } catch (error) {
    if (error instanceof MarkdownRejectedError) return fieldError("descriptionMd", "form.invalid");
    throw error;
  }
  try {
    agendaHtml = renderMarkdown(data.agendaMd).html;
  } catch (error) {
    if (error instanceof MarkdownRejectedError) return fieldError("agendaMd", "form.invalid");
    throw error;
  }
  return { ok: true, data, descriptionHtml, agendaHtml };
}

/** The columns the form sets (shared by create and update). */
function formColumns(parsed: Extract<ParsedForm, { ok: true }>) {
  const d = parsed.data;
  return {
    title: d.title,
    summary: d.summary,
    descriptionMd: d.descriptionMd,
    descriptionHtml: parsed.descriptionHtml,
    agendaMd: d.agendaMd,
    agendaHtml: parsed.agendaHtml,
    speakers: d.speakers,
    level: d.level,
    language: d.language,
    tags: d.tags,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    timeZone: d.timeZone,
    capacity: d.capacity,
    attendanceMode: d.attendanceMode,
    joinUrl: d.joinUrl,
    venueName: d.venueName,
    venueAddress: d.venueAddress,
    mapUrl: d.mapUrl,
    registrationQuestions: d.registrationQuestions,
  };
}

/**
 * The slug for a new event: the given one (field error when taken), else one derived from the title.
 * Titles without Latin words (Japanese) become `event-<id>` once the id is known, so null is returned
 * for them and the caller renames after the insert.
 */
async function newEventSlug(tx: Db, given: string | null, title: string): Promise<{ slug: string | null } | { taken: true }> {
  if (given) return (await isSlugTaken(tx, events, given)) ? { taken: true } : { slug: given };
  const base = slugFromTitle(title);
  return { slug: base ? await firstFreeSlug(tx, events, base, "event") : null };
}

/** Inserts an event, naming it `event-<id>` when no slug could be derived. */
async function insertEvent(tx: Db, values: Omit<typeof events.$inferInsert, "slug">, slug: string | null): Promise<{ id: number; slug: string }> {
  const provisional = slug ?? `new-${crypto.randomUUID()}`;
  const [row] = await tx.insert(events).values({ ...values, slug: provisional }).returning({ id: events.id });
  if (slug) return { id: row!.id, slug };
  const named = await firstFreeSlug(tx, events, `event-${row!.id}`, "event");
  await tx.update(events).set({ slug: named }).where(eq(events.id, row!.id));
  return { id: row!.id, slug: named };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}

async function groupExists(db: Db, groupId: number): Promise<boolean> {
  const [row] = await db.select({ id: userGroups.id }).from(userGroups).where(eq(userGroups.id, groupId));
  return Boolean(row);
}

/**
 * Creates an event from the event form. Staff: any kind, status draft or published (`publish`). A group
 * leader: only a group_event of their own group, always pending_approval. Markdown rendered before the
 * transaction; slug derived from the title when empty (unique; field error when a given slug is taken).
 */
export async function createEvent(db: Db, actor: EventActor, input: EventFormInput, options?: { publish?: boolean }): Promise<EventResult<{ eventId: number; slug: string }>> {
  const parsed = parseEventForm(input);
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  const staff = isEventStaff(actor);
  if (!staff) {
    if (data.kind !== "group_event" || data.groupId === null || !(await isGroupLeader(db, actor.id, data.groupId))) return refuse("forbidden");
  }
  if (data.groupId !== null && !(await groupExists(db, data.groupId))) return fieldError("groupId", "form.invalid");
  const status: EventStatus = staff ? (options?.publish ? "published" : "draft") : "pending_approval";
  const now = new Date();
  try {
    return await db.transaction(async (tx) => {
      const chosen = await newEventSlug(tx, data.slug, data.title);
      if ("taken" in chosen) return fieldError("slug", "events.field.slugTaken");
      const row = await insertEvent(
        tx,
        {
          ...formColumns(parsed),
          kind: data.kind,
          groupId: data.groupId,
          status,
          createdById: actor.id,
          publishedAt: status === "published" ? now : null,
          approvedById: status === "published" ? actor.id : null,
        },
        chosen.slug,
      );
      return { ok: true as const, eventId: row.id, slug: row.slug };
    });
  } catch (error) {
    // Two staff saving the same slug at once: the loser gets the field error, not a 500.
    if (isUniqueViolation(error)) return fieldError("slug", "events.field.slugTaken");
    throw error;
  }
}

async function lockEvent(tx: Db, eventId: number) {
  const [row] = await tx.select().from(events).where(eq(events.id, eventId)).for("update");
  return row ?? null;
}

/** Whether the actor may edit this event now: staff any not-cancelled event, leaders their group's until approved. */
async function editableBy(db: Db, actor: EventActor, event: { groupId: number | null; status: EventStatus }): Promise<"ok" | "forbidden" | "closed"> {
  if (isEventStaff(actor)) return event.status === "cancelled" ? "closed" : "ok";
  if (!(await canManageEvent(db, actor, event))) return "forbidden";
  if (event.status !== "draft" && event.status !== "pending_approval") return "forbidden";
  return "ok";
}

/**
 * Edits an event. Staff: any not-cancelled event. A leader: their group's events until approved. Lowering
 * capacity never removes seated members; raising it promotes from the waitlist. Moving the start clears
 * sent-reminder marks so reminders follow the new time.
 */
export async function updateEvent(db: Db, actor: EventActor, eventId: number, input: EventFormInput): Promise<EventResult<{ slug: string }>> {
  const [current] = await db.select({ kind: events.kind, groupId: events.groupId, status: events.status }).from(events).where(eq(events.id, eventId));
  if (!current) return refuse("not_found");
  // The kind never changes after creation (URLs and counters depend on it); leaders cannot move an event to another group.
  const staff = isEventStaff(actor);
  const parsed = parseEventForm({ ...input, kind: current.kind, ...(staff ? {} : { groupId: current.groupId ?? undefined }) } as EventFormInput);
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  if (data.groupId !== null && data.groupId !== current.groupId && !(await groupExists(db, data.groupId))) return fieldError("groupId", "form.invalid");
  try {
    return await db.transaction(async (tx) => {
      const event = await lockEvent(tx, eventId);
      if (!event) return refuse("not_found");
      const allowed = await editableBy(tx, actor, event);
      if (allowed !== "ok") return refuse(allowed);
      if (data.slug && data.slug !== event.slug && (await isSlugTaken(tx, events, data.slug, eventId))) return fieldError("slug", "events.field.slugTaken");
      const startMoved = data.startsAt.getTime() !== event.startsAt.getTime();
      const seatsAdded = event.capacity !== null && (data.capacity === null || data.capacity > event.capacity);
      const [row] = await tx
        .update(events)
        .set({ ...formColumns(parsed), ...(data.slug ? { slug: data.slug } : {}), groupId: data.groupId, updatedAt: new Date() })
        .where(eq(events.id, eventId))
        .returning({ slug: events.slug });
      if (startMoved) {
        await tx
          .update(eventRegistrations)
          .set({ reminderDaySentAt: null, reminderHourSentAt: null })
          .where(and(eq(eventRegistrations.eventId, eventId), or(isNotNull(eventRegistrations.reminderDaySentAt), isNotNull(eventRegistrations.reminderHourSentAt))));
      }
      if (seatsAdded && event.waitlistCount > 0) await fillFreeSeats(tx, eventId);
      return { ok: true as const, slug: row!.slug };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fieldError("slug", "events.field.slugTaken");
    throw error;
  }
}

/** Publishes a draft or approves a leader's pending event (staff only). Publishing again changes nothing. */
export async function publishEvent(db: Db, actor: EventActor, eventId: number): Promise<EventResult> {
  if (!isEventStaff(actor)) return refuse("forbidden");
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    if (!event) return refuse("not_found");
    if (event.status === "cancelled") return refuse("closed");
    if (event.status === "published") return { ok: true as const };
    await tx
      .update(events)
      .set({ status: "published", publishedAt: new Date(), approvedById: actor.id, updatedAt: new Date() })
      .where(eq(events.id, eventId));
    return { ok: true as const };
  });
}

/**
 * Cancels an event; everyone registered or waitlisted is mailed (jobs.server enqueueEventCancelledNotices)
 * in the same transaction. Staff, or the group's leaders for their group's events. Registrations are kept
 * for history. Cancelling twice is refused (closed), so nobody is mailed twice.
 */
export async function cancelEvent(db: Db, actor: EventActor, eventId: number, reason: string): Promise<EventResult> {
  const trimmed = reason.trim();
  if (!trimmed) return fieldError("reason", "form.required");
  if (trimmed.length > CANCEL_REASON_MAX) return fieldError("reason", "form.tooLong");
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    if (!event) return refuse("not_found");
    if (!(await canManageEvent(tx, actor, event))) return refuse("forbidden");
    if (event.status === "cancelled") return refuse("closed");
    await tx
      .update(events)
      .set({ status: "cancelled", cancelledAt: new Date(), cancelReason: trimmed.replaceAll("\u0000", ""), updatedAt: new Date() })
      .where(eq(events.id, eventId));
    await enqueueEventCancelledNotices(tx, eventId);
    return { ok: true as const };
  });
}

/**
 * A draft copy (new slug, no registrations, a week later by default) for staff to edit. A leader may copy
 * their group's events; their copy waits for approval like any draft of theirs.
 */
export async function duplicateEvent(db: Db, actor: EventActor, eventId: number): Promise<EventResult<{ eventId: number }>> {
  const [source] = await db.select().from(events).where(eq(events.id, eventId));
  if (!source) return refuse("not_found");
  if (!(await canManageEvent(db, actor, source))) return refuse("forbidden");
  const staff = isEventStaff(actor);
  return db.transaction(async (tx) => {
    // A copy of a copy is "intro-3", not "intro-2-2".
    const base = source.slug.replace(/-\d+$/, "");
    const slug = /^event-\d+$/.test(source.slug) ? null : await firstFreeSlug(tx, events, base, "event");
    const row = await insertEvent(
      tx,
      {
        kind: source.kind,
        title: source.title,
        summary: source.summary,
        descriptionMd: source.descriptionMd,
        descriptionHtml: source.descriptionHtml,
        agendaMd: source.agendaMd,
        agendaHtml: source.agendaHtml,
        speakers: source.speakers,
        level: source.level,
        language: source.language,
        tags: source.tags,
        startsAt: new Date(source.startsAt.getTime() + DUPLICATE_OFFSET_MS),
        endsAt: new Date(source.endsAt.getTime() + DUPLICATE_OFFSET_MS),
        timeZone: source.timeZone,
        capacity: source.capacity,
        attendanceMode: source.attendanceMode,
        joinUrl: source.joinUrl,
        venueName: source.venueName,
        venueAddress: source.venueAddress,
        mapUrl: source.mapUrl,
        groupId: source.groupId,
        registrationQuestions: source.registrationQuestions,
        status: staff ? "draft" : "pending_approval",
        createdById: actor.id,
      },
      slug,
    );
    return { ok: true as const, eventId: row.id };
  });
}

/**
 * Attaches the recording and slides after the session (staff). Once the event has ended, the follow-up
 * mails (recording to no-shows, survey to attendees) are queued in the same transaction; A's
 * enqueueEventFollowUps skips registrants already mailed, so saving again mails nobody twice.
 */
export async function setEventRecording(db: Db, actor: EventActor, eventId: number, input: { recordingUrl: string | null; slidesUrl: string | null }, now: Date = new Date()): Promise<EventResult> {
  if (!isEventStaff(actor)) return refuse("forbidden");
  const recording = optionalHttpUrl.safeParse(input.recordingUrl ?? "");
  const slides = optionalHttpUrl.safeParse(input.slidesUrl ?? "");
  if (!recording.success || !slides.success) {
    return {
      ok: false,
      fieldErrors: {
        ...(recording.success ? {} : { recordingUrl: recording.error.issues.map((i) => i.message) }),
        ...(slides.success ? {} : { slidesUrl: slides.error.issues.map((i) => i.message) }),
      },
    };
  }
  return db.transaction(async (tx) => {
    const event = await lockEvent(tx, eventId);
    if (!event) return refuse("not_found");
    if (event.status === "cancelled") return refuse("closed");
    const ended = event.endsAt.getTime() <= now.getTime();
    const queueFollowUps = ended && event.status === "published" && recording.data !== null;
    await tx.update(events).set({ recordingUrl: recording.data, slidesUrl: slides.data, updatedAt: now }).where(eq(events.id, eventId));
    // enqueueEventFollowUps stamps follow_up_queued_at itself.
    if (queueFollowUps) await enqueueEventFollowUps(tx, eventId, now);
    return { ok: true as const };
  });
}

export interface EventStats {
  registered: number;
  waitlisted: number;
  cancelled: number;
  attended: number;
  /** attended ÷ registered (0–1), null before anyone registered. */
  attendanceRate: number | null;
  averageMinutes: number | null;
  accountsRepresented: number;
  surveyCount: number;
  surveyAverage: number | null;
}

/**
 * The figures staff see per event, counted from the rows (not the cached counters, which the list pages
 * use). "Registered" includes those who attended without registering (the import registers them).
 * Accounts represented: distinct customer accounts of the members who attended.
 */
export async function getEventStats(db: Db, eventId: number): Promise<EventStats> {
  const [[reg], [survey]] = await Promise.all([
    db
      .select({
        registered: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'registered')::int`,
        waitlisted: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'waitlisted')::int`,
        cancelled: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'cancelled')::int`,
        attended: sql<number>`count(*) filter (where ${eventRegistrations.attendedAt} is not null)::int`,
        averageMinutes: sql<string | null>`avg(${eventRegistrations.attendedMinutes}) filter (where ${eventRegistrations.attendedAt} is not null)`,
        accounts: sql<number>`count(distinct ${accountMembers.accountId}) filter (where ${eventRegistrations.attendedAt} is not null)::int`,
      })
      .from(eventRegistrations)
      .leftJoin(accountMembers, eq(accountMembers.userId, eventRegistrations.userId))
      .where(eq(eventRegistrations.eventId, eventId)),
    db
      .select({ count: sql<number>`count(*)::int`, average: sql<string | null>`avg(${eventSurveyResponses.rating})` })
      .from(eventSurveyResponses)
      .where(eq(eventSurveyResponses.eventId, eventId)),
  ]);
  const registered = Number(reg?.registered ?? 0);
  const attended = Number(reg?.attended ?? 0);
  const round1 = (v: string | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
  return {
    registered,
    waitlisted: Number(reg?.waitlisted ?? 0),
    cancelled: Number(reg?.cancelled ?? 0),
    attended,
    attendanceRate: registered === 0 ? null : attended / registered,
    averageMinutes: round1(reg?.averageMinutes),
    accountsRepresented: Number(reg?.accounts ?? 0),
    surveyCount: Number(survey?.count ?? 0),
    surveyAverage: round1(survey?.average),
  };
}

// ---------------------------------------------------------------------------------------------------
// Staff reads

export { ADMIN_EVENT_TABS, REGISTRATION_TABS, type AdminEventTab, type RegistrationTab } from "./admin-events.schema";

export interface AdminEventRow {
  id: number;
  kind: EventKind;
  slug: string;
  title: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  groupName: string | null;
  capacity: number | null;
  registeredCount: number;
  waitlistCount: number;
  attendedCount: number;
}

/** One tab of the staff list. Upcoming and past are published events (past once they ended); the others by status. */
export async function listAdminEvents(
  db: Db,
  filter: { tab: AdminEventTab; kind?: EventKind; page: number },
  now: Date = new Date(),
): Promise<{ items: AdminEventRow[]; total: number; pageCount: number; pendingCount: number }> {
  const conditions: SQL[] = [];
  let order: SQL[] = [asc(events.startsAt), asc(events.id)];
  switch (filter.tab) {
    case "upcoming":
      conditions.push(eq(events.status, "published"), gte(events.endsAt, now));
      break;
    case "past":
      conditions.push(eq(events.status, "published"), lt(events.endsAt, now));
      order = [desc(events.startsAt), desc(events.id)];
      break;
    case "drafts":
      conditions.push(eq(events.status, "draft"));
      break;
    case "pending":
      conditions.push(eq(events.status, "pending_approval"));
      break;
    case "cancelled":
      conditions.push(eq(events.status, "cancelled"));
      order = [desc(events.startsAt), desc(events.id)];
      break;
  }
  if (filter.kind) conditions.push(eq(events.kind, filter.kind));
  const where = and(...conditions);
  const page = Math.max(1, filter.page);
  const [rows, [total], [pending]] = await Promise.all([
    db
      .select({
        id: events.id,
        kind: events.kind,
        slug: events.slug,
        title: events.title,
        status: events.status,
        startsAt: events.startsAt,
        endsAt: events.endsAt,
        groupName: userGroups.name,
        capacity: events.capacity,
        registeredCount: events.registeredCount,
        waitlistCount: events.waitlistCount,
        attendedCount: events.attendedCount,
      })
      .from(events)
      .leftJoin(userGroups, eq(userGroups.id, events.groupId))
      .where(where)
      .orderBy(...order)
      .limit(ADMIN_EVENTS_PAGE_SIZE)
      .offset((page - 1) * ADMIN_EVENTS_PAGE_SIZE),
    db.select({ n: count() }).from(events).where(where),
    db.select({ n: count() }).from(events).where(eq(events.status, "pending_approval")),
  ]);
  const n = Number(total?.n ?? 0);
  return { items: rows, total: n, pageCount: Math.max(1, Math.ceil(n / ADMIN_EVENTS_PAGE_SIZE)), pendingCount: Number(pending?.n ?? 0) };
}

export interface AdminEvent {
  id: number;
  kind: EventKind;
  slug: string;
  title: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  groupId: number | null;
  groupName: string | null;
  capacity: number | null;
  registeredCount: number;
  waitlistCount: number;
  recordingUrl: string | null;
  slidesUrl: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  createdByName: string | null;
  registrationQuestions: RegistrationQuestion[];
  /** The saved values as the event form submits them. */
  defaults: Record<string, string>;
}

/** An event for the staff edit page, with the form's defaults (local times in the event's zone). */
export async function getAdminEvent(db: Db, eventId: number): Promise<AdminEvent | null> {
  const [row] = await db
    .select({ event: events, groupName: userGroups.name, createdByName: users.displayName })
    .from(events)
    .leftJoin(userGroups, eq(userGroups.id, events.groupId))
    .leftJoin(users, eq(users.id, events.createdById))
    .where(eq(events.id, eventId));
  if (!row) return null;
  const e = row.event;
  const defaults: Record<string, string> = {
    kind: e.kind,
    title: e.title,
    slug: e.slug,
    summary: e.summary,
    descriptionMd: e.descriptionMd,
    agendaMd: e.agendaMd,
    speakers: e.speakers.map((s) => (s.title ? `${s.name} — ${s.title}` : s.name)).join("\n"),
    level: e.level,
    language: e.language,
    tags: e.tags.join(", "),
    startsLocal: utcToZonedLocal(e.startsAt, e.timeZone),
    endsLocal: utcToZonedLocal(e.endsAt, e.timeZone),
    timeZone: e.timeZone,
    capacity: e.capacity === null ? "" : String(e.capacity),
    attendanceMode: e.attendanceMode,
    joinUrl: e.joinUrl ?? "",
    venueName: e.venueName ?? "",
    venueAddress: e.venueAddress ?? "",
    mapUrl: e.mapUrl ?? "",
    groupId: e.groupId === null ? "" : String(e.groupId),
    registrationQuestions: formatRegistrationQuestions(e.registrationQuestions),
  };
  return {
    id: e.id,
    kind: e.kind,
    slug: e.slug,
    title: e.title,
    status: e.status,
    startsAt: e.startsAt,
    endsAt: e.endsAt,
    timeZone: e.timeZone,
    groupId: e.groupId,
    groupName: row.groupName,
    capacity: e.capacity,
    registeredCount: e.registeredCount,
    waitlistCount: e.waitlistCount,
    recordingUrl: e.recordingUrl,
    slidesUrl: e.slidesUrl,
    cancelledAt: e.cancelledAt,
    cancelReason: e.cancelReason,
    createdByName: row.createdByName,
    registrationQuestions: e.registrationQuestions,
    defaults,
  };
}


export interface AdminRegistration {
  userId: number;
  name: string;
  email: string;
  accountName: string | null;
  status: RegistrationStatus;
  answers: Record<string, string>;
  /** When they entered this list (registered, waitlisted or cancelled). */
  since: Date | null;
  attendedAt: Date | null;
  attendedMinutes: number | null;
  attendanceSource: "import" | "manual" | null;
  /** 1-based place in the waitlist (waitlist tab only). */
  position: number | null;
}

function tabCondition(tab: RegistrationTab): SQL {
  return tab === "attended" ? isNotNull(eventRegistrations.attendedAt) : eq(eventRegistrations.status, tab);
}

/** One tab of an event's registrations; the waitlist in queue order (its position is the member's place). */
export async function listEventRegistrations(
  db: Db,
  eventId: number,
  options: { status?: RegistrationTab; page: number },
): Promise<{ items: AdminRegistration[]; total: number; pageCount: number; counts: Record<RegistrationTab, number> }> {
  const tab = options.status ?? "registered";
  const page = Math.max(1, options.page);
  const offset = (page - 1) * ADMIN_REGISTRATIONS_PAGE_SIZE;
  const where = and(eq(eventRegistrations.eventId, eventId), tabCondition(tab));
  const [rows, [countRow]] = await Promise.all([
    db
      .select({
        userId: eventRegistrations.userId,
        name: users.displayName,
        email: users.email,
        accountName: accounts.name,
        status: eventRegistrations.status,
        answers: eventRegistrations.answers,
        registeredAt: eventRegistrations.registeredAt,
        waitlistedAt: eventRegistrations.waitlistedAt,
        cancelledAt: eventRegistrations.cancelledAt,
        createdAt: eventRegistrations.createdAt,
        attendedAt: eventRegistrations.attendedAt,
        attendedMinutes: eventRegistrations.attendedMinutes,
        attendanceSource: eventRegistrations.attendanceSource,
      })
      .from(eventRegistrations)
      .innerJoin(users, eq(users.id, eventRegistrations.userId))
      .leftJoin(accountMembers, eq(accountMembers.userId, eventRegistrations.userId))
      .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
      .where(where)
      .orderBy(...(tab === "waitlisted" ? [asc(eventRegistrations.queueSeq)] : tab === "attended" ? [asc(eventRegistrations.attendedAt), asc(eventRegistrations.id)] : [asc(users.displayName), asc(eventRegistrations.id)]))
      .limit(ADMIN_REGISTRATIONS_PAGE_SIZE)
      .offset(offset),
    db
      .select({
        registered: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'registered')::int`,
        waitlisted: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'waitlisted')::int`,
        maybe: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'maybe')::int`,
        cancelled: sql<number>`count(*) filter (where ${eventRegistrations.status} = 'cancelled')::int`,
        attended: sql<number>`count(*) filter (where ${eventRegistrations.attendedAt} is not null)::int`,
      })
      .from(eventRegistrations)
      .where(eq(eventRegistrations.eventId, eventId)),
  ]);
  const counts = {
    registered: Number(countRow?.registered ?? 0),
    waitlisted: Number(countRow?.waitlisted ?? 0),
    maybe: Number(countRow?.maybe ?? 0),
    cancelled: Number(countRow?.cancelled ?? 0),
    attended: Number(countRow?.attended ?? 0),
  };
  const items = rows.map((r, i) => ({
    userId: r.userId,
    name: r.name,
    email: r.email,
    accountName: r.accountName,
    status: r.status,
    answers: r.answers,
    since: (r.status === "waitlisted" ? r.waitlistedAt : r.status === "cancelled" ? r.cancelledAt : r.registeredAt) ?? r.createdAt,
    attendedAt: r.attendedAt,
    attendedMinutes: r.attendedMinutes,
    attendanceSource: r.attendanceSource,
    position: tab === "waitlisted" ? offset + i + 1 : null,
  }));
  const total = counts[tab];
  return { items, total, pageCount: Math.max(1, Math.ceil(total / ADMIN_REGISTRATIONS_PAGE_SIZE)), counts };
}

export interface SurveyResults {
  count: number;
  average: number | null;
  /** Index 0 holds the count of 1-star ratings … index 4 of 5-star. */
  distribution: [number, number, number, number, number];
  comments: Array<{ name: string; rating: number; comment: string; at: Date }>;
}

/** Survey figures and the latest comments (at most `limit`). */
export async function listSurveyResponses(db: Db, eventId: number, limit = 200): Promise<SurveyResults> {
  const [buckets, comments] = await Promise.all([
    db
      .select({ rating: eventSurveyResponses.rating, n: count() })
      .from(eventSurveyResponses)
      .where(eq(eventSurveyResponses.eventId, eventId))
      .groupBy(eventSurveyResponses.rating),
    db
      .select({ name: users.displayName, rating: eventSurveyResponses.rating, comment: eventSurveyResponses.comment, at: eventSurveyResponses.updatedAt })
      .from(eventSurveyResponses)
      .innerJoin(users, eq(users.id, eventSurveyResponses.userId))
      .where(and(eq(eventSurveyResponses.eventId, eventId), ne(eventSurveyResponses.comment, "")))
      .orderBy(desc(eventSurveyResponses.updatedAt))
      .limit(limit),
  ]);
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  let total = 0;
  let sum = 0;
  for (const b of buckets) {
    const n = Number(b.n);
    if (b.rating >= 1 && b.rating <= 5) distribution[b.rating - 1] = n;
    total += n;
    sum += n * b.rating;
  }
  return { count: total, average: total ? Math.round((sum / total) * 10) / 10 : null, distribution, comments };
}

/** A CSV cell that a spreadsheet will show as text: quotes doubled, and formula starters neutralized with `'`. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const CSV_BATCH = 500;

/**
 * Every registration of an event as CSV (UTF-8 with a BOM so Excel reads Japanese names), streamed in
 * batches by id so memory stays flat for large events. Header labels in the viewer's language.
 */
export function streamRegistrationsCsv(db: Db, eventId: number, options: { locale: Locale; questions: readonly RegistrationQuestion[] }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const t = (key: Parameters<typeof translate>[1]) => translate(options.locale, key);
  let afterId = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const header = [
          t("adminEvents.csv.status"),
          t("adminEvents.reg.col.member"),
          t("adminEvents.reg.col.email"),
          t("adminEvents.reg.col.account"),
          t("adminEvents.csv.registeredAt"),
          t("adminEvents.csv.attendedAt"),
          t("adminEvents.reg.col.minutes"),
          ...options.questions.map((q) => q.label),
        ];
        controller.enqueue(encoder.encode(`\uFEFF${header.map(csvCell).join(",")}\r\n`));
        return;
      }
      const rows = await db
        .select({
          id: eventRegistrations.id,
          status: eventRegistrations.status,
          name: users.displayName,
          email: users.email,
          accountName: accounts.name,
          registeredAt: eventRegistrations.registeredAt,
          createdAt: eventRegistrations.createdAt,
          attendedAt: eventRegistrations.attendedAt,
          minutes: eventRegistrations.attendedMinutes,
          answers: eventRegistrations.answers,
        })
        .from(eventRegistrations)
        .innerJoin(users, eq(users.id, eventRegistrations.userId))
        .leftJoin(accountMembers, eq(accountMembers.userId, eventRegistrations.userId))
        .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
        .where(and(eq(eventRegistrations.eventId, eventId), gt(eventRegistrations.id, afterId)))
        .orderBy(asc(eventRegistrations.id))
        .limit(CSV_BATCH);
      if (rows.length === 0) {
        controller.close();
        return;
      }
      afterId = rows[rows.length - 1]!.id;
      const lines = rows.map((r) =>
        [
          r.status,
          r.name,
          r.email,
          r.accountName,
          (r.registeredAt ?? r.createdAt).toISOString(),
          r.attendedAt?.toISOString() ?? "",
          r.minutes,
          ...options.questions.map((q) => r.answers[q.id] ?? ""),
        ]
          .map(csvCell)
          .join(","),
      );
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
    },
  });
}
