import { and, count, eq, gt } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumAnswers, forumComments, forumQuestions, users, type Role } from "../../../db/schema";
import { can } from "../auth/permissions";
import type { FieldErrors } from "../forms/parse";
import { getReputation } from "./member-stats.server";
import { NEW_MEMBER_REPUTATION, POSTING_LIMITS } from "./reputation";

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
  if (await isSuspended(db, actor.id)) return { ok: false, reason: "suspended" };
  if (input.kind === "vote" || input.kind === "flag") return { ok: true };
  // An unknown role string is in no permission list, so the cast cannot grant anything.
  if (can({ id: actor.id, role: actor.role as Role }, "forum.moderate")) return { ok: true };

  const reputation = await getReputation(db, actor.id);
  const limits = reputation < NEW_MEMBER_REPUTATION ? POSTING_LIMITS.newMember : POSTING_LIMITS.member;

  if (input.bodyMd !== undefined && countLinks(input.bodyMd) > limits.linksPerPost) {
    const key = limits === POSTING_LIMITS.newMember ? "moderation.limit.linksNewMember" : "moderation.limit.links";
    return { ok: false, fieldErrors: { [input.kind === "comment" ? "body" : "bodyMd"]: [key] } };
  }

  const since = new Date(Date.now() - LIMIT_WINDOW_MS);
  if (input.kind === "question" || input.kind === "answer") {
    // Deleted posts count too: deleting a spam post must not make room for the next one.
    const [questions] = await db
      .select({ n: count() })
      .from(forumQuestions)
      .where(and(eq(forumQuestions.authorId, actor.id), gt(forumQuestions.createdAt, since)));
    const [answers] = await db
      .select({ n: count() })
      .from(forumAnswers)
      .where(and(eq(forumAnswers.authorId, actor.id), gt(forumAnswers.createdAt, since)));
    if ((questions?.n ?? 0) + (answers?.n ?? 0) >= limits.postsPerHour) {
      const key = limits === POSTING_LIMITS.newMember ? "moderation.limit.postsNewMember" : "moderation.limit.posts";
      return { ok: false, fieldErrors: { _form: [key] } };
    }
  }
  if (input.kind === "comment") {
    const [comments] = await db
      .select({ n: count() })
      .from(forumComments)
      .where(and(eq(forumComments.authorId, actor.id), gt(forumComments.createdAt, since)));
    if ((comments?.n ?? 0) >= limits.commentsPerHour) {
      const key = limits === POSTING_LIMITS.newMember ? "moderation.limit.commentsNewMember" : "moderation.limit.comments";
      return { ok: false, fieldErrors: { _form: [key] } };
    }
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
