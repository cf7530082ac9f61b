import type { Db } from "../../../db/client";
import { diffLines, type LineDiff } from "../kb/diff";
import { listPostRevisions, revisionText, type PostRevision } from "./reads.server";

/**
 * A post's revision history and one comparison (default: the latest against the one before), for the
 * revision pages. Visibility of the post is checked by the caller.
 */
export async function getRevisionHistory(
  db: Db,
  postType: "question" | "answer",
  postId: number,
  wanted: { from?: number; to?: number },
): Promise<{ revisions: Omit<PostRevision, "bodyMd" | "title" | "tags">[]; comparison: { from: number; to: number; diff: LineDiff } | null }> {
  const revisions = await listPostRevisions(db, postType, postId);
  const latest = revisions[0]?.number ?? 0;
  const to = wanted.to ?? latest;
  const from = wanted.from ?? to - 1;
  const a = revisions.find((r) => r.number === from);
  const b = revisions.find((r) => r.number === to);
  return {
    revisions: revisions.map(({ bodyMd: _b, title: _t, tags: _g, ...r }) => r),
    comparison: a && b ? { from, to, diff: diffLines(revisionText(a), revisionText(b)) } : null,
  };
}
