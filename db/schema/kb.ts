import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { LOCALES, users } from "./identity";

/** Who may read an article: anyone, signed-in users, or staff only. */
export const KB_VISIBILITIES = ["public", "customers", "staff"] as const;
export type KbVisibility = (typeof KB_VISIBILITIES)[number];

/** scheduled: waits for its kb.publish_scheduled job; unpublished: was public once, now withdrawn. */
export const KB_ARTICLE_STATUSES = ["draft", "published", "scheduled", "unpublished"] as const;
export type KbArticleStatus = (typeof KB_ARTICLE_STATUSES)[number];

/** Why a reader answered "No" to "Was this helpful?". */
export const KB_FEEDBACK_REASONS = ["outdated", "unclear", "didnt_solve", "other"] as const;
export type KbFeedbackReason = (typeof KB_FEEDBACK_REASONS)[number];

/** One table-of-contents entry, as the markdown renderer produces it (db/ does not import app code). */
export type KbTocEntry = { depth: 2 | 3; id: string; text: string };

/** Groups of articles on /kb ("Getting started", "Billing"); names in both languages, one URL slug. */
export const kbCollections = pgTable(
  "kb_collections",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    nameEn: text("name_en").notNull(),
    nameJa: text("name_ja").notNull(),
    descriptionEn: text("description_en").notNull().default(""),
    descriptionJa: text("description_ja").notNull().default(""),
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex("kb_collections_slug_key").on(t.slug), index("kb_collections_position_idx").on(t.position, t.id)],
);

/**
 * Knowledge-base articles. body_html, toc, body_text, word_count and reading_minutes are derived from
 * body_md at write time by the one markdown renderer; pages never render markdown per request.
 * updated_at moves only when content or publication state changes, never for view or feedback counters,
 * so "last updated" and the feed mean what a reader expects.
 */
export const kbArticles = pgTable(
  "kb_articles",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    collectionId: integer("collection_id")
      .notNull()
      .references(() => kbCollections.id, { onDelete: "restrict" }),
    locale: text("locale", { enum: LOCALES }).notNull(),
    // Articles that are translations of each other share this id; at most one per locale.
    translationGroupId: uuid("translation_group_id").notNull().defaultRandom(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    bodyMd: text("body_md").notNull(),
    bodyHtml: text("body_html").notNull(),
    toc: jsonb("toc").$type<KbTocEntry[]>().notNull().default(sql`'[]'::jsonb`),
    bodyText: text("body_text").notNull(),
    wordCount: integer("word_count").notNull().default(0),
    readingMinutes: integer("reading_minutes").notNull().default(1),
    visibility: text("visibility", { enum: KB_VISIBILITIES }).notNull().default("public"),
    status: text("status", { enum: KB_ARTICLE_STATUSES }).notNull().default("draft"),
    // First publication; kept when an article is unpublished and published again.
    publishedAt: tstz("published_at"),
    scheduledFor: tstz("scheduled_for"),
    position: integer("position").notNull().default(0),
    ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
    reviewBy: date("review_by", { mode: "string" }),
    currentRevisionId: integer("current_revision_id").references((): AnyPgColumn => kbArticleRevisions.id, { onDelete: "set null" }),
    // The number of the current revision; a save must name it (stale-save detection).
    revisionNumber: integer("revision_number").notNull().default(0),
    // Set when the article was promoted from a community answer: the answerer is credited on the page.
    creditedUserId: integer("credited_user_id").references(() => users.id, { onDelete: "set null" }),
    sourceUrl: text("source_url"),
    viewCountTotal: integer("view_count_total").notNull().default(0),
    // Related-article candidates, best first, computed when articles change (refreshRelatedArticles), so a
    // page view reads them by primary key instead of scoring neighbours. Null: not computed yet.
    // Visibility is applied when they are read, so a stale list can never show a hidden article.
    relatedArticleIds: integer("related_article_ids").array(),
    relatedRefreshedAt: tstz("related_refreshed_at"),
    helpfulYes: integer("helpful_yes").notNull().default(0),
    helpfulNo: integer("helpful_no").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("kb_articles_collection_slug_key").on(t.collectionId, t.slug),
    uniqueIndex("kb_articles_translation_locale_key").on(t.translationGroupId, t.locale),
    // /kb and collection pages: published articles of a collection in the staff-chosen order.
    index("kb_articles_published_listing_idx")
      .on(t.collectionId, t.position, t.id)
      .where(sql`${t.status} = 'published'`),
    index("kb_articles_most_read_idx")
      .on(t.viewCountTotal.desc(), t.id)
      .where(sql`${t.status} = 'published'`),
    index("kb_articles_recently_updated_idx")
      .on(t.updatedAt.desc(), t.id)
      .where(sql`${t.status} = 'published'`),
    index("kb_articles_review_by_idx")
      .on(t.reviewBy, t.id)
      .where(sql`${t.reviewBy} is not null`),
    index("kb_articles_owner_idx").on(t.ownerId),
    // Related articles by title similarity (pg_trgm, installed by migration 0000).
    index("kb_articles_title_trgm_idx").using("gin", t.title.op("gin_trgm_ops")),
  ],
);

/** Every save of an article's content, append-only; restoring an old one appends a new revision. */
export const kbArticleRevisions = pgTable(
  "kb_article_revisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer("article_id")
      .notNull()
      .references((): AnyPgColumn => kbArticles.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull().default(""),
    bodyMd: text("body_md").notNull(),
    authorId: integer("author_id").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    // Set when this revision restored an older one (the UI words it in the reader's language).
    restoredFromNumber: integer("restored_from_number"),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("kb_article_revisions_article_number_key").on(t.articleId, t.number)],
);

export const kbTags = pgTable(
  "kb_tags",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("kb_tags_slug_key").on(t.slug)],
);

export const kbArticleTags = pgTable(
  "kb_article_tags",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => kbTags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.tagId] }), index("kb_article_tags_tag_idx").on(t.tagId, t.articleId)],
);

/**
 * Old URLs (/kb/<collection_slug>/<slug>) of articles whose slug or collection changed, so they answer
 * 301. Keyed by the old path as text, so renaming a collection keeps its old paths working too. A live
 * article at the same path always wins; writers delete a redirect that a live article now occupies.
 */
export const kbSlugRedirects = pgTable(
  "kb_slug_redirects",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    collectionSlug: text("collection_slug").notNull(),
    slug: text("slug").notNull(),
    articleId: integer("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    createdAt: timestamps.createdAt,
  },
  (t) => [uniqueIndex("kb_slug_redirects_path_key").on(t.collectionSlug, t.slug), index("kb_slug_redirects_article_idx").on(t.articleId)],
);

/**
 * "Was this helpful?" answers. A signed-in member has one row per article (changing the answer updates
 * it, version counts the changes); an anonymous reader gets one row per anonymous key per UTC day.
 * kb_articles.helpful_yes/no are kept equal to the counts of these rows by giveFeedback.
 */
export const kbFeedback = pgTable(
  "kb_feedback",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    articleId: integer("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    // A hash, never the raw value the route derived it from.
    anonymousKey: text("anonymous_key"),
    day: date("day", { mode: "string" }).notNull(),
    helpful: boolean("helpful").notNull(),
    reason: text("reason", { enum: KB_FEEDBACK_REASONS }),
    comment: text("comment"),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("kb_feedback_member_key")
      .on(t.articleId, t.userId)
      .where(sql`${t.userId} is not null`),
    uniqueIndex("kb_feedback_anonymous_key")
      .on(t.articleId, t.anonymousKey, t.day)
      .where(sql`${t.anonymousKey} is not null`),
    index("kb_feedback_article_created_idx").on(t.articleId, t.createdAt),
  ],
);

/**
 * Who read what on which UTC day: the dedupe key for view counting (one view per viewer per article per
 * day). viewer_key is "u:<user id>" or "a:<hash>". Only recent days are needed; old rows are pruned.
 */
export const kbArticleViews = pgTable(
  "kb_article_views",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    viewerKey: text("viewer_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.day, t.viewerKey] }), index("kb_article_views_day_idx").on(t.day)],
);

/** Deduplicated views per article per UTC day, for the 30/90-day content report. */
export const kbArticleDailyViews = pgTable(
  "kb_article_daily_views",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => kbArticles.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    views: integer("views").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.day] }), index("kb_article_daily_views_day_idx").on(t.day, t.articleId)],
);

export const kbCollectionsRelations = relations(kbCollections, ({ many }) => ({
  articles: many(kbArticles),
}));

export const kbArticlesRelations = relations(kbArticles, ({ one, many }) => ({
  collection: one(kbCollections, { fields: [kbArticles.collectionId], references: [kbCollections.id] }),
  owner: one(users, { fields: [kbArticles.ownerId], references: [users.id], relationName: "kb_article_owner" }),
  creditedUser: one(users, { fields: [kbArticles.creditedUserId], references: [users.id], relationName: "kb_article_credited" }),
  currentRevision: one(kbArticleRevisions, { fields: [kbArticles.currentRevisionId], references: [kbArticleRevisions.id], relationName: "kb_article_current_revision" }),
  revisions: many(kbArticleRevisions, { relationName: "kb_article_revisions" }),
  tags: many(kbArticleTags),
}));

export const kbArticleRevisionsRelations = relations(kbArticleRevisions, ({ one }) => ({
  article: one(kbArticles, { fields: [kbArticleRevisions.articleId], references: [kbArticles.id], relationName: "kb_article_revisions" }),
  author: one(users, { fields: [kbArticleRevisions.authorId], references: [users.id] }),
}));

export const kbTagsRelations = relations(kbTags, ({ many }) => ({
  articles: many(kbArticleTags),
}));

export const kbArticleTagsRelations = relations(kbArticleTags, ({ one }) => ({
  article: one(kbArticles, { fields: [kbArticleTags.articleId], references: [kbArticles.id] }),
  tag: one(kbTags, { fields: [kbArticleTags.tagId], references: [kbTags.id] }),
}));

/**
 * One row whose version rises (by statement triggers, see migration 0006) whenever anything a reader page
 * shows changes: articles (except their view and feedback counters), collections, tags, redirects. Reader
 * caches (features/kb/page-cache.server.ts) compare it to know their copies are still current; bumped in
 * the writing transaction, so it becomes visible exactly when the change does.
 */
export const kbContentVersion = pgTable("kb_content_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull().default(0),
});
