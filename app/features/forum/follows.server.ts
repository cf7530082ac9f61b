import type { Db } from "../../../db/client";
import { refuse, type ForumActor, type ForumResult } from "./result";

/** CONTRACT (filled in by the notifications work): follow or unfollow a question or a tag. */
export async function setFollow(
  _db: Db,
  _actor: ForumActor,
  _input: { targetType: "question" | "tag"; targetId: number; follow: boolean },
): Promise<ForumResult<{ following: boolean }>> {
  return refuse("forbidden");
}

/** CONTRACT: whether the user follows each target (for the question page and tag pages). */
export async function isFollowing(_db: Db, _userId: number, _targetType: "question" | "tag", _targetId: number): Promise<boolean> {
  return false;
}
