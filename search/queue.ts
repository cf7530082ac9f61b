import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { queryRows, type Db } from "../db/client";
import { countSearchableDocuments, INDEXED_DOC_TYPES, listSearchableKeys, loadSearchDocuments } from "./documents";
import type { SearchDocument, SearchEngine } from "./engine";

/**
 * The search index outbox. Rows are written by triggers (migration 0009) in the transaction of the change,
 * one per document, each change taking a fresh revision from search_revision_seq. Workers claim due rows
 * with FOR UPDATE SKIP LOCKED and a lease, load the documents as they are now, and write them to the
 * engine. A row is deleted only if its revision is still the one claimed: a change committed while the
 * batch ran keeps its row and is indexed again. Failures back off and are retried forever; nothing is
 * dropped, so an engine that was down (Meilisearch) catches up when it returns.
 *
 * Single writer per document: a claimed row stays leased while a newer change updates it, so no other
 * worker can index that document until this one has finished, and the engine only ever receives a
 * document's revisions in increasing order (the engines' own revision check is a second line of defence).
 */

const DEFAULT_BATCH_SIZE = 200;
/** Past this a claimed batch is presumed abandoned (its worker died) and becomes claimable again. */
const LEASE_SECONDS = 60;
const BACKOFF_BASE_SECONDS = 1;
const BACKOFF_CAP_SECONDS = 300;
const MAX_ERROR_LENGTH = 2000;

export interface DrainOptions {
  batchSize?: number;
  /** Stop after this many batches even if more rows are due (default: until none are due). */
  maxBatches?: number;
}

export interface DrainResult {
  indexed: number;
  removed: number;
  failed: number;
}

interface ClaimedRow extends Record<string, unknown> {
  doc_key: string;
  revision: number | string;
  attempts: number;
}

/** Seconds to wait before retry number `attempts` (1-based): 1, 2, 4, … capped at 5 minutes. */
export function searchRetryDelaySeconds(attempts: number): number {
  return Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
}

/** Indexes or removes every due queued document once (batch after batch until none is due). */
export async function drainSearchQueue(db: Db, engine: SearchEngine, options: DrainOptions = {}): Promise<DrainResult> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const maxBatches = options.maxBatches ?? Infinity;
  const total: DrainResult = { indexed: 0, removed: 0, failed: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const claimed = await claimBatch(db, batchSize);
    if (claimed.length === 0) break;
    const result = await indexBatch(db, engine, claimed);
    total.indexed += result.indexed;
    total.removed += result.removed;
    total.failed += result.failed;
    // A failing engine fails every batch alike: stop instead of spinning through the whole queue now.
    if (result.failed > 0 || claimed.length < batchSize) break;
  }
  return total;
}

async function claimBatch(db: Db, limit: number): Promise<Array<{ key: string; revision: number; attempts: number }>> {
  const rows = await queryRows<ClaimedRow>(
    db,
    sql`update search_index_queue q
        set locked_until = now() + make_interval(secs => ${LEASE_SECONDS}::double precision)
        from (
          select doc_key from search_index_queue
          where next_attempt_at <= now() and (locked_until is null or locked_until < now())
          order by next_attempt_at, doc_key
          limit ${limit}
          for update skip locked
        ) due
        where q.doc_key = due.doc_key
        returning q.doc_key, q.revision, q.attempts`,
  );
  return rows.map((r) => ({ key: r.doc_key, revision: Number(r.revision), attempts: r.attempts }));
}

async function indexBatch(db: Db, engine: SearchEngine, claimed: ReadonlyArray<{ key: string; revision: number }>): Promise<DrainResult> {
  const keys = claimed.map((c) => c.key);
  // One JSON parameter: drizzle would spread a JS array into a list of parameters.
  const claimedRows = sql`jsonb_to_recordset(${JSON.stringify(claimed.map((c) => ({ doc_key: c.key, revision: c.revision })))}::jsonb) as c(doc_key text, revision bigint)`;
  let indexed = 0;
  let removed = 0;
  try {
    const docs = await loadSearchDocuments(db, keys, new Map(claimed.map((c) => [c.key, c.revision])));
    const removals = claimed.filter((c) => !docs.has(c.key)).map((c) => ({ key: c.key, revision: c.revision }));
    if (docs.size > 0) await engine.upsert([...docs.values()]);
    if (removals.length > 0) await engine.remove(removals);
    indexed = docs.size;
    removed = removals.length;
  } catch (error) {
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR_LENGTH);
    // A row whose revision moved on is a new change: it keeps the "due now" the trigger gave it.
    await db.execute(sql`
      update search_index_queue q
      set attempts = q.attempts + 1,
          next_attempt_at = now() + make_interval(secs => least(${BACKOFF_CAP_SECONDS}::double precision, ${BACKOFF_BASE_SECONDS}::double precision * power(2, q.attempts))),
          last_error = ${message},
          locked_until = null
      from ${claimedRows}
      where q.doc_key = c.doc_key and q.revision = c.revision`);
    await releaseLeases(db, keys);
    return { indexed: 0, removed: 0, failed: claimed.length };
  }
  await db.execute(sql`
    delete from search_index_queue q
    using ${claimedRows}
    where q.doc_key = c.doc_key and q.revision = c.revision`);
  // Rows still here changed while the batch ran: due again at once, not after the lease.
  await releaseLeases(db, keys);
  return { indexed, removed, failed: 0 };
}

async function releaseLeases(db: Db, keys: readonly string[]): Promise<void> {
  await db.execute(sql`update search_index_queue set locked_until = null where doc_key in (select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)) and locked_until is not null`);
}

export interface SearchIndexer {
  /** Drain now instead of at the next poll. */
  wake(): void;
  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void>;
}

const MAX_LOOP_BACKOFF_MS = 30_000;

/**
 * Keeps the index current: drains the queue about every `pollMs` (default 300 ms, so a change is
 * searchable well within 2 s) and at once when woken. Errors never escape: an engine failure is recorded
 * on the rows (backoff), a database failure is logged and the loop backs off.
 * Embedded PGlite: one, in the web process. Postgres server: any number of processes.
 */
export function startSearchIndexer(options: { db: Db; engine: SearchEngine; logger: Logger; pollMs?: number; batchSize?: number }): SearchIndexer {
  const { db, engine } = options;
  const pollMs = options.pollMs ?? 300;
  const logger = options.logger.child({ component: "search-indexer" });
  let stopping = false;
  let wakeRequested = false;
  let interruptSleep: (() => void) | undefined;

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (wakeRequested || stopping) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interruptSleep = undefined;
        resolve();
      }
      interruptSleep = done;
    });
  }

  const loopDone = (async () => {
    let consecutiveErrors = 0;
    while (!stopping) {
      wakeRequested = false;
      try {
        // One batch per turn, so stop() never waits for a whole backlog.
        const result = await drainSearchQueue(db, engine, { batchSize: options.batchSize, maxBatches: 1 });
        consecutiveErrors = 0;
        if (result.failed > 0) logger.warn(result, "search index batch failed; will retry with backoff");
        else if (result.indexed + result.removed > 0) {
          logger.debug(result, "search index batch done");
          // There may be more waiting behind a full batch.
          wakeRequested = true;
        }
      } catch (error) {
        consecutiveErrors++;
        logger.error({ err: error, consecutiveErrors }, "search indexer failed; backing off");
        await sleep(Math.min(pollMs * 2 ** consecutiveErrors, MAX_LOOP_BACKOFF_MS));
        continue;
      }
      await sleep(pollMs);
    }
  })();
  logger.info({ pollMs, engine: engine.name }, "search indexer started");

  let stopped: Promise<void> | undefined;
  return {
    wake() {
      wakeRequested = true;
      interruptSleep?.();
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        interruptSleep?.();
        await loopDone;
        logger.info("search indexer stopped");
      })();
      return stopped;
    },
  };
}

export interface RebuildOptions {
  /** Documents per read and per engine write (default 500). */
  batchSize?: number;
}

/**
 * Rebuilds the whole index into a new one and swaps it in; reports progress as documents are written.
 * Search keeps answering from the old index until commit. Documents are written with revision 0, so a
 * change the queue indexes meanwhile (into both indexes, the engine's job) is never overwritten by the
 * rebuild's older read. A document the rebuild read but that stopped being searchable before commit is
 * queued again, so the queue removes it from the new index rather than leaving a ghost behind.
 */
export async function rebuildSearchIndex(
  db: Db,
  engine: SearchEngine,
  onProgress: (done: number, total: number) => void = () => {},
  options: RebuildOptions = {},
): Promise<{ documents: number; ms: number }> {
  const started = performance.now();
  const batchSize = Math.max(1, options.batchSize ?? 500);
  let total = await countSearchableDocuments(db);
  const rebuild = await engine.beginRebuild();
  const written = new Set<string>();
  let done = 0;
  try {
    onProgress(0, total);
    for await (const docs of searchableDocumentBatches(db, batchSize)) {
      if (docs.length > 0) await rebuild.upsert(docs);
      for (const doc of docs) written.add(doc.key);
      done += docs.length;
      // Rows added while the rebuild runs can push the count past the first estimate.
      total = Math.max(total, done);
      onProgress(done, total);
    }
    await requeueGone(db, written);
    await rebuild.commit();
  } catch (error) {
    await rebuild.abort().catch(() => {});
    throw error;
  }
  return { documents: done, ms: Math.round(performance.now() - started) };
}

/**
 * Every searchable document (revision 0), in batches by type and id. The next batch is read while the
 * caller writes the current one: on a server the database and the engine then work at the same time.
 */
async function* searchableDocumentBatches(db: Db, batchSize: number): AsyncGenerator<SearchDocument[]> {
  for (const type of INDEXED_DOC_TYPES) {
    const read = async (afterId: number) => {
      const page = await listSearchableKeys(db, type, afterId, batchSize);
      if (page.lastId === null) return null;
      const docs = await loadSearchDocuments(db, page.keys, 0);
      return { lastId: page.lastId, docs: [...docs.values()] };
    };
    let next = read(0);
    for (;;) {
      const batch = await next;
      if (!batch) break;
      next = read(batch.lastId);
      // A consumer that stops early must not leave a rejected read unobserved.
      next.catch(() => {});
      yield batch.docs;
    }
  }
}

/** Queues documents written by the rebuild that are no longer searchable (deleted or hidden since). */
async function requeueGone(db: Db, written: ReadonlySet<string>): Promise<void> {
  const current = new Set<string>();
  for (const type of INDEXED_DOC_TYPES) {
    let afterId = 0;
    for (;;) {
      const page = await listSearchableKeys(db, type, afterId, 10_000);
      if (page.lastId === null) break;
      afterId = page.lastId;
      for (const key of page.keys) current.add(key);
    }
  }
  const gone = [...written].filter((key) => !current.has(key));
  if (gone.length > 0) await enqueueSearchDocuments(db, gone);
}

/**
 * Queues documents for (re)indexing by hand, with the same upsert the triggers use. Writers never need
 * this (the triggers do it in their transaction); it is for repairs and the rebuild.
 */
export async function enqueueSearchDocuments(db: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.execute(sql`select search_enqueue(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`);
}
