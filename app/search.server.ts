import type { SearchEngine } from "../search/engine";
import { createEmbeddedSearchEngine } from "../search/embedded";
import { getDb } from "./db.server";

// STUB (the index-queue work replaces this): the process-wide engine, embedded unless MEILISEARCH_URL is set.
const globalForSearch = globalThis as unknown as { __hearthSearch?: Promise<SearchEngine> };

export function getSearchEngine(): Promise<SearchEngine> {
  globalForSearch.__hearthSearch ??= getDb().then((db) => createEmbeddedSearchEngine(db));
  return globalForSearch.__hearthSearch;
}
