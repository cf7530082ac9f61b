import { and, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { eventRegistrations, events, users } from "../../../db/schema";
import type { Locale } from "../../../db/schema/identity";
import { getEnv } from "../../env.server";
import { scheduleRecurringJob } from "../jobs/queue.server";
import { registerJobHandler, type JobHandler } from "../jobs/registry.server";
import { enqueueMail } from "../mail/mail.server";
import type { MailEvent } from "../mail/templates";
import { eventToIcsEvent } from "./ics";
import { eventRecordingPath } from "./paths";
import { isValidTimeZone } from "./zoned-time";

// Reminders, after-session mails and cancellation notices. Every mail here is queued in the transaction
// that also stamps the registration column saying it was sent (reminder_day_sent_at, reminder_hour_sent_at,
// follow_up_sent_at), claimed with UPDATE … WHERE <column> IS NULL RETURNING: a rerun, a retried job or an
// overlapping scan finds the column set (Postgres re-checks the WHERE after waiting on the row lock), so
// no member is mailed twice.

export const EVENTS_REMINDERS_JOB = "events.reminders";
/** How often the reminder scan runs; reminders go out at most this late. */
export const EVENTS_REMINDERS_EVERY_SECONDS = 5 * 60;
/** The day reminder goes within 24 h of the start; inside the last hour only the hour reminder does. */
export const DAY_REMINDER_HOURS = 24;
export const HOUR_REMINDER_MINUTES = 60;
/** Follow-ups wait this long after the end (time for the attendance report), unless the recording is already there. */
export const FOLLOW_UP_DELAY_MINUTES = 60;

type EventRow = typeof events.$inferSelect;

interface Recipient {
  id: number;
  email: string;
  displayName: string;
  locale: Locale | null;
  timeZone: string | null;
}

const MINUTE = 60_000;

function appUrl(): string {
  return getEnv().APP_URL;
}

/** The event as the mail templates carry it (and build its .ics from). */
export function eventMailEvent(event: EventRow, url = appUrl()): MailEvent {
  const ics = eventToIcsEvent(event, url);
  return {
    kind: event.kind,
    slug: event.slug,
    uid: ics.uid,
    title: event.title,
    summary: event.summary.slice(0, 1000),
    url: ics.url,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    location: ics.location,
    status: ics.status,
    sequence: ics.sequence,
    updatedAt: event.updatedAt.toISOString(),
  };
}

const isHttpUrl = (value: string | null): value is string => {
  if (!value || !/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};

/** What varies between the event mails; the recipient, the event and the times are filled in by queueEventMail. */
export type EventMailMessage =
  | { template: "event_registered" }
  | { template: "event_promoted" }
  | { template: "event_waitlisted"; position: number }
  | { template: "event_reminder"; when: "day" | "hour" }
  | { template: "event_cancelled" }
  | { template: "event_recording" }
  | { template: "event_survey" };

async function loadRecipients(db: Db, userIds: readonly number[]): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  return db
    .select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale, timeZone: users.timeZone })
    .from(users)
    .where(inArray(users.id, [...userIds]));
}

/**
 * Queues one event mail to a member in the caller's transaction, in their language, with times in their
 * zone (UTC when they have none). Returns false when the member no longer exists.
 */
export async function queueEventMail(db: Db, event: EventRow, recipient: number | Recipient, message: EventMailMessage): Promise<boolean> {
  const member = typeof recipient === "number" ? (await loadRecipients(db, [recipient]))[0] : recipient;
  if (!member) return false;
  const mailEvent = eventMailEvent(event);
  const common = {
    displayName: member.displayName.trim() || member.email.split("@")[0] || member.email,
    timeZone: member.timeZone && isValidTimeZone(member.timeZone) ? member.timeZone : "UTC",
    event: mailEvent,
  };
  const to = { to: member.email, userId: member.id, locale: member.locale ?? "en" };
  switch (message.template) {
    case "event_registered":
    case "event_promoted":
      await enqueueMail(db, { ...to, template: message.template, params: common });
      break;
    case "event_waitlisted":
      await enqueueMail(db, { ...to, template: "event_waitlisted", params: { ...common, position: message.position } });
      break;
    case "event_reminder": {
      // The join link only in the hour reminder: it opens shortly before the start and is for registrants only.
      const joinUrl = message.when === "hour" && event.attendanceMode === "online" && isHttpUrl(event.joinUrl) ? event.joinUrl : null;
      await enqueueMail(db, { ...to, template: "event_reminder", params: { ...common, when: message.when, joinUrl } });
      break;
    }
    case "event_cancelled": {
      // Later than any copy the member already has, whether or not the canceller bumped updated_at.
      const sequence = Math.max(mailEvent.sequence, Math.floor(Date.now() / 1000));
      await enqueueMail(db, { ...to, template: "event_cancelled", params: { ...common, event: { ...mailEvent, status: "CANCELLED", sequence }, reason: event.cancelReason ?? "" } });
      break;
    }
    case "event_recording": {
      // Webinars go through the page that records "recording watched"; group events link the recording itself.
      const recordingUrl = event.kind === "webinar" ? new URL(eventRecordingPath(event.slug), appUrl()).toString() : event.recordingUrl;
      if (!isHttpUrl(recordingUrl)) return false;
      await enqueueMail(db, { ...to, template: "event_recording", params: { ...common, recordingUrl } });
      break;
    }
    case "event_survey":
      await enqueueMail(db, { ...to, template: "event_survey", params: { ...common, surveyUrl: `${mailEvent.url}#survey` } });
      break;
  }
  return true;
}

/**
 * Claims one kind of reminder for every registered member of one event who has not had it, and queues the
 * mails, in one transaction. The event is re-read under a share lock, so a cancellation or a move that
 * commits first is seen (updateEvent clears the marks when the start moves). Returns mails queued.
 */
async function sendReminders(db: Db, eventId: number, when: "day" | "hour", now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for("share");
    if (!event || event.status !== "published") return 0;
    const untilStart = event.startsAt.getTime() - now.getTime();
    const due = when === "day" ? untilStart > HOUR_REMINDER_MINUTES * MINUTE && untilStart <= DAY_REMINDER_HOURS * 60 * MINUTE : untilStart > 0 && untilStart <= HOUR_REMINDER_MINUTES * MINUTE;
    if (!due) return 0;
    const column = when === "day" ? eventRegistrations.reminderDaySentAt : eventRegistrations.reminderHourSentAt;
    const claimed = await tx
      .update(eventRegistrations)
      .set(when === "day" ? { reminderDaySentAt: now } : { reminderHourSentAt: now })
      .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, "registered"), isNull(column)))
      .returning({ userId: eventRegistrations.userId });
    let queued = 0;
    for (const member of await loadRecipients(tx, claimed.map((c) => c.userId))) {
      if (await queueEventMail(tx, event, member, { template: "event_reminder", when })) queued++;
    }
    return queued;
  });
}

export interface ReminderScanResult {
  dayReminders: number;
  hourReminders: number;
  followUps: number;
}

/**
 * One pass of the reminder scan (the events.reminders job; tests call it with their own `now`):
 * day reminders for published events starting in (1 h, 24 h], hour reminders for those starting in
 * (0, 1 h], and the after-session mails for published events that ended at least an hour ago, or have
 * their recording, and were not followed up yet.
 */
export async function runEventReminderScan(db: Db, now: Date = new Date()): Promise<ReminderScanResult> {
  const at = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
  const result: ReminderScanResult = { dayReminders: 0, hourReminders: 0, followUps: 0 };

  const dayDue = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.status, "published"), gt(events.startsAt, at(HOUR_REMINDER_MINUTES)), lte(events.startsAt, at(DAY_REMINDER_HOURS * 60))));
  for (const { id } of dayDue) result.dayReminders += await sendReminders(db, id, "day", now);

  const hourDue = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.status, "published"), gt(events.startsAt, now), lte(events.startsAt, at(HOUR_REMINDER_MINUTES))));
  for (const { id } of hourDue) result.hourReminders += await sendReminders(db, id, "hour", now);

  const ended = await db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.status, "published"),
        isNull(events.followUpQueuedAt),
        or(lte(events.endsAt, at(-FOLLOW_UP_DELAY_MINUTES)), and(isNotNull(events.recordingUrl), lte(events.endsAt, now))),
      ),
    );
  for (const { id } of ended) result.followUps += await enqueueEventFollowUps(db, id, now);
  return result;
}

export const eventRemindersJob: JobHandler = async ({ db, logger }) => {
  const result = await runEventReminderScan(db);
  if (result.dayReminders + result.hourReminders + result.followUps > 0) logger.info(result, "event reminders queued");
};

/** Registers the events job handlers (called by workers.server.ts). */
export function registerEventJobHandlers(): void {
  registerJobHandler(EVENTS_REMINDERS_JOB, eventRemindersJob);
}

/** Recurring schedules (the reminder scan); idempotent, called at every boot. */
export async function scheduleEventRecurringJobs(db: Db): Promise<void> {
  await scheduleRecurringJob(db, { name: EVENTS_REMINDERS_JOB, type: EVENTS_REMINDERS_JOB, everySeconds: EVENTS_REMINDERS_EVERY_SECONDS });
}

/**
 * Inside the transaction that cancelled an event: queues a cancellation mail to everyone registered or
 * waitlisted (and group events' "maybe"), with an .ics carrying STATUS:CANCELLED. Called by
 * manage.server.ts cancelEvent, once, in the transaction that moves the event to cancelled. Returns mails queued.
 */
export async function enqueueEventCancelledNotices(db: Db, eventId: number): Promise<number> {
  const [event] = await db.select().from(events).where(eq(events.id, eventId));
  if (!event) return 0;
  const rows = await db
    .select({ userId: eventRegistrations.userId })
    .from(eventRegistrations)
    .where(and(eq(eventRegistrations.eventId, eventId), inArray(eventRegistrations.status, ["registered", "waitlisted", "maybe"])));
  let queued = 0;
  for (const member of await loadRecipients(db, rows.map((r) => r.userId))) {
    if (await queueEventMail(db, { ...event, status: "cancelled" }, member, { template: "event_cancelled" })) queued++;
  }
  return queued;
}

/**
 * Queues the after-session mails once per registrant (recording to no-shows, survey to attendees); safe to
 * call again (registrations with follow_up_sent_at are skipped). Called when staff attach a recording and
 * by the reminder scan for ended events.
 *
 * Exactly who gets what, so each registrant gets at most one follow-up:
 * - nothing before the event has ended, or for an event that is not published;
 * - attendees (attended_at set, any status) get the survey, whenever the call happens;
 * - registered no-shows get the recording only when recording_url is set. Without a recording they are
 *   left untouched (follow_up_sent_at stays null), so the call made when staff attach the recording
 *   (setEventRecording) mails them then;
 * - follow_up_sent_at is claimed in the same transaction as the mail, so a registrant mailed once is
 *   never mailed again, even if later marked attended: a no-show who got the recording gets no survey.
 * - follow_up_queued_at is stamped on the event, so the scan calls this once; later calls come from
 *   setEventRecording (and should come from an attendance import's commit, to survey late-imported attendees).
 * Returns the number of mails queued.
 */
export async function enqueueEventFollowUps(db: Db, eventId: number, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const [event] = await tx.select().from(events).where(eq(events.id, eventId)).for("share");
    if (!event || event.status !== "published" || event.endsAt.getTime() > now.getTime()) return 0;
    const attendees = await tx
      .update(eventRegistrations)
      .set({ followUpSentAt: now })
      .where(and(eq(eventRegistrations.eventId, eventId), isNotNull(eventRegistrations.attendedAt), isNull(eventRegistrations.followUpSentAt)))
      .returning({ userId: eventRegistrations.userId });
    const noShows = event.recordingUrl
      ? await tx
          .update(eventRegistrations)
          .set({ followUpSentAt: now })
          .where(and(eq(eventRegistrations.eventId, eventId), eq(eventRegistrations.status, "registered"), isNull(eventRegistrations.attendedAt), isNull(eventRegistrations.followUpSentAt)))
          .returning({ userId: eventRegistrations.userId })
      : [];
    await tx
      .update(events)
      .set({ followUpQueuedAt: sql`coalesce(${events.followUpQueuedAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(events.id, eventId));
    const surveyIds = new Set(attendees.map((a) => a.userId));
    let queued = 0;
    for (const member of await loadRecipients(tx, [...surveyIds, ...noShows.map((n) => n.userId)])) {
      const template = surveyIds.has(member.id) ? "event_survey" : "event_recording";
      if (await queueEventMail(tx, event, member, { template })) queued++;
    }
    return queued;
  });
}
