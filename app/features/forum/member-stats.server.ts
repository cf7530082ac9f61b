import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import { activities, championNominations, forumAnswers, forumQuestions, memberBadges, memberReputation, users } from "../../../db/schema";
import { recordActivity } from "../engagement/activities.server";
import { enqueueJob } from "../jobs/queue.server";
import { PermanentJobError, type JobHandler } from "../jobs/registry.server";
import { forumActivity } from "./activity";
import { AUTOMATIC_BADGES, badgeIdsBySlug, HELPFUL_STREAK_DAYS } from "./badges.server";
import { notifyForumEvent } from "./notify.server";
import {
  CHAMPION_MIN_ACCEPTED,
  CHAMPION_MIN_REPUTATION,
  CHAMPION_WINDOW_DAYS,
  DAILY_VOTE_REPUTATION_CAP,
  MINIMUM_REPUTATION,
  REPUTATION_POINTS,
} from "./reputation";

/**
 * Reputation is computed from the activity ledger, never kept as a running total, so every point can be
 * explained entry by entry (getReputationHistory) and a revoked vote or accept simply stops counting.
 * The rules (reputation.ts):
 *  - forum.vote.received: question ±, answer ± by REPUTATION_POINTS, to the post's author;
 *  - forum.answer.accepted, role "answerer": +answerAccepted, except when the answerer accepted their own
 *    answer (0: you cannot earn reputation from yourself); role "acceptor" (only written when someone
 *    accepts another member's answer): +acceptedAnAnswer;
 *  - positive vote points are capped at DAILY_VOTE_REPUTATION_CAP per UTC day; downvotes and accepts are not;
 *  - the total starts at MINIMUM_REPUTATION and never goes below it.
 */

export const REPUTATION_ACTIVITY_TYPES = ["forum.vote.received", "forum.answer.accepted"] as const;

/** The points one ledger row is worth before the daily cap; `a` is the activities table alias in the query. */
export function ledgerPointsSql(a: string): SQL<number> {
  const t = sql.raw(a);
  const p = REPUTATION_POINTS;
  return sql<number>`(case
    when ${t}.type = 'forum.answer.accepted' then
      case when ${t}.metadata->>'role' = 'acceptor' then ${p.acceptedAnAnswer}::int
           when ${t}.metadata->>'answererId' = ${t}.metadata->>'acceptedById' then 0
           else ${p.answerAccepted}::int end
    when ${t}.metadata->>'postType' = 'answer' then
      case when (${t}.metadata->>'value')::int > 0 then ${p.answerUpvoted}::int else ${p.answerDownvoted}::int end
    else
      case when (${t}.metadata->>'value')::int > 0 then ${p.questionUpvoted}::int else ${p.questionDownvoted}::int end
  end)`;
}

/** Whether the row's points count toward the daily cap (positive vote points only). */
export function cappedSql(a: string): SQL<boolean> {
  const t = sql.raw(a);
  return sql<boolean>`(${t}.type = 'forum.vote.received' and (${t}.metadata->>'value')::int > 0)`;
}

const TYPES_SQL = sql.raw(REPUTATION_ACTIVITY_TYPES.map((type) => `'${type}'`).join(", "));

/** The member's reputation as the ledger says it is now (the cap applied per UTC day). */
async function computeReputation(db: Db, userId: number): Promise<number> {
  const [row] = await queryRows<{ points: number | string | null }>(
    db,
    sql`with e as (
          select (a.occurred_at at time zone 'UTC')::date as day, ${ledgerPointsSql("a")} as points, ${cappedSql("a")} as capped
          from ${activities} a
          where a.user_id = ${userId} and a.type in (${TYPES_SQL}) and a.revoked_at is null
        ), per_day as (
          select least(${DAILY_VOTE_REPUTATION_CAP}::int, coalesce(sum(points) filter (where capped), 0))
                 + coalesce(sum(points) filter (where not capped), 0) as points
          from e group by day
        )
        select coalesce(sum(points), 0) as points from per_day`,
  );
  return Math.max(MINIMUM_REPUTATION, MINIMUM_REPUTATION + Number(row?.points ?? 0));
}

interface PostCounts {
  questions: number;
  answers: number;
  /** Answers accepted by someone other than their author. */
  acceptedAnswers: number;
}

/** Counts of the member's posts that readers can still see (deleted posts no longer count). */
async function countPosts(db: Db, userId: number): Promise<PostCounts> {
  const [row] = await queryRows<{ questions: number | string; answers: number | string; accepted: number | string }>(
    db,
    sql`select
          (select count(*) from ${forumQuestions} q where q.author_id = ${userId} and q.deleted_at is null) as questions,
          (select count(*) from ${forumAnswers} fa where fa.author_id = ${userId} and fa.deleted_at is null) as answers,
          (select count(*) from ${forumAnswers} fa where fa.author_id = ${userId} and fa.deleted_at is null
             and fa.accepted_at is not null and fa.accepted_by_id is distinct from fa.author_id) as accepted`,
  );
  return { questions: Number(row?.questions ?? 0), answers: Number(row?.answers ?? 0), acceptedAnswers: Number(row?.accepted ?? 0) };
}

/**
 * First days of every run of HELPFUL_STREAK_DAYS or more consecutive UTC days on which the member's answers
 * received an upvote that still stands (a gaps-and-islands query over the ledger).
 */
async function helpfulStreakStarts(db: Db, userId: number): Promise<string[]> {
  const rows = await queryRows<{ start: string }>(
    db,
    sql`with days as (
          select distinct (a.occurred_at at time zone 'UTC')::date as day
          from ${activities} a
          where a.user_id = ${userId} and a.type = 'forum.vote.received' and a.revoked_at is null
            and a.metadata->>'postType' = 'answer' and (a.metadata->>'value')::int > 0
        ), runs as (
          select day, day - (row_number() over (order by day))::int as run from days
        )
        select to_char(min(day), 'YYYY-MM-DD') as start from runs group by run having count(*) >= ${HELPFUL_STREAK_DAYS}::int order by 1`,
  );
  return rows.map((r) => r.start);
}

/** The automatic badges the member has earned by these numbers: award key → badge slug. */
async function dueBadges(db: Db, userId: number, counts: PostCounts): Promise<Map<string, string>> {
  const due = new Map<string, string>();
  const add = (slug: string, suffix = "") => due.set(`${slug}:${userId}${suffix}`, slug);
  for (const badge of AUTOMATIC_BADGES) {
    const rule = badge.rule;
    if (rule.kind === "count" && counts[rule.count] >= rule.atLeast) add(badge.slug);
  }
  if (counts.answers > 0) for (const start of await helpfulStreakStarts(db, userId)) add("helpful-streak", `:${start}`);
  return due;
}

/** Awards what is due and not yet held; each award once (member_badges.award_key), with ledger entry and notification. */
async function awardDueBadges(db: Db, userId: number, due: Map<string, string>): Promise<void> {
  if (due.size === 0) return;
  const held = await db.select({ key: memberBadges.awardKey }).from(memberBadges).where(inArray(memberBadges.awardKey, [...due.keys()]));
  for (const { key } of held) due.delete(key);
  if (due.size === 0) return;
  const ids = await badgeIdsBySlug(db);
  const inserted = await db
    .insert(memberBadges)
    .values([...due].map(([awardKey, slug]) => ({ userId, badgeId: ids.get(slug)!, awardKey })))
    .onConflictDoNothing({ target: memberBadges.awardKey })
    .returning({ id: memberBadges.id, awardKey: memberBadges.awardKey });
  for (const row of inserted) {
    const slug = due.get(row.awardKey)!;
    await recordActivity(db, forumActivity.badgeEarned(row.id, userId, slug));
    await notifyForumEvent(db, { type: "badge_awarded", userId, memberBadgeId: row.id, badgeSlug: slug, actorId: null });
  }
}

/**
 * Candidacy when the thresholds of reputation.ts are crossed; never for a member already marked champion,
 * and never again after staff decided (a revoked or confirmed nomination keeps its row).
 */
async function nominateIfDue(db: Db, userId: number, reputation: number): Promise<void> {
  if (reputation < CHAMPION_MIN_REPUTATION) return;
  const [existing] = await db
    .select({ nominated: championNominations.userId, championAt: users.championAt })
    .from(users)
    .leftJoin(championNominations, eq(championNominations.userId, users.id))
    .where(eq(users.id, userId));
  if (!existing || existing.nominated !== null || existing.championAt !== null) return;
  const acceptedInWindow = await countAcceptedInWindow(db, userId);
  if (acceptedInWindow < CHAMPION_MIN_ACCEPTED) return;
  await db
    .insert(championNominations)
    .values({
      userId,
      status: "candidate",
      evidence: { reputation, acceptedAnswers: acceptedInWindow, windowDays: CHAMPION_WINDOW_DAYS },
    })
    .onConflictDoNothing({ target: championNominations.userId });
}

/** Answers by the member accepted by someone else within the champion window. */
export async function countAcceptedInWindow(db: Db, userId: number, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - CHAMPION_WINDOW_DAYS * 86_400_000);
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from ${forumAnswers} fa
        where fa.author_id = ${userId} and fa.deleted_at is null and fa.accepted_at >= ${since.toISOString()}::timestamptz
          and fa.accepted_by_id is distinct from fa.author_id`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Called inside the transaction of any forum change that can move a member's reputation, counts, badges or
 * champion candidacy. Each member's member_reputation row is locked before the ledger is read: two
 * transactions refreshing one member (votes on two of their answers at once) then run one after the other,
 * and the second reads the first's committed entries, so the materialized total is never a lost update.
 */
export async function refreshMemberStats(db: Db, userIds: readonly number[]): Promise<void> {
  // Sorted and distinct, so concurrent refreshes lock rows in the same order (no deadlock).
  const ids = [...new Set(userIds)].filter((id) => Number.isInteger(id) && id > 0).sort((a, b) => a - b);
  if (ids.length === 0) return;
  await db
    .insert(memberReputation)
    .values(ids.map((userId) => ({ userId })))
    .onConflictDoNothing({ target: memberReputation.userId });
  await db.select({ userId: memberReputation.userId }).from(memberReputation).where(inArray(memberReputation.userId, ids)).orderBy(asc(memberReputation.userId)).for("update");
  for (const userId of ids) {
    const [reputation, counts] = await Promise.all([computeReputation(db, userId), countPosts(db, userId)]);
    await db
      .update(memberReputation)
      .set({ reputation, questions: counts.questions, answers: counts.answers, acceptedAnswers: counts.acceptedAnswers, updatedAt: new Date() })
      .where(eq(memberReputation.userId, userId));
    await awardDueBadges(db, userId, await dueBadges(db, userId, counts));
    await nominateIfDue(db, userId, reputation);
  }
}

export const FORUM_MEMBER_STATS_JOB = "forum.member_stats";

/**
 * refreshMemberStats off the request path, for changes that cannot move reputation (asking, answering):
 * only post counts and badges ("first answer") follow, a moment later, from a job queued in the caller's
 * transaction (one waiting job per member). Votes and accepts move reputation and refresh at once.
 */
export async function queueMemberStatsRefresh(db: Db, userIds: readonly number[]): Promise<void> {
  for (const userId of new Set(userIds)) {
    await enqueueJob(db, { type: FORUM_MEMBER_STATS_JOB, payload: { userId }, dedupeKey: `${FORUM_MEMBER_STATS_JOB}:${userId}` });
  }
}

const memberStatsPayload = z.object({ userId: z.number().int().positive() });

export const refreshMemberStatsJob: JobHandler = async ({ db, job }) => {
  const parsed = memberStatsPayload.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`Invalid ${FORUM_MEMBER_STATS_JOB} payload`);
  await db.transaction((tx) => refreshMemberStats(tx, [parsed.data.userId]));
};

/** The member's current reputation (MINIMUM_REPUTATION when they have none yet). */
export async function getReputation(db: Db, userId: number): Promise<number> {
  const [row] = await db.select({ reputation: memberReputation.reputation }).from(memberReputation).where(eq(memberReputation.userId, userId));
  return row?.reputation ?? MINIMUM_REPUTATION;
}

export type ReputationReason = "questionUpvoted" | "questionDownvoted" | "answerUpvoted" | "answerDownvoted" | "answerAccepted" | "acceptedAnAnswer" | "selfAccepted";

export interface ReputationEntry {
  activityId: number;
  occurredAt: Date;
  reason: ReputationReason;
  /** What the rule gives before the cap. */
  basePoints: number;
  /** What actually counted (less than basePoints when the daily cap cut it). */
  points: number;
  cappedByDailyLimit: boolean;
  /** The question the entry is about, when readers may still see it (null: deleted or hidden). */
  question: { id: number; title: string; slug: string } | null;
}

function reasonOf(row: { type: string; metadata: Record<string, unknown> }): ReputationReason {
  const m = row.metadata;
  if (row.type === "forum.answer.accepted") {
    if (m.role === "acceptor") return "acceptedAnAnswer";
    return String(m.answererId) === String(m.acceptedById) ? "selfAccepted" : "answerAccepted";
  }
  const up = Number(m.value) > 0;
  if (m.postType === "answer") return up ? "answerUpvoted" : "answerDownvoted";
  return up ? "questionUpvoted" : "questionDownvoted";
}

const BASE_POINTS: Record<ReputationReason, number> = { ...REPUTATION_POINTS, selfAccepted: 0 };

/**
 * The member's reputation entry by entry, newest first, with the daily cap applied exactly as the total is
 * computed (oldest first within each UTC day). Revoked entries (withdrawn votes, changed accepts) are not
 * listed: they no longer count. The sum of `points` plus MINIMUM_REPUTATION is the reputation (before the floor).
 */
export async function getReputationHistory(db: Db, userId: number, options: { limit?: number } = {}): Promise<ReputationEntry[]> {
  const rows = await db
    .select({
      id: activities.id,
      type: activities.type,
      occurredAt: activities.occurredAt,
      metadata: activities.metadata,
      subjectType: activities.subjectType,
      subjectId: activities.subjectId,
      // CASE keeps the casts to the rows whose subject is a forum post (other subjects need not be numeric).
      questionId: sql<number | null>`case
        when ${activities.subjectType} = 'forum_answer' then (select fa.question_id from ${forumAnswers} fa where fa.id = ${activities.subjectId}::int)
        when ${activities.subjectType} = 'forum_question' then ${activities.subjectId}::int
      end`,
    })
    .from(activities)
    .where(and(eq(activities.userId, userId), inArray(activities.type, [...REPUTATION_ACTIVITY_TYPES]), isNull(activities.revokedAt)))
    .orderBy(asc(activities.occurredAt), asc(activities.id));

  const usedByDay = new Map<string, number>();
  const entries = rows.map((row) => {
    const reason = reasonOf(row);
    const basePoints = BASE_POINTS[reason];
    let points = basePoints;
    if (row.type === "forum.vote.received" && basePoints > 0) {
      const day = row.occurredAt.toISOString().slice(0, 10);
      const used = usedByDay.get(day) ?? 0;
      points = Math.max(0, Math.min(basePoints, DAILY_VOTE_REPUTATION_CAP - used));
      usedByDay.set(day, used + points);
    }
    return { row, reason, basePoints, points };
  });
  entries.reverse();
  const shown = options.limit ? entries.slice(0, options.limit) : entries;

  const questionIds = [...new Set(shown.map((e) => e.row.questionId).filter((id): id is number => id !== null))];
  const questions = questionIds.length
    ? await db
        .select({ id: forumQuestions.id, title: forumQuestions.title, slug: forumQuestions.slug })
        .from(forumQuestions)
        .where(and(inArray(forumQuestions.id, questionIds), isNull(forumQuestions.deletedAt), isNull(forumQuestions.hiddenAt)))
    : [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  return shown.map(({ row, reason, basePoints, points }) => ({
    activityId: row.id,
    occurredAt: row.occurredAt,
    reason,
    basePoints,
    points,
    cappedByDailyLimit: points < basePoints,
    question: row.questionId !== null ? (byId.get(Number(row.questionId)) ?? null) : null,
  }));
}
