import { sql } from "drizzle-orm";
import { bigint, customType, index, integer, jsonb, pgSequence, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";
import { accounts } from "./accounts";
import { users } from "./identity";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * Revisions of searchable content: every enqueue takes the next value, so an engine can refuse a
 * document older than the one it holds (an older job never overwrites a newer change).
 */
export const searchRevisionSeq = pgSequence("search_revision_seq", { startWith: 1 });

/**
 * The embedded engine's index (search/embedded.ts). Rows belong to a generation: queries read the live
 * generation (search_state 'embedded.generation'); a rebuild writes generation + 1 beside it and then
 * switches, so search never goes dark. The *_terms columns hold the analyzed terms (search/text.ts:
 * NFKC, lower case, identifier parts, CJK bigrams) joined by spaces; the 'simple' configuration then only
 * splits them, so Postgres never stems (stemming breaks prefix matching).
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    generation: integer("generation").notNull(),
    docKey: text("doc_key").notNull(),
    docType: text("doc_type").notNull(),
    sourceId: integer("source_id").notNull(),
    locale: text("locale").notNull(),
    visibility: text("visibility").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    title: text("title").notNull(),
    // Plain text kept for snippets, truncated by the engine.
    body: text("body").notNull(),
    titleTerms: text("title_terms").notNull(),
    tagsTerms: text("tags_terms").notNull(),
    bodyTerms: text("body_terms").notNull(),
    tsv: tsvector("tsv")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || setweight(to_tsvector('simple'::regconfig, tags_terms), 'B') || setweight(to_tsvector('simple'::regconfig, body_terms), 'C')`,
      ),
    publishedAt: tstz("published_at"),
    revision: bigint("revision", { mode: "number" }).notNull(),
    indexedAt: tstz("indexed_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.generation, t.docKey] }),
    index("search_documents_tsv_idx").using("gin", t.tsv),
    index("search_documents_tags_idx").using("gin", t.tags),
  ],
);

/**
 * Every word the embedded index holds, with how many documents hold it; pg_trgm finds the nearest
 * words to a misspelled query word. Words are added as documents are indexed and recounted from the
 * live generation after a rebuild; a word whose documents are gone only costs a wasted correction.
 */
export const searchVocabulary = pgTable(
  "search_vocabulary",
  {
    word: text("word").primaryKey(),
    docCount: integer("doc_count").notNull().default(0),
  },
  (t) => [index("search_vocabulary_word_trgm_idx").using("gin", t.word.op("gin_trgm_ops"))],
);

/** Staff-managed synonym groups: any term of a group finds documents with any other. */
export const searchSynonyms = pgTable("search_synonyms", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  // Normalized (NFKC, lower case), at least two, each 1–80 characters.
  terms: text("terms").array().notNull(),
  createdById: integer("created_by_id").references(() => users.id, { onDelete: "set null" }),
  ...timestamps,
});

/**
 * The index outbox: one row per document waiting to be (re)indexed or removed, collapsed per document.
 * Written in the transaction of the change (by triggers, see the search triggers migration), drained by
 * the workers with FOR UPDATE SKIP LOCKED. A row is deleted only if its revision is still the one the
 * worker read, so a change made while a job ran is indexed again.
 */
export const searchIndexQueue = pgTable(
  "search_index_queue",
  {
    docKey: text("doc_key").primaryKey(),
    revision: bigint("revision", { mode: "number" }).notNull(),
    enqueuedAt: tstz("enqueued_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tstz("next_attempt_at").notNull().defaultNow(),
    lockedUntil: tstz("locked_until"),
    lastError: text("last_error"),
  },
  (t) => [index("search_index_queue_due_idx").on(t.nextAttemptAt)],
);

/** Small engine state: the live embedded generation, the live Meilisearch index uid. */
export const searchState = pgTable("search_state", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: tstz("updated_at").notNull().defaultNow(),
});

export const SEARCH_SOURCES = ["page", "instant", "ask"] as const;
export type SearchSource = (typeof SEARCH_SOURCES)[number];

/**
 * Search analytics: one row per search a person ran (not per keystroke). Anonymous searches are counted
 * with no user or account. The same search is also a search.performed activity for signed-in members.
 */
export const searchQueries = pgTable(
  "search_queries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    // Normalized: NFKC, lower case, spaces collapsed, trimmed.
    query: text("query").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    accountId: integer("account_id").references(() => accounts.id, { onDelete: "set null" }),
    source: text("source", { enum: SEARCH_SOURCES }).notNull(),
    typeFilter: text("type_filter"),
    tagFilter: text("tag_filter"),
    resultCount: integer("result_count").notNull(),
    searchedAt: tstz("searched_at").notNull().defaultNow(),
  },
  (t) => [
    index("search_queries_searched_idx").on(t.searchedAt),
    index("search_queries_query_idx").on(t.query, t.searchedAt),
    index("search_queries_account_idx").on(t.accountId, t.searchedAt),
    index("search_queries_user_idx").on(t.userId, t.searchedAt),
  ],
);

/** A result opened from a search (position is 1-based on the page it was shown). */
export const searchClicks = pgTable(
  "search_clicks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    searchQueryId: bigint("search_query_id", { mode: "number" })
      .notNull()
      .references(() => searchQueries.id, { onDelete: "cascade" }),
    docKey: text("doc_key").notNull(),
    position: integer("position").notNull(),
    clickedAt: tstz("clicked_at").notNull().defaultNow(),
  },
  (t) => [index("search_clicks_query_idx").on(t.searchQueryId)],
);
