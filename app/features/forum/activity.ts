import type { ActivityInput } from "../engagement/activities.server";

/**
 * How the forum writes the activity ledger: every producer builds its entries here, so the keys (which make
 * recording idempotent) and metadata (which reputation reads) have one spelling.
 *
 * A vote or accept that is changed or withdrawn revokes its entries (revokeActivity) and, when changed,
 * records new ones under a new `version` (the time of the change, ISO), so history shows each decision.
 */

type Entry = Omit<ActivityInput, "occurredAt"> & { occurredAt?: Date };

export const forumActivity = {
  questionAsked: (questionId: number, askerId: number): Entry => ({
    type: "forum.question.asked",
    userId: askerId,
    subjectType: "forum_question",
    subjectId: questionId,
    idempotencyKey: `forum.question.asked:${questionId}`,
  }),
  answerPosted: (answerId: number, questionId: number, answererId: number): Entry => ({
    type: "forum.answer.posted",
    userId: answererId,
    subjectType: "forum_answer",
    subjectId: answerId,
    metadata: { questionId },
    idempotencyKey: `forum.answer.posted:${answerId}`,
  }),
  /** Two entries per accept: the answerer's (reputation) and the acceptor's. */
  answerAccepted: (
    role: "answerer" | "acceptor",
    input: { answerId: number; questionId: number; userId: number; answererId: number; acceptedById: number; version: string },
  ): Entry => ({
    type: "forum.answer.accepted",
    userId: input.userId,
    subjectType: "forum_answer",
    subjectId: input.answerId,
    metadata: { role, questionId: input.questionId, answererId: input.answererId, acceptedById: input.acceptedById },
    idempotencyKey: `forum.answer.accepted:${input.answerId}:${role}:${input.version}`,
  }),
  voteCast: (input: { postType: "question" | "answer"; postId: number; voterId: number; value: 1 | -1; version: string }): Entry => ({
    type: "forum.vote.cast",
    userId: input.voterId,
    subjectType: `forum_${input.postType}`,
    subjectId: input.postId,
    metadata: { postType: input.postType, value: input.value },
    idempotencyKey: `forum.vote.cast:${input.postType}:${input.postId}:${input.voterId}:${input.version}`,
  }),
  voteReceived: (input: { postType: "question" | "answer"; postId: number; voterId: number; authorId: number; value: 1 | -1; version: string }): Entry => ({
    type: "forum.vote.received",
    userId: input.authorId,
    subjectType: `forum_${input.postType}`,
    subjectId: input.postId,
    metadata: { postType: input.postType, value: input.value, voterId: input.voterId },
    idempotencyKey: `forum.vote.received:${input.postType}:${input.postId}:${input.voterId}:${input.version}`,
  }),
  commentPosted: (commentId: number, questionId: number, authorId: number): Entry => ({
    type: "forum.comment.posted",
    userId: authorId,
    subjectType: "forum_comment",
    subjectId: commentId,
    metadata: { questionId },
    idempotencyKey: `forum.comment.posted:${commentId}`,
  }),
  badgeEarned: (memberBadgeId: number, userId: number, badgeSlug: string): Entry => ({
    type: "forum.badge.earned",
    userId,
    subjectType: "member_badge",
    subjectId: memberBadgeId,
    metadata: { badge: badgeSlug },
    idempotencyKey: `forum.badge.earned:${memberBadgeId}`,
  }),
  championGranted: (userId: number, grantedById: number, version: string): Entry => ({
    type: "forum.champion.granted",
    userId,
    subjectType: "user",
    subjectId: userId,
    metadata: { grantedById },
    idempotencyKey: `forum.champion.granted:${userId}:${version}`,
  }),
};

/** The key to revoke when a vote is withdrawn or changed (both entries share the suffix). */
export function voteKeys(postType: "question" | "answer", postId: number, voterId: number, version: string) {
  return {
    cast: `forum.vote.cast:${postType}:${postId}:${voterId}:${version}`,
    received: `forum.vote.received:${postType}:${postId}:${voterId}:${version}`,
  };
}
