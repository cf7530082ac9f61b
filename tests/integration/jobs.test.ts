import { eq, inArray, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { jobs, rateLimits, recurringJobs } from "../../db/schema";
import {
  claimJobs,
  completeJob,
  countJobsByStatus,
  enqueueDueRecurringJobs,
  enqueueJob,
  failJob,
  listJobs,
  pruneFinishedJobs,
  renewJobLeases,
  retryDeadJob,
  retryDelaySeconds,
  scheduleRecurringJob,
} from "../../app/features/jobs/queue.server";
import { PermanentJobError, registerJobHandler } from "../../app/features/jobs/registry.server";
import { startWorkers } from "../../app/workers.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});
// Claiming takes any due job, so every case starts from an empty queue.
beforeEach(async () => {
  await handle.db.delete(jobs);
  await handle.db.delete(recurringJobs);
});

async function getJob(id: number) {
  const [row] = await handle.db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) throw new Error(`job ${id} not found`);
  return row;
}

/** Time travel without sleeping: make a backed-off job due now. */
async function makeDue(id: number) {
  await handle.db.update(jobs).set({ runAt: sql`now() - interval '1 second'` }).where(eq(jobs.id, id));
}

async function expireLease(id: number) {
  await handle.db.update(jobs).set({ lockedUntil: sql`now() - interval '1 second'` }).where(eq(jobs.id, id));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("enqueueJob", () => {
  it("leaves nothing behind when the caller's transaction rolls back", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await enqueueJob(tx, { type: "test.rollback", payload: { n: 1 } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await handle.db.select().from(jobs).where(eq(jobs.type, "test.rollback"))).toHaveLength(0);
  });

  it("commits with the caller's transaction", async () => {
    const id = await handle.db.transaction((tx) => enqueueJob(tx, { type: "test.commit", payload: { n: 1 } }));
    expect(await getJob(id)).toMatchObject({ type: "test.commit", status: "queued", attempts: 0, payload: { n: 1 } });
  });

  it("collapses a second job with the same dedupe key into the waiting one, taking the newest payload", async () => {
    const later = new Date(Date.now() + 60 * 60 * 1000);
    const first = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 1 }, dedupeKey: "article:7", runAt: later });
    const second = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 2 }, dedupeKey: "article:7" });
    const other = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 1 }, dedupeKey: "article:8" });
    expect(second).toBe(first);
    expect(other).not.toBe(first);
    const row = await getJob(first);
    expect(row.payload).toEqual({ rev: 2 });
    expect(row.runAt.getTime()).toBeLessThan(later.getTime());
    expect(await handle.db.select().from(jobs).where(eq(jobs.dedupeKey, "article:7"))).toHaveLength(1);
  });

  it("queues a new job beside a running one with the same key, since the running one may have read old state", async () => {
    const first = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 1 }, dedupeKey: "article:9" });
    await claimJobs(handle.db, { workerId: "w1", limit: 10, leaseSeconds: 60 });
    const second = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 2 }, dedupeKey: "article:9" });
    expect(second).not.toBe(first);
    expect((await getJob(second)).status).toBe("queued");
  });
});

describe("claimJobs", () => {
  it("claims only due jobs, marks them running with a lease, and counts the attempt", async () => {
    const due = await enqueueJob(handle.db, { type: "test.a", payload: {} });
    const future = await enqueueJob(handle.db, { type: "test.a", payload: {}, runAt: new Date(Date.now() + 60_000) });
    const claimed = await claimJobs(handle.db, { workerId: "w1", limit: 10, leaseSeconds: 60 });
    expect(claimed.map((j) => j.id)).toEqual([due]);
    expect(claimed[0]).toMatchObject({ status: "running", lockedBy: "w1", attempts: 1 });
    expect(claimed[0]!.lockedUntil.getTime()).toBeGreaterThan(Date.now() + 30_000);
    expect((await getJob(future)).status).toBe("queued");
  });

  it("never gives the same job to two claimers running at once", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueueJob(handle.db, { type: "test.concurrent", payload: { i } }));

    const claimedBy = new Map<number, string[]>();
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        ["w1", "w2", "w3", "w4"].map((workerId) => claimJobs(handle.db, { workerId, limit: 3, leaseSeconds: 60 })),
      );
      for (const job of results.flat()) claimedBy.set(job.id, [...(claimedBy.get(job.id) ?? []), job.lockedBy]);
      if (results.every((r) => r.length === 0)) break;
    }
    expect([...claimedBy.keys()].sort((a, b) => a - b)).toEqual(ids);
    for (const [, workers] of claimedBy) expect(workers).toHaveLength(1);
    const rows = await handle.db.select().from(jobs).where(inArray(jobs.id, ids));
    for (const row of rows) expect(row).toMatchObject({ status: "running", attempts: 1, lockedBy: claimedBy.get(row.id)![0] });
  });

  it("reclaims a job whose worker's lease expired (the worker crashed)", async () => {
    const id = await enqueueJob(handle.db, { type: "test.crash", payload: {} });
    await claimJobs(handle.db, { workerId: "crashed", limit: 1, leaseSeconds: 60 });
    expect(await claimJobs(handle.db, { workerId: "w2", limit: 1, leaseSeconds: 60 })).toHaveLength(0);
    await expireLease(id);
    const [reclaimed] = await claimJobs(handle.db, { workerId: "w2", limit: 1, leaseSeconds: 60 });
    expect(reclaimed).toMatchObject({ id, lockedBy: "w2", attempts: 2, status: "running" });
  });

  it("parks a job as dead when its lease expires on the final attempt instead of running it again", async () => {
    const id = await enqueueJob(handle.db, { type: "test.poison", payload: {}, maxAttempts: 1 });
    await claimJobs(handle.db, { workerId: "crashed", limit: 1, leaseSeconds: 60 });
    await expireLease(id);
    expect(await claimJobs(handle.db, { workerId: "w2", limit: 1, leaseSeconds: 60 })).toHaveLength(0);
    const row = await getJob(id);
    expect(row.status).toBe("dead");
    expect(row.lastError).toContain("Lease expired");
  });

  it("keeps a live worker's job when it renews its lease", async () => {
    const id = await enqueueJob(handle.db, { type: "test.long", payload: {} });
    await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 });
    await expireLease(id);
    expect(await renewJobLeases(handle.db, { workerId: "w1", ids: [id], leaseSeconds: 60 })).toBe(1);
    expect(await claimJobs(handle.db, { workerId: "w2", limit: 1, leaseSeconds: 60 })).toHaveLength(0);
    expect(await renewJobLeases(handle.db, { workerId: "w2", ids: [id], leaseSeconds: 60 })).toBe(0);
  });
});

describe("completeJob and failJob", () => {
  it("does not let a stale worker complete or fail a job another worker took over", async () => {
    const id = await enqueueJob(handle.db, { type: "test.takeover", payload: {} });
    const [stale] = await claimJobs(handle.db, { workerId: "slow", limit: 1, leaseSeconds: 60 });
    await expireLease(id);
    const [fresh] = await claimJobs(handle.db, { workerId: "fast", limit: 1, leaseSeconds: 60 });

    expect(await completeJob(handle.db, stale!)).toBe(false);
    expect(await failJob(handle.db, stale!, new Error("late"))).toBe("lost");
    expect(await getJob(id)).toMatchObject({ status: "running", lockedBy: "fast", lastError: null });

    expect(await completeJob(handle.db, fresh!)).toBe(true);
    const row = await getJob(id);
    expect(row.status).toBe("done");
    expect(row.finishedAt).toBeInstanceOf(Date);
  });

  it("backs off after a failure, goes dead after max attempts keeping the error, and can be retried by staff", async () => {
    const id = await enqueueJob(handle.db, { type: "test.flaky", payload: {}, maxAttempts: 3 });
    const other = await enqueueJob(handle.db, { type: "test.other", payload: {}, runAt: new Date(Date.now() + 60 * 60_000) });

    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 });
      expect(job).toMatchObject({ id, attempts: attempt });
      const before = Date.now();
      const outcome = await failJob(handle.db, job!, new Error(`broken #${attempt}`));
      const row = await getJob(id);
      if (attempt < 3) {
        expect(outcome).toBe("retry");
        expect(row).toMatchObject({ status: "queued", lockedBy: null, lastError: expect.stringContaining(`broken #${attempt}`) });
        // 5 s · 2^attempts, between half and all of it.
        const waitMs = row.runAt.getTime() - before;
        expect(waitMs).toBeGreaterThan(((5 * 2 ** attempt) / 2) * 1000 - 2000);
        expect(waitMs).toBeLessThanOrEqual(5 * 2 ** attempt * 1000 + 2000);
        expect(await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 })).toHaveLength(0);
        await makeDue(id);
      } else {
        expect(outcome).toBe("dead");
        expect(row).toMatchObject({ status: "dead", attempts: 3, lastError: expect.stringContaining("broken #3") });
      }
    }
    expect(await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 })).toHaveLength(0);
    expect((await countJobsByStatus(handle.db)).dead).toBe(1);
    expect((await listJobs(handle.db, { status: "dead", limit: 10 })).map((j) => j.id)).toEqual([id]);

    expect(await retryDeadJob(handle.db, id)).toBe(true);
    expect(await retryDeadJob(handle.db, other)).toBe(false);
    const [again] = await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 });
    expect(again).toMatchObject({ id, attempts: 1, status: "running" });
    expect(await getJob(other)).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("parks a job at once when the failure is permanent", async () => {
    const id = await enqueueJob(handle.db, { type: "test.invalid", payload: {} });
    const [job] = await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 });
    expect(await failJob(handle.db, job!, new PermanentJobError("bad payload"), { permanent: true })).toBe("dead");
    expect(await getJob(id)).toMatchObject({ status: "dead", attempts: 1 });
  });

  it("retires a failed job as superseded when a newer job with the same key is already waiting", async () => {
    const first = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 1 }, dedupeKey: "doc:1" });
    const [job] = await claimJobs(handle.db, { workerId: "w1", limit: 1, leaseSeconds: 60 });
    const newer = await enqueueJob(handle.db, { type: "test.index", payload: { rev: 2 }, dedupeKey: "doc:1" });
    expect(await failJob(handle.db, job!, new Error("index down"))).toBe("superseded");
    expect(await getJob(first)).toMatchObject({ status: "done", lastError: expect.stringContaining("Superseded") });
    expect(await getJob(newer)).toMatchObject({ status: "queued", payload: { rev: 2 } });
  });

  it("computes capped exponential backoff with jitter", () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(5);
    expect(retryDelaySeconds(1, () => 1)).toBe(10);
    expect(retryDelaySeconds(3, () => 1)).toBe(40);
    expect(retryDelaySeconds(30, () => 1)).toBe(3600);
    expect(retryDelaySeconds(30, () => 0)).toBe(1800);
  });
});

describe("recurring jobs", () => {
  it("enqueues once per slot, skips missed slots, and does not pile up while a job waits", async () => {
    const firstRunAt = new Date(Date.now() - 10 * 60_000 - 5_000);
    await scheduleRecurringJob(handle.db, { name: "tick", type: "test.tick", payload: { a: 1 }, everySeconds: 60, firstRunAt });

    // Several workers checking at once still enqueue the slot once.
    const counts = await Promise.all([enqueueDueRecurringJobs(handle.db), enqueueDueRecurringJobs(handle.db), enqueueDueRecurringJobs(handle.db)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    let rows = await handle.db.select().from(jobs).where(eq(jobs.type, "test.tick"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ payload: { a: 1 }, dedupeKey: "recurring:tick", status: "queued" });

    const [schedule] = await handle.db.select().from(recurringJobs).where(eq(recurringJobs.name, "tick"));
    const next = schedule!.nextRunAt.getTime();
    expect(next).toBeGreaterThan(Date.now() - 1000);
    expect(next).toBeLessThanOrEqual(Date.now() + 61_000);
    expect((next - firstRunAt.getTime()) % 60_000).toBe(0);

    expect(await enqueueDueRecurringJobs(handle.db)).toBe(0);

    // The next slot comes while the previous job is still waiting: it is absorbed, not added.
    await handle.db.update(recurringJobs).set({ nextRunAt: sql`now() - interval '1 second'` }).where(eq(recurringJobs.name, "tick"));
    expect(await enqueueDueRecurringJobs(handle.db)).toBe(1);
    rows = await handle.db.select().from(jobs).where(eq(jobs.type, "test.tick"));
    expect(rows).toHaveLength(1);
  });

  it("keeps the next slot when scheduled again at boot", async () => {
    const firstRunAt = new Date(Date.now() + 30 * 60_000);
    await scheduleRecurringJob(handle.db, { name: "daily", type: "test.daily", everySeconds: 86_400, firstRunAt });
    await scheduleRecurringJob(handle.db, { name: "daily", type: "test.daily", everySeconds: 86_400 });
    const [schedule] = await handle.db.select().from(recurringJobs).where(eq(recurringJobs.name, "daily"));
    expect(schedule!.nextRunAt.getTime()).toBe(firstRunAt.getTime());
    expect(await enqueueDueRecurringJobs(handle.db)).toBe(0);
  });
});

describe("pruneFinishedJobs", () => {
  it("deletes old done jobs only, keeping recent ones and dead ones", async () => {
    const oldDone = await enqueueJob(handle.db, { type: "test.prune", payload: {} });
    const recentDone = await enqueueJob(handle.db, { type: "test.prune", payload: {} });
    const oldDead = await enqueueJob(handle.db, { type: "test.prune", payload: {} });
    const queued = await enqueueJob(handle.db, { type: "test.prune", payload: {} });
    await handle.db.update(jobs).set({ status: "done", finishedAt: sql`now() - interval '8 days'` }).where(eq(jobs.id, oldDone));
    await handle.db.update(jobs).set({ status: "done", finishedAt: sql`now() - interval '1 day'` }).where(eq(jobs.id, recentDone));
    await handle.db.update(jobs).set({ status: "dead", finishedAt: sql`now() - interval '30 days'` }).where(eq(jobs.id, oldDead));
    expect(await pruneFinishedJobs(handle.db, 7)).toBe(1);
    const left = (await handle.db.select({ id: jobs.id }).from(jobs)).map((r) => r.id).sort((a, b) => a - b);
    expect(left).toEqual([recentDone, oldDead, queued]);
  });
});

describe("startWorkers", () => {
  it("runs handlers, retries failures, and finishes in-flight jobs before stop() resolves", async () => {
    const seen: number[] = [];
    let failOnce = true;
    registerJobHandler("test.work", async ({ job }) => {
      await new Promise((r) => setTimeout(r, 50));
      seen.push(job.payload.n as number);
    });
    registerJobHandler("test.failonce", async () => {
      if (failOnce) {
        failOnce = false;
        throw new Error("transient");
      }
    });
    const ids: number[] = [];
    for (let n = 0; n < 6; n++) ids.push(await enqueueJob(handle.db, { type: "test.work", payload: { n } }));
    const flaky = await enqueueJob(handle.db, { type: "test.failonce", payload: {} });
    const unknown = await enqueueJob(handle.db, { type: "test.nobody", payload: {} });

    const workers = startWorkers({ db: handle.db, logger, pollMs: 20, concurrency: 3 });
    try {
      await waitFor(async () => (await getJob(ids.at(-1)!)).status === "done" && (await getJob(unknown)).status === "queued" && (await getJob(unknown)).attempts === 1);
      await waitFor(async () => (await getJob(flaky)).attempts === 1 && (await getJob(flaky)).status === "queued");
      await makeDue(flaky);
      workers.wake();
      await waitFor(async () => (await getJob(flaky)).status === "done");
    } finally {
      await workers.stop();
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const id of ids) expect((await getJob(id)).status).toBe("done");
    expect((await getJob(unknown)).lastError).toContain('No job handler is registered for type "test.nobody"');
    // The built-in daily maintenance is scheduled at start.
    const [maintenance] = await handle.db.select().from(recurringJobs).where(eq(recurringJobs.name, "maintenance.prune"));
    expect(maintenance).toMatchObject({ type: "maintenance.prune", everySeconds: 86_400 });
  });

  it("waits for a running job when stopping, so shutdown loses nothing", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    registerJobHandler("test.slow", async () => {
      started = true;
      await gate;
    });
    const id = await enqueueJob(handle.db, { type: "test.slow", payload: {} });
    const workers = startWorkers({ db: handle.db, logger, pollMs: 20 });
    await waitFor(async () => started);
    const stopping = workers.stop();
    setTimeout(release, 100);
    await stopping;
    expect((await getJob(id)).status).toBe("done");
  });

  it("prunes old done jobs and stale rate-limit windows in the daily maintenance job", async () => {
    const oldDone = await enqueueJob(handle.db, { type: "test.prune", payload: {} });
    await handle.db.update(jobs).set({ status: "done", finishedAt: sql`now() - interval '8 days'` }).where(eq(jobs.id, oldDone));
    await handle.db.insert(rateLimits).values([
      { key: "login:ip:1.2.3.4", windowStart: new Date(Date.now() - 2 * 86_400_000), count: 3 },
      { key: "login:ip:1.2.3.4", windowStart: new Date(Date.now() - 60_000), count: 1 },
    ]);
    const workers = startWorkers({ db: handle.db, logger, pollMs: 20 });
    try {
      await waitFor(async () => (await handle.db.select().from(jobs).where(eq(jobs.type, "maintenance.prune"))).some((j) => j.status === "done"));
    } finally {
      await workers.stop();
    }
    expect(await handle.db.select().from(jobs).where(eq(jobs.id, oldDone))).toHaveLength(0);
    const windows = await handle.db.select().from(rateLimits);
    expect(windows).toHaveLength(1);
    expect(windows[0]!.count).toBe(1);
  });
});
