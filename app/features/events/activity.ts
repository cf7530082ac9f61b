import type { ActivityInput } from "../engagement/activities.server";

/**
 * The ledger rows webinars, groups and events write, built in one place so every producer uses the same
 * subjects and idempotency keys. Subjects: ("event", eventId) for webinars and group events, ("group",
 * groupId) for groups. Keys make each real-world act count once however often a request or job repeats.
 */

/** One per registration act: cancelling revokes it, registering again later is a new act (a new queue_seq). */
export function webinarRegisteredActivity(eventId: number, userId: number, queueSeq: number, occurredAt?: Date): ActivityInput {
  return { type: "webinar.registered", userId, subjectType: "event", subjectId: eventId, idempotencyKey: `webinar.registered:${eventId}:${userId}:${queueSeq}`, ...(occurredAt ? { occurredAt } : {}) };
}

export function attendedActivityType(kind: "webinar" | "group_event"): "webinar.attended" | "event.attended" {
  return kind === "webinar" ? "webinar.attended" : "event.attended";
}

/** The attended key is this prefix and the member's id; set-based writers (the attendance import) append it in SQL. */
export function attendedActivityKeyPrefix(kind: "webinar" | "group_event", eventId: number): string {
  return `${attendedActivityType(kind)}:${eventId}:`;
}

/** Once per member and event, whether from an import, manual check-in or the door; minutes when known. */
export function attendedActivity(kind: "webinar" | "group_event", eventId: number, userId: number, minutes: number | null, occurredAt: Date): ActivityInput {
  const type = attendedActivityType(kind);
  return { type, userId, subjectType: "event", subjectId: eventId, metadata: minutes === null ? {} : { minutes }, idempotencyKey: `${attendedActivityKeyPrefix(kind, eventId)}${userId}`, occurredAt };
}

/** At most once per member, recording and UTC day. */
export function recordingWatchedActivity(eventId: number, userId: number, day: string): ActivityInput {
  return { type: "webinar.recording_watched", userId, subjectType: "event", subjectId: eventId, idempotencyKey: `webinar.recording_watched:${eventId}:${userId}:${day}` };
}

export function surveyAnsweredActivity(eventId: number, userId: number, rating: number): ActivityInput {
  return { type: "webinar.survey_answered", userId, subjectType: "event", subjectId: eventId, metadata: { rating }, idempotencyKey: `webinar.survey_answered:${eventId}:${userId}` };
}

/** Once per member and group, however often they leave and come back. */
export function groupJoinedActivity(groupId: number, userId: number, occurredAt?: Date): ActivityInput {
  return { type: "group.joined", userId, subjectType: "group", subjectId: groupId, idempotencyKey: `group.joined:${groupId}:${userId}`, ...(occurredAt ? { occurredAt } : {}) };
}

/** Once per member, group event and answer (going / maybe / not going): changing one's mind is recorded, repeating it is not. */
export function eventRsvpActivity(eventId: number, userId: number, choice: "going" | "maybe" | "not_going", occurredAt?: Date): ActivityInput {
  return { type: "event.rsvp", userId, subjectType: "event", subjectId: eventId, metadata: { choice }, idempotencyKey: `event.rsvp:${eventId}:${userId}:${choice}`, ...(occurredAt ? { occurredAt } : {}) };
}
