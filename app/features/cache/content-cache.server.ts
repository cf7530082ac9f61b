import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { eventsContentVersion, forumContentVersion, kbContentVersion } from "../../../db/schema";

/**
 * A process-local cache for reader reads that do not depend on who is reading beyond what the key names:
 * the knowledge-base article page per visibility level, the forum's list and question pages for signed-out
 * readers. Those pages otherwise cost several queries each, which on the single-threaded embedded
 * database was most of their time (bench:kb, bench:qa).
 *
 * Correctness rests on a content version per scope (kb_content_version, forum_content_version, events_content_version),
 * which statement triggers raise in the same transaction as any change a reader could see (migrations 0006,
 * 0007, 0012). An entry is served only while the version it was read at is
 * still current. The version itself is read from the database at most once per VERSION_CHECK_MS, and at
 * once after any mutation handled by this process (noteMutation, called when a non-GET request finishes),
 * so a change made through this process shows on its next page view, and a change made by another
 * process (several app processes on a Postgres server, or a job) within VERSION_CHECK_MS.
 */
const VERSION_CHECK_MS = 1000;
/** Bounds what is not covered by the version (a credited member renaming themselves). */
const MAX_AGE_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 5000;

export type ContentScope = "kb" | "forum" | "events";

const VERSION_TABLES = { kb: kbContentVersion, forum: forumContentVersion, events: eventsContentVersion } as const;

interface Entry {
  version: number;
  storedAt: number;
  value: unknown;
}

interface ScopeState {
  entries: Map<string, Entry>;
  version: number;
  checkedAt: number;
  checking: Promise<number> | null;
}

const state = globalThis as unknown as { __hearthContentCache?: Record<ContentScope, ScopeState> };

function scopeState(scope: ContentScope): ScopeState {
  const fresh = (): ScopeState => ({ entries: new Map(), version: -1, checkedAt: 0, checking: null });
  state.__hearthContentCache ??= { kb: fresh(), forum: fresh(), events: fresh() };
  return state.__hearthContentCache[scope];
}

/** After a mutation in this process, the next read checks the version again. */
export function noteMutation(): void {
  scopeState("kb").checkedAt = 0;
  scopeState("forum").checkedAt = 0;
  scopeState("events").checkedAt = 0;
}

async function currentVersion(db: Db, scope: ContentScope): Promise<number> {
  const cache = scopeState(scope);
  const table = VERSION_TABLES[scope];
  if (Date.now() - cache.checkedAt < VERSION_CHECK_MS) return cache.version;
  // Concurrent requests share one check.
  cache.checking ??= (async () => {
    try {
      const [row] = await db.select({ version: table.version }).from(table).where(eq(table.id, 1));
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
 * must depend only on the scope's content and on what `key` names (e.g. the visibility level),
 * never on the individual viewer.
 */
export async function cachedRead<T>(db: Db, scope: ContentScope, key: string, load: () => Promise<T>): Promise<T> {
  const cache = scopeState(scope);
  const version = await currentVersion(db, scope);
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
