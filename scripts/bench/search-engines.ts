import MiniSearch from "minisearch";
import type { SearchDocument, SearchEngine } from "../../search/engine";
import { analyzeForIndex, analyzeQuery, isCjkTerm } from "../../search/text";
import type { CorpusDoc } from "./search-corpus";

/**
 * What bench:search measures: anything that can index the corpus and answer a query with document ids.
 * Corpus ids are offset so they never collide with real rows (the PGlite run later indexes a real KB
 * article through the queue to time index maintenance).
 */
export const CORPUS_SOURCE_ID_OFFSET = 1_000_000;
const UPSERT_BATCH = 500;

export interface BenchTarget {
  name: string;
  /** Indexes every document; returns wall time in ms. */
  index(docs: readonly CorpusDoc[], onProgress: (done: number) => void): Promise<number>;
  /** Corpus ids of the top `limit` hits, best first. */
  search(q: string, limit: number): Promise<number[]>;
  close(): Promise<void>;
}

export function toSearchDocument(doc: CorpusDoc): SearchDocument {
  const sourceId = CORPUS_SOURCE_ID_OFFSET + doc.id;
  return {
    key: `article:${sourceId}`,
    type: "article",
    sourceId,
    locale: doc.locale,
    visibility: "public",
    title: doc.title,
    tags: [],
    body: doc.body,
    publishedAt: null,
    revision: 1,
  };
}

/** An app engine (embedded or Meilisearch), filled the way `npm run search:reindex` fills it. */
export function engineTarget(name: string, engine: SearchEngine, close: () => Promise<void> = async () => {}): BenchTarget {
  return {
    name,
    async index(docs, onProgress) {
      const started = performance.now();
      await engine.setup();
      const rebuild = await engine.beginRebuild();
      try {
        for (let i = 0; i < docs.length; i += UPSERT_BATCH) {
          await rebuild.upsert(docs.slice(i, i + UPSERT_BATCH).map(toSearchDocument));
          onProgress(Math.min(docs.length, i + UPSERT_BATCH));
        }
        await rebuild.commit();
      } catch (error) {
        await rebuild.abort().catch(() => {});
        throw error;
      }
      return performance.now() - started;
    },
    async search(q, limit) {
      // As the results page asks, minus facets: MiniSearch has none, and as-you-type lookups skip them too.
      const res = await engine.search({ q, visibilities: ["public"], limit, offset: 0, prefix: true, facets: false });
      return res.hits.map((h) => h.sourceId - CORPUS_SOURCE_ID_OFFSET);
    },
    close,
  };
}

export interface MiniSearchConfig {
  titleBoost: number;
  fuzzy: number;
}

/**
 * MiniSearch as the reference peer, configured as a careful user would: title and body fields with a
 * title boost, BM25, prefix on the word being typed, fractional fuzzy on Latin words, and the app's own
 * analyzer (search/text.ts) for both indexing and queries, so CJK bigrams, NFKC width folding and
 * identifier splitting are identical and only the retrieval differs.
 */
export function miniSearchTarget(config: MiniSearchConfig = { titleBoost: 3, fuzzy: 0.2 }): BenchTarget {
  const ms = new MiniSearch<{ id: number; title: string; body: string }>({
    fields: ["title", "body"],
    idField: "id",
    tokenize: (text) => analyzeForIndex(text).split(" ").filter(Boolean),
    processTerm: (term) => term,
    searchOptions: {
      boost: { title: config.titleBoost },
      // Query terms as the embedded engine sees them: particles dropped, identifiers joined.
      tokenize: (q) => analyzeQuery(q).flatMap((t) => (t.kind === "word" ? [t.text] : t.grams)),
      prefix: (_term, i, terms) => i === terms.length - 1,
      fuzzy: (term) => (isCjkTerm(term) ? false : config.fuzzy),
      maxFuzzy: 2,
    },
  });
  return {
    name: `MiniSearch (title×${config.titleBoost}, fuzzy ${config.fuzzy})`,
    async index(docs, onProgress) {
      const started = performance.now();
      for (let i = 0; i < docs.length; i += 5000) {
        ms.addAll(docs.slice(i, i + 5000).map((d) => ({ id: d.id, title: d.title, body: d.body })));
        onProgress(Math.min(docs.length, i + 5000));
        // Let progress lines flush.
        await new Promise((r) => setImmediate(r));
      }
      return performance.now() - started;
    },
    async search(q, limit) {
      return ms.search(q).slice(0, limit).map((r) => r.id as number);
    },
    async close() {
      ms.removeAll();
    },
  };
}
