import type { Db } from "../../../db/client";

// CONTRACT STUB (helper A implements): reminders, after-session mails, cancellation notices.

/** Registers the events job handlers (called by workers.server.ts). */
export function registerEventJobHandlers(): void {}

/** Recurring schedules (the reminder scan); idempotent, called at every boot. */
export async function scheduleEventRecurringJobs(db: Db): Promise<void> {
  void db;
}

/**
 * Inside the transaction that cancelled an event: queues a cancellation mail to everyone registered or
 * waitlisted. Called by manage.server.ts cancelEvent.
 */
export async function enqueueEventCancelledNotices(db: Db, eventId: number): Promise<number> {
  void db; void eventId;
  throw new Error("not implemented");
}

/**
 * Queues the after-session mails once per registrant (recording to no-shows, survey to attendees); safe to
 * call again (registrations with follow_up_sent_at are skipped). Called when staff attach a recording and
 * by the reminder scan for ended events.
 */
export async function enqueueEventFollowUps(db: Db, eventId: number): Promise<number> {
  void db; void eventId;
  throw new Error("not implemented");
}
