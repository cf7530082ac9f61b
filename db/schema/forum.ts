import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { users } from "./identity";
import { kbArticles } from "./kb";

/**
 * The Q&A forum. Questions and answers keep markdown source beside sanitized HTML rendered at write time
 * (DESIGN.md). Counters (score, answer_count, …) are denormalized and changed only inside the
 * transaction that changes what they count, under a row lock, so they stay exact under concurrency.
 * Nothing is ever hard-deleted by a member or moderator: deleted_at / hidden_at hide it from readers.
 */

export const POST_TYPES = ["question", "answer"] as const;
export type PostType = (typeof POST_TYPES)[number];

export const QUESTION_CLOSE_REASONS = ["duplicate", "off_topic", "resolved_elsewhere", "other"] as const;
export type QuestionCloseReason = (typeof QUESTION_CLOSE_REASONS)[number];

export const forumTags = pgTable(
  "forum_tags",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    // Questions (not deleted) carrying the tag; kept by the commands that add and remove tags.
    questionCount: integer("question_count").notNull().default(0),
    createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [uniqueIndex("forum_tags_slug_key").on(t.slug), index("forum_tags_popular_idx").on(t.questionCount.desc(), t.id)],
);

export const forumQuestions = pgTable(
  "forum_questions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    // The asker's account when asked ("my account's questions" survives the asker moving on).
    accountId: integer("account_id"),
    title: text("title").notNull(),
    // Derived from the title for the URL /questions/<id>/<slug>; the id alone identifies the question.
    slug: text("slug").notNull(),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    bodyText: text("body_text").notNull(),
    locale: text("locale", { enum: ["en", "ja"] }).notNull().default("en"),
    // The knowledge-base article that did not help ("Still stuck? Ask the community").
    kbArticleId: integer("kb_article_id").references(() => kbArticles.id, { onDelete: "set null" }),
    score: integer("score").notNull().default(0),
    upvoteCount: integer("upvote_count").notNull().default(0),
    downvoteCount: integer("downvote_count").notNull().default(0),
    // Visible (not deleted, not hidden) answers.
    answerCount: integer("answer_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
    viewCount: integer("view_count").notNull().default(0),
    followerCount: integer("follower_count").notNull().default(0),
    acceptedAnswerId: integer("accepted_answer_id"),
    // Last question edit, answer, accept or comment: "recent activity" sort.
    lastActivityAt: tstz("last_activity_at").notNull().defaultNow(),
    closedAt: tstz("closed_at"),
    closedById: integer("closed_by_id").references(() => users.id, { onDelete: "set null" }),
    closeReason: text("close_reason", { enum: QUESTION_CLOSE_REASONS }),
    duplicateOfQuestionId: integer("duplicate_of_question_id"),
    duplicateOfArticleId: integer("duplicate_of_article_id").references(() => kbArticles.id, { onDelete: "set null" }),
    // Locked: no new answers, comments, votes or edits except by moderators.
    lockedAt: tstz("locked_at"),
    // Hidden by a moderator or by enough flags from trusted members; waits for review.
    hiddenAt: tstz("hidden_at"),
    hiddenReason: text("hidden_reason"),
    deletedAt: tstz("deleted_at"),
    // The asker (or anyone) asked for staff attention; the staff queue lists these.
    needsStaffAt: tstz("needs_staff_at"),
    revisionNumber: integer("revision_number").notNull().default(1),
    editedAt: tstz("edited_at"),
    ...timestamps,
  },
  (t) => [
    // The list: newest, recent activity, most votes; partial on what readers see.
    index("forum_questions_newest_idx").on(t.createdAt.desc(), t.id.desc()).where(sql`${t.deletedAt} is null and ${t.hiddenAt} is null`),
    index("forum_questions_activity_idx").on(t.lastActivityAt.desc(), t.id.desc()).where(sql`${t.deletedAt} is null and ${t.hiddenAt} is null`),
    index("forum_questions_votes_idx").on(t.score.desc(), t.id.desc()).where(sql`${t.deletedAt} is null and ${t.hiddenAt} is null`),
    index("forum_questions_unanswered_idx").on(t.createdAt.desc(), t.id.desc()).where(sql`${t.deletedAt} is null and ${t.hiddenAt} is null and ${t.answerCount} = 0`),
    index("forum_questions_author_idx").on(t.authorId, t.createdAt.desc()),
    index("forum_questions_account_idx").on(t.accountId, t.createdAt.desc()),
    index("forum_questions_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
  ],
);

export const forumQuestionTags = pgTable(
  "forum_question_tags",
  {
    questionId: integer("question_id")
      .notNull()
      .references(() => forumQuestions.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => forumTags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.tagId] }), index("forum_question_tags_tag_idx").on(t.tagId, t.questionId)],
);

export const forumAnswers = pgTable(
  "forum_answers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    questionId: integer("question_id")
      .notNull()
      .references(() => forumQuestions.id, { onDelete: "cascade" }),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    accountId: integer("account_id"),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    bodyText: text("body_text").notNull(),
    score: integer("score").notNull().default(0),
    upvoteCount: integer("upvote_count").notNull().default(0),
    downvoteCount: integer("downvote_count").notNull().default(0),
    commentCount: integer("comment_count").notNull().default(0),
    acceptedAt: tstz("accepted_at"),
    acceptedById: integer("accepted_by_id").references(() => users.id, { onDelete: "set null" }),
    hiddenAt: tstz("hidden_at"),
    hiddenReason: text("hidden_reason"),
    deletedAt: tstz("deleted_at"),
    // Set when staff promoted this answer into a knowledge-base draft.
    promotedArticleId: integer("promoted_article_id").references(() => kbArticles.id, { onDelete: "set null" }),
    revisionNumber: integer("revision_number").notNull().default(1),
    editedAt: tstz("edited_at"),
    ...timestamps,
  },
  (t) => [
    index("forum_answers_question_idx").on(t.questionId, t.score.desc(), t.id),
    index("forum_answers_author_idx").on(t.authorId, t.createdAt.desc()),
    // At most one accepted answer per question, whatever races happen.
    uniqueIndex("forum_answers_one_accepted_key").on(t.questionId).where(sql`${t.acceptedAt} is not null`),
  ],
);

/** Every version of a question or answer, the first included; revision 1 is the original post. */
export const forumPostRevisions = pgTable(
  "forum_post_revisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    postType: text("post_type", { enum: POST_TYPES }).notNull(),
    postId: integer("post_id").notNull(),
    number: integer("number").notNull(),
    // Questions only.
    title: text("title"),
    tags: jsonb("tags").$type<string[]>(),
    bodyMd: text("body_md").notNull(),
    authorId: integer("author_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("forum_post_revisions_post_number_key").on(t.postType, t.postId, t.number)],
);

export const forumComments = pgTable(
  "forum_comments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    postType: text("post_type", { enum: POST_TYPES }).notNull(),
    postId: integer("post_id").notNull(),
    // The question the comment is under (directly or on one of its answers): one read per page.
    questionId: integer("question_id")
      .notNull()
      .references(() => forumQuestions.id, { onDelete: "cascade" }),
    authorId: integer("author_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    body: text("body").notNull(),
    bodyHtml: text("body_html").notNull(),
    hiddenAt: tstz("hidden_at"),
    deletedAt: tstz("deleted_at"),
    ...timestamps,
  },
  (t) => [index("forum_comments_question_idx").on(t.questionId, t.id), index("forum_comments_author_idx").on(t.authorId)],
);

/** One vote per member per post; changing it updates the row, withdrawing deletes it (the ledger keeps history). */
export const forumVotes = pgTable(
  "forum_votes",
  {
    postType: text("post_type", { enum: POST_TYPES }).notNull(),
    postId: integer("post_id").notNull(),
    voterId: integer("voter_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    value: smallint("value").notNull(),
    // The version suffix of this vote's ledger entries (forumActivity.voteCast), to revoke them on change.
    ledgerVersion: text("ledger_version").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.postType, t.postId, t.voterId] }), index("forum_votes_voter_idx").on(t.voterId), check("forum_votes_value_check", sql`${t.value} in (-1, 1)`)],
);

export const FOLLOW_TARGETS = ["question", "tag"] as const;
export type FollowTarget = (typeof FOLLOW_TARGETS)[number];

export const forumFollows = pgTable(
  "forum_follows",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetType: text("target_type", { enum: FOLLOW_TARGETS }).notNull(),
    targetId: integer("target_id").notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [primaryKey({ columns: [t.userId, t.targetType, t.targetId] }), index("forum_follows_target_idx").on(t.targetType, t.targetId)],
);

export const NOTIFICATION_TYPES = ["answer_posted", "answer_accepted", "comment_posted", "mentioned", "question_tagged", "badge_awarded", "champion_granted", "post_edited"] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const DIGEST_FREQUENCIES = ["immediate", "daily", "weekly", "off"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** In-app notifications (the bell); the email digest sends each at most once (emailed_at). */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type", { enum: NOTIFICATION_TYPES }).notNull(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    questionId: integer("question_id").references(() => forumQuestions.id, { onDelete: "cascade" }),
    answerId: integer("answer_id"),
    commentId: integer("comment_id"),
    // Per-type details for the text (badge name, …).
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    // One notification per recipient per event, however many reasons they have to get it.
    dedupeKey: text("dedupe_key").notNull(),
    readAt: tstz("read_at"),
    // Included in an email (immediate or digest); null: not yet, or the member does not get email.
    emailedAt: tstz("emailed_at"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    uniqueIndex("notifications_dedupe_key").on(t.dedupeKey),
    index("notifications_user_idx").on(t.userId, t.id.desc()),
    index("notifications_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    index("notifications_unemailed_idx").on(t.userId, t.id).where(sql`${t.emailedAt} is null`),
  ],
);

/** Per-member forum settings; a member without a row has the defaults. */
export const memberSettings = pgTable("member_settings", {
  userId: integer("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  digestFrequency: text("digest_frequency", { enum: DIGEST_FREQUENCIES }).notNull().default("daily"),
  lastDigestAt: tstz("last_digest_at"),
  ...timestamps,
});

/** Reputation, materialized from the activity ledger (see features/forum/reputation.ts for the rules). */
export const memberReputation = pgTable(
  "member_reputation",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    reputation: integer("reputation").notNull().default(1),
    acceptedAnswers: integer("accepted_answers").notNull().default(0),
    answers: integer("answers").notNull().default(0),
    questions: integer("questions").notNull().default(0),
    updatedAt: timestamps.updatedAt,
  },
  (t) => [index("member_reputation_rank_idx").on(t.reputation.desc(), t.userId)],
);

export const BADGE_KINDS = ["automatic", "manual"] as const;

export const badges = pgTable(
  "badges",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    nameEn: text("name_en").notNull(),
    nameJa: text("name_ja").notNull(),
    descriptionEn: text("description_en").notNull().default(""),
    descriptionJa: text("description_ja").notNull().default(""),
    kind: text("kind", { enum: BADGE_KINDS }).notNull(),
    tier: text("tier", { enum: ["bronze", "silver", "gold"] }).notNull().default("bronze"),
    ...timestamps,
  },
  (t) => [uniqueIndex("badges_slug_key").on(t.slug)],
);

export const memberBadges = pgTable(
  "member_badges",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    badgeId: integer("badge_id")
      .notNull()
      .references(() => badges.id, { onDelete: "cascade" }),
    // What earned it; unique, so an award happens once per reason ("first-answer", "streak:2026-W07").
    awardKey: text("award_key").notNull(),
    awardedById: integer("awarded_by_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason"),
    awardedAt: tstz("awarded_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("member_badges_award_key").on(t.awardKey), index("member_badges_user_idx").on(t.userId, t.awardedAt.desc())],
);

export const CHAMPION_STATUSES = ["candidate", "confirmed", "revoked"] as const;
export type ChampionStatus = (typeof CHAMPION_STATUSES)[number];

/** Champion candidacy and decisions; users.champion_at is the visible mark (set while confirmed). */
export const championNominations = pgTable(
  "champion_nominations",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: CHAMPION_STATUSES }).notNull(),
    // What made them a candidate (accepted answers in 90 days, reputation, …) at the time.
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    candidateAt: tstz("candidate_at").notNull().defaultNow(),
    decidedAt: tstz("decided_at"),
    decidedById: integer("decided_by_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    ...timestamps,
  },
  (t) => [index("champion_nominations_status_idx").on(t.status, t.candidateAt)],
);

export const FLAG_REASONS = ["spam", "offensive", "off_topic", "needs_staff"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export const FLAG_STATUSES = ["open", "upheld", "dismissed"] as const;

export const forumFlags = pgTable(
  "forum_flags",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    targetType: text("target_type", { enum: ["question", "answer", "comment"] }).notNull(),
    targetId: integer("target_id").notNull(),
    questionId: integer("question_id")
      .notNull()
      .references(() => forumQuestions.id, { onDelete: "cascade" }),
    flaggerId: integer("flagger_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason", { enum: FLAG_REASONS }).notNull(),
    note: text("note"),
    // The flagger's reputation counted toward auto-hiding when they flagged.
    trusted: boolean("trusted").notNull().default(false),
    status: text("status", { enum: FLAG_STATUSES }).notNull().default("open"),
    resolvedById: integer("resolved_by_id").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: tstz("resolved_at"),
    createdAt: timestamps.createdAt,
  },
  (t) => [
    // One open flag per member per target.
    uniqueIndex("forum_flags_open_key").on(t.targetType, t.targetId, t.flaggerId).where(sql`${t.status} = 'open'`),
    index("forum_flags_queue_idx").on(t.status, t.createdAt),
  ],
);

/** Every moderator and staff action on content or members, with its reason: the audit log. */
export const moderationActions = pgTable(
  "moderation_actions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: integer("target_id").notNull(),
    reason: text("reason").notNull().default(""),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamps.createdAt,
  },
  (t) => [index("moderation_actions_target_idx").on(t.targetType, t.targetId, t.createdAt), index("moderation_actions_created_idx").on(t.createdAt.desc())],
);

/**
 * Raised by statement triggers (migration 0007) in the same transaction as any change a signed-out
 * reader of the forum could see (posts, counters other than views and followers, tags, reputation), so
 * reader caches (features/cache/content-cache.server.ts) know when their copies are stale.
 */
export const forumContentVersion = pgTable("forum_content_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
