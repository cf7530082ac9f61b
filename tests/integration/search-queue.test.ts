import { eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { kbArticles, searchIndexQueue } from "../../db/schema";
import { createEmbeddedSearchEngine } from "../../search/embedded";
import type { SearchDocument, SearchEngine, SearchRebuild } from "../../search/engine";
import { drainSearchQueue, rebuildSearchIndex, searchRetryDelaySeconds, startSearchIndexer } from "../../search/queue";
import { createTestDb } from "../support/db";
import { createKbPeople, makeArticle, makeCollection, type KbPeople } from "./kb-fixtures";

// The index queue end to end on the real embedded engine: triggers enqueue, drainSearchQueue indexes,
// retries and catches up, the indexer keeps search within seconds of a change, a rebuild swaps.

let handle: DbHandle;
let db: Db;
let people: KbPeople;
let collectionId: number;
let engine: SearchEngine;
const logger = pino({ level: "silent" });

const PUBLIC = ["public", "customers", "staff"] as const;

async function findKeys(q: string, on: SearchEngine = engine): Promise<string[]> {
  const response = await on.search({ q, visibilities: PUBLIC, limit: 50, offset: 0, prefix: false, facets: false });
  return response.hits.map((h) => h.key);
}

async function queueRows() {
  return db.select().from(searchIndexQueue);
}

/** Time travel without sleeping: every backed-off row is due now. */
async function makeDue() {
  await db.update(searchIndexQueue).set({ nextAttemptAt: sql`now() - interval '1 second'` });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Failure injection around the real engine: writes throw while `down` is set. */
function flaky(real: SearchEngine) {
  const state = { down: true, calls: 0 };
  const wrapper: SearchEngine = {
    ...real,
    name: real.name,
    setup: () => real.setup(),
    search: (q) => real.search(q),
    count: () => real.count(),
    setSynonyms: (g) => real.setSynonyms(g),
    beginRebuild: () => real.beginRebuild(),
    async upsert(docs) {
      state.calls++;
      if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:7700");
      return real.upsert(docs);
    },
    async remove(items) {
      if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:7700");
      return real.remove(items);
    },
  };
  return { engine: wrapper, state };
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  people = await createKbPeople(db);
  collectionId = (await makeCollection(db, people.staff)).id;
  engine = createEmbeddedSearchEngine(db);
  await engine.setup();
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  // Every case starts with the index current.
  await drainSearchQueue(db, engine);
});

describe("drainSearchQueue", () => {
  it("indexes what the triggers queued and empties the queue; an unpublished article is removed", async () => {
    const article = await makeArticle(db, people.staff, collectionId, { title: "Configuring the zephyrine relay" });
    expect(await findKeys("zephyrine")).toEqual([]);
    const result = await drainSearchQueue(db, engine);
    expect(result.indexed).toBeGreaterThanOrEqual(1);
    expect(await queueRows()).toEqual([]);
    expect(await findKeys("zephyrine")).toEqual([`article:${article.id}`]);

    await db.update(kbArticles).set({ status: "unpublished" }).where(eq(kbArticles.id, article.id));
    expect(await drainSearchQueue(db, engine)).toMatchObject({ removed: 1, failed: 0 });
    expect(await findKeys("zephyrine")).toEqual([]);
  });

  it("indexes again a change committed while its batch was being indexed", async () => {
    const article = await makeArticle(db, people.staff, collectionId, { title: "Rotating the quokkaline keys" });
    let raced = false;
    const racing: SearchEngine = {
      ...engine,
      name: engine.name,
      search: (q) => engine.search(q),
      remove: (items) => engine.remove(items),
      async upsert(docs: readonly SearchDocument[]) {
        if (!raced && docs.some((d) => d.key === `article:${article.id}`)) {
          raced = true;
          // An editor saves while the worker holds the old text.
          await db.update(kbArticles).set({ title: "Rotating the marsupiline keys" }).where(eq(kbArticles.id, article.id));
        }
        return engine.upsert(docs);
      },
    };
    await drainSearchQueue(db, racing, { maxBatches: 1 });
    expect(raced).toBe(true);
    const [left] = await queueRows();
    expect(left).toMatchObject({ docKey: `article:${article.id}`, attempts: 0, lockedUntil: null });
    expect(await findKeys("quokkaline")).toEqual([`article:${article.id}`]);

    await drainSearchQueue(db, engine);
    expect(await queueRows()).toEqual([]);
    expect(await findKeys("marsupiline")).toEqual([`article:${article.id}`]);
    expect(await findKeys("quokkaline")).toEqual([]);
  });

  it("keeps everything queued while the engine fails, backs off, and catches up when it returns", async () => {
    const { engine: down, state } = flaky(engine);
    const first = await makeArticle(db, people.staff, collectionId, { title: "Outage notes about the brontosaur gateway" });
    const second = await makeArticle(db, people.staff, collectionId, { title: "Outage notes about the brontosaur relay" });

    expect(await drainSearchQueue(db, down)).toMatchObject({ indexed: 0, failed: 2 });
    let rows = await queueRows();
    expect(rows.map((r) => r.docKey).sort()).toEqual([`article:${first.id}`, `article:${second.id}`].sort());
    for (const row of rows) {
      expect(row.attempts).toBe(1);
      expect(row.lastError).toContain("ECONNREFUSED");
      expect(row.lockedUntil).toBeNull();
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 5_000 + searchRetryDelaySeconds(1) * 1000 - 1000);
    }

    // Not due yet: nothing is tried.
    const callsBefore = state.calls;
    expect(await drainSearchQueue(db, down)).toEqual({ indexed: 0, removed: 0, failed: 0 });
    expect(state.calls).toBe(callsBefore);

    await makeDue();
    await drainSearchQueue(db, down);
    rows = await queueRows();
    expect(rows.every((r) => r.attempts === 2)).toBe(true);
    const [{ delay } = { delay: 0 }] = await db
      .select({ delay: sql<number>`extract(epoch from ${searchIndexQueue.nextAttemptAt} - now())::float8` })
      .from(searchIndexQueue)
      .limit(1);
    // Exponential: the second failure waits about twice the first.
    expect(Number(delay)).toBeGreaterThan(searchRetryDelaySeconds(2) - 1.5);
    expect(searchRetryDelaySeconds(20)).toBe(300);

    state.down = false;
    await makeDue();
    expect(await drainSearchQueue(db, down)).toMatchObject({ indexed: 2, failed: 0 });
    expect(await queueRows()).toEqual([]);
    expect((await findKeys("brontosaur")).sort()).toEqual([`article:${first.id}`, `article:${second.id}`].sort());
  });

  it("claims in batches and leaves rows leased by another worker alone", async () => {
    const articles = [];
    for (let i = 0; i < 5; i++) articles.push(await makeArticle(db, people.staff, collectionId, { title: `Batch article ${i} about plesiosaurs` }));
    // Another worker holds one of them.
    await db.update(searchIndexQueue).set({ lockedUntil: sql`now() + interval '1 minute'` }).where(eq(searchIndexQueue.docKey, `article:${articles[0]!.id}`));
    expect(await drainSearchQueue(db, engine, { batchSize: 2 })).toMatchObject({ indexed: 4 });
    expect((await queueRows()).map((r) => r.docKey)).toEqual([`article:${articles[0]!.id}`]);
    await db.update(searchIndexQueue).set({ lockedUntil: sql`now() - interval '1 second'` });
    expect(await drainSearchQueue(db, engine)).toMatchObject({ indexed: 1 });
    expect(await findKeys("plesiosaurs")).toHaveLength(5);
  });
});

describe("startSearchIndexer", () => {
  it("makes a single change searchable within 2 seconds, and stop() ends it", async () => {
    const indexer = startSearchIndexer({ db, engine, logger });
    try {
      const article = await makeArticle(db, people.staff, collectionId, { title: "Indexed while you wait: ichthyosaur" });
      const started = Date.now();
      await waitFor(async () => (await findKeys("ichthyosaur")).length > 0, 2_000);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await findKeys("ichthyosaur")).toEqual([`article:${article.id}`]);
    } finally {
      await indexer.stop();
    }
    // Stopped: a new change stays queued.
    const later = await makeArticle(db, people.staff, collectionId, { title: "After the indexer stopped" });
    await new Promise((r) => setTimeout(r, 700));
    expect((await queueRows()).map((r) => r.docKey)).toContain(`article:${later.id}`);
  });
});

describe("rebuildSearchIndex", () => {
  it("swaps in a new index without search going dark and keeps changes made during the rebuild", async () => {
    const keep = await makeArticle(db, people.staff, collectionId, { title: "Rebuild survivor about velociraptors" });
    const edited = await makeArticle(db, people.staff, collectionId, { title: "Rebuild before edit about stegosaurs" });
    const removed = await makeArticle(db, people.staff, collectionId, { title: "Rebuild victim about triceratops" });
    for (let i = 0; i < 4; i++) await makeArticle(db, people.staff, collectionId, { title: `Rebuild filler ${i} about pterosaurs` });
    await drainSearchQueue(db, engine);
    const liveBefore = await engine.count();

    let during = false;
    const seen: Array<[number, number]> = [];
    const result = await rebuildSearchIndex(
      db,
      engine,
      (done, total) => {
        seen.push([done, total]);
        if (done > 0 && !during) during = true;
      },
      { batchSize: 2 },
    );
    expect(result.documents).toBe(liveBefore);
    expect(seen.at(-1)).toEqual([liveBefore, liveBefore]);
    expect(during).toBe(true);
    expect(await engine.count()).toBe(liveBefore);
    expect(await findKeys("velociraptors")).toEqual([`article:${keep.id}`]);

    // A rebuild that runs while search is used and content changes.
    const rebuild = await engine.beginRebuild();
    const interleaved: SearchEngine = {
      ...engine,
      name: engine.name,
      search: (q) => engine.search(q),
      async beginRebuild(): Promise<SearchRebuild> {
        return {
          async upsert(docs) {
            await rebuild.upsert(docs);
            if (docs.some((d) => d.key === `article:${edited.id}`)) {
              // Search still answers from the live index mid-rebuild.
              expect(await findKeys("velociraptors")).toEqual([`article:${keep.id}`]);
              await db.update(kbArticles).set({ title: "Rebuild after edit about ankylosaurs" }).where(eq(kbArticles.id, edited.id));
              await db.update(kbArticles).set({ status: "unpublished" }).where(eq(kbArticles.id, removed.id));
              // The app's indexer applies the changes while the rebuild goes on.
              await drainSearchQueue(db, engine);
            }
          },
          commit: () => rebuild.commit(),
          abort: () => rebuild.abort(),
        };
      },
    };
    await rebuildSearchIndex(db, interleaved, () => {}, { batchSize: 2 });
    await drainSearchQueue(db, engine);
    expect(await findKeys("ankylosaurs")).toEqual([`article:${edited.id}`]);
    expect(await findKeys("stegosaurs")).toEqual([]);
    expect(await findKeys("triceratops")).toEqual([]);
    expect(await findKeys("velociraptors")).toEqual([`article:${keep.id}`]);
    expect(await engine.count()).toBe(liveBefore - 1);
  });
});
