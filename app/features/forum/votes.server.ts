import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { activities, forumAnswers, forumQuestions, forumVotes } from "../../../db/schema";
import { can } from "../auth/permissions";
import { recordActivities, revokeActivity } from "../engagement/activities.server";
import { issuesToFieldErrors } from "../forms/parse";
import { forumActivity, voteKeys } from "./activity";
import { idField, postTypeField } from "./forum.schema";
import { getReputation, refreshMemberStats } from "./member-stats.server";
import { hasPrivilege } from "./reputation";
import { refuse, type ForumActor, type ForumResult } from "./result";
import { checkPostingAllowed } from "./trust.server";

const voteInputSchema = z.object({
  postType: postTypeField,
  postId: idField(),
  value: z.union([z.literal(1), z.literal(-1), z.literal(0)], { error: "form.invalid" }),
});

type PostType = "question" | "answer";

/**
 * The post being voted on, locked FOR UPDATE: every vote on one post runs one after the other from here,
 * so counters move by exact deltas and a member's two simultaneous votes cannot both insert.
 */
async function lockPost(db: Db, postType: PostType, postId: number) {
  if (postType === "question") {
    const [q] = await db
      .select({ authorId: forumQuestions.authorId, deletedAt: forumQuestions.deletedAt, hiddenAt: forumQuestions.hiddenAt, lockedAt: forumQuestions.lockedAt })
      .from(forumQuestions)
      .where(eq(forumQuestions.id, postId))
      .for("update");
    return q;
  }
  const [a] = await db
    .select({ authorId: forumAnswers.authorId, deletedAt: forumAnswers.deletedAt, hiddenAt: forumAnswers.hiddenAt, questionId: forumAnswers.questionId })
    .from(forumAnswers)
    .where(eq(forumAnswers.id, postId))
    .for("update");
  if (!a) return undefined;
  // The question is only read: votes on its answers need not wait for each other on it.
  const [q] = await db
    .select({ deletedAt: forumQuestions.deletedAt, hiddenAt: forumQuestions.hiddenAt, lockedAt: forumQuestions.lockedAt })
    .from(forumQuestions)
    .where(eq(forumQuestions.id, a.questionId));
  return { authorId: a.authorId, deletedAt: a.deletedAt ?? q?.deletedAt ?? null, hiddenAt: a.hiddenAt ?? q?.hiddenAt ?? null, lockedAt: q?.lockedAt ?? null };
}

/**
 * A ledger version no earlier entry of this vote used: the time of the change, moved on by a millisecond
 * when a vote is cast, withdrawn and cast again within one (the old, revoked key must not swallow the new entry).
 */
export async function freshLedgerVersion(db: Db, keysFor: (version: string) => string[], at = new Date()): Promise<string> {
  for (let time = at.getTime(); ; time++) {
    const version = new Date(time).toISOString();
    const keys = keysFor(version);
    const [taken] = await db.select({ id: activities.id }).from(activities).where(inArray(activities.idempotencyKey, keys)).limit(1);
    if (!taken) return version;
  }
}

/**
 * Cast (1, -1), change or withdraw (0) the actor's vote on a question or answer. Members vote once per post,
 * never on their own posts; downvoting needs PRIVILEGES.downvote reputation (moderators have it by role).
 * Deleted or hidden posts are not found; posts under a locked question refuse votes.
 * Side effects, in one transaction: forum_votes row; the post's score/upvote_count/downvote_count; ledger
 * forum.vote.cast (voter) + forum.vote.received (author), the previous pair revoked on change or withdrawal;
 * the author's member stats refreshed.
 */
export async function castVote(
  db: Db,
  actor: ForumActor,
  input: { postType: "question" | "answer"; postId: number; value: 1 | -1 | 0 },
): Promise<ForumResult<{ score: number; myVote: -1 | 0 | 1 }>> {
  const parsed = voteInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const { postType, postId, value } = parsed.data;
  const isModerator = can(actor, "forum.moderate");

  return db.transaction(async (tx): Promise<ForumResult<{ score: number; myVote: -1 | 0 | 1 }>> => {
    const allowed = await checkPostingAllowed(tx, actor, { kind: "vote" });
    if (!allowed.ok) return "reason" in allowed ? refuse(allowed.reason) : { ok: false, fieldErrors: allowed.fieldErrors };

    const post = await lockPost(tx, postType, postId);
    if (!post || post.deletedAt || post.hiddenAt) return refuse("not_found");
    if (post.lockedAt) return refuse("locked");
    if (post.authorId === actor.id) return refuse("forbidden");

    const table = postType === "question" ? forumQuestions : forumAnswers;
    const [existing] = await tx
      .select({ value: forumVotes.value, ledgerVersion: forumVotes.ledgerVersion })
      .from(forumVotes)
      .where(and(eq(forumVotes.postType, postType), eq(forumVotes.postId, postId), eq(forumVotes.voterId, actor.id)));
    const previous = (existing?.value ?? 0) as -1 | 0 | 1;
    if (previous === value) {
      const [current] = await tx.select({ score: table.score }).from(table).where(eq(table.id, postId));
      return { ok: true, score: current!.score, myVote: value };
    }
    if (value === -1 && !isModerator && !hasPrivilege(await getReputation(tx, actor.id), "downvote")) return refuse("forbidden");

    const now = new Date();
    if (existing) {
      const old = voteKeys(postType, postId, actor.id, existing.ledgerVersion);
      await revokeActivity(tx, old.cast, now);
      await revokeActivity(tx, old.received, now);
    }
    if (value === 0) {
      await tx.delete(forumVotes).where(and(eq(forumVotes.postType, postType), eq(forumVotes.postId, postId), eq(forumVotes.voterId, actor.id)));
    } else {
      const version = await freshLedgerVersion(tx, (v) => Object.values(voteKeys(postType, postId, actor.id, v)), now);
      if (existing) {
        await tx
          .update(forumVotes)
          .set({ value, ledgerVersion: version, updatedAt: now })
          .where(and(eq(forumVotes.postType, postType), eq(forumVotes.postId, postId), eq(forumVotes.voterId, actor.id)));
      } else {
        await tx.insert(forumVotes).values({ postType, postId, voterId: actor.id, value, ledgerVersion: version, createdAt: now, updatedAt: now });
      }
      await recordActivities(tx, [
        { ...forumActivity.voteCast({ postType, postId, voterId: actor.id, value, version }), occurredAt: now },
        { ...forumActivity.voteReceived({ postType, postId, voterId: actor.id, authorId: post.authorId, value, version }), occurredAt: now },
      ]);
    }

    // Deltas applied to the locked row (x = x + d), never a value computed in JavaScript from an earlier read.
    const up = (value === 1 ? 1 : 0) - (previous === 1 ? 1 : 0);
    const down = (value === -1 ? 1 : 0) - (previous === -1 ? 1 : 0);
    const [updated] = await tx
      .update(table)
      .set({
        score: sql`${table.score} + ${value - previous}::int`,
        upvoteCount: sql`${table.upvoteCount} + ${up}::int`,
        downvoteCount: sql`${table.downvoteCount} + ${down}::int`,
      })
      .where(eq(table.id, postId))
      .returning({ score: table.score });

    await refreshMemberStats(tx, [post.authorId]);
    return { ok: true, score: updated!.score, myVote: value };
  });
}

/** The viewer's votes on a page's posts, for showing which arrows are pressed. */
export async function getMyVotes(db: Db, voterId: number, postType: PostType, postIds: readonly number[]): Promise<Map<number, -1 | 1>> {
  if (postIds.length === 0) return new Map();
  const rows = await db
    .select({ postId: forumVotes.postId, value: forumVotes.value })
    .from(forumVotes)
    .where(and(eq(forumVotes.postType, postType), eq(forumVotes.voterId, voterId), inArray(forumVotes.postId, [...postIds])));
  return new Map(rows.map((r) => [r.postId, r.value as -1 | 1]));
}
