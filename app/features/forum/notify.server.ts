import type { Db } from "../../../db/client";

/**
 * CONTRACT (filled in by the notifications work): the forum's commands call notifyForumEvent inside their
 * transaction after the write. It decides who hears about it (the question's followers, followers of its
 * tags, the asker, the answer's author, @mentioned members in `text`), never the actor, and writes one
 * notification per recipient per event (dedupe key), then queues email per each recipient's digest setting.
 */
export type ForumEvent =
  | { type: "question_asked"; questionId: number; actorId: number; tagIds: number[]; text: string }
  | { type: "answer_posted"; questionId: number; answerId: number; actorId: number; text: string }
  | { type: "answer_accepted"; questionId: number; answerId: number; actorId: number; answerAuthorId: number }
  | { type: "comment_posted"; questionId: number; answerId: number | null; commentId: number; actorId: number; text: string }
  | { type: "badge_awarded"; userId: number; memberBadgeId: number; badgeSlug: string; actorId: number | null }
  | { type: "champion_granted"; userId: number; actorId: number };

export async function notifyForumEvent(_db: Db, _event: ForumEvent): Promise<void> {
  // Filled in by the notifications work.
}
