import { Meilisearch, MeilisearchApiError, type Index, type SearchParams, type Settings, type Task } from "meilisearch";
import { createHighlighter, escapeHtml } from "./highlight";
import {
  SEARCH_DOC_TYPES,
  type SearchDocType,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchRebuild,
  type SearchResponse,
} from "./engine";
import { analyzeForIndex, analyzeQuery, cjkBigrams, isCjkTerm, normalizeQueryText } from "./text";

/**
 * The SearchEngine on a Meilisearch server (MEILISEARCH_URL). Tested by the engine contract suite when
 * MEILISEARCH_URL is set in the test environment; written against the client's type definitions.
 *
 * - Ids: Meilisearch ids allow [a-zA-Z0-9_-] only, so "article:12" is stored as "article-12".
 * - Revisions: Meilisearch has no conditional write. Before each write the adapter reads the stored
 *   revisions of the batch and drops older documents. Removals are tombstones (a document with
 *   `tombstone: true`, filtered out of every search) so an older upsert arriving after a removal is refused
 *   too, as in the embedded engine. Remaining race: two writers of one document between the read and the
 *   write. The index queue is the only writer per document (leases), so that needs a rebuild writing the
 *   same document in the same milliseconds; commit() closes most of that gap (see below).
 * - Japanese: Meilisearch's own segmenter does not agree with the embedded engine's analyzer, so the
 *   CJK terms of search/text.ts (overlapping bigrams) go into extra searchable fields, and CJK runs in a
 *   query are sent as their bigrams: both engines find the same Japanese documents.
 * - Highlights: Meilisearch marks matches (typo and prefix matches included) with sentinel characters
 *   that cannot occur in stored text; the text is escaped and only then are sentinels turned into <mark>.
 * - Rebuild: a second index `<uid>__rebuild` is filled, then swapped with the live one (atomic in
 *   Meilisearch) and deleted. While it exists every write goes to both, found by name, so a worker in
 *   another process keeps it current too.
 */

const DEFAULT_INDEX_UID = "hearth_documents";
const REBUILD_SUFFIX = "__rebuild";
const BODY_MAX_CHARS = 20_000;
/** Waiting for an indexing task; large rebuild batches can take a while on a busy server. */
const TASK_TIMEOUT_MS = 120_000;
/** How long "is a rebuild index there?" is believed, so writes do not ask on every batch. */
const REBUILD_CHECK_MS = 2_000;
const MARK_START = "\u0001";
const MARK_END = "\u0002";
// eslint-disable-next-line no-control-regex -- the sentinels are control characters on purpose: never in stored text
const SENTINELS_RE = /[\u0001\u0002]/gu;
const MAX_FACET_TAGS = 20;

interface MeiliDocument extends Record<string, unknown> {
  id: string;
  key: string;
  type: SearchDocType;
  sourceId: number;
  locale: string;
  visibility: string;
  title: string;
  tags: string[];
  body: string;
  cjkTitle: string;
  cjkBody: string;
  publishedAt: number | null;
  revision: number;
  tombstone: boolean;
  /** When this adapter wrote it (ms): commit() finds what changed during a rebuild. */
  writtenAt: number;
}

const SETTINGS: Settings = {
  // Order is weight: title > tags > body (the attribute ranking rule).
  searchableAttributes: ["title", "cjkTitle", "tags", "body", "cjkBody"],
  // id: the revision check reads a batch's stored revisions by filter (works on servers older than `ids`).
  filterableAttributes: ["id", "type", "tags", "locale", "visibility", "tombstone", "writtenAt"],
  sortableAttributes: ["publishedAt"],
  rankingRules: ["words", "typo", "proximity", "attribute", "sort", "exactness", "publishedAt:desc"],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha", tags: "count" } },
  pagination: { maxTotalHits: 10_000 },
};

export function createMeilisearchEngine(options: { url: string; apiKey?: string; indexUid?: string }): SearchEngine {
  const client = new Meilisearch({ host: options.url, apiKey: options.apiKey, timeout: 30_000 });
  const liveUid = options.indexUid ?? DEFAULT_INDEX_UID;
  const rebuildUid = `${liveUid}${REBUILD_SUFFIX}`;
  const live = () => client.index<MeiliDocument>(liveUid);
  let rebuildSeen: { at: number; exists: boolean } | null = null;

  async function indexExists(uid: string): Promise<boolean> {
    try {
      await client.getRawIndex(uid);
      return true;
    } catch (error) {
      if (error instanceof MeilisearchApiError && error.cause?.code === "index_not_found") return false;
      throw error;
    }
  }

  async function rebuildInProgress(): Promise<boolean> {
    if (rebuildSeen && Date.now() - rebuildSeen.at < REBUILD_CHECK_MS) return rebuildSeen.exists;
    const exists = await indexExists(rebuildUid);
    rebuildSeen = { at: Date.now(), exists };
    return exists;
  }

  /** Writes to one index, dropping documents older than what it holds. */
  async function writeNewest(index: Index<MeiliDocument>, docs: MeiliDocument[]): Promise<void> {
    const newest = new Map<string, MeiliDocument>();
    for (const doc of docs) {
      const seen = newest.get(doc.id);
      if (!seen || doc.revision >= seen.revision) newest.set(doc.id, doc);
    }
    if (newest.size === 0) return;
    const stored = await index.getDocuments({ filter: `id IN [${[...newest.keys()].map(quote).join(", ")}]`, fields: ["id", "revision"], limit: newest.size });
    for (const existing of stored.results) {
      const doc = newest.get(existing.id);
      if (doc && Number(existing.revision) > doc.revision) newest.delete(existing.id);
    }
    if (newest.size === 0) return;
    await succeeded(index.addDocuments([...newest.values()], { primaryKey: "id" }).waitTask({ timeout: TASK_TIMEOUT_MS }));
  }

  async function write(docs: MeiliDocument[]): Promise<void> {
    await writeNewest(live(), docs);
    if (await rebuildInProgress()) await writeNewest(client.index<MeiliDocument>(rebuildUid), docs);
  }

  async function applySettings(uid: string, extra: Settings = {}): Promise<void> {
    const created = await client.createIndex(uid, { primaryKey: "id" }).waitTask({ timeout: TASK_TIMEOUT_MS });
    if (created.status === "failed" && created.error?.code !== "index_already_exists") throw taskError(created);
    await succeeded(client.index(uid).updateSettings({ ...SETTINGS, ...extra }).waitTask({ timeout: TASK_TIMEOUT_MS }));
  }

  async function search(query: SearchQuery): Promise<SearchResponse> {
    const empty: SearchResponse = { hits: [], total: 0, facets: { types: {}, tags: [] } };
    if (query.visibilities.length === 0 || analyzeQuery(query.q).length === 0) return empty;
    const q = meiliQuery(query.q, query.prefix !== false);
    const limit = Math.max(0, Math.min(100, Math.floor(query.limit)));
    const offset = Math.max(0, Math.min(10_000, Math.floor(query.offset)));
    const facets = query.facets !== false;
    const filter = [
      "tombstone = false",
      `visibility IN [${query.visibilities.map(quote).join(", ")}]`,
      ...(query.types && query.types.length > 0 ? [`type IN [${query.types.map(quote).join(", ")}]`] : []),
      ...(query.locales && query.locales.length > 0 ? [`locale IN [${query.locales.map(quote).join(", ")}]`] : []),
      // Every requested tag narrows the results.
      ...(query.tags ?? []).map((tag) => `tags = ${quote(tag)}`),
    ];
    const common: SearchParams = {
      filter,
      matchingStrategy: "all",
      facets: facets ? ["type", "tags"] : undefined,
      attributesToRetrieve: ["key", "type", "sourceId", "title", "body"],
      attributesToHighlight: ["title"],
      attributesToCrop: ["body"],
      cropLength: 30,
      cropMarker: "…",
      highlightPreTag: MARK_START,
      highlightPostTag: MARK_END,
      showRankingScore: true,
    };
    // Page mode counts every match exactly (offset mode only estimates); it needs offset on a page boundary.
    const paged = limit > 0 && offset % limit === 0;
    const response = paged
      ? await live().search<MeiliDocument>(q, { ...common, hitsPerPage: limit, page: offset / limit + 1 })
      : await live().search<MeiliDocument>(q, { ...common, limit, offset });
    const total = "totalHits" in response && typeof response.totalHits === "number" ? response.totalHits : (response.estimatedTotalHits ?? 0);
    const cjkRuns = cjkRunsOf(query.q);
    const fallback = createHighlighter({ words: [], prefixes: [], phrases: [], cjk: cjkRuns });
    const hits: SearchHit[] = response.hits.map((hit) => {
      const formatted = hit._formatted ?? {};
      const title = markedHtml(String(formatted.title ?? hit.title));
      const snippet = markedHtml(String(formatted.body ?? hit.body));
      return {
        key: hit.key,
        type: hit.type,
        sourceId: Number(hit.sourceId),
        score: hit._rankingScore ?? 0,
        // CJK matches come through the bigram fields, which Meilisearch does not mark in title or body.
        titleHtml: title.marked || cjkRuns.length === 0 ? title.html : fallback.full(hit.title),
        snippetHtml: snippet.marked || cjkRuns.length === 0 ? snippet.html : fallback.snippet(hit.body),
      };
    });
    const distribution = response.facetDistribution ?? {};
    const types: Partial<Record<SearchDocType, number>> = {};
    for (const [type, n] of Object.entries(distribution.type ?? {})) {
      if ((SEARCH_DOC_TYPES as readonly string[]).includes(type)) types[type as SearchDocType] = n;
    }
    const tags = Object.entries(distribution.tags ?? {})
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
      .slice(0, MAX_FACET_TAGS);
    return { hits, total, facets: facets ? { types, tags } : { types: {}, tags: [] } };
  }

  return {
    name: "meilisearch",

    async setup() {
      await applySettings(liveUid);
    },

    async upsert(docs) {
      if (docs.length === 0) return;
      await write(docs.map(toMeili));
    },

    async remove(items) {
      if (items.length === 0) return;
      await write(items.map((item) => tombstone(item.key, item.revision)));
    },

    search,

    async setSynonyms(groups) {
      const synonyms = synonymMap(groups);
      await succeeded(live().updateSynonyms(synonyms).waitTask({ timeout: TASK_TIMEOUT_MS }));
      if (await indexExists(rebuildUid)) await succeeded(client.index(rebuildUid).updateSynonyms(synonyms).waitTask({ timeout: TASK_TIMEOUT_MS }));
    },

    async beginRebuild(): Promise<SearchRebuild> {
      const startedAt = Date.now();
      // Leftovers of an abandoned rebuild would mix old documents into the new index.
      await client.deleteIndexIfExists(rebuildUid);
      const synonyms = await live().getSynonyms();
      await applySettings(rebuildUid, { synonyms });
      rebuildSeen = { at: Date.now(), exists: true };
      const target = client.index<MeiliDocument>(rebuildUid);
      let finished = false;
      const ensureOpen = () => {
        if (finished) throw new Error("This search rebuild has already been committed or aborted");
      };
      return {
        async upsert(docs) {
          ensureOpen();
          if (docs.length > 0) await writeNewest(target, docs.map(toMeili));
        },
        async commit() {
          ensureOpen();
          finished = true;
          // Documents the live index received since the rebuild began are copied over (newest revision
          // wins), so a change that lost a race against the rebuild's own write is not lost by the swap.
          for (let from = 0; ; from += 1000) {
            const changed = await live().getDocuments({ filter: `writtenAt >= ${startedAt}`, limit: 1000, offset: from });
            if (changed.results.length > 0) await writeNewest(target, changed.results.map((d) => ({ ...d })));
            if (changed.results.length < 1000) break;
          }
          await succeeded(client.swapIndexes([{ indexes: [liveUid, rebuildUid], rename: false }]).waitTask({ timeout: TASK_TIMEOUT_MS }));
          await client.deleteIndexIfExists(rebuildUid);
          rebuildSeen = { at: Date.now(), exists: false };
        },
        async abort() {
          if (finished) return;
          finished = true;
          await client.deleteIndexIfExists(rebuildUid);
          rebuildSeen = { at: Date.now(), exists: false };
        },
      };
    },

    async count() {
      const response = await live().search<MeiliDocument, { filter: string[]; hitsPerPage: number; page: number; attributesToRetrieve: string[] }>("", {
        filter: ["tombstone = false"],
        hitsPerPage: 1,
        page: 1,
        attributesToRetrieve: ["id"],
      });
      return response.totalHits;
    },
  };
}

function meiliId(key: string): string {
  return key.replace(/[^a-zA-Z0-9_-]/gu, "-");
}

/** Plain text without the highlight sentinels, so a stored text can never fake a mark. */
function clean(text: string): string {
  return text.replace(SENTINELS_RE, "");
}

function cjkTerms(text: string): string {
  return analyzeForIndex(text)
    .split(" ")
    .filter((term) => term !== "" && isCjkTerm(term))
    .join(" ");
}

function toMeili(doc: SearchDocument): MeiliDocument {
  const body = clean(doc.body).slice(0, BODY_MAX_CHARS);
  const title = clean(doc.title);
  return {
    id: meiliId(doc.key),
    key: doc.key,
    type: doc.type,
    sourceId: doc.sourceId,
    locale: doc.locale,
    visibility: doc.visibility,
    title,
    tags: [...doc.tags],
    body,
    cjkTitle: cjkTerms(title),
    cjkBody: cjkTerms(body),
    publishedAt: doc.publishedAt ? doc.publishedAt.getTime() : null,
    revision: doc.revision,
    tombstone: false,
    writtenAt: Date.now(),
  };
}

function tombstone(key: string, revision: number): MeiliDocument {
  const parsed = /^([a-z]+):(\d+)$/u.exec(key);
  return {
    id: meiliId(key),
    key,
    type: (parsed?.[1] ?? "article") as SearchDocType,
    sourceId: Number(parsed?.[2] ?? 0),
    locale: "en",
    visibility: "staff",
    title: "",
    tags: [],
    body: "",
    cjkTitle: "",
    cjkBody: "",
    publishedAt: null,
    revision,
    tombstone: true,
    writtenAt: Date.now(),
  };
}

/** A filter string value: double-quoted, backslashes and quotes escaped. */
function quote(value: string): string {
  return `"${value.replace(/\\/gu, "\\\\").replace(/"/gu, '\\"')}"`;
}

/** NFKC-normalized runs of CJK characters in a query. */
function cjkRunsOf(q: string): string[] {
  return [...normalizeQueryText(q).matchAll(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u3006\u30FC]+/gu)].map((m) => m[0]);
}

/**
 * The query as Meilisearch gets it: NFKC, CJK runs replaced by their bigrams (as indexed in the cjk*
 * fields). Meilisearch treats the last word as a prefix unless the query ends with a space.
 */
function meiliQuery(q: string, prefix: boolean): string {
  const normalized = normalizeQueryText(q).replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u3006\u30FC]+/gu, (run) => ` ${cjkBigrams(run).join(" ")} `);
  const text = normalized.replace(/\s+/gu, " ").trim();
  return prefix ? text : `${text} `;
}

/** Escaped HTML whose only tags are the marks Meilisearch placed (as sentinels). */
function markedHtml(formatted: string): { html: string; marked: boolean } {
  const marked = formatted.includes(MARK_START);
  let html = escapeHtml(formatted);
  let open = false;
  html = html.replace(SENTINELS_RE, (c) => {
    if (c === MARK_START && !open) {
      open = true;
      return "<mark>";
    }
    if (c === MARK_END && open) {
      open = false;
      return "</mark>";
    }
    return "";
  });
  if (open) html += "</mark>";
  return { html, marked };
}

/** Meilisearch synonyms are a map from each term to the terms it also finds; a group makes all mutual. */
function synonymMap(groups: ReadonlyArray<readonly string[]>): Record<string, string[]> {
  const map: Record<string, Set<string>> = {};
  for (const group of groups) {
    const terms = [...new Set(group.map(normalizeQueryText).filter((t) => t.length > 0))];
    if (terms.length < 2) continue;
    for (const term of terms) {
      map[term] ??= new Set();
      for (const other of terms) if (other !== term) map[term].add(other);
    }
  }
  return Object.fromEntries(Object.entries(map).map(([term, others]) => [term, [...others]]));
}

async function succeeded(pending: Promise<Task>): Promise<Task> {
  const task = await pending;
  if (task.status !== "succeeded") throw taskError(task);
  return task;
}

function taskError(task: Task): Error {
  return new Error(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? "no error message"}`);
}
