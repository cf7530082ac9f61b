import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumAnswers, forumComments, forumQuestions, memberReputation, users, type Role } from "../../../db/schema";
import { can } from "../auth/permissions";
import type { FieldErrors } from "../forms/parse";
import { MINIMUM_REPUTATION, NEW_MEMBER_REPUTATION, POSTING_LIMITS } from "./reputation";

/**
 * CONTRACT (filled in by the moderation work): every forum write command calls checkPostingAllowed inside
 * its transaction before writing. It refuses suspended members (reason "suspended"), and applies the
 * new-member limits of reputation.ts POSTING_LIMITS (posts/comments per hour, links per post) with
 * field-level errors. `bodyMd` is the markdown being posted (links are counted in it).
 *
 * Field errors: too many links → on "bodyMd" (on "body" for comments, the comment form's field); too many
 * posts or comments in the last hour → on "_form" (the form's general error).
 * Moderators, staff and admins are exempt from the limits, never from suspension. Votes and flags are only
 * checked for suspension: they have their own rules (reputation thresholds, one flag per post).
 */
export type PostingKind = "question" | "answer" | "comment" | "edit" | "vote" | "flag";

export type PostingCheck = { ok: true } | { ok: false; reason: "suspended" } | { ok: false; fieldErrors: FieldErrors };

/** The rolling window of the hourly limits. */
const LIMIT_WINDOW_MS = 60 * 60 * 1000;

/** A missing user counts as suspended: whoever holds a stale actor for a deleted account may only read. */
export async function isSuspended(db: Db, userId: number): Promise<boolean> {
  const [row] = await db.select({ suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, userId));
  return !row || row.suspendedAt !== null;
}

export async function checkPostingAllowed(db: Db, actor: { id: number; role: string }, input: { kind: PostingKind; bodyMd?: string }): Promise<PostingCheck> {
  // An unknown role string is in no permission list, so the cast cannot grant anything.
  const exempt = input.kind === "vote" || input.kind === "flag" || can({ id: actor.id, role: actor.role as Role }, "forum.moderate");
  const since = new Date(Date.now() - LIMIT_WINDOW_MS);
  const countsPosts = !exempt && (input.kind === "question" || input.kind === "answer");
  const countsComments = !exempt && input.kind === "comment";
  // One round trip for suspension, reputation and the hour's posts: this runs inside every posting
  // transaction, and on the embedded database every statement there holds up every other writer.
  // Deleted posts count too: deleting a spam post must not make room for the next one.
  const [state] = await db
    .select({
      suspendedAt: users.suspendedAt,
      reputation: sql<number | null>`(select ${memberReputation.reputation} from ${memberReputation} where ${memberReputation.userId} = ${actor.id})`,
      recentPosts: countsPosts
        ? sql<number>`(select count(*)::int from ${forumQuestions} where ${forumQuestions.authorId} = ${actor.id} and ${forumQuestions.createdAt} > ${since.toISOString()}::timestamptz)
            + (select count(*)::int from ${forumAnswers} where ${forumAnswers.authorId} = ${actor.id} and ${forumAnswers.createdAt} > ${since.toISOString()}::timestamptz)`
        : sql<number>`0`,
      recentComments: countsComments
        ? sql<number>`(select count(*)::int from ${forumComments} where ${forumComments.authorId} = ${actor.id} and ${forumComments.createdAt} > ${since.toISOString()}::timestamptz)`
        : sql<number>`0`,
    })
    .from(users)
    .where(eq(users.id, actor.id));
  if (!state || state.suspendedAt !== null) return { ok: false, reason: "suspended" };
  if (exempt) return { ok: true };

  const reputation = state.reputation ?? MINIMUM_REPUTATION;
  const limits = reputation < NEW_MEMBER_REPUTATION ? POSTING_LIMITS.newMember : POSTING_LIMITS.member;
  const isNew = limits === POSTING_LIMITS.newMember;

  if (input.bodyMd !== undefined && countLinks(input.bodyMd) > limits.linksPerPost) {
    const key = isNew ? "moderation.limit.linksNewMember" : "moderation.limit.links";
    return { ok: false, fieldErrors: { [input.kind === "comment" ? "body" : "bodyMd"]: [key] } };
  }
  if (countsPosts && Number(state.recentPosts) >= limits.postsPerHour) {
    return { ok: false, fieldErrors: { _form: [isNew ? "moderation.limit.postsNewMember" : "moderation.limit.posts"] } };
  }
  if (countsComments && Number(state.recentComments) >= limits.commentsPerHour) {
    return { ok: false, fieldErrors: { _form: [isNew ? "moderation.limit.commentsNewMember" : "moderation.limit.comments"] } };
  }
  return { ok: true };
}

// Each pattern is removed once counted, so `[https://a.example](https://a.example)` is one link, not two.
// Images are removed first without counting: they are not links (whether images are allowed is the renderer's call).
const MARKDOWN_IMAGE = /!\[[^\]\n]*\]\([^)\n]*\)/g;
const MARKDOWN_LINK = /\[[^\]\n]*\]\([^)\n]*\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:\s*\S+/gm;
const HTML_LINK = /<a\s[^>]*href\s*=/gi;
const AUTOLINK = /<(?:[a-z][a-z0-9+.-]{1,31}:[^\s<>]+|[^\s<>@]+@[^\s<>@]+)>/gi;
const BARE_URL = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>]+/gi;

/**
 * Links in a markdown source, as a reader would see them: inline links, reference definitions,
 * raw <a href>, autolinks <https://…> and bare URLs (GFM links those). A cheap over-estimate is fine here:
 * the limit is generous for real questions and only has to stop link floods.
 */
export function countLinks(markdown: string): number {
  let rest = markdown.replace(MARKDOWN_IMAGE, " ");
  let total = 0;
  for (const pattern of [MARKDOWN_LINK, REFERENCE_DEFINITION, HTML_LINK, AUTOLINK, BARE_URL]) {
    rest = rest.replace(pattern, () => {
      total += 1;
      return " ";
    });
  }
  return total;
}
