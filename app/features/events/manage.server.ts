import type { Db } from "../../../db/client";
import type { EventFormInput } from "./events.schema";
import type { EventActor, EventResult } from "./result";

// CONTRACT STUB (helper C implements): creating and running events (staff; group leaders for their group).

/**
 * Creates an event from the event form. Staff: any kind, status draft or published (`publish`). A group
 * leader: only a group_event of their own group, always pending_approval. Markdown rendered before the
 * transaction; slug derived from the title when empty (unique; field error when a given slug is taken).
 */
export async function createEvent(db: Db, actor: EventActor, input: EventFormInput, options?: { publish?: boolean }): Promise<EventResult<{ eventId: number; slug: string }>> {
  void db; void actor; void input; void options;
  throw new Error("not implemented");
}

/**
 * Edits an event. Staff: any not-cancelled event. A leader: their group's events until approved. Lowering
 * capacity never removes seated members; raising it promotes from the waitlist. Moving the start clears
 * sent-reminder marks so reminders follow the new time.
 */
export async function updateEvent(db: Db, actor: EventActor, eventId: number, input: EventFormInput): Promise<EventResult<{ slug: string }>> {
  void db; void actor; void eventId; void input;
  throw new Error("not implemented");
}

/** Publishes a draft or approves a leader's pending event (staff only). */
export async function publishEvent(db: Db, actor: EventActor, eventId: number): Promise<EventResult> {
  void db; void actor; void eventId;
  throw new Error("not implemented");
}

/** Cancels an event; everyone registered or waitlisted is mailed (jobs.server enqueueEventCancelledNotices). */
export async function cancelEvent(db: Db, actor: EventActor, eventId: number, reason: string): Promise<EventResult> {
  void db; void actor; void eventId; void reason;
  throw new Error("not implemented");
}

/** A draft copy (new slug, no registrations, a week later by default) for staff to edit. */
export async function duplicateEvent(db: Db, actor: EventActor, eventId: number): Promise<EventResult<{ eventId: number }>> {
  void db; void actor; void eventId;
  throw new Error("not implemented");
}

/** Attaches the recording and slides after the session; queues the follow-up mails once the event has ended. */
export async function setEventRecording(db: Db, actor: EventActor, eventId: number, input: { recordingUrl: string | null; slidesUrl: string | null }): Promise<EventResult> {
  void db; void actor; void eventId; void input;
  throw new Error("not implemented");
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

export async function getEventStats(db: Db, eventId: number): Promise<EventStats> {
  void db; void eventId;
  throw new Error("not implemented");
}
