import type { Db } from "../../../db/client";
import { refuse, type ForumActor, type ForumResult } from "./result";

/**
 * CONTRACT (filled in by the votes/reputation work). value 1 = up, -1 = down, 0 = withdraw.
 * Returns the post's new score and the actor's vote.
 */
export async function castVote(
  _db: Db,
  _actor: ForumActor,
  _input: { postType: "question" | "answer"; postId: number; value: 1 | -1 | 0 },
): Promise<ForumResult<{ score: number; myVote: -1 | 0 | 1 }>> {
  return refuse("forbidden");
}
