import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumAnswers, forumComments, forumFlags, forumQuestions, moderationActions, users, type FlagReason } from "../../../db/schema";
import { pageOf, windowedTotal, type Page } from "../admin/listing";
import { excerpt } from "../markdown/render.server";
import type { FlagTargetType } from "./moderation.server";
import { UNANSWERED_ALERT_HOURS } from "./reputation";

/**
 * The moderation reads: the flag review queue, the staff queue and the audit log. Pages show plain-text
 * excerpts (never stored HTML of flagged content, which may be what was flagged as offensive markup).
 */

export const FLAG_QUEUE_LIMIT = 50;
export const STAFF_QUEUE_LIMIT = 100;
export const AUDIT_PAGE_SIZE = 50;
const EXCERPT_CHARS = 280;

export interface FlagQueueItem {
  targetType: FlagTargetType;
  targetId: number;
  questionId: number;
  questionTitle: string;
  questionSlug: string;
  flagCount: number;
  trustedCount: number;
  reasons: Array<{ reason: FlagReason; count: number }>;
  notes: string[];
  firstFlaggedAt: Date;
  excerpt: string;
  authorName: string | null;
  authorHandle: string | null;
  hiddenAt: Date | null;
  hiddenReason: string | null;
  deletedAt: Date | null;
}

/** Open flags grouped by post, oldest first, with the counts per reason and what was flagged. */
export async function listFlagQueue(db: Db, limit = FLAG_QUEUE_LIMIT): Promise<FlagQueueItem[]> {
  const groups = await db
    .select({
      targetType: forumFlags.targetType,
      targetId: forumFlags.targetId,
      questionId: forumFlags.questionId,
      flagCount: count(),
      trustedCount: sql<number>`count(*) filter (where ${forumFlags.trusted})`.mapWith(Number),
      spam: sql<number>`count(*) filter (where ${forumFlags.reason} = 'spam')`.mapWith(Number),
      offensive: sql<number>`count(*) filter (where ${forumFlags.reason} = 'offensive')`.mapWith(Number),
      off_topic: sql<number>`count(*) filter (where ${forumFlags.reason} = 'off_topic')`.mapWith(Number),
      needs_staff: sql<number>`count(*) filter (where ${forumFlags.reason} = 'needs_staff')`.mapWith(Number),
      notes: sql<string[]>`coalesce(array_agg(${forumFlags.note} order by ${forumFlags.id}) filter (where ${forumFlags.note} is not null), '{}')`,
      firstFlaggedAt: sql<Date>`min(${forumFlags.createdAt})`.mapWith(forumFlags.createdAt),
    })
    .from(forumFlags)
    .where(eq(forumFlags.status, "open"))
    .groupBy(forumFlags.targetType, forumFlags.targetId, forumFlags.questionId)
    .orderBy(sql`min(${forumFlags.createdAt})`, forumFlags.targetType, forumFlags.targetId)
    .limit(limit);
  if (groups.length === 0) return [];

  const idsOf = (type: FlagTargetType) => groups.filter((g) => g.targetType === type).map((g) => g.targetId);
  const questionIds = [...new Set(groups.map((g) => g.questionId))];
  const answerIds = idsOf("answer");
  const commentIds = idsOf("comment");

  const questions = await db
    .select({
      id: forumQuestions.id,
      title: forumQuestions.title,
      slug: forumQuestions.slug,
      text: forumQuestions.bodyText,
      hiddenAt: forumQuestions.hiddenAt,
      hiddenReason: forumQuestions.hiddenReason,
      deletedAt: forumQuestions.deletedAt,
      authorName: users.displayName,
      authorHandle: users.handle,
    })
    .from(forumQuestions)
    .leftJoin(users, eq(users.id, forumQuestions.authorId))
    .where(inArray(forumQuestions.id, questionIds));
  const answers = answerIds.length
    ? await db
        .select({
          id: forumAnswers.id,
          text: forumAnswers.bodyText,
          hiddenAt: forumAnswers.hiddenAt,
          hiddenReason: forumAnswers.hiddenReason,
          deletedAt: forumAnswers.deletedAt,
          authorName: users.displayName,
          authorHandle: users.handle,
        })
        .from(forumAnswers)
        .leftJoin(users, eq(users.id, forumAnswers.authorId))
        .where(inArray(forumAnswers.id, answerIds))
    : [];
  const comments = commentIds.length
    ? await db
        .select({
          id: forumComments.id,
          text: forumComments.body,
          hiddenAt: forumComments.hiddenAt,
          hiddenReason: sql<string | null>`null`,
          deletedAt: forumComments.deletedAt,
          authorName: users.displayName,
          authorHandle: users.handle,
        })
        .from(forumComments)
        .leftJoin(users, eq(users.id, forumComments.authorId))
        .where(inArray(forumComments.id, commentIds))
    : [];

  const questionById = new Map(questions.map((q) => [q.id, q]));
  const contentOf = { question: questionById, answer: new Map(answers.map((a) => [a.id, a])), comment: new Map(comments.map((c) => [c.id, c])) };
  return groups.map((g) => {
    const question = questionById.get(g.questionId);
    const content = contentOf[g.targetType].get(g.targetId);
    const reasons = (["spam", "offensive", "off_topic", "needs_staff"] as const).filter((r) => g[r] > 0).map((reason) => ({ reason, count: g[reason] }));
    return {
      targetType: g.targetType,
      targetId: g.targetId,
      questionId: g.questionId,
      questionTitle: question?.title ?? "",
      questionSlug: question?.slug ?? "question",
      flagCount: g.flagCount,
      trustedCount: g.trustedCount,
      reasons,
      notes: g.notes,
      firstFlaggedAt: g.firstFlaggedAt,
      excerpt: content ? excerpt(content.text, EXCERPT_CHARS) : "",
      authorName: content?.authorName ?? null,
      authorHandle: content?.authorHandle ?? null,
      hiddenAt: content?.hiddenAt ?? null,
      hiddenReason: content?.hiddenReason ?? null,
      deletedAt: content?.deletedAt ?? null,
    };
  });
}

export interface StaffQueueItem {
  questionId: number;
  title: string;
  slug: string;
  authorName: string | null;
  createdAt: Date;
  needsStaffAt: Date | null;
  answerCount: number;
  /** Both may hold: a question can need staff and be unanswered. */
  needsStaff: boolean;
  unanswered: boolean;
  /** Since it asked for staff, or since it was asked (unanswered); the queue is ordered by it, oldest first. */
  waitingSince: Date;
  ageHours: number;
}

/**
 * The staff queue: questions flagged "needs staff", and visible open questions without an answer for
 * UNANSWERED_ALERT_HOURS, oldest wait first. The unanswered part reads the partial index
 * forum_questions_unanswered_idx; needs-staff questions are few.
 */
export async function listStaffQueue(db: Db, now: Date = new Date(), limit = STAFF_QUEUE_LIMIT): Promise<StaffQueueItem[]> {
  const cutoff = new Date(now.getTime() - UNANSWERED_ALERT_HOURS * 60 * 60 * 1000);
  const columns = {
    questionId: forumQuestions.id,
    title: forumQuestions.title,
    slug: forumQuestions.slug,
    authorName: users.displayName,
    createdAt: forumQuestions.createdAt,
    needsStaffAt: forumQuestions.needsStaffAt,
    answerCount: forumQuestions.answerCount,
    closedAt: forumQuestions.closedAt,
  };
  const needsStaff = await db
    .select(columns)
    .from(forumQuestions)
    .leftJoin(users, eq(users.id, forumQuestions.authorId))
    .where(and(isNotNull(forumQuestions.needsStaffAt), isNull(forumQuestions.deletedAt)))
    .orderBy(asc(forumQuestions.needsStaffAt), asc(forumQuestions.id))
    .limit(limit);
  const unanswered = await db
    .select(columns)
    .from(forumQuestions)
    .leftJoin(users, eq(users.id, forumQuestions.authorId))
    .where(
      and(
        isNull(forumQuestions.deletedAt),
        isNull(forumQuestions.hiddenAt),
        eq(forumQuestions.answerCount, 0),
        isNull(forumQuestions.closedAt),
        lt(forumQuestions.createdAt, cutoff),
      ),
    )
    .orderBy(asc(forumQuestions.createdAt), asc(forumQuestions.id))
    .limit(limit);

  const byId = new Map<number, StaffQueueItem>();
  for (const row of [...needsStaff, ...unanswered]) {
    const isUnanswered = row.answerCount === 0 && !row.closedAt && row.createdAt < cutoff;
    const existing = byId.get(row.questionId);
    if (existing) {
      existing.unanswered ||= isUnanswered;
      continue;
    }
    const waitingSince = row.needsStaffAt ?? row.createdAt;
    byId.set(row.questionId, {
      questionId: row.questionId,
      title: row.title,
      slug: row.slug,
      authorName: row.authorName,
      createdAt: row.createdAt,
      needsStaffAt: row.needsStaffAt,
      answerCount: row.answerCount,
      needsStaff: row.needsStaffAt !== null,
      unanswered: isUnanswered,
      waitingSince,
      ageHours: Math.max(0, Math.floor((now.getTime() - waitingSince.getTime()) / 3_600_000)),
    });
  }
  return [...byId.values()].sort((a, b) => a.waitingSince.getTime() - b.waitingSince.getTime() || a.questionId - b.questionId).slice(0, limit);
}

export interface AuditLogEntry {
  id: number;
  action: string;
  targetType: string;
  targetId: number;
  reason: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
  actorId: number | null;
  actorName: string | null;
  actorHandle: string | null;
}

export interface AuditLogQuery {
  action?: string;
  /** The actor's handle (with or without @); an unknown handle matches nothing. */
  actor?: string;
  page: number;
  pageSize?: number;
}

/** The audit log, newest first, filtered by action and actor. */
export async function listAuditLog(db: Db, query: AuditLogQuery): Promise<Page<AuditLogEntry>> {
  const pageSize = query.pageSize ?? AUDIT_PAGE_SIZE;
  const conditions: SQL[] = [];
  if (query.action) conditions.push(eq(moderationActions.action, query.action));
  const handle = query.actor?.trim().replace(/^@/, "").toLowerCase();
  if (handle) {
    conditions.push(inArray(moderationActions.actorId, db.select({ id: users.id }).from(users).where(eq(sql`lower(${users.handle})`, handle))));
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await db
    .select({
      id: moderationActions.id,
      action: moderationActions.action,
      targetType: moderationActions.targetType,
      targetId: moderationActions.targetId,
      reason: moderationActions.reason,
      metadata: moderationActions.metadata,
      createdAt: moderationActions.createdAt,
      actorId: moderationActions.actorId,
      actorName: users.displayName,
      actorHandle: users.handle,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(moderationActions)
    .leftJoin(users, eq(users.id, moderationActions.actorId))
    .where(where)
    .orderBy(desc(moderationActions.createdAt), desc(moderationActions.id))
    .limit(pageSize)
    .offset((query.page - 1) * pageSize);
  const total = await windowedTotal(rows, query.page, async () => {
    const [row] = await db.select({ n: count() }).from(moderationActions).where(where);
    return row?.n ?? 0;
  });
  return pageOf(
    rows.map(({ total: _total, ...entry }) => entry),
    total,
    query.page,
    pageSize,
  );
}
