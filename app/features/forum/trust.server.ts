import type { Db } from "../../../db/client";
import type { FieldErrors } from "../forms/parse";

/**
 * CONTRACT (filled in by the moderation work): every forum write command calls checkPostingAllowed inside
 * its transaction before writing. It refuses suspended members (reason "suspended"), and applies the
 * new-member limits of reputation.ts POSTING_LIMITS (posts/comments per hour, links per post) with
 * field-level errors. `bodyMd` is the markdown being posted (links are counted in it).
 */
export type PostingKind = "question" | "answer" | "comment" | "edit" | "vote" | "flag";

export type PostingCheck = { ok: true } | { ok: false; reason: "suspended" } | { ok: false; fieldErrors: FieldErrors };

export async function checkPostingAllowed(_db: Db, _actor: { id: number; role: string }, _input: { kind: PostingKind; bodyMd?: string }): Promise<PostingCheck> {
  return { ok: true };
}
