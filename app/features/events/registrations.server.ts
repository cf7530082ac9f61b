import { and, asc, count, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { activities, eventRegistrations, events, eventSurveyResponses, users } from "../../../db/schema";
import type { RegistrationStatus } from "../../../db/schema/events";
import { recordActivity, revokeActivity, utcDay } from "../engagement/activities.server";
import { issuesToFieldErrors } from "../forms/parse";
import { canManageEvent } from "./access.server";
import { attendedActivity, eventRsvpActivity, recordingWatchedActivity, surveyAnsweredActivity, webinarRegisteredActivity } from "./activity";
import { answersSchema, surveySchema, type RsvpChoice } from "./events.schema";
import { queueEventMail } from "./jobs.server";
import { refuse, type EventActor, type EventResult } from "./result";

// Registration, RSVP, waitlist, check-in, survey and recording clicks.
//
// Concurrency: every command that changes a registration first locks the event row (SELECT … FOR UPDATE)
// inside its transaction. That serializes all seat changes of one event, on PGlite and on a server alike,
// so the counters on the event row and the seat/waitlist decision always see the committed state of the
// previous request; requests are served in the order they obtained the lock, which is the queue_seq order.

export interface RegistrationState {
  status: RegistrationStatus;
  /** 1-based place in the waitlist when waitlisted, else null. */
  waitlistPosition: number | null;
  answers: Record<string, string>;
  attendedAt: Date | null;
  attendedMinutes: number | null;
  surveyAnswered: boolean;
}

type EventRow = typeof events.$inferSelect;
type RegistrationRow = typeof eventRegistrations.$inferSelect;

/** Open for registration: published and not over (members may still join during the session). */
function isOpen(event: Pick<EventRow, "status" | "endsAt">, now: Date): boolean {
  return event.status === "published" && event.endsAt.getTime() > now.getTime();
}

async function lockEvent(db: Db, eventId: number): Promise<EventRow | undefined> {
  const [row] = await db.select().from(events).where(eq(events.id, eventId)).for("update");
  return row;
}

async function findRegistration(db: Db, eventId: number, userId: number): Promise<RegistrationRow | undefined> {
  const [row] = await db
    .select()
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.userId, userId)));
  return row;
}

async function isSuspended(db: Db, userId: number): Promise<boolean> {
  const [row] = await db.select({ suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, userId));
  return !row || row.suspendedAt !== null;
}

async function waitlistPosition(db: Db, eventId: number, queueSeq: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, "waitlisted"), lte(eventRegistrations.queueSeq, queueSeq)));
  return row?.n ?? 1;
}

async function toState(db: Db, row: RegistrationRow): Promise<RegistrationState> {
  const [survey] = await db
    .select({ rating: eventSurveyResponses.rating })
    .from(eventSurveyResponses)
    .where(and(eq(eventSurveyResponses.eventId, row.eventId), eq(eventSurveyResponses.userId, row.userId)));
  return {
    status: row.status,
    waitlistPosition: row.status === "waitlisted" ? await waitlistPosition(db, row.eventId, row.queueSeq) : null,
    answers: row.answers,
    attendedAt: row.attendedAt,
    attendedMinutes: row.attendedMinutes,
    surveyAnswered: Boolean(survey),
  };
}

/** Counter deltas for a status change, applied to the (locked) event row. */
async function bumpCounters(db: Db, eventId: number, from: RegistrationStatus | null, to: RegistrationStatus): Promise<void> {
  if (from === to) return;
  const delta = { registered: 0, waitlisted: 0, maybe: 0, cancelled: 0 };
  if (from) delta[from] -= 1;
  delta[to] += 1;
  await db
    .update(events)
    .set({
      registeredCount: sql`${events.registeredCount} + ${delta.registered}`,
      waitlistCount: sql`${events.waitlistCount} + ${delta.waitlisted}`,
      maybeCount: sql`${events.maybeCount} + ${delta.maybe}`,
    })
    .where(eq(events.id, eventId));
}

/**
 * Writes the member's row in its new status, taking a new place in the queue (nextval, while the event is
 * locked, so queue_seq is arrival order). One row per member and event: a returning member's row is reused.
 */
async function writeRegistration(db: Db, existing: RegistrationRow | undefined, input: { eventId: number; userId: number; status: RegistrationStatus; answers?: Record<string, string>; now: Date }): Promise<RegistrationRow> {
  const { status, now } = input;
  const times = {
    registeredAt: status === "registered" ? now : null,
    waitlistedAt: status === "waitlisted" ? now : null,
    cancelledAt: status === "cancelled" ? now : null,
    promotedAt: null,
  };
  if (existing) {
    const [row] = await db
      .update(eventRegistrations)
      .set({ status, ...times, ...(input.answers ? { answers: input.answers } : {}), queueSeq: sql`nextval('event_queue_seq')`, updatedAt: now })
      .where(eq(eventRegistrations.id, existing.id))
      .returning();
    return row!;
  }
  const [row] = await db
    .insert(eventRegistrations)
    .values({ eventId: input.eventId, userId: input.userId, status, ...times, answers: input.answers ?? {}, queueSeq: sql`nextval('event_queue_seq')` })
    .returning();
  return row!;
}

/**
 * With the event row already locked by the caller (inside its transaction): moves waitlisted members, in
 * queue_seq order, into the seats that are free (capacity − registered; all of them when the capacity is
 * now unlimited), keeps the counters, and queues each promoted member's mail (with the .ics). Returns the
 * promoted user ids in queue order. Called after a cancellation, a "maybe", and a capacity increase.
 */
export async function fillFreeSeats(tx: Db, eventId: number): Promise<number[]> {
  const [event] = await tx.select().from(events).where(eq(events.id, eventId));
  if (!event || event.waitlistCount <= 0) return [];
  const free = event.capacity === null ? event.waitlistCount : event.capacity - event.registeredCount;
  if (free <= 0) return [];
  const now = new Date();
  const next = tx
    .select({ id: eventRegistrations.id })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, "waitlisted")))
    .orderBy(asc(eventRegistrations.queueSeq))
    .limit(free);
  const promoted = await tx
    .update(eventRegistrations)
    .set({ status: "registered", registeredAt: now, promotedAt: now, updatedAt: now })
    .where(inArray(eventRegistrations.id, next))
    .returning({ userId: eventRegistrations.userId, queueSeq: eventRegistrations.queueSeq });
  if (promoted.length === 0) return [];
  promoted.sort((a, b) => a.queueSeq - b.queueSeq);
  const [updated] = await tx
    .update(events)
    .set({ registeredCount: sql`${events.registeredCount} + ${promoted.length}`, waitlistCount: sql`${events.waitlistCount} - ${promoted.length}` })
    .where(eq(events.id, eventId))
    .returning();
  for (const { userId } of promoted) await queueEventMail(tx, updated!, userId, { template: "event_promoted" });
  return promoted.map((p) => p.userId);
}

/**
 * Asks for a seat (a webinar's "Register", a group event's "Going"). Locks the event row, so concurrent
 * requests are served one at a time in arrival order: a seat while registered_count < capacity, else the
 * waitlist. Registering again while registered or waitlisted changes nothing. `answers` are the raw form
 * values (`answer_<questionId>`), checked against the event's questions (field errors). Refuses events
 * that are not published, cancelled or already ended (closed), suspended members.
 * Side effects: counters, a webinar.registered or event.rsvp activity, a confirmation or waitlist mail
 * (with the .ics when seated).
 */
export async function registerForEvent(db: Db, actor: EventActor, input: { eventId: number; answers: Record<string, string> }): Promise<EventResult<{ registration: RegistrationState }>> {
  const [event] = await db.select().from(events).where(eq(events.id, input.eventId));
  if (!event) return refuse("not_found");
  if (await isSuspended(db, actor.id)) return refuse("suspended");
  if (!isOpen(event, new Date())) return refuse("closed");
  const parsed = answersSchema(event.registrationQuestions).safeParse(input.answers);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };

  return db.transaction(async (tx) => {
    const now = new Date();
    const locked = await lockEvent(tx, input.eventId);
    if (!locked || !isOpen(locked, now)) return refuse("closed");
    const existing = await findRegistration(tx, locked.id, actor.id);
    if (existing && (existing.status === "registered" || existing.status === "waitlisted")) {
      return { ok: true as const, registration: await toState(tx, existing) };
    }
    // A seat only while nobody waits: the waitlist is first come, first served.
    const seated = locked.capacity === null || (locked.registeredCount < locked.capacity && locked.waitlistCount === 0);
    const status = seated ? "registered" : "waitlisted";
    const row = await writeRegistration(tx, existing, { eventId: locked.id, userId: actor.id, status, answers: parsed.data, now });
    await bumpCounters(tx, locked.id, existing?.status ?? null, status);
    await recordActivity(
      tx,
      locked.kind === "webinar" ? webinarRegisteredActivity(locked.id, actor.id, row.queueSeq, now) : eventRsvpActivity(locked.id, actor.id, "going", now),
    );
    const registration = await toState(tx, row);
    if (seated) await queueEventMail(tx, locked, actor.id, { template: "event_registered" });
    else await queueEventMail(tx, locked, actor.id, { template: "event_waitlisted", position: registration.waitlistPosition ?? 1 });
    return { ok: true as const, registration };
  });
}

/**
 * Leaves the seat or waitlist place (status cancelled, or maybe for a group event's "maybe"), with the
 * event already locked; fills the freed seat. Returns the promoted user ids.
 */
async function releasePlace(tx: Db, event: EventRow, existing: RegistrationRow, to: "cancelled" | "maybe", now: Date): Promise<{ row: RegistrationRow; promoted: number[] }> {
  const [row] = await tx
    .update(eventRegistrations)
    .set({ status: to, cancelledAt: to === "cancelled" ? now : null, updatedAt: now })
    .where(eq(eventRegistrations.id, existing.id))
    .returning();
  await bumpCounters(tx, event.id, existing.status, to);
  if (event.kind === "webinar" && (existing.status === "registered" || existing.status === "waitlisted")) {
    await revokeActivity(tx, webinarRegisteredActivity(event.id, existing.userId, existing.queueSeq).idempotencyKey, now);
  }
  const promoted = existing.status === "registered" ? await fillFreeSeats(tx, event.id) : [];
  return { row: row!, promoted };
}

/** A group event's RSVP: going = registerForEvent, maybe = no seat (frees one if held), not going = cancel. */
export async function setRsvp(db: Db, actor: EventActor, input: { eventId: number; choice: RsvpChoice; answers: Record<string, string> }): Promise<EventResult<{ registration: RegistrationState }>> {
  if (input.choice === "going") return registerForEvent(db, actor, { eventId: input.eventId, answers: input.answers });
  const [event] = await db.select().from(events).where(eq(events.id, input.eventId));
  if (!event) return refuse("not_found");
  if (await isSuspended(db, actor.id)) return refuse("suspended");
  if (!isOpen(event, new Date())) return refuse("closed");
  const choice = input.choice;
  const to = choice === "maybe" ? "maybe" : "cancelled";

  return db.transaction(async (tx) => {
    const now = new Date();
    const locked = await lockEvent(tx, input.eventId);
    if (!locked || !isOpen(locked, now)) return refuse("closed");
    const existing = await findRegistration(tx, locked.id, actor.id);
    let row: RegistrationRow;
    if (!existing) {
      // "Not going" or "maybe" from someone without a place is still an answer worth keeping.
      row = await writeRegistration(tx, undefined, { eventId: locked.id, userId: actor.id, status: to, now });
      await bumpCounters(tx, locked.id, null, to);
    } else if (existing.status === to) {
      row = existing;
    } else if (existing.status === "cancelled") {
      row = await writeRegistration(tx, existing, { eventId: locked.id, userId: actor.id, status: to, now });
      await bumpCounters(tx, locked.id, "cancelled", to);
    } else {
      row = (await releasePlace(tx, locked, existing, to, now)).row;
    }
    if (locked.kind === "group_event") await recordActivity(tx, eventRsvpActivity(locked.id, actor.id, choice, now));
    return { ok: true as const, registration: await toState(tx, row) };
  });
}

/**
 * Cancels the member's registration or waitlist place. A freed seat goes to the first waitlisted member
 * (exactly one), who is told by mail. Side effects: counters, revoked activity, promotion mail.
 */
export async function cancelRegistration(db: Db, actor: EventActor, input: { eventId: number }): Promise<EventResult<{ promotedUserId: number | null }>> {
  const [event] = await db.select().from(events).where(eq(events.id, input.eventId));
  if (!event || event.status === "draft" || event.status === "pending_approval") return refuse("not_found");
  if (!isOpen(event, new Date())) return refuse("closed");

  return db.transaction(async (tx) => {
    const now = new Date();
    const locked = await lockEvent(tx, input.eventId);
    if (!locked || !isOpen(locked, now)) return refuse("closed");
    const existing = await findRegistration(tx, locked.id, actor.id);
    // Cancelling what is not held is already the wanted outcome.
    if (!existing || existing.status === "cancelled") return { ok: true as const, promotedUserId: null };
    const { promoted } = await releasePlace(tx, locked, existing, "cancelled", now);
    if (locked.kind === "group_event") await recordActivity(tx, eventRsvpActivity(locked.id, actor.id, "not_going", now));
    return { ok: true as const, promotedUserId: promoted[0] ?? null };
  });
}

/** The member's registration for an event, or null. */
export async function getRegistrationState(db: Db, userId: number, eventId: number): Promise<RegistrationState | null> {
  const row = await findRegistration(db, eventId, userId);
  return row ? toState(db, row) : null;
}

/**
 * Marks a registrant attended (or not) by hand: staff, or the group's leaders at the door. Idempotent.
 * Side effects: attended_count, webinar.attended / event.attended activity (revoked when unmarked).
 */
export async function checkInAttendee(db: Db, actor: EventActor, input: { eventId: number; userId: number; attended: boolean }): Promise<EventResult<{ attended: boolean }>> {
  const [event] = await db.select().from(events).where(eq(events.id, input.eventId));
  if (!event) return refuse("not_found");
  if (!(await canManageEvent(db, actor, event))) return refuse("forbidden");
  if (event.status !== "published") return refuse("closed");

  return db.transaction(async (tx) => {
    const now = new Date();
    const locked = await lockEvent(tx, input.eventId);
    if (!locked) return refuse("not_found");
    const existing = await findRegistration(tx, locked.id, input.userId);
    if (!existing) return refuse("not_found");
    const activity = attendedActivity(locked.kind, locked.id, input.userId, existing.attendedMinutes, now);
    if (input.attended === (existing.attendedAt !== null)) return { ok: true as const, attended: input.attended };
    if (input.attended) {
      await tx
        .update(eventRegistrations)
        .set({ attendedAt: now, attendanceSource: "manual", updatedAt: now })
        .where(eq(eventRegistrations.id, existing.id));
      await tx.update(events).set({ attendedCount: sql`${events.attendedCount} + 1` }).where(eq(events.id, locked.id));
      // Marked, unmarked, marked again: the one ledger row for this attendance counts again.
      const created = await recordActivity(tx, activity);
      if (!created) await tx.update(activities).set({ revokedAt: null }).where(and(eq(activities.idempotencyKey, activity.idempotencyKey)));
    } else {
      await tx
        .update(eventRegistrations)
        .set({ attendedAt: null, attendedMinutes: null, attendanceSource: null, updatedAt: now })
        .where(eq(eventRegistrations.id, existing.id));
      await tx.update(events).set({ attendedCount: sql`greatest(${events.attendedCount} - 1, 0)` }).where(eq(events.id, locked.id));
      await revokeActivity(tx, activity.idempotencyKey, now);
    }
    return { ok: true as const, attended: input.attended };
  });
}

/** A rating 1–5 and a comment from an attendee, after the event ended; answering again replaces it. */
export async function submitSurvey(db: Db, actor: EventActor, input: { eventId: number; rating: number; comment: string }): Promise<EventResult> {
  const parsed = surveySchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const [event] = await db.select().from(events).where(eq(events.id, input.eventId));
  if (!event || event.status === "draft" || event.status === "pending_approval") return refuse("not_found");
  if (await isSuspended(db, actor.id)) return refuse("suspended");
  if (event.status !== "published" || event.endsAt.getTime() > Date.now()) return refuse("closed");
  const registration = await findRegistration(db, event.id, actor.id);
  if (!registration?.attendedAt) return refuse("forbidden");

  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .insert(eventSurveyResponses)
      .values({ eventId: event.id, userId: actor.id, rating: parsed.data.rating, comment: parsed.data.comment })
      .onConflictDoUpdate({
        target: [eventSurveyResponses.eventId, eventSurveyResponses.userId],
        set: { rating: parsed.data.rating, comment: parsed.data.comment, updatedAt: now },
      });
    await recordActivity(tx, surveyAnsweredActivity(event.id, actor.id, parsed.data.rating));
  });
  return { ok: true };
}

/** The recording's URL for a published webinar (null if none); records webinar.recording_watched for a signed-in member. */
export async function openRecording(db: Db, actor: EventActor | null, eventId: number): Promise<string | null> {
  const [event] = await db
    .select({ id: events.id, kind: events.kind, status: events.status, recordingUrl: events.recordingUrl })
    .from(events)
    .where(and(eq(events.id, eventId), eq(events.status, "published")));
  if (!event?.recordingUrl || event.kind !== "webinar") return null;
  if (actor) await recordActivity(db, recordingWatchedActivity(event.id, actor.id, utcDay()));
  return event.recordingUrl;
}

