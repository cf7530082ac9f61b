import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  FLAG_REASONS,
  QUESTION_CLOSE_REASONS,
  forumAnswers,
  forumComments,
  forumFlags,
  forumQuestionTags,
  forumQuestions,
  forumTags,
  kbArticles,
  moderationActions,
  users,
  type FlagReason,
  type QuestionCloseReason,
  type Role,
} from "../../../db/schema";
import { can } from "../auth/permissions";
import { endAllSessions } from "../auth/session.server";
import { issuesToFieldErrors, type FieldErrors } from "../forms/parse";
import { visibleArticleFilter } from "../kb/reads.server";
import { suspensionReasonField } from "../users/users.schema";
import { getReputation } from "./member-stats.server";
import { MODERATION_REASON_MAX, type AuditAction } from "./moderation.schema";
import { FLAGS_TO_HIDE, PRIVILEGES } from "./reputation";
import { fieldError, refuse, type ForumActor, type ForumResult } from "./result";
import { checkPostingAllowed, isSuspended } from "./trust.server";

/**
 * Moderation: flags, hiding, locking, closing, soft deletion, flag review and suspensions.
 * Each command: parse → load → authorize → one transaction { lock the target row; write; move the
 * counters that count visible content; one moderation_actions row per change (the audit log) }.
 *
 * Counter invariants kept here (the posting commands keep them on insert, questions.server.ts):
 * forum_questions.answer_count counts visible (not hidden, not deleted) answers; comment_count on a
 * question or answer counts its visible comments; forum_tags.question_count counts questions not deleted.
 * A command that changes nothing (hiding a hidden post) writes nothing and logs nothing.
 */

export type FlagTargetType = "question" | "answer" | "comment";
export type ModerationAction = "hide" | "unhide" | "lock" | "unlock" | "delete" | "restore";

/** What hidden_reason says when flags (not a person) hid a post; dismissing its flags unhides it. */
export const HIDDEN_BY_FLAGS = "flags";
export const HIDDEN_BY_MODERATOR = "moderator";

export const FLAG_NOTE_MAX = 500;


const MAX_INT4 = 2_147_483_647;
const idField = z.coerce.number({ error: "form.invalid" }).int("form.invalid").min(1, "form.invalid").max(MAX_INT4, "form.invalid");
const targetTypeField = z.enum(["question", "answer", "comment"], { error: "form.invalid" });
const reasonField = z.string({ error: "form.required" }).trim().min(1, "moderation.form.reasonRequired").max(MODERATION_REASON_MAX, "form.tooLong");
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "form.tooLong")
    .nullish()
    .transform((v) => (v ? v : null));

export const flagSchema = z.object({
  targetType: targetTypeField,
  targetId: idField,
  reason: z.enum(FLAG_REASONS, { error: "moderation.form.flagReason" }),
  note: optionalText(FLAG_NOTE_MAX),
});

export const moderatePostSchema = z.object({
  targetType: targetTypeField,
  targetId: idField,
  action: z.enum(["hide", "unhide", "lock", "unlock", "delete", "restore"], { error: "form.invalid" }),
  reason: reasonField,
});

const closeSchema = z.object({
  questionId: idField,
  reason: z.enum(QUESTION_CLOSE_REASONS, { error: "form.invalid" }),
  duplicateOfQuestionId: idField.nullish(),
  duplicateOfArticleId: idField.nullish(),
  note: optionalText(MODERATION_REASON_MAX),
});

export const resolveFlagsSchema = z.object({
  targetType: targetTypeField,
  targetId: idField,
  decision: z.enum(["uphold", "dismiss"], { error: "form.invalid" }),
  // What upholding does to the post; members with the review privilege may only hide.
  outcome: z.enum(["hide", "delete"], { error: "form.invalid" }).default("hide"),
  reason: reasonField,
});

export const suspendMemberSchema = z.object({ userId: idField, reason: suspensionReasonField });
export const unsuspendMemberSchema = z.object({ userId: idField, reason: reasonField });

function parseWith<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | { ok: false; fieldErrors: FieldErrors } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
}

const asRole = (role: string) => role as Role;
const isModerator = (actor: ForumActor) => can({ id: actor.id, role: asRole(actor.role) }, "forum.moderate");

/**
 * May this user work the flag review queue? Moderators and staff by role; members who earned
 * PRIVILEGES.reviewQueue (they may hide and unhide, not delete, lock or close).
 */
export async function canReviewFlags(db: Db, actor: ForumActor): Promise<boolean> {
  if (isModerator(actor)) return true;
  return (await getReputation(db, actor.id)) >= PRIVILEGES.reviewQueue;
}

interface LoadedTarget {
  type: FlagTargetType;
  id: number;
  questionId: number;
  authorId: number;
  hiddenAt: Date | null;
  hiddenReason: string | null;
  deletedAt: Date | null;
  lockedAt: Date | null;
  /** Comments: the post the comment is on. */
  parent: { type: "question" | "answer"; id: number } | null;
  /** Whether the question the target sits under is readable by members (not hidden, not deleted). */
  questionVisible: boolean;
}

/**
 * Loads the target under a row lock, so concurrent flags and actions on one post are serialized. The
 * question's row is locked first, for answers and comments too: the posting commands lock the question
 * before its answers (questions.server.ts), and taking locks in the same order cannot deadlock.
 */
async function lockTarget(db: Db, type: FlagTargetType, id: number): Promise<LoadedTarget | undefined> {
  if (type === "question") {
    const [q] = await db
      .select({
        id: forumQuestions.id,
        authorId: forumQuestions.authorId,
        hiddenAt: forumQuestions.hiddenAt,
        hiddenReason: forumQuestions.hiddenReason,
        deletedAt: forumQuestions.deletedAt,
        lockedAt: forumQuestions.lockedAt,
      })
      .from(forumQuestions)
      .where(eq(forumQuestions.id, id))
      .for("update");
    if (!q) return undefined;
    return { type, ...q, questionId: q.id, parent: null, questionVisible: !q.hiddenAt && !q.deletedAt };
  }
  const table = type === "answer" ? forumAnswers : forumComments;
  const [ref] = await db.select({ questionId: table.questionId }).from(table).where(eq(table.id, id));
  if (!ref) return undefined;
  const [question] = await db
    .select({ hiddenAt: forumQuestions.hiddenAt, deletedAt: forumQuestions.deletedAt })
    .from(forumQuestions)
    .where(eq(forumQuestions.id, ref.questionId))
    .for("update");
  if (!question) return undefined;
  const questionVisible = isVisible(question);
  if (type === "answer") {
    const [a] = await db
      .select({
        id: forumAnswers.id,
        questionId: forumAnswers.questionId,
        authorId: forumAnswers.authorId,
        hiddenAt: forumAnswers.hiddenAt,
        hiddenReason: forumAnswers.hiddenReason,
        deletedAt: forumAnswers.deletedAt,
      })
      .from(forumAnswers)
      .where(eq(forumAnswers.id, id))
      .for("update");
    if (!a) return undefined;
    return { type, ...a, lockedAt: null, parent: null, questionVisible };
  }
  const [c] = await db
    .select({
      id: forumComments.id,
      questionId: forumComments.questionId,
      authorId: forumComments.authorId,
      hiddenAt: forumComments.hiddenAt,
      deletedAt: forumComments.deletedAt,
      postType: forumComments.postType,
      postId: forumComments.postId,
    })
    .from(forumComments)
    .where(eq(forumComments.id, id))
    .for("update");
  if (!c) return undefined;
  return {
    type,
    id: c.id,
    questionId: c.questionId,
    authorId: c.authorId,
    hiddenAt: c.hiddenAt,
    hiddenReason: c.hiddenAt ? HIDDEN_BY_MODERATOR : null,
    deletedAt: c.deletedAt,
    lockedAt: null,
    parent: { type: c.postType, id: c.postId },
    questionVisible,
  };
}

/** Whether members can read the question (closing as a duplicate must point at one they can open). */
async function questionVisible(db: Db, questionId: number): Promise<boolean> {
  const [q] = await db
    .select({ id: forumQuestions.id })
    .from(forumQuestions)
    .where(and(eq(forumQuestions.id, questionId), isNull(forumQuestions.hiddenAt), isNull(forumQuestions.deletedAt)));
  return !!q;
}

const isVisible = (t: { hiddenAt: Date | null; deletedAt: Date | null }) => !t.hiddenAt && !t.deletedAt;

/** Members see a post only when it and its question are visible; anything else is not_found for them. */
const visibleToMembers = (t: LoadedTarget) => isVisible(t) && t.questionVisible;

/** Writes one audit-log row; every moderation change goes through here (staff tools elsewhere may reuse it). */
export async function recordModerationAction(
  db: Db,
  entry: { actorId: number | null; action: AuditAction; targetType: string; targetId: number; reason: string; metadata?: Record<string, unknown> },
): Promise<void> {
  await db.insert(moderationActions).values({ ...entry, metadata: entry.metadata ?? {} });
}

/**
 * Moves the counters that count visible content when the target's visibility flips (delta +1: it became
 * visible, -1: it stopped being visible). Counters are moved in SQL under the row lock, never computed in JS.
 */
async function moveVisibleCounters(db: Db, target: LoadedTarget, delta: 1 | -1): Promise<void> {
  if (target.type === "answer") {
    await db
      .update(forumQuestions)
      .set({ answerCount: sql`greatest(${forumQuestions.answerCount} + ${delta}, 0)` })
      .where(eq(forumQuestions.id, target.questionId));
  } else if (target.type === "comment" && target.parent) {
    if (target.parent.type === "answer") {
      await db
        .update(forumAnswers)
        .set({ commentCount: sql`greatest(${forumAnswers.commentCount} + ${delta}, 0)` })
        .where(eq(forumAnswers.id, target.parent.id));
    } else {
      await db
        .update(forumQuestions)
        .set({ commentCount: sql`greatest(${forumQuestions.commentCount} + ${delta}, 0)` })
        .where(eq(forumQuestions.id, target.parent.id));
    }
  }
}

/** forum_tags.question_count counts questions not deleted: deleting or restoring one moves its tags' counts. */
async function moveTagCounts(db: Db, questionId: number, delta: 1 | -1): Promise<void> {
  const tagIds = db.select({ id: forumQuestionTags.tagId }).from(forumQuestionTags).where(eq(forumQuestionTags.questionId, questionId));
  await db
    .update(forumTags)
    .set({ questionCount: sql`greatest(${forumTags.questionCount} + ${delta}, 0)` })
    .where(inArray(forumTags.id, tagIds));
}

const tableOf = (type: FlagTargetType) => (type === "question" ? forumQuestions : type === "answer" ? forumAnswers : forumComments);

/**
 * Applies one action to a locked target: the write, the counters, the audit row. Returns whether anything
 * changed (an action that changes nothing is not logged). Shared by moderatePost, resolveFlags and the
 * automatic hide by flags.
 */
async function applyAction(
  db: Db,
  target: LoadedTarget,
  action: ModerationAction,
  audited: { actorId: number | null; reason: string; metadata?: Record<string, unknown>; hiddenReason?: string },
): Promise<boolean> {
  const wasVisible = isVisible(target);
  const now = new Date();
  const table = tableOf(target.type);
  const next = { hiddenAt: target.hiddenAt, deletedAt: target.deletedAt };
  switch (action) {
    case "hide":
      if (target.hiddenAt) return false;
      next.hiddenAt = now;
      break;
    case "unhide":
      if (!target.hiddenAt) return false;
      next.hiddenAt = null;
      break;
    case "delete":
      if (target.deletedAt) return false;
      next.deletedAt = now;
      break;
    case "restore":
      if (!target.deletedAt) return false;
      next.deletedAt = null;
      break;
    case "lock":
    case "unlock": {
      if (target.type !== "question") return false;
      const locking = action === "lock";
      if (!!target.lockedAt === locking) return false;
      await db
        .update(forumQuestions)
        .set({ lockedAt: locking ? now : null, updatedAt: now })
        .where(eq(forumQuestions.id, target.id));
      target.lockedAt = locking ? now : null;
      await recordModerationAction(db, { actorId: audited.actorId, action, targetType: target.type, targetId: target.id, reason: audited.reason, metadata: { questionId: target.questionId, ...audited.metadata } });
      return true;
    }
  }

  if (action === "hide" || action === "unhide") {
    const hiddenReason = action === "hide" ? (audited.hiddenReason ?? HIDDEN_BY_MODERATOR) : null;
    // Comments have no hidden_reason column: a hidden comment is hidden, whoever hid it.
    const values = target.type === "comment" ? { hiddenAt: next.hiddenAt } : { hiddenAt: next.hiddenAt, hiddenReason };
    await db
      .update(table)
      .set({ ...values, updatedAt: now })
      .where(eq(table.id, target.id));
    target.hiddenReason = hiddenReason;
  } else {
    await db
      .update(table)
      .set({ deletedAt: next.deletedAt, updatedAt: now })
      .where(eq(table.id, target.id));
  }
  target.hiddenAt = next.hiddenAt;
  target.deletedAt = next.deletedAt;

  const nowVisible = isVisible(target);
  if (wasVisible !== nowVisible) await moveVisibleCounters(db, target, nowVisible ? 1 : -1);
  if (target.type === "question" && (action === "delete" || action === "restore")) await moveTagCounts(db, target.id, action === "delete" ? -1 : 1);

  await recordModerationAction(db, {
    actorId: audited.actorId,
    action,
    targetType: target.type,
    targetId: target.id,
    reason: audited.reason,
    metadata: { questionId: target.questionId, ...audited.metadata },
  });
  return true;
}

/**
 * Flags a question, answer or comment (any signed-in member who is not suspended; not their own post;
 * one open flag per member per post). A flag from a member with PRIVILEGES.trustedFlagger (or a moderator)
 * is trusted; FLAGS_TO_HIDE open trusted flags hide the post (hidden_reason "flags") until a reviewer
 * resolves them. "needs_staff" on a question also puts it in the staff queue (needs_staff_at).
 * Side effects: forum_flags row; maybe the automatic hide, audit-logged with no actor.
 */
export async function flagPost(
  db: Db,
  actor: ForumActor,
  rawInput: { targetType: "question" | "answer" | "comment"; targetId: number; reason: FlagReason; note?: string | null },
): Promise<ForumResult<{ hidden: boolean }>> {
  const parsed = parseWith(flagSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  return db.transaction(async (tx): Promise<ForumResult<{ hidden: boolean }>> => {
    const allowed = await checkPostingAllowed(tx, actor, { kind: "flag" });
    if (!allowed.ok) return allowed;
    const target = await lockTarget(tx, input.targetType, input.targetId);
    if (!target || (!visibleToMembers(target) && !isModerator(actor))) return refuse("not_found");
    if (target.authorId === actor.id) return refuse("forbidden");

    const trusted = isModerator(actor) || (await getReputation(tx, actor.id)) >= PRIVILEGES.trustedFlagger;
    // The target's row lock makes this check and the insert atomic; the partial unique index backs it up.
    const [flag] = await tx
      .insert(forumFlags)
      .values({ targetType: target.type, targetId: target.id, questionId: target.questionId, flaggerId: actor.id, reason: input.reason, note: input.note, trusted })
      .onConflictDoNothing()
      .returning({ id: forumFlags.id });
    if (!flag) return fieldError("_form", "moderation.flag.alreadyFlagged");

    if (input.reason === "needs_staff" && target.type === "question") {
      await tx
        .update(forumQuestions)
        .set({ needsStaffAt: sql`coalesce(${forumQuestions.needsStaffAt}, now())` })
        .where(eq(forumQuestions.id, target.id));
    }

    if (!trusted || target.hiddenAt) return { ok: true, hidden: !!target.hiddenAt };
    const openTrusted = await tx
      .select({ id: forumFlags.id })
      .from(forumFlags)
      .where(and(eq(forumFlags.targetType, target.type), eq(forumFlags.targetId, target.id), eq(forumFlags.status, "open"), eq(forumFlags.trusted, true)));
    if (openTrusted.length < FLAGS_TO_HIDE) return { ok: true, hidden: false };
    await applyAction(tx, target, "hide", {
      actorId: null,
      reason: "flags",
      hiddenReason: HIDDEN_BY_FLAGS,
      metadata: { automatic: true, flagIds: openTrusted.map((f) => f.id), lastFlaggerId: actor.id },
    });
    return { ok: true, hidden: true };
  });
}

/**
 * A moderator acts on a post: hide/unhide, lock/unlock (questions), delete/restore (soft). Members with
 * PRIVILEGES.reviewQueue may hide and unhide. The reason is required and written to the audit log.
 * Side effects: visible-content counters, tag counts (question delete/restore), moderation_actions.
 */
export async function moderatePost(
  db: Db,
  actor: ForumActor,
  rawInput: { targetType: "question" | "answer" | "comment"; targetId: number; action: ModerationAction; reason: string },
): Promise<ForumResult<{ changed: boolean }>> {
  const parsed = parseWith(moderatePostSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  if ((input.action === "lock" || input.action === "unlock") && input.targetType !== "question") return fieldError("action", "moderation.form.lockQuestionsOnly");
  return db.transaction(async (tx): Promise<ForumResult<{ changed: boolean }>> => {
    if (await isSuspended(tx, actor.id)) return refuse("suspended");
    const moderator = isModerator(actor);
    if (!moderator && !(input.action === "hide" || input.action === "unhide")) return refuse("forbidden");
    if (!moderator && !(await canReviewFlags(tx, actor))) return refuse("forbidden");
    const target = await lockTarget(tx, input.targetType, input.targetId);
    // Reviewers who are not moderators never see deleted content.
    if (!target || (!moderator && target.deletedAt)) return refuse("not_found");
    const changed = await applyAction(tx, target, input.action, { actorId: actor.id, reason: input.reason });
    return { ok: true, changed };
  });
}

/**
 * Closes a question (moderators): as a duplicate of another visible question or of a KB article members
 * can read, or for another reason. A closed question takes no new answers (questions.server.ts).
 * Side effects: closed_* columns, moderation_actions.
 */
export async function closeQuestion(
  db: Db,
  actor: ForumActor,
  rawInput: { questionId: number; reason: QuestionCloseReason; duplicateOfQuestionId?: number | null; duplicateOfArticleId?: number | null; note?: string },
): Promise<ForumResult> {
  const parsed = parseWith(closeSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  const duplicateOfQuestionId = input.reason === "duplicate" ? (input.duplicateOfQuestionId ?? null) : null;
  const duplicateOfArticleId = input.reason === "duplicate" ? (input.duplicateOfArticleId ?? null) : null;
  if (input.reason === "duplicate" && (duplicateOfQuestionId === null) === (duplicateOfArticleId === null)) {
    return fieldError("duplicateOf", "moderation.close.duplicateTargetRequired");
  }
  if (!isModerator(actor)) return refuse("forbidden");
  return db.transaction(async (tx): Promise<ForumResult> => {
    if (await isSuspended(tx, actor.id)) return refuse("suspended");
    const target = await lockTarget(tx, "question", input.questionId);
    if (!target || target.deletedAt) return refuse("not_found");
    const [question] = await tx.select({ closedAt: forumQuestions.closedAt }).from(forumQuestions).where(eq(forumQuestions.id, target.id));
    if (question?.closedAt) return refuse("closed");
    if (duplicateOfQuestionId !== null) {
      if (duplicateOfQuestionId === target.id || !(await questionVisible(tx, duplicateOfQuestionId))) {
        return fieldError("duplicateOf", "moderation.close.duplicateNotFound");
      }
    }
    if (duplicateOfArticleId !== null) {
      // Readable by a signed-in member: closing a question in favour of an article its asker cannot open helps nobody.
      const [article] = await tx
        .select({ id: kbArticles.id })
        .from(kbArticles)
        .where(and(eq(kbArticles.id, duplicateOfArticleId), visibleArticleFilter({ id: actor.id, role: "member" })));
      if (!article) return fieldError("duplicateOf", "moderation.close.duplicateNotFound");
    }
    const now = new Date();
    await tx
      .update(forumQuestions)
      .set({ closedAt: now, closedById: actor.id, closeReason: input.reason, duplicateOfQuestionId, duplicateOfArticleId, updatedAt: now })
      .where(eq(forumQuestions.id, target.id));
    await recordModerationAction(tx, {
      actorId: actor.id,
      action: "close",
      targetType: "question",
      targetId: target.id,
      reason: input.note ?? input.reason,
      metadata: { questionId: target.id, closeReason: input.reason, duplicateOfQuestionId, duplicateOfArticleId },
    });
    return { ok: true };
  });
}

/** Reopens a closed question (moderators); the note is the audit reason. Reopening an open question changes nothing. */
export async function reopenQuestion(db: Db, actor: ForumActor, rawInput: { questionId: number; note: string }): Promise<ForumResult> {
  const parsed = parseWith(z.object({ questionId: idField, note: reasonField }), rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  if (!isModerator(actor)) return refuse("forbidden");
  return db.transaction(async (tx): Promise<ForumResult> => {
    if (await isSuspended(tx, actor.id)) return refuse("suspended");
    const target = await lockTarget(tx, "question", input.questionId);
    if (!target || target.deletedAt) return refuse("not_found");
    const [question] = await tx.select({ closedAt: forumQuestions.closedAt, closeReason: forumQuestions.closeReason }).from(forumQuestions).where(eq(forumQuestions.id, target.id));
    if (!question?.closedAt) return { ok: true };
    await tx
      .update(forumQuestions)
      .set({ closedAt: null, closedById: null, closeReason: null, duplicateOfQuestionId: null, duplicateOfArticleId: null, updatedAt: new Date() })
      .where(eq(forumQuestions.id, target.id));
    await recordModerationAction(tx, { actorId: actor.id, action: "reopen", targetType: "question", targetId: target.id, reason: input.note, metadata: { questionId: target.id, previousReason: question.closeReason } });
    return { ok: true };
  });
}

/**
 * Resolves every open flag on one post (moderators; members with PRIVILEGES.reviewQueue, who may only
 * uphold by hiding). Uphold: the post is hidden (or deleted) and the flags marked upheld. Dismiss: the
 * flags are marked dismissed and a post hidden by flags comes back. Nothing open (another reviewer was
 * first) is a form error, not a second decision.
 * Side effects: forum_flags status, the post's visibility and counters, moderation_actions.
 */
export async function resolveFlags(
  db: Db,
  actor: ForumActor,
  rawInput: { targetType: FlagTargetType; targetId: number; decision: "uphold" | "dismiss"; outcome?: "hide" | "delete"; reason: string },
): Promise<ForumResult<{ resolved: number }>> {
  const parsed = parseWith(resolveFlagsSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  return db.transaction(async (tx): Promise<ForumResult<{ resolved: number }>> => {
    if (await isSuspended(tx, actor.id)) return refuse("suspended");
    if (!(await canReviewFlags(tx, actor))) return refuse("forbidden");
    if (input.decision === "uphold" && input.outcome === "delete" && !isModerator(actor)) return refuse("forbidden");
    const target = await lockTarget(tx, input.targetType, input.targetId);
    if (!target) return refuse("not_found");
    const now = new Date();
    const resolved = await tx
      .update(forumFlags)
      .set({ status: input.decision === "uphold" ? "upheld" : "dismissed", resolvedById: actor.id, resolvedAt: now })
      .where(and(eq(forumFlags.targetType, target.type), eq(forumFlags.targetId, target.id), eq(forumFlags.status, "open")))
      .returning({ id: forumFlags.id });
    if (resolved.length === 0) return fieldError("_form", "moderation.review.nothingOpen");
    const flagIds = resolved.map((f) => f.id);
    await recordModerationAction(tx, {
      actorId: actor.id,
      action: input.decision === "uphold" ? "uphold_flags" : "dismiss_flags",
      targetType: target.type,
      targetId: target.id,
      reason: input.reason,
      metadata: { questionId: target.questionId, flagIds, outcome: input.decision === "uphold" ? input.outcome : null },
    });
    if (input.decision === "uphold") {
      await applyAction(tx, target, input.outcome, { actorId: actor.id, reason: input.reason, metadata: { flagIds } });
      // The post was hidden pending review; now a person has decided, so it no longer reads as "hidden by flags".
      if (input.outcome === "hide" && target.type !== "comment" && target.hiddenReason === HIDDEN_BY_FLAGS) {
        const table = tableOf(target.type) as typeof forumAnswers;
        await tx.update(table).set({ hiddenReason: HIDDEN_BY_MODERATOR }).where(eq(table.id, target.id));
      }
    } else if (target.hiddenAt && target.hiddenReason === HIDDEN_BY_FLAGS) {
      await applyAction(tx, target, "unhide", { actorId: actor.id, reason: input.reason, metadata: { flagIds } });
    }
    return { ok: true, resolved: flagIds.length };
  });
}

/** Staff mark a "needs staff" question as handled: it leaves the staff queue. Audit-logged with the note. */
export async function markNeedsStaffHandled(db: Db, actor: ForumActor, rawInput: { questionId: number; reason: string }): Promise<ForumResult<{ changed: boolean }>> {
  const parsed = parseWith(z.object({ questionId: idField, reason: reasonField }), rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  if (!can({ id: actor.id, role: asRole(actor.role) }, "forum.staff")) return refuse("forbidden");
  return db.transaction(async (tx): Promise<ForumResult<{ changed: boolean }>> => {
    const target = await lockTarget(tx, "question", input.questionId);
    if (!target) return refuse("not_found");
    const [updated] = await tx
      .update(forumQuestions)
      .set({ needsStaffAt: null })
      .where(and(eq(forumQuestions.id, target.id), sql`${forumQuestions.needsStaffAt} is not null`))
      .returning({ id: forumQuestions.id });
    if (!updated) return { ok: true, changed: false };
    await recordModerationAction(tx, { actorId: actor.id, action: "staff_handled", targetType: "question", targetId: target.id, reason: input.reason, metadata: { questionId: target.id } });
    return { ok: true, changed: true };
  });
}

/**
 * Who may suspend whom from the forum: moderators suspend members; staff and admins suspend members and
 * moderators. Staff accounts are suspended only from the staff user page (users.suspend), never here;
 * nobody suspends themselves.
 */
export function canSuspendMember(actor: ForumActor, target: { id: number; role: Role }): boolean {
  if (target.id === actor.id) return false;
  if (can({ id: actor.id, role: asRole(actor.role) }, "forum.staff")) return target.role === "member" || target.role === "moderator";
  if (isModerator(actor)) return target.role === "member";
  return false;
}

async function lockUser(db: Db, userId: number) {
  const [user] = await db.select({ id: users.id, role: users.role, suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, userId)).for("update");
  return user;
}

/**
 * Suspends a member with a reason (see canSuspendMember): users.suspended_at/suspended_reason, all their
 * sessions ended (signed out everywhere; sign-in refuses them), moderation_actions. Suspending again updates
 * the reason and keeps the original time, like the staff user page (users.server.ts suspendUser).
 */
export async function suspendMember(db: Db, actor: ForumActor, rawInput: { userId: number; reason: string }): Promise<ForumResult<{ changed: boolean }>> {
  const parsed = parseWith(suspendMemberSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  return db.transaction(async (tx): Promise<ForumResult<{ changed: boolean }>> => {
    if (await isSuspended(tx, actor.id)) return refuse("suspended");
    const target = await lockUser(tx, input.userId);
    if (!target) return refuse("not_found");
    if (!canSuspendMember(actor, target)) return refuse("forbidden");
    const now = new Date();
    await tx
      .update(users)
      .set({ suspendedAt: target.suspendedAt ?? now, suspendedReason: input.reason, updatedAt: now })
      .where(eq(users.id, target.id));
    await endAllSessions(tx, target.id);
    await recordModerationAction(tx, { actorId: actor.id, action: "suspend", targetType: "user", targetId: target.id, reason: input.reason, metadata: { alreadySuspended: !!target.suspendedAt } });
    return { ok: true, changed: !target.suspendedAt };
  });
}

/** Lifts a suspension (same permission as suspendMember), with a reason for the audit log. */
export async function unsuspendMember(db: Db, actor: ForumActor, rawInput: { userId: number; reason: string }): Promise<ForumResult<{ changed: boolean }>> {
  const parsed = parseWith(unsuspendMemberSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  return db.transaction(async (tx): Promise<ForumResult<{ changed: boolean }>> => {
    if (await isSuspended(tx, actor.id)) return refuse("suspended");
    const target = await lockUser(tx, input.userId);
    if (!target) return refuse("not_found");
    if (!canSuspendMember(actor, target)) return refuse("forbidden");
    if (!target.suspendedAt) return { ok: true, changed: false };
    await tx.update(users).set({ suspendedAt: null, suspendedReason: null, updatedAt: new Date() }).where(eq(users.id, target.id));
    await recordModerationAction(tx, { actorId: actor.id, action: "unsuspend", targetType: "user", targetId: target.id, reason: input.reason });
    return { ok: true, changed: true };
  });
}

/** A member as the moderation page shows them (suspension state and whether the viewer may act). */
export async function getMemberForModeration(db: Db, viewer: ForumActor, userId: number) {
  const [user] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      handle: users.handle,
      role: users.role,
      createdAt: users.createdAt,
      suspendedAt: users.suspendedAt,
      suspendedReason: users.suspendedReason,
    })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return null;
  return { ...user, canSuspend: canSuspendMember(viewer, user) };
}
