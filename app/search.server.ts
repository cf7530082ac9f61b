import type { Logger } from "pino";
import type { Db } from "../db/client";
import { createEmbeddedSearchEngine } from "../search/embedded";
import type { SearchEngine, SearchRebuild } from "../search/engine";
import { createMeilisearchEngine } from "../search/meilisearch";
import { startSearchIndexer, type SearchIndexer } from "../search/queue";
import { getDb } from "./db.server";
import { getEnv } from "./env.server";
import { applySynonyms } from "./features/search/synonyms.server";

/**
 * The search engine of this process: Meilisearch when MEILISEARCH_URL is set, otherwise the embedded
 * engine inside the app database. setup() (indexes, settings) and the staff's synonym groups are applied
 * before the first call reaches the engine, once. If that fails (Meilisearch down at start) the next call
 * tries again, so the app starts anyway: searches fail until the engine answers, and the indexer keeps
 * every change queued meanwhile.
 */

// One engine per database handle (the app's, or a test's), surviving module re-evaluation in dev.
const globalForSearch = globalThis as unknown as { __hearthSearchEngines?: WeakMap<Db, SearchEngine> };

export function getSearchEngine(): Promise<SearchEngine> {
  return getDb().then((db) => getSearchEngineFor(db));
}

/** The engine for a given database handle (workers and scripts pass theirs). */
export function getSearchEngineFor(db: Db): SearchEngine {
  const engines = (globalForSearch.__hearthSearchEngines ??= new WeakMap());
  let engine = engines.get(db);
  if (!engine) {
    const env = getEnv();
    const base = env.MEILISEARCH_URL ? createMeilisearchEngine({ url: env.MEILISEARCH_URL, apiKey: env.MEILISEARCH_API_KEY }) : createEmbeddedSearchEngine(db);
    engine = withSetup(base, async () => {
      await base.setup();
      await applySynonyms(db, base);
    });
    engines.set(db, engine);
  }
  return engine;
}

/**
 * Starts the index queue worker beside the job workers (app/workers.server.ts): in the web process on
 * PGlite, in `npm run worker` processes on a server.
 */
export function startSearchIndexing(options: { db: Db; logger: Logger; pollMs?: number }): SearchIndexer {
  return startSearchIndexer({ db: options.db, engine: getSearchEngineFor(options.db), logger: options.logger, pollMs: options.pollMs });
}

function withSetup(engine: SearchEngine, prepare: () => Promise<void>): SearchEngine {
  let ready: Promise<void> | undefined;
  const ensureReady = (): Promise<void> => {
    ready ??= prepare().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    name: engine.name,
    setup: () => ensureReady(),
    upsert: async (docs) => {
      await ensureReady();
      return engine.upsert(docs);
    },
    remove: async (items) => {
      await ensureReady();
      return engine.remove(items);
    },
    search: async (query) => {
      await ensureReady();
      return engine.search(query);
    },
    setSynonyms: async (groups) => {
      await ensureReady();
      return engine.setSynonyms(groups);
    },
    beginRebuild: async (): Promise<SearchRebuild> => {
      await ensureReady();
      return engine.beginRebuild();
    },
    count: async () => {
      await ensureReady();
      return engine.count();
    },
  };
}
