import type { Logger } from "pino";
import type { Db } from "../db/client";
import type { SearchEngine } from "./engine";

// STUB: the index-queue work replaces this file.
/** Indexes or removes every due queued document once. */
export async function drainSearchQueue(_db: Db, _engine: SearchEngine, _options: { batchSize?: number } = {}): Promise<{ indexed: number; removed: number; failed: number }> {
  return { indexed: 0, removed: 0, failed: 0 };
}

export function startSearchIndexer(_options: { db: Db; engine: SearchEngine; logger: Logger; pollMs?: number }): { wake(): void; stop(): Promise<void> } {
  return { wake() {}, stop: async () => {} };
}

/** Rebuilds the whole index into a new one and swaps it in; reports progress as documents are written. */
export async function rebuildSearchIndex(
  _db: Db,
  _engine: SearchEngine,
  _onProgress: (done: number, total: number) => void = () => {},
): Promise<{ documents: number; ms: number }> {
  return { documents: 0, ms: 0 };
}
