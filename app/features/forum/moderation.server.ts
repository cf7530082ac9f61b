import type { Db } from "../../../db/client";
import type { FlagReason, QuestionCloseReason } from "../../../db/schema";
import { refuse, type ForumActor, type ForumResult } from "./result";

/** CONTRACT (filled in by the moderation work). Flag a question, answer or comment. */
export async function flagPost(
  _db: Db,
  _actor: ForumActor,
  _input: { targetType: "question" | "answer" | "comment"; targetId: number; reason: FlagReason; note?: string | null },
): Promise<ForumResult<{ hidden: boolean }>> {
  return refuse("forbidden");
}

export type ModerationAction = "hide" | "unhide" | "lock" | "unlock" | "delete" | "restore";

/** CONTRACT: a moderator acts on a post; every action is written to moderation_actions with its reason. */
export async function moderatePost(
  _db: Db,
  _actor: ForumActor,
  _input: { targetType: "question" | "answer" | "comment"; targetId: number; action: ModerationAction; reason: string },
): Promise<ForumResult> {
  return refuse("forbidden");
}

/** CONTRACT: close a question (as a duplicate of a question or a KB article, or another reason); reopen with reason null. */
export async function closeQuestion(
  _db: Db,
  _actor: ForumActor,
  _input: { questionId: number; reason: QuestionCloseReason; duplicateOfQuestionId?: number | null; duplicateOfArticleId?: number | null; note?: string },
): Promise<ForumResult> {
  return refuse("forbidden");
}

export async function reopenQuestion(_db: Db, _actor: ForumActor, _input: { questionId: number; note: string }): Promise<ForumResult> {
  return refuse("forbidden");
}
