import { and, eq, inArray } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import { eventRegistrations, events, jobs, mailMessages, recurringJobs } from "../../db/schema";
import { claimJobs } from "../../app/features/jobs/queue.server";
import { enqueueEventCancelledNotices, enqueueEventFollowUps, runEventReminderScan, scheduleEventRecurringJobs, EVENTS_REMINDERS_JOB } from "../../app/features/events/jobs.server";
import { cancelRegistration, registerForEvent } from "../../app/features/events/registrations.server";
import { sendMailJob } from "../../app/features/mail/mail.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let counter = 0;
const HOUR = 3600_000;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

async function createEvent(startsInMs: number, overrides: Partial<typeof events.$inferInsert> = {}) {
  counter += 1;
  const startsAt = new Date(Date.now() + startsInMs);
  const [row] = await handle.db
    .insert(events)
    .values({ kind: "webinar", slug: `jobs-test-${counter}`, title: `Jobs test ${counter}`, startsAt, endsAt: new Date(startsAt.getTime() + HOUR), timeZone: "UTC", status: "published", joinUrl: "https://meet.example/abc", ...overrides })
    .returning();
  return row!;
}

const actor = (user: UserRow) => ({ id: user.id, role: user.role });

interface MailPayload {
  template: string;
  userId: number;
  params: { when?: string; joinUrl?: string | null; event: { uid: string; status: string } };
}

async function mailsFor(eventId: number): Promise<MailPayload[]> {
  const rows = await handle.db.select({ payload: jobs.payload }).from(jobs).where(eq(jobs.type, "mail.send")).orderBy(jobs.id);
  return rows.map((r) => r.payload as unknown as MailPayload).filter((p) => p.params.event?.uid === `event-${eventId}@localhost`);
}

/** Registers members: `seated` get seats, then `waiting` join the waitlist, then `leaving` register and cancel. */
async function populate(eventId: number, counts: { seated: number; waiting?: number; leaving?: number }) {
  const seated = await Promise.all(Array.from({ length: counts.seated }, () => createUser(handle.db, { timeZone: "Asia/Tokyo", locale: "ja" })));
  const waiting = await Promise.all(Array.from({ length: counts.waiting ?? 0 }, () => createUser(handle.db)));
  const leaving = await Promise.all(Array.from({ length: counts.leaving ?? 0 }, () => createUser(handle.db)));
  for (const user of [...seated, ...leaving, ...waiting]) await registerForEvent(handle.db, actor(user), { eventId, answers: {} });
  for (const user of leaving) await cancelRegistration(handle.db, actor(user), { eventId });
  return { seated, waiting, leaving };
}

describe("reminder scan", () => {
  it("sends one day reminder and one hour reminder per registered member, however often it runs, and none to the waitlist or cancelled", async () => {
    // Capacity 3: two seated, one seated who cancels (promoting the first waiting), one left waiting.
    const event = await createEvent(20 * HOUR, { capacity: 3 });
    const far = await createEvent(30 * HOUR);
    const { seated: firstSeated, waiting, leaving } = await populate(event.id, { seated: 2, waiting: 2, leaving: 1 });
    const seated = [...firstSeated, waiting[0]!];
    const stillWaiting = waiting[1]!;

    const now = new Date();
    const first = await runEventReminderScan(handle.db, now);
    await runEventReminderScan(handle.db, now);
    await Promise.all([runEventReminderScan(handle.db, new Date(now.getTime() + 60_000)), runEventReminderScan(handle.db, new Date(now.getTime() + 60_000))]);
    expect(first.dayReminders).toBe(3);

    let mails = (await mailsFor(event.id)).filter((m) => m.template === "event_reminder");
    expect(mails.map((m) => [m.userId, m.params.when, m.params.joinUrl]).sort()).toEqual(seated.map((u) => [u.id, "day", null]).sort());
    expect((await mailsFor(far.id)).filter((m) => m.template === "event_reminder")).toHaveLength(0);

    // Nineteen and a half hours later (a fake clock): the hour reminder, with the join link, once.
    const later = new Date(now.getTime() + 19.5 * HOUR);
    await runEventReminderScan(handle.db, later);
    await runEventReminderScan(handle.db, later);
    mails = (await mailsFor(event.id)).filter((m) => m.template === "event_reminder");
    expect(mails.filter((m) => m.params.when === "hour").map((m) => [m.userId, m.params.joinUrl]).sort()).toEqual(seated.map((u) => [u.id, "https://meet.example/abc"]).sort());
    expect(mails.filter((m) => m.params.when === "day")).toHaveLength(3);
    expect(mails.some((m) => m.userId === stillWaiting.id || m.userId === leaving[0]!.id)).toBe(false);

    // After the start: nothing more.
    const started = await runEventReminderScan(handle.db, new Date(now.getTime() + 20.5 * HOUR));
    expect(started.hourReminders).toBe(0);
  });

  it("delivers reminder mails in the member's language and zone, and confirmations with the .ics attachment", async () => {
    const event = await createEvent(10 * HOUR, { title: "Tokyo, live; Q&A" });
    await populate(event.id, { seated: 1 });
    await runEventReminderScan(handle.db);
    // Drain: run the mail jobs this test queued.
    for (;;) {
      const claimed = await claimJobs(handle.db, { workerId: "t", limit: 50, leaseSeconds: 60 });
      if (claimed.length === 0) break;
      for (const job of claimed) if (job.type === "mail.send") await sendMailJob({ db: handle.db, job, logger });
    }
    const stored = await handle.db.select().from(mailMessages).where(inArray(mailMessages.template, ["event_registered", "event_reminder"]));
    const confirmation = stored.find((m) => m.template === "event_registered" && m.subject.includes("Tokyo, live; Q&A"));
    expect(confirmation?.attachments).toHaveLength(1);
    const ics = confirmation!.attachments[0]!;
    expect(ics.filename).toBe(`${event.slug}.ics`);
    expect(ics.contentType).toContain("text/calendar");
    expect(ics.content).toContain(`UID:event-${event.id}@localhost`);
    expect(ics.content).toContain("SUMMARY:Tokyo\\, live\\; Q&A");
    const reminder = stored.find((m) => m.template === "event_reminder" && m.subject.includes("Tokyo, live; Q&A"));
    expect(reminder?.locale).toBe("ja");
    expect(reminder?.text).toContain("日本標準時");
  });
});

describe("after the session", () => {
  it("surveys attendees and, once the recording is attached, mails it to no-shows, each once", async () => {
    const event = await createEvent(-3 * HOUR);
    // Registering needs an open event: open it, register, then move it into the past.
    await handle.db.update(events).set({ endsAt: new Date(Date.now() + HOUR) }).where(eq(events.id, event.id));
    const { seated, leaving } = await populate(event.id, { seated: 3, leaving: 1 });
    await handle.db.update(events).set({ endsAt: new Date(Date.now() - 2 * HOUR) }).where(eq(events.id, event.id));
    await handle.db
      .update(eventRegistrations)
      .set({ attendedAt: new Date(), attendedMinutes: 50 })
      .where(and(eq(eventRegistrations.eventId, event.id), eq(eventRegistrations.userId, seated[0]!.id)));

    const scan = await runEventReminderScan(handle.db);
    expect(scan.followUps).toBe(1);
    await runEventReminderScan(handle.db);
    let mails = await mailsFor(event.id);
    expect(mails.filter((m) => m.template === "event_survey").map((m) => m.userId)).toEqual([seated[0]!.id]);
    expect(mails.filter((m) => m.template === "event_recording")).toHaveLength(0);

    // Staff attach the recording (setEventRecording calls this), twice by accident.
    await handle.db.update(events).set({ recordingUrl: "https://video.example/r" }).where(eq(events.id, event.id));
    expect(await enqueueEventFollowUps(handle.db, event.id)).toBe(2);
    expect(await enqueueEventFollowUps(handle.db, event.id)).toBe(0);
    mails = await mailsFor(event.id);
    expect(mails.filter((m) => m.template === "event_recording").map((m) => m.userId).sort()).toEqual([seated[1]!.id, seated[2]!.id].sort());
    expect(mails.filter((m) => m.template === "event_survey")).toHaveLength(1);
    expect(mails.some((m) => m.userId === leaving[0]!.id && m.template !== "event_registered")).toBe(false);
  });

  it("sends nothing for an event not yet over", async () => {
    const event = await createEvent(HOUR, { recordingUrl: "https://video.example/r" });
    await populate(event.id, { seated: 1 });
    expect(await enqueueEventFollowUps(handle.db, event.id)).toBe(0);
  });
});

describe("cancellation notices", () => {
  it("mails everyone registered or waitlisted, with an .ics marked CANCELLED, and not those who had cancelled", async () => {
    const event = await createEvent(48 * HOUR, { capacity: 1 });
    const { seated, waiting, leaving } = await populate(event.id, { seated: 1, waiting: 1, leaving: 1 });
    await handle.db.update(events).set({ status: "cancelled", cancelledAt: new Date(), cancelReason: "Speaker ill" }).where(eq(events.id, event.id));
    expect(await enqueueEventCancelledNotices(handle.db, event.id)).toBe(2);
    const notices = (await mailsFor(event.id)).filter((m) => m.template === "event_cancelled");
    expect(notices.map((m) => m.userId).sort()).toEqual([seated[0]!.id, waiting[0]!.id].sort());
    expect(notices.every((m) => m.params.event.status === "CANCELLED")).toBe(true);
    expect(notices.some((m) => m.userId === leaving[0]!.id)).toBe(false);
  });
});

describe("schedule", () => {
  it("schedules the reminder scan every five minutes, idempotently", async () => {
    await scheduleEventRecurringJobs(handle.db);
    await scheduleEventRecurringJobs(handle.db);
    const rows = await handle.db.select().from(recurringJobs).where(eq(recurringJobs.name, EVENTS_REMINDERS_JOB));
    expect(rows.map((r) => r.everySeconds)).toEqual([300]);
  });
});
