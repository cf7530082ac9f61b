import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { FOLLOW_TARGETS, forumFollows, forumQuestions, forumTags, users } from "../../../db/schema";
import { can } from "../auth/permissions";
import { issuesToFieldErrors } from "../forms/parse";
import { refuse, type ForumActor, type ForumResult } from "./result";

/**
 * Following questions and tags. A follow is one row per (member, target); forum_questions.follower_count is
 * changed only by the statement that actually inserted or deleted that row (ON CONFLICT DO NOTHING /
 * DELETE … RETURNING), with an in-place increment, so the counter stays exact when the same member
 * double-clicks or many members follow at once.
 */

export const setFollowSchema = z.object({
  targetType: z.enum(FOLLOW_TARGETS),
  targetId: z.coerce.number().int().positive().max(2_147_483_647),
  follow: z.boolean(),
});

/**
 * Follow or unfollow a question or a tag; idempotent (following twice is one follow).
 * Who: any signed-in member who is not suspended; a question must be visible to them (moderators also see
 * hidden ones). Side effects: forum_follows row; forum_questions.follower_count ± 1 when the row changed.
 */
export async function setFollow(
  db: Db,
  actor: ForumActor,
  input: { targetType: "question" | "tag"; targetId: number; follow: boolean },
): Promise<ForumResult<{ following: boolean }>> {
  const parsed = setFollowSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const { targetType, targetId, follow } = parsed.data;

  const [member] = await db.select({ suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, actor.id));
  if (!member) return refuse("forbidden");
  // A suspended member can only read.
  if (member.suspendedAt) return refuse("suspended");

  if (targetType === "tag") {
    const [tag] = await db.select({ id: forumTags.id }).from(forumTags).where(eq(forumTags.id, targetId));
    if (!tag) return refuse("not_found");
  } else {
    const [question] = await db
      .select({ deletedAt: forumQuestions.deletedAt, hiddenAt: forumQuestions.hiddenAt })
      .from(forumQuestions)
      .where(eq(forumQuestions.id, targetId));
    // Unfollowing a question that has since been hidden is always allowed: it only reduces mail.
    if (!question || (follow && (question.deletedAt || question.hiddenAt) && !can(actor, "forum.moderate"))) return refuse("not_found");
  }

  await db.transaction(async (tx) => {
    if (follow) await addFollow(tx, actor.id, targetType, targetId);
    else await removeFollow(tx, actor.id, targetType, targetId);
  });
  return { ok: true, following: follow };
}

/**
 * The asker and everyone who answers follow the question automatically, so they hear about new answers,
 * accepts and comments. Called by the posting commands inside their transaction; idempotent, and a member
 * who unfollowed is followed again only when they post again. No authorization: the caller has done it.
 */
export async function followAsParticipant(db: Db, userId: number, questionId: number): Promise<void> {
  await addFollow(db, userId, "question", questionId);
}

async function addFollow(db: Db, userId: number, targetType: "question" | "tag", targetId: number): Promise<void> {
  const inserted = await db
    .insert(forumFollows)
    .values({ userId, targetType, targetId })
    .onConflictDoNothing()
    .returning({ userId: forumFollows.userId });
  if (inserted.length > 0 && targetType === "question") {
    await db
      .update(forumQuestions)
      .set({ followerCount: sql`${forumQuestions.followerCount} + 1` })
      .where(eq(forumQuestions.id, targetId));
  }
}

async function removeFollow(db: Db, userId: number, targetType: "question" | "tag", targetId: number): Promise<void> {
  const deleted = await db
    .delete(forumFollows)
    .where(and(eq(forumFollows.userId, userId), eq(forumFollows.targetType, targetType), eq(forumFollows.targetId, targetId)))
    .returning({ userId: forumFollows.userId });
  if (deleted.length > 0 && targetType === "question") {
    await db
      .update(forumQuestions)
      .set({ followerCount: sql`greatest(${forumQuestions.followerCount} - 1, 0)` })
      .where(eq(forumQuestions.id, targetId));
  }
}

/** CONTRACT: whether the user follows each target (for the question page and tag pages). */
export async function isFollowing(db: Db, userId: number, targetType: "question" | "tag", targetId: number): Promise<boolean> {
  const [row] = await db
    .select({ userId: forumFollows.userId })
    .from(forumFollows)
    .where(and(eq(forumFollows.userId, userId), eq(forumFollows.targetType, targetType), eq(forumFollows.targetId, targetId)));
  return !!row;
}

export interface FollowedTag {
  id: number;
  slug: string;
  name: string;
}

/** The tags a member follows, by name (settings page). */
export async function listFollowedTags(db: Db, userId: number): Promise<FollowedTag[]> {
  return db
    .select({ id: forumTags.id, slug: forumTags.slug, name: forumTags.name })
    .from(forumFollows)
    .innerJoin(forumTags, eq(forumTags.id, forumFollows.targetId))
    .where(and(eq(forumFollows.userId, userId), eq(forumFollows.targetType, "tag")))
    .orderBy(asc(forumTags.name), asc(forumTags.id));
}
