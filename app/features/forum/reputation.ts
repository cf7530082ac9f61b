/**
 * Reputation, privileges and trust limits: the forum's documented, fixed rules, in one place (README links
 * here). Reputation is computed from the activity ledger (features/forum/member-stats.server.ts), so every
 * point can be explained entry by entry; these are the only numbers it uses.
 */

/** Points per ledger entry. Vote points go to the post's author (forum.vote.received). */
export const REPUTATION_POINTS = {
  questionUpvoted: 5,
  questionDownvoted: -2,
  answerUpvoted: 10,
  answerDownvoted: -2,
  // forum.answer.accepted, role "answerer" / role "acceptor" (asker accepting someone else's answer).
  answerAccepted: 15,
  acceptedAnAnswer: 2,
} as const;

/**
 * At most this many points per UTC day from votes received (upvotes; downvotes always count). Accepted
 * answers are exempt, as on Stack Overflow: they are one decision by the asker, not a popularity count.
 */
export const DAILY_VOTE_REPUTATION_CAP = 200;

/** Everyone starts with 1, and reputation never goes below it. */
export const MINIMUM_REPUTATION = 1;

/**
 * Privileges earned by reputation. Moderators, staff and admins have all of them by role
 * (can(user, "forum.moderate")). Thresholds are low next to Stack Overflow's because a customer community
 * is small: a member who has had a couple of answers accepted should be able to downvote.
 */
export const PRIVILEGES = {
  /** Upvote questions and answers (any signed-in, verified, not suspended member). */
  upvote: 1,
  /** Flags from members at or above this count toward hiding a post before a moderator looks. */
  trustedFlagger: 50,
  downvote: 50,
  /** Create a tag that does not exist yet while asking. */
  createTags: 100,
  /** Edit other members' questions and answers (a revision is kept; the author is notified). */
  editOthersPosts: 500,
  /** See the flag review queue and resolve flags. */
  reviewQueue: 1000,
} as const;
export type Privilege = keyof typeof PRIVILEGES;

export function hasPrivilege(reputation: number, privilege: Privilege): boolean {
  return reputation >= PRIVILEGES[privilege];
}

/**
 * New members (below NEW_MEMBER_REPUTATION) are limited until they earn some reputation, as Discourse's
 * trust level 0: spam and first-day floods stay small. Everyone keeps a generous ceiling.
 */
export const NEW_MEMBER_REPUTATION = 10;
export const POSTING_LIMITS = {
  newMember: { postsPerHour: 5, linksPerPost: 2, commentsPerHour: 10 },
  member: { postsPerHour: 30, linksPerPost: 20, commentsPerHour: 60 },
} as const;

/** Trusted flags (PRIVILEGES.trustedFlagger) on one post that hide it until a moderator reviews it. */
export const FLAGS_TO_HIDE = 3;

/**
 * Champion candidacy: a member becomes a candidate when, within the last CHAMPION_WINDOW_DAYS, they had at
 * least CHAMPION_MIN_ACCEPTED answers accepted (by others) and hold at least CHAMPION_MIN_REPUTATION.
 * Staff confirm or revoke; nothing becomes a champion automatically.
 */
export const CHAMPION_WINDOW_DAYS = 90;
export const CHAMPION_MIN_ACCEPTED = 5;
export const CHAMPION_MIN_REPUTATION = 200;

/** Questions without an answer for this long appear in the staff queue. */
export const UNANSWERED_ALERT_HOURS = 48;
