import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumAnswers, forumQuestions } from "../../../db/schema";
import { can } from "../auth/permissions";
import { recordActivities, revokeActivity } from "../engagement/activities.server";
import { forumActivity } from "./activity";
import { routeIdSchema } from "./forum.schema";
import { refreshMemberStats } from "./member-stats.server";
import { notifyForumEvent } from "./notify.server";
import { refuse, type ForumActor, type ForumResult } from "./result";
import { checkPostingAllowed } from "./trust.server";
import { freshLedgerVersion } from "./votes.server";

/** Who may accept or unaccept on a question: its asker, moderators and staff. */
export function canAcceptAnswer(actor: ForumActor, question: { authorId: number }): boolean {
  return actor.id === question.authorId || can(actor, "forum.moderate") || can(actor, "forum.staff");
}

/** The question row, locked: two accepts on one question run one after the other and the second sees the first. */
async function lockQuestion(db: Db, questionId: number) {
  const [question] = await db
    .select({
      id: forumQuestions.id,
      authorId: forumQuestions.authorId,
      acceptedAnswerId: forumQuestions.acceptedAnswerId,
      deletedAt: forumQuestions.deletedAt,
      hiddenAt: forumQuestions.hiddenAt,
      lockedAt: forumQuestions.lockedAt,
    })
    .from(forumQuestions)
    .where(eq(forumQuestions.id, questionId))
    .for("update");
  return question;
}

function parseId(value: unknown): number | null {
  const parsed = routeIdSchema.safeParse(typeof value === "number" ? String(value) : value);
  return parsed.success ? parsed.data : null;
}

type Accepted = { id: number; authorId: number; acceptedAt: Date; acceptedById: number | null };

/** The ledger entries of one accept; the same builder gives the keys to revoke it later. */
function acceptEntries(questionId: number, answer: Accepted) {
  const version = answer.acceptedAt.toISOString();
  const acceptedById = answer.acceptedById ?? 0;
  const base = { answerId: answer.id, questionId, answererId: answer.authorId, acceptedById, version };
  const entries = [forumActivity.answerAccepted("answerer", { ...base, userId: answer.authorId })];
  if (answer.acceptedById !== null && answer.acceptedById !== answer.authorId) entries.push(forumActivity.answerAccepted("acceptor", { ...base, userId: answer.acceptedById }));
  return entries;
}

/** Clears the question's accepted answer (if any) and revokes its ledger entries; returns who it touched. */
async function clearAccepted(tx: Db, questionId: number, acceptedAnswerId: number | null, at: Date): Promise<number[]> {
  if (acceptedAnswerId === null) return [];
  const [previous] = await tx
    .select({ id: forumAnswers.id, authorId: forumAnswers.authorId, acceptedAt: forumAnswers.acceptedAt, acceptedById: forumAnswers.acceptedById })
    .from(forumAnswers)
    .where(eq(forumAnswers.id, acceptedAnswerId));
  await tx.update(forumAnswers).set({ acceptedAt: null, acceptedById: null }).where(eq(forumAnswers.questionId, questionId));
  if (!previous?.acceptedAt) return [];
  const entries = acceptEntries(questionId, { ...previous, acceptedAt: previous.acceptedAt });
  for (const entry of entries) await revokeActivity(tx, entry.idempotencyKey, at);
  return userIdsOf(entries);
}

const userIdsOf = (entries: ReadonlyArray<{ userId: number | null }>) => entries.flatMap((e) => (e.userId === null ? [] : [e.userId]));

/**
 * The asker, a moderator or staff accepts one answer, replacing any other (the question row is locked, and
 * forum_answers_one_accepted_key backs it: one accepted answer per question whatever races). Side effects:
 * forum_answers.accepted_at/accepted_by_id, forum_questions.accepted_answer_id and last_activity_at; ledger
 * forum.answer.accepted for the answerer and (when someone else accepts) the acceptor, the replaced
 * accept's entries revoked; answer_accepted notification; member stats of everyone whose reputation moved.
 */
export async function acceptAnswer(db: Db, actor: ForumActor, answerId: number): Promise<ForumResult<{ changed: boolean }>> {
  const id = parseId(answerId);
  if (id === null) return refuse("not_found");
  return db.transaction(async (tx): Promise<ForumResult<{ changed: boolean }>> => {
    const [answer] = await tx
      .select({ id: forumAnswers.id, questionId: forumAnswers.questionId, authorId: forumAnswers.authorId, deletedAt: forumAnswers.deletedAt, hiddenAt: forumAnswers.hiddenAt })
      .from(forumAnswers)
      .where(eq(forumAnswers.id, id));
    if (!answer || answer.deletedAt || answer.hiddenAt) return refuse("not_found");
    const question = await lockQuestion(tx, answer.questionId);
    if (!question || question.deletedAt || question.hiddenAt) return refuse("not_found");
    if (!canAcceptAnswer(actor, question)) return refuse("forbidden");
    const isModerator = can(actor, "forum.moderate");
    if (!isModerator) {
      // Accepting is a judgment like a vote (no body): the same suspension check and limits apply.
      const allowed = await checkPostingAllowed(tx, actor, { kind: "vote" });
      if (!allowed.ok) return "reason" in allowed ? refuse(allowed.reason) : { ok: false, fieldErrors: allowed.fieldErrors };
      if (question.lockedAt) return refuse("locked");
    }
    if (question.acceptedAnswerId === answer.id) return { ok: true, changed: false };

    const now = new Date();
    const touched = await clearAccepted(tx, question.id, question.acceptedAnswerId, now);
    const accepted = (at: Date) => ({ id: answer.id, authorId: answer.authorId, acceptedAt: at, acceptedById: actor.id });
    const acceptedAt = new Date(await freshLedgerVersion(tx, (v) => acceptEntries(question.id, accepted(new Date(v))).map((e) => e.idempotencyKey), now));
    await tx.update(forumAnswers).set({ acceptedAt, acceptedById: actor.id }).where(eq(forumAnswers.id, answer.id));
    await tx.update(forumQuestions).set({ acceptedAnswerId: answer.id, lastActivityAt: now }).where(eq(forumQuestions.id, question.id));
    const entries = acceptEntries(question.id, accepted(acceptedAt));
    await recordActivities(tx, entries.map((entry) => ({ ...entry, occurredAt: acceptedAt })));
    await notifyForumEvent(tx, { type: "answer_accepted", questionId: question.id, answerId: answer.id, actorId: actor.id, answerAuthorId: answer.authorId });
    await refreshMemberStats(tx, [...touched, ...userIdsOf(entries)]);
    return { ok: true, changed: true };
  });
}

/**
 * Withdraws the accepted answer of a question (the asker, moderators, staff). Side effects: the accept
 * cleared, its ledger entries revoked, member stats refreshed. No notification: nothing new to read.
 */
export async function unacceptAnswer(db: Db, actor: ForumActor, questionId: number): Promise<ForumResult<{ changed: boolean }>> {
  const id = parseId(questionId);
  if (id === null) return refuse("not_found");
  return db.transaction(async (tx): Promise<ForumResult<{ changed: boolean }>> => {
    const question = await lockQuestion(tx, id);
    if (!question || question.deletedAt || question.hiddenAt) return refuse("not_found");
    if (!canAcceptAnswer(actor, question)) return refuse("forbidden");
    if (!can(actor, "forum.moderate")) {
      const allowed = await checkPostingAllowed(tx, actor, { kind: "vote" });
      if (!allowed.ok) return "reason" in allowed ? refuse(allowed.reason) : { ok: false, fieldErrors: allowed.fieldErrors };
      if (question.lockedAt) return refuse("locked");
    }
    if (question.acceptedAnswerId === null) return { ok: true, changed: false };
    const now = new Date();
    const touched = await clearAccepted(tx, question.id, question.acceptedAnswerId, now);
    await tx.update(forumQuestions).set({ acceptedAnswerId: null, lastActivityAt: now }).where(eq(forumQuestions.id, question.id));
    await refreshMemberStats(tx, touched);
    return { ok: true, changed: true };
  });
}
