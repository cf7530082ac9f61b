import { and, eq, gte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { activities, forumQuestions } from "../../../db/schema";
import { recordActivity } from "../engagement/activities.server";
import { enqueueJob } from "../jobs/queue.server";
import { PermanentJobError, type JobHandler } from "../jobs/registry.server";

/**
 * Deflection: a member about to ask opens a similar question or article from the ask page and then does not
 * post a question within DEFLECTION_WINDOW_MINUTES. The click schedules a check for the end of the window;
 * the check records one search.deflected activity if no question came. A member who opens three
 * suggestions in one sitting is deflected once: a check that finds a deflection recorded within the window
 * before its click records nothing.
 */

export const DEFLECTION_WINDOW_MINUTES = 30;
export const SEARCH_DEFLECTION_CHECK_JOB = "search.deflection_check";

const payloadSchema = z.object({
  userId: z.number().int().positive(),
  searchQueryId: z.number().int().positive(),
  docKey: z.string().max(40),
  clickedAt: z.iso.datetime(),
});
export type DeflectionCheckPayload = z.output<typeof payloadSchema>;

/** Schedules the deflection check for a suggestion a member opened from the ask page. Side effect: one job row. */
export async function scheduleDeflectionCheck(db: Db, input: { userId: number; searchQueryId: number; docKey: string; clickedAt?: Date }): Promise<void> {
  const clickedAt = input.clickedAt ?? new Date();
  const payload: DeflectionCheckPayload = { userId: input.userId, searchQueryId: input.searchQueryId, docKey: input.docKey, clickedAt: clickedAt.toISOString() };
  await enqueueJob(db, {
    type: SEARCH_DEFLECTION_CHECK_JOB,
    payload,
    runAt: new Date(clickedAt.getTime() + DEFLECTION_WINDOW_MINUTES * 60_000),
  });
}

/**
 * Records the deflection unless the member asked a question since the click, or was already counted as
 * deflected within the window before it. Idempotent: the activity is keyed by the logged search, so a
 * retried job records nothing twice. Returns whether a deflection was recorded.
 */
export async function checkDeflection(db: Db, payload: DeflectionCheckPayload): Promise<boolean> {
  const clickedAt = new Date(payload.clickedAt);
  const [asked] = await db
    .select({ id: forumQuestions.id })
    .from(forumQuestions)
    .where(and(eq(forumQuestions.authorId, payload.userId), gte(forumQuestions.createdAt, clickedAt)))
    .limit(1);
  if (asked) return false;
  const windowStart = new Date(clickedAt.getTime() - DEFLECTION_WINDOW_MINUTES * 60_000);
  const [recent] = await db
    .select({ key: activities.idempotencyKey })
    .from(activities)
    .where(
      and(
        eq(activities.userId, payload.userId),
        eq(activities.type, "search.deflected"),
        sql`${activities.occurredAt} >= ${windowStart.toISOString()}::timestamptz`,
        sql`${activities.occurredAt} < ${clickedAt.toISOString()}::timestamptz`,
      ),
    )
    .limit(1);
  if (recent) return false;
  return recordActivity(db, {
    type: "search.deflected",
    userId: payload.userId,
    subjectType: "search_query",
    subjectId: payload.searchQueryId,
    metadata: { docKey: payload.docKey },
    idempotencyKey: `search.deflected:${payload.searchQueryId}`,
    // The deflection happened at the click; the check only confirms it later.
    occurredAt: clickedAt,
  });
}

export const deflectionCheckJob: JobHandler = async ({ db, job, logger }) => {
  const parsed = payloadSchema.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`invalid ${SEARCH_DEFLECTION_CHECK_JOB} payload`);
  const recorded = await checkDeflection(db, parsed.data);
  logger.debug({ recorded }, "deflection checked");
};
