import type { Db } from "../../../db/client";
import type { RegistrationStatus } from "../../../db/schema/events";
import type { RsvpChoice } from "./events.schema";
import type { EventActor, EventResult } from "./result";

// CONTRACT STUB (helper A implements): registration, RSVP, waitlist, check-in, survey, recording clicks.

export interface RegistrationState {
  status: RegistrationStatus;
  /** 1-based place in the waitlist when waitlisted, else null. */
  waitlistPosition: number | null;
  answers: Record<string, string>;
  attendedAt: Date | null;
  attendedMinutes: number | null;
  surveyAnswered: boolean;
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
  void db; void actor; void input;
  throw new Error("not implemented");
}

/** A group event's RSVP: going = registerForEvent, maybe = no seat (frees one if held), not going = cancel. */
export async function setRsvp(db: Db, actor: EventActor, input: { eventId: number; choice: RsvpChoice; answers: Record<string, string> }): Promise<EventResult<{ registration: RegistrationState }>> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

/**
 * Cancels the member's registration or waitlist place. A freed seat goes to the first waitlisted member
 * (exactly one), who is told by mail. Side effects: counters, revoked activity, promotion mail.
 */
export async function cancelRegistration(db: Db, actor: EventActor, input: { eventId: number }): Promise<EventResult<{ promotedUserId: number | null }>> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

/** The member's registration for an event, or null. */
export async function getRegistrationState(db: Db, userId: number, eventId: number): Promise<RegistrationState | null> {
  void db; void userId; void eventId;
  throw new Error("not implemented");
}

/**
 * Marks a registrant attended (or not) by hand: staff, or the group's leaders at the door. Idempotent.
 * Side effects: attended_count, webinar.attended / event.attended activity (revoked when unmarked).
 */
export async function checkInAttendee(db: Db, actor: EventActor, input: { eventId: number; userId: number; attended: boolean }): Promise<EventResult<{ attended: boolean }>> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

/** A rating 1–5 and a comment from an attendee, after the event ended; answering again replaces it. */
export async function submitSurvey(db: Db, actor: EventActor, input: { eventId: number; rating: number; comment: string }): Promise<EventResult> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

/** The recording's URL for a published webinar (null if none); records webinar.recording_watched for a signed-in member. */
export async function openRecording(db: Db, actor: EventActor | null, eventId: number): Promise<string | null> {
  void db; void actor; void eventId;
  throw new Error("not implemented");
}
