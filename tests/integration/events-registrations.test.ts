import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import { activities, eventRegistrations, events, jobs } from "../../db/schema";
import type { RegistrationQuestion } from "../../db/schema/events";
import {
  cancelRegistration,
  checkInAttendee,
  getRegistrationState,
  openRecording,
  registerForEvent,
  setRsvp,
  submitSurvey,
} from "../../app/features/events/registrations.server";
import { registrationQuestionId } from "../../app/features/events/events.schema";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let eventCounter = 0;
const HOUR = 3600_000;

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

type EventOverrides = Partial<typeof events.$inferInsert>;

async function createEvent(overrides: EventOverrides = {}) {
  eventCounter += 1;
  const startsAt = overrides.startsAt ?? new Date(Date.now() + 3 * 24 * HOUR);
  const [row] = await handle.db
    .insert(events)
    .values({
      kind: "webinar",
      slug: `reg-test-${eventCounter}`,
      title: `Registration test ${eventCounter}`,
      startsAt,
      endsAt: new Date(startsAt.getTime() + HOUR),
      timeZone: "UTC",
      status: "published",
      ...overrides,
    })
    .returning();
  return row!;
}

async function members(n: number): Promise<UserRow[]> {
  return Promise.all(Array.from({ length: n }, () => createUser(handle.db)));
}

async function registrationsOf(eventId: number) {
  return handle.db.select().from(eventRegistrations).where(eq(eventRegistrations.eventId, eventId)).orderBy(asc(eventRegistrations.queueSeq));
}

async function eventRow(eventId: number) {
  const [row] = await handle.db.select().from(events).where(eq(events.id, eventId));
  return row!;
}

const actor = (user: UserRow) => ({ id: user.id, role: user.role });

describe("registration under load", () => {
  it("seats exactly the capacity among 200 concurrent registrations, waitlists the rest in order, and promotes one per cancellation", async () => {
    const event = await createEvent({ capacity: 50 });
    const bystander = await createEvent({ capacity: 5 });
    const crowd = await members(200);

    const results = await Promise.all(crowd.map((user) => registerForEvent(handle.db, actor(user), { eventId: event.id, answers: {} })));
    expect(results.every((r) => r.ok)).toBe(true);

    const rows = await registrationsOf(event.id);
    expect(rows).toHaveLength(200);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(200);
    const registered = rows.filter((r) => r.status === "registered");
    const waitlisted = rows.filter((r) => r.status === "waitlisted");
    expect(registered).toHaveLength(50);
    expect(waitlisted).toHaveLength(150);
    const lastSeat = Math.max(...registered.map((r) => r.queueSeq));
    expect(waitlisted.every((r) => r.queueSeq > lastSeat)).toBe(true);

    let counters = await eventRow(event.id);
    expect(counters.registeredCount).toBe(50);
    expect(counters.waitlistCount).toBe(150);

    // Each result told its member where they stand, and the waitlist positions are 1..150 in queue order.
    const positions = results.flatMap((r) => (r.ok && r.registration.status === "waitlisted" ? [r.registration.waitlistPosition] : []));
    expect(positions.sort((a, b) => a! - b!)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));

    // Cancel ten seated members one by one: each promotes exactly the head of the waitlist.
    const queue = [...waitlisted];
    for (const leaving of registered.slice(0, 10)) {
      const head = queue.shift()!;
      const user = crowd.find((u) => u.id === leaving.userId)!;
      const result = await cancelRegistration(handle.db, actor(user), { eventId: event.id });
      expect(result).toEqual({ ok: true, promotedUserId: head.userId });
    }
    const after = await registrationsOf(event.id);
    expect(after.filter((r) => r.status === "registered")).toHaveLength(50);
    expect(after.filter((r) => r.status === "waitlisted")).toHaveLength(140);
    expect(after.filter((r) => r.status === "cancelled")).toHaveLength(10);
    expect(after.filter((r) => r.promotedAt !== null).map((r) => r.userId)).toEqual(waitlisted.slice(0, 10).map((r) => r.userId));
    counters = await eventRow(event.id);
    expect(counters.registeredCount).toBe(50);
    expect(counters.waitlistCount).toBe(140);

    // The rest moved up: the first still waiting is now number 1.
    const first = crowd.find((u) => u.id === waitlisted[10]!.userId)!;
    expect((await getRegistrationState(handle.db, first.id, event.id))?.waitlistPosition).toBe(1);

    // Promotion mails went to exactly the promoted members.
    const promotedMails = await handle.db.select({ payload: jobs.payload }).from(jobs).where(eq(jobs.type, "mail.send"));
    const promotedTo = promotedMails.filter((j) => (j.payload as { template: string }).template === "event_promoted").map((j) => (j.payload as { userId: number }).userId);
    expect(promotedTo.sort()).toEqual(waitlisted.slice(0, 10).map((r) => r.userId).sort());

    // Isolation: the other event was not touched.
    const other = await eventRow(bystander.id);
    expect([other.registeredCount, other.waitlistCount]).toEqual([0, 0]);
    expect(await registrationsOf(bystander.id)).toHaveLength(0);
  }, 60_000);
});

describe("registering", () => {
  it("changes nothing when a registered member registers again", async () => {
    const event = await createEvent({ capacity: 10 });
    const [user] = await members(1);
    const first = await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: {} });
    const again = await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: {} });
    expect(first.ok && again.ok).toBe(true);
    const rows = await registrationsOf(event.id);
    expect(rows).toHaveLength(1);
    expect((await eventRow(event.id)).registeredCount).toBe(1);
    const acts = await handle.db.select().from(activities).where(and(eq(activities.userId, user!.id), eq(activities.type, "webinar.registered")));
    expect(acts).toHaveLength(1);
  });

  it("refuses drafts, cancelled and ended events as closed, and suspended members", async () => {
    const [user] = await members(1);
    const draft = await createEvent({ status: "draft" });
    const cancelled = await createEvent({ status: "cancelled" });
    const ended = await createEvent({ startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - HOUR) });
    for (const event of [draft, cancelled, ended]) {
      expect(await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: {} })).toEqual({ ok: false, reason: "closed" });
    }
    // A session under way still takes late joiners.
    const live = await createEvent({ startsAt: new Date(Date.now() - HOUR / 2), endsAt: new Date(Date.now() + HOUR / 2) });
    expect((await registerForEvent(handle.db, actor(user!), { eventId: live.id, answers: {} })).ok).toBe(true);

    const suspended = await createUser(handle.db, { suspendedAt: new Date() });
    const open = await createEvent();
    expect(await registerForEvent(handle.db, actor(suspended), { eventId: open.id, answers: {} })).toEqual({ ok: false, reason: "suspended" });
    expect(await registrationsOf(open.id)).toHaveLength(0);
  });

  it("asks the event's questions: a required answer missing is a field error", async () => {
    const role: RegistrationQuestion = { id: registrationQuestionId("Your role?"), label: "Your role?", kind: "choice", options: ["Admin", "Developer"], required: true };
    const event = await createEvent({ registrationQuestions: [role] });
    const [user] = await members(1);
    const missing = await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: {} });
    expect(missing).toEqual({ ok: false, fieldErrors: { [`answer_${role.id}`]: ["form.required"] } });
    const ok = await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: { [`answer_${role.id}`]: "Developer" } });
    expect(ok.ok && ok.registration.answers).toEqual({ [role.id]: "Developer" });
  });

  it("queues a confirmation with the .ics for a seat and a waitlist mail with the position", async () => {
    const event = await createEvent({ capacity: 1 });
    const [seated, waiting] = await members(2);
    await registerForEvent(handle.db, actor(seated!), { eventId: event.id, answers: {} });
    await registerForEvent(handle.db, actor(waiting!), { eventId: event.id, answers: {} });
    const mails = (await handle.db.select({ payload: jobs.payload }).from(jobs).where(eq(jobs.type, "mail.send")).orderBy(asc(jobs.id))).map(
      (j) => j.payload as { template: string; userId: number; params: { position?: number; event: { uid: string } } },
    );
    const mine = mails.filter((m) => m.params.event?.uid === `event-${event.id}@localhost`);
    expect(mine.map((m) => [m.userId, m.template, m.params.position])).toEqual([
      [seated!.id, "event_registered", undefined],
      [waiting!.id, "event_waitlisted", 1],
    ]);
  });
});

describe("cancelling and RSVP", () => {
  it("revokes the webinar.registered activity on cancel and records a new one on re-registering", async () => {
    const event = await createEvent({ capacity: 5 });
    const [user] = await members(1);
    await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: {} });
    await cancelRegistration(handle.db, actor(user!), { eventId: event.id });
    await cancelRegistration(handle.db, actor(user!), { eventId: event.id });
    let acts = await handle.db.select().from(activities).where(and(eq(activities.userId, user!.id), eq(activities.subjectId, String(event.id))));
    expect(acts).toHaveLength(1);
    expect(acts[0]!.revokedAt).not.toBeNull();
    expect((await eventRow(event.id)).registeredCount).toBe(0);

    await registerForEvent(handle.db, actor(user!), { eventId: event.id, answers: {} });
    acts = await handle.db.select().from(activities).where(and(eq(activities.userId, user!.id), eq(activities.subjectId, String(event.id))));
    expect(acts).toHaveLength(2);
    expect(acts.filter((a) => a.revokedAt === null)).toHaveLength(1);
    expect(await registrationsOf(event.id)).toHaveLength(1);
  });

  it("'maybe' on a group event frees the seat for the first waitlisted member", async () => {
    const event = await createEvent({ kind: "group_event", capacity: 1 });
    const [going, waiting] = await members(2);
    await setRsvp(handle.db, actor(going!), { eventId: event.id, choice: "going", answers: {} });
    await setRsvp(handle.db, actor(waiting!), { eventId: event.id, choice: "going", answers: {} });
    const maybe = await setRsvp(handle.db, actor(going!), { eventId: event.id, choice: "maybe", answers: {} });
    expect(maybe.ok && maybe.registration.status).toBe("maybe");
    expect((await getRegistrationState(handle.db, waiting!.id, event.id))?.status).toBe("registered");
    const counters = await eventRow(event.id);
    expect([counters.registeredCount, counters.waitlistCount, counters.maybeCount]).toEqual([1, 0, 1]);

    await setRsvp(handle.db, actor(going!), { eventId: event.id, choice: "maybe", answers: {} });
    await setRsvp(handle.db, actor(going!), { eventId: event.id, choice: "not_going", answers: {} });
    const rsvps = await handle.db.select().from(activities).where(and(eq(activities.userId, going!.id), eq(activities.type, "event.rsvp")));
    expect(rsvps.map((a) => (a.metadata as { choice: string }).choice).sort()).toEqual(["going", "maybe", "not_going"]);
    expect((await eventRow(event.id)).maybeCount).toBe(0);
  });
});

describe("attendance, survey, recording", () => {
  it("checks in idempotently, lets attendees answer the survey once ended, and records recording views once a day", async () => {
    const staff = await createUser(handle.db, { role: "staff" });
    const [attendee, other] = await members(2);
    const event = await createEvent({ startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() + HOUR), recordingUrl: "https://video.example/rec" });
    await registerForEvent(handle.db, actor(attendee!), { eventId: event.id, answers: {} });

    expect(await checkInAttendee(handle.db, actor(other!), { eventId: event.id, userId: attendee!.id, attended: true })).toEqual({ ok: false, reason: "forbidden" });
    for (let i = 0; i < 2; i++) expect((await checkInAttendee(handle.db, actor(staff), { eventId: event.id, userId: attendee!.id, attended: true })).ok).toBe(true);
    expect((await eventRow(event.id)).attendedCount).toBe(1);
    await checkInAttendee(handle.db, actor(staff), { eventId: event.id, userId: attendee!.id, attended: false });
    await checkInAttendee(handle.db, actor(staff), { eventId: event.id, userId: attendee!.id, attended: true });
    const attended = await handle.db.select().from(activities).where(and(eq(activities.userId, attendee!.id), eq(activities.type, "webinar.attended")));
    expect(attended).toHaveLength(1);
    expect(attended[0]!.revokedAt).toBeNull();
    expect((await eventRow(event.id)).attendedCount).toBe(1);

    // Not over yet: closed.
    expect(await submitSurvey(handle.db, actor(attendee!), { eventId: event.id, rating: 5, comment: "" })).toEqual({ ok: false, reason: "closed" });
    await handle.db.update(events).set({ startsAt: new Date(Date.now() - 3 * HOUR), endsAt: new Date(Date.now() - HOUR) }).where(eq(events.id, event.id));
    expect(await submitSurvey(handle.db, actor(attendee!), { eventId: event.id, rating: 9, comment: "" })).toMatchObject({ ok: false, fieldErrors: { rating: ["events.survey.ratingRequired"] } });
    expect(await submitSurvey(handle.db, actor(attendee!), { eventId: event.id, rating: 4, comment: "Good" })).toEqual({ ok: true });
    expect(await submitSurvey(handle.db, actor(attendee!), { eventId: event.id, rating: 5, comment: "Better" })).toEqual({ ok: true });
    expect(await submitSurvey(handle.db, actor(other!), { eventId: event.id, rating: 5, comment: "" })).toEqual({ ok: false, reason: "forbidden" });
    expect((await getRegistrationState(handle.db, attendee!.id, event.id))?.surveyAnswered).toBe(true);

    expect(await openRecording(handle.db, actor(other!), event.id)).toBe("https://video.example/rec");
    expect(await openRecording(handle.db, actor(other!), event.id)).toBe("https://video.example/rec");
    const watched = await handle.db.select().from(activities).where(and(inArray(activities.type, ["webinar.recording_watched", "webinar.survey_answered"]), inArray(activities.userId, [attendee!.id, other!.id])));
    expect(watched.map((a) => a.type).sort()).toEqual(["webinar.recording_watched", "webinar.survey_answered"]);
  });
});
