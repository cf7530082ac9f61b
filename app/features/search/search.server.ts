import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumQuestions, kbArticles, kbCollections, type Locale } from "../../../db/schema";
import {
  parseSearchDocKey,
  searchDocKey,
  type SearchDocType,
  type SearchEngine,
  type SearchHit,
  type SearchResponse,
} from "../../../search/engine";
import { questionPath } from "../forum/forum.schema";
import { loadEventSearchRows } from "../events/reads.server";
import { readableVisibilities, visibleArticleFilter, type Viewer } from "../kb/reads.server";
import { kbArticlePath } from "../kb/paths";
import { safeHighlight } from "./highlight";
import { SEARCHABLE_TYPES, type SearchableType } from "./search.schema";

/**
 * What readers get from search. The engine answers with ids; every hit is loaded here from Postgres with the
 * reader's visibility applied (published articles the viewer may read, questions neither hidden nor
 * deleted), and hits the viewer may not see are dropped, so a stale index never shows them anything.
 */

/** One result as the pages render it. titleHtml/snippetHtml passed the highlight gate (highlight.ts). */
export interface SearchResultItem {
  key: string;
  type: SearchDocType;
  url: string;
  locale: Locale;
  titleHtml: string;
  snippetHtml: string;
  /** Answers of a question; null for articles. */
  answerCount: number | null;
  answered: boolean;
}

export interface SearchResultsPage {
  items: SearchResultItem[];
  total: number;
  facets: SearchResponse["facets"];
}

interface LoadedRow {
  url: string;
  locale: Locale;
  title: string;
  answerCount: number | null;
  answered: boolean;
}

/**
 * Loads the rows behind the hits, visible to this viewer, in two indexed queries (by primary key).
 * A hit whose row is missing or not visible is absent from the map.
 */
async function loadVisibleRows(db: Db, viewer: Viewer, hits: ReadonlyArray<Pick<SearchHit, "type" | "sourceId">>): Promise<Map<string, LoadedRow>> {
  const ids = (type: SearchDocType) => [...new Set(hits.filter((h) => h.type === type).map((h) => h.sourceId))];
  const articleIds = ids("article");
  const questionIds = ids("question");
  // Webinars and group events share one table; a hit's type must match the row's kind.
  const eventIds = [...ids("webinar"), ...ids("event")];
  const [articles, questions, eventRows] = await Promise.all([
    articleIds.length === 0
      ? []
      : db
          .select({
            id: kbArticles.id,
            slug: kbArticles.slug,
            title: kbArticles.title,
            locale: kbArticles.locale,
            collectionSlug: kbCollections.slug,
          })
          .from(kbArticles)
          .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
          .where(and(inArray(kbArticles.id, articleIds), visibleArticleFilter(viewer))),
    questionIds.length === 0
      ? []
      : db
          .select({
            id: forumQuestions.id,
            slug: forumQuestions.slug,
            title: forumQuestions.title,
            locale: forumQuestions.locale,
            answerCount: forumQuestions.answerCount,
            acceptedAnswerId: forumQuestions.acceptedAnswerId,
          })
          .from(forumQuestions)
          // Readers never see hidden or deleted questions in search, moderators included: they have the review queue.
          .where(and(inArray(forumQuestions.id, questionIds), isNull(forumQuestions.deletedAt), isNull(forumQuestions.hiddenAt))),
    loadEventSearchRows(db, eventIds),
  ]);
  const rows = new Map<string, LoadedRow>();
  for (const a of articles) {
    rows.set(searchDocKey("article", a.id), { url: kbArticlePath(a.collectionSlug, a.slug), locale: a.locale, title: a.title, answerCount: null, answered: false });
  }
  for (const q of questions) {
    rows.set(searchDocKey("question", q.id), {
      url: questionPath(q.id, q.slug),
      locale: q.locale,
      title: q.title,
      answerCount: q.answerCount,
      answered: q.acceptedAnswerId !== null,
    });
  }
  for (const e of eventRows) {
    rows.set(searchDocKey(e.kind === "webinar" ? "webinar" : "event", e.id), { url: e.path, locale: e.language, title: e.title, answerCount: null, answered: false });
  }
  return rows;
}

function toItems(hits: readonly SearchHit[], rows: Map<string, LoadedRow>): SearchResultItem[] {
  const items: SearchResultItem[] = [];
  for (const hit of hits) {
    const key = searchDocKey(hit.type, hit.sourceId);
    const row = rows.get(key);
    if (!row) continue;
    items.push({
      key,
      type: hit.type,
      url: row.url,
      locale: row.locale,
      titleHtml: safeHighlight(hit.titleHtml, row.title),
      snippetHtml: safeHighlight(hit.snippetHtml, ""),
      answerCount: row.answerCount,
      answered: row.answered,
    });
  }
  return items;
}

export interface RunSearchInput {
  q: string;
  types?: readonly SearchableType[];
  tag?: string;
  limit: number;
  offset: number;
  /** Facets cost a second pass in the engine; as-you-type lookups skip them. */
  facets?: boolean;
}

/**
 * Searches as this viewer: the engine is asked only for visibilities the viewer may read (so counts and
 * facets are honest), then every hit is checked again against Postgres.
 */
export async function searchAsViewer(db: Db, engine: SearchEngine, viewer: Viewer, input: RunSearchInput): Promise<SearchResultsPage> {
  if (input.q.trim() === "") return { items: [], total: 0, facets: { types: {}, tags: [] } };
  const response = await engine.search({
    q: input.q,
    visibilities: readableVisibilities(viewer),
    types: input.types && input.types.length > 0 ? input.types : SEARCHABLE_TYPES,
    tags: input.tag ? [input.tag] : undefined,
    limit: input.limit,
    offset: input.offset,
    facets: input.facets ?? true,
    prefix: true,
  });
  const rows = await loadVisibleRows(db, viewer, response.hits);
  return { items: toItems(response.hits, rows), total: response.total, facets: response.facets };
}

/**
 * Where a result opens, for this viewer; null when the document does not exist (any more) or the viewer
 * may not see it. The click route redirects only to what this returns, so it can never be an open redirect.
 */
export async function resolveResultUrl(db: Db, viewer: Viewer, key: string): Promise<string | null> {
  const parsed = parseSearchDocKey(key);
  if (!parsed) return null;
  const rows = await loadVisibleRows(db, viewer, [parsed]);
  return rows.get(searchDocKey(parsed.type, parsed.sourceId))?.url ?? null;
}
