import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { accountMembers, activities } from "../../../db/schema";

/**
 * Activity types written to the ledger. Later features add theirs here, so every producer and the
 * scoring model agree on the names.
 */
export const ACTIVITY_TYPES = [
  "auth.signed_in",
  "auth.signed_up",
  "account.joined",
  "account.left",
  "kb.article.viewed",
  "kb.feedback.given",
  "kb.article.published",
  // The Q&A forum; conventions (who, subject, metadata, keys) in features/forum/activity.ts.
  "forum.question.asked",
  "forum.answer.posted",
  "forum.answer.accepted",
  "forum.vote.cast",
  "forum.vote.received",
  "forum.comment.posted",
  "forum.badge.earned",
  "forum.champion.granted",
  // Search: a search a member ran (features/search/analytics.server.ts), and a question not asked because a
  // suggestion on the ask page answered it (features/search/deflection.server.ts).
  "search.performed",
  "search.deflected",
  // Webinars, user groups and their events; conventions (subject, metadata, keys) in features/events/activity.ts.
  "webinar.registered",
  "webinar.attended",
  "webinar.recording_watched",
  "webinar.survey_answered",
  "group.joined",
  "event.rsvp",
  "event.attended",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface ActivityInput {
  type: ActivityType;
  /** Null for anonymous activity (counted, not attributed). */
  userId: number | null;
  subjectType?: string;
  subjectId?: string | number;
  metadata?: Record<string, unknown>;
  /** Unique per real-world event; recording the same key twice is a no-op. */
  idempotencyKey: string;
  occurredAt?: Date;
}

/**
 * Appends one activity inside the caller's transaction. The member's current account is copied onto the
 * row at write time, so later account moves do not rewrite history. Returns false when the key was
 * already recorded.
 */
export async function recordActivity(db: Db, input: ActivityInput): Promise<boolean> {
  return (await recordActivities(db, [input])) > 0;
}

/** recordActivity for many activities in one statement; returns how many were new. */
export async function recordActivities(db: Db, inputs: readonly ActivityInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const now = new Date();
  const inserted = await db
    .insert(activities)
    .values(
      inputs.map((input) => ({
        type: input.type,
        userId: input.userId,
        accountId: (input.userId === null
          ? sql`null`
          : sql`(select ${accountMembers.accountId} from ${accountMembers} where ${accountMembers.userId} = ${input.userId})`) as unknown as number,
        subjectType: input.subjectType ?? null,
        subjectId: input.subjectId === undefined ? null : String(input.subjectId),
        metadata: input.metadata ?? {},
        idempotencyKey: input.idempotencyKey,
        occurredAt: input.occurredAt ?? now,
      })),
    )
    .onConflictDoNothing({ target: activities.idempotencyKey })
    .returning({ id: activities.id });
  return inserted.length;
}

/** Marks an activity undone (a withdrawn vote, say); the row stays for history. */
export async function revokeActivity(db: Db, idempotencyKey: string, at = new Date()): Promise<boolean> {
  const updated = await db
    .update(activities)
    .set({ revokedAt: at })
    .where(and(eq(activities.idempotencyKey, idempotencyKey), isNull(activities.revokedAt)))
    .returning({ id: activities.id });
  return updated.length > 0;
}

/** A UTC calendar day, for "at most once per day" idempotency keys. */
export function utcDay(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}
