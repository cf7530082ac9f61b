/**
 * The one search interface. Two engines implement it (embedded.ts inside Postgres, meilisearch.ts), and
 * one contract suite (tests/integration/search-engine.contract.test.ts) holds both to the same behaviour.
 *
 * Engines return ids, never rows: the app loads the rows from Postgres and applies the viewer's
 * visibility there, so a stale index can never show hidden, draft, deleted or staff-only content.
 * The visibility filter in a query only keeps the result count and facets honest.
 */

export const SEARCH_DOC_TYPES = ["article", "question", "webinar", "event"] as const;
export type SearchDocType = (typeof SEARCH_DOC_TYPES)[number];

/** Same words as the knowledge base's visibilities: anyone, signed-in users, staff only. */
export const SEARCH_VISIBILITIES = ["public", "customers", "staff"] as const;
export type SearchVisibility = (typeof SEARCH_VISIBILITIES)[number];

export const SEARCH_LOCALES = ["en", "ja"] as const;
export type SearchLocale = (typeof SEARCH_LOCALES)[number];

/** What one indexed document is, engine-independent. Built only by search/documents.ts. */
export interface SearchDocument {
  /** `${type}:${sourceId}`, e.g. "article:12". */
  key: string;
  type: SearchDocType;
  sourceId: number;
  locale: SearchLocale;
  visibility: SearchVisibility;
  title: string;
  /** Tag slugs. */
  tags: string[];
  /** Plain text (no markdown, no HTML); engines may truncate it. */
  body: string;
  publishedAt: Date | null;
  /**
   * From search_revision_seq, taken when the change was enqueued. An engine never lets a document with a
   * lower revision replace one with a higher revision (an older job never overwrites a newer change).
   */
  revision: number;
}

export interface SearchQuery {
  /** What the user typed. Empty or only punctuation: no hits, total 0. */
  q: string;
  /** What the viewer may see; required so a caller cannot forget it. */
  visibilities: readonly SearchVisibility[];
  types?: readonly SearchDocType[];
  tags?: readonly string[];
  locales?: readonly SearchLocale[];
  limit: number;
  offset: number;
  /** Treat the last word as a prefix (search-as-you-type). Default true. */
  prefix?: boolean;
  /** Compute facet counts (types and tags). Default true; as-you-type lookups turn it off. */
  facets?: boolean;
}

export interface SearchHit {
  key: string;
  type: SearchDocType;
  sourceId: number;
  score: number;
  /** Escaped HTML whose only tags are <mark>…</mark> around matched words. */
  titleHtml: string;
  /** Escaped HTML, a passage of the body around the best matches, only <mark> tags. */
  snippetHtml: string;
}

export interface SearchFacets {
  types: Partial<Record<SearchDocType, number>>;
  /** Most frequent tags among all matches (not only this page), at most 20, count descending. */
  tags: Array<{ tag: string; count: number }>;
}

export interface SearchResponse {
  hits: SearchHit[];
  /** All matches for the query and filters (not only this page). */
  total: number;
  facets: SearchFacets;
}

/** A full rebuild in progress: documents go to a new index, which replaces the live one on commit. */
export interface SearchRebuild {
  upsert(docs: readonly SearchDocument[]): Promise<void>;
  /** Makes the new index the live one (atomically, no downtime) and drops the old one. */
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface SearchEngine {
  readonly name: "embedded" | "meilisearch";
  /** Creates indexes and applies settings; idempotent, called at start. */
  setup(): Promise<void>;
  /** Adds or replaces documents; a document whose revision is lower than the stored one is ignored. */
  upsert(docs: readonly SearchDocument[]): Promise<void>;
  /** Removes documents; a removal whose revision is lower than the stored document's is ignored. */
  remove(items: ReadonlyArray<{ key: string; revision: number }>): Promise<void>;
  search(query: SearchQuery): Promise<SearchResponse>;
  /** Replaces the synonym groups, e.g. [["sso", "single sign-on", "シングルサインオン"]]. */
  setSynonyms(groups: ReadonlyArray<readonly string[]>): Promise<void>;
  beginRebuild(): Promise<SearchRebuild>;
  /** Number of live documents (for status pages and tests). */
  count(): Promise<number>;
}

export function searchDocKey(type: SearchDocType, sourceId: number): string {
  return `${type}:${sourceId}`;
}

export function parseSearchDocKey(key: string): { type: SearchDocType; sourceId: number } | null {
  const match = /^(article|question|webinar|event):(\d{1,10})$/.exec(key);
  if (!match) return null;
  return { type: match[1] as SearchDocType, sourceId: Number(match[2]) };
}
