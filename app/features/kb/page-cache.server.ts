import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { kbContentVersion } from "../../../db/schema";

/**
 * A process-local cache for knowledge-base reader reads (the article page's article, translations and
 * related list per visibility level). An article page otherwise costs three queries, which on the
 * single-threaded embedded database was most of its time (bench:kb).
 *
 * Correctness rests on kb_content_version, which statement triggers raise in the same transaction as any
 * change a reader could see (migration 0006). An entry is served only while the version it was read at is
 * still current. The version itself is read from the database at most once per VERSION_CHECK_MS, and at
 * once after any mutation handled by this process (noteMutation, called when a non-GET request finishes),
 * so a change made through this process shows on its next page view, and a change made by another
 * process (several app processes on a Postgres server, or a job) within VERSION_CHECK_MS.
 */
const VERSION_CHECK_MS = 1000;
/** Bounds what is not covered by the version (a credited member renaming themselves). */
const MAX_AGE_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 5000;

interface Entry {
  version: number;
  storedAt: number;
  value: unknown;
}

const state = globalThis as unknown as {
  __hearthKbCache?: { entries: Map<string, Entry>; version: number; checkedAt: number; checking: Promise<number> | null };
};

function cacheState() {
  state.__hearthKbCache ??= { entries: new Map(), version: -1, checkedAt: 0, checking: null };
  return state.__hearthKbCache;
}

/** After a mutation in this process, the next read checks the version again. */
export function noteMutation(): void {
  cacheState().checkedAt = 0;
}

async function currentVersion(db: Db): Promise<number> {
  const cache = cacheState();
  if (Date.now() - cache.checkedAt < VERSION_CHECK_MS) return cache.version;
  // Concurrent requests share one check.
  cache.checking ??= (async () => {
    try {
      const [row] = await db.select({ version: kbContentVersion.version }).from(kbContentVersion).where(eq(kbContentVersion.id, 1));
      const version = row?.version ?? 0;
      if (version !== cache.version) cache.entries.clear();
      cache.version = version;
      cache.checkedAt = Date.now();
      return version;
    } finally {
      cache.checking = null;
    }
  })();
  return cache.checking;
}

/**
 * The cached value for `key`, or `load()`'s result (cached for later reads at the same version). `load`
 * must depend only on the knowledge base's content and on what `key` names (e.g. the visibility level),
 * never on the individual viewer.
 */
export async function cachedKbRead<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
  const cache = cacheState();
  const version = await currentVersion(db);
  const hit = cache.entries.get(key);
  if (hit && hit.version === version && Date.now() - hit.storedAt < MAX_AGE_MS) return hit.value as T;
  const value = await load();
  // Only if no change was noticed meanwhile: a value read across a version change may be older than it.
  if (cache.version === version) {
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.delete(cache.entries.keys().next().value!);
    cache.entries.set(key, { version, storedAt: Date.now(), value });
  }
  return value;
}
