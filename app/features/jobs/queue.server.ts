import { and, count, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { JOB_STATUSES, jobs, recurringJobs, type JobStatus } from "../../../db/schema";

/**
 * The durable job queue (outbox). Producers enqueue in the transaction of the change that causes the job;
 * workers claim due rows with FOR UPDATE SKIP LOCKED and a lease. Delivery is at-least-once: a worker that
 * dies mid-job leaves a lease that expires, and another worker runs the job again, so handlers must be
 * idempotent. All times come from the database clock (now()), never from the process, because several
 * processes on different hosts share one queue.
 */

export type Job = typeof jobs.$inferSelect;

/** A job as returned by claimJobs: it carries the lease that completeJob/failJob must present. */
export type ClaimedJob = Job & { lockedBy: string; lockedUntil: Date };

/** What completeJob/failJob need to prove they still hold the lease. */
export type JobLease = Pick<ClaimedJob, "id" | "lockedBy" | "attempts">;

export interface EnqueueJobInput {
  /** Namespaced, e.g. "mail.send"; a handler must be registered for it (see registry.server.ts). */
  type: string;
  payload: Record<string, unknown>;
  /** Not before this time; defaults to now. */
  runAt?: Date;
  /**
   * Jobs with the same key collapse while one is still queued ("reindex article 7"). Once a job is running
   * a new one is queued beside it, because the running one may already have read the old state.
   */
  dedupeKey?: string;
  maxAttempts?: number;
}

const MAX_ERROR_LENGTH = 4000;
const BACKOFF_BASE_SECONDS = 5;
const BACKOFF_CAP_SECONDS = 60 * 60;

/**
 * Adds a job inside the caller's transaction (db may be a transaction), so the job exists exactly when the
 * change that caused it commits. Returns the job id.
 *
 * Dedupe choice: ON CONFLICT DO UPDATE rather than DO NOTHING. The waiting job takes the newest payload
 * (the latest change is what the handler should see) and the earlier of the two run times (a new change
 * is never delayed by an older, later-scheduled one). Attempts are kept.
 */
export async function enqueueJob(db: Db, input: EnqueueJobInput): Promise<number> {
  const values = {
    type: input.type,
    payload: input.payload,
    dedupeKey: input.dedupeKey ?? null,
    ...(input.runAt ? { runAt: input.runAt } : {}),
    ...(input.maxAttempts !== undefined ? { maxAttempts: input.maxAttempts } : {}),
  };
  const insert = db.insert(jobs).values(values);
  const rows = input.dedupeKey
    ? await insert
        .onConflictDoUpdate({
          target: jobs.dedupeKey,
          // Must match the partial unique index jobs_pending_dedupe_key so Postgres can infer it.
          targetWhere: sql`status = 'queued'`,
          set: {
            type: sql`excluded.type`,
            payload: sql`excluded.payload`,
            runAt: sql`least(${jobs.runAt}, excluded.run_at)`,
            maxAttempts: sql`excluded.max_attempts`,
            updatedAt: sql`now()`,
          },
        })
        .returning({ id: jobs.id })
    : await insert.returning({ id: jobs.id });
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`enqueueJob(${input.type}) returned no id`);
  return id;
}

export interface ClaimJobsInput {
  workerId: string;
  limit: number;
  /** How long the claim holds; past it the job is presumed abandoned and another worker may take it. */
  leaseSeconds: number;
}

/**
 * Claims up to `limit` due jobs for one worker: queued jobs whose run_at has come, and running jobs whose
 * lease expired (their worker crashed). One UPDATE over a FOR UPDATE SKIP LOCKED subquery, so concurrent
 * claimers never block each other or get the same row. Each claim counts as an attempt.
 *
 * A job whose lease expired on its final attempt is parked as dead first rather than run again: a job that
 * kills its worker every time must not crash workers forever.
 */
export async function claimJobs(db: Db, input: ClaimJobsInput): Promise<ClaimedJob[]> {
  if (input.limit <= 0) return [];
  await db
    .update(jobs)
    .set({
      status: "dead",
      lastError: sql`left(coalesce(${jobs.lastError} || E'\n', '') || 'Lease expired on the final attempt (worker ' || coalesce(${jobs.lockedBy}, '?') || ' stopped mid-job).', ${MAX_ERROR_LENGTH})`,
      lockedUntil: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.status, "running"), lt(jobs.lockedUntil, sql`now()`), sql`${jobs.attempts} >= ${jobs.maxAttempts}`));

  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      or(
        and(eq(jobs.status, "queued"), lte(jobs.runAt, sql`now()`)),
        and(eq(jobs.status, "running"), lt(jobs.lockedUntil, sql`now()`), sql`${jobs.attempts} < ${jobs.maxAttempts}`),
      ),
    )
    .orderBy(jobs.runAt, jobs.id)
    .limit(input.limit)
    .for("update", { skipLocked: true });

  const claimed = await db
    .update(jobs)
    .set({
      status: "running",
      lockedUntil: sql`now() + make_interval(secs => ${input.leaseSeconds}::double precision)`,
      lockedBy: input.workerId,
      attempts: sql`${jobs.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(inArray(jobs.id, due))
    .returning();
  return (claimed as ClaimedJob[]).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/**
 * Extends the leases of jobs a live worker is still running, so long jobs are not taken over. Only rows the
 * worker still holds are touched.
 */
export async function renewJobLeases(db: Db, input: { workerId: string; ids: number[]; leaseSeconds: number }): Promise<number> {
  if (input.ids.length === 0) return 0;
  const renewed = await db
    .update(jobs)
    .set({ lockedUntil: sql`now() + make_interval(secs => ${input.leaseSeconds}::double precision)`, updatedAt: sql`now()` })
    .where(and(inArray(jobs.id, input.ids), eq(jobs.status, "running"), eq(jobs.lockedBy, input.workerId)))
    .returning({ id: jobs.id });
  return renewed.length;
}

/**
 * Marks a claimed job done. Returns false when the lease was lost (another worker took the job over after
 * this one's lease expired): that worker now owns the row and its outcome must not be clobbered.
 */
export async function completeJob(db: Db, job: JobLease): Promise<boolean> {
  const updated = await db
    .update(jobs)
    .set({ status: "done", lockedUntil: null, lastError: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, job.id), eq(jobs.status, "running"), eq(jobs.lockedBy, job.lockedBy)))
    .returning({ id: jobs.id });
  return updated.length > 0;
}

/** Seconds to wait before the next attempt: 5 s · 2^attempts capped at 1 h, with "equal jitter" (half fixed, half random) so a burst of failures does not retry in lockstep. */
export function retryDelaySeconds(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts), BACKOFF_CAP_SECONDS);
  return base / 2 + (random() * base) / 2;
}

export type FailJobOutcome = "retry" | "dead" | "superseded" | "lost";

export interface FailJobOptions {
  /** Park the job as dead now (a payload that can never succeed); retrying would only repeat the error. */
  permanent?: boolean;
}

/**
 * Records a failed attempt: back to queued with exponential backoff, or dead once max_attempts is reached
 * (last_error kept for staff). Like completeJob, only the worker still holding the lease may do this
 * ("lost" otherwise).
 *
 * A retried job returns to queued, where the dedupe index allows only one job per key. When a newer job with
 * the same key is already waiting, this one is marked done as "superseded": the waiting job carries the
 * newest payload and will do the work.
 */
export async function failJob(db: Db, job: JobLease, error: unknown, options: FailJobOptions = {}): Promise<FailJobOutcome> {
  const message = describeError(error).slice(0, MAX_ERROR_LENGTH);
  const delay = retryDelaySeconds(job.attempts);
  const permanent = options.permanent === true ? sql`true` : sql`false`;
  const siblingWaiting = sql`(${jobs.dedupeKey} is not null and exists (
      select 1 from jobs as sibling
      where sibling.dedupe_key = ${jobs.dedupeKey} and sibling.status = 'queued' and sibling.id <> ${jobs.id}))`;
  const nextStatus = sql`case
      when ${permanent} or ${jobs.attempts} >= ${jobs.maxAttempts} then 'dead'
      when ${siblingWaiting} then 'done'
      else 'queued' end`;

  const attempt = () =>
    db
      .update(jobs)
      .set({
        status: nextStatus,
        runAt: sql`case when ${nextStatus} = 'queued' then now() + make_interval(secs => ${delay}::double precision) else ${jobs.runAt} end`,
        finishedAt: sql`case when ${nextStatus} = 'queued' then null else now() end`,
        lastError: sql`case when ${nextStatus} = 'done' then ${`Superseded by a newer queued job with the same dedupe key after: ${message}`.slice(0, MAX_ERROR_LENGTH)} else ${message} end`,
        lockedBy: sql`case when ${nextStatus} = 'queued' then null else ${jobs.lockedBy} end`,
        lockedUntil: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.status, "running"), eq(jobs.lockedBy, job.lockedBy)))
      .returning({ status: jobs.status });

  let rows: { status: JobStatus }[];
  try {
    rows = await attempt();
  } catch (err) {
    // A sibling was enqueued between our EXISTS check and the write; the retry's fresh snapshot sees it.
    if (!isUniqueViolation(err)) throw err;
    rows = await attempt();
  }
  const status = rows[0]?.status;
  if (status === undefined) return "lost";
  return status === "queued" ? "retry" : status === "dead" ? "dead" : "superseded";
}

export interface ListJobsInput {
  status?: JobStatus;
  type?: string;
  limit: number;
  offset?: number;
}

/** Jobs for the staff queue view, newest first. */
export async function listJobs(db: Db, input: ListJobsInput): Promise<Job[]> {
  const conditions = [
    input.status ? eq(jobs.status, input.status) : undefined,
    input.type ? eq(jobs.type, input.type) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(jobs)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(jobs.id))
    .limit(input.limit)
    .offset(input.offset ?? 0);
}

/** Number of jobs in each status (every status present, zero when empty). */
export async function countJobsByStatus(db: Db): Promise<Record<JobStatus, number>> {
  const rows = await db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status);
  const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Staff action: puts a dead job back in the queue to run now with a fresh set of attempts. last_error is
 * kept until the next outcome, for context. If a job with the same dedupe key is already waiting, the
 * revived job drops its key (both run; handlers are idempotent) rather than failing on the dedupe index.
 * Returns false when the job does not exist or is not dead.
 */
export async function retryDeadJob(db: Db, id: number): Promise<boolean> {
  const updated = await db
    .update(jobs)
    .set({
      status: "queued",
      attempts: 0,
      runAt: sql`now()`,
      lockedBy: null,
      lockedUntil: null,
      finishedAt: null,
      dedupeKey: sql`case when exists (
          select 1 from jobs as sibling where sibling.dedupe_key = ${jobs.dedupeKey} and sibling.status = 'queued'
        ) then null else ${jobs.dedupeKey} end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, "dead")))
    .returning({ id: jobs.id });
  return updated.length > 0;
}

export interface ScheduleRecurringJobInput {
  /** Stable name; also the dedupe key of its jobs ("recurring:<name>"). */
  name: string;
  type: string;
  payload?: Record<string, unknown>;
  everySeconds: number;
  /** First slot when the schedule is created (default now); an existing schedule keeps its next slot. */
  firstRunAt?: Date;
}

/**
 * Creates or updates a recurring schedule. Called at every boot, so it is idempotent: an existing schedule
 * keeps its next_run_at (a process restarting more often than the interval must not postpone the job
 * forever), only pulled earlier when the interval shrank.
 */
export async function scheduleRecurringJob(db: Db, input: ScheduleRecurringJobInput): Promise<void> {
  if (!Number.isInteger(input.everySeconds) || input.everySeconds <= 0) {
    throw new Error(`scheduleRecurringJob(${input.name}): everySeconds must be a positive integer`);
  }
  await db
    .insert(recurringJobs)
    .values({
      name: input.name,
      type: input.type,
      payload: input.payload ?? {},
      everySeconds: input.everySeconds,
      nextRunAt: input.firstRunAt ?? sql`now()`,
    })
    .onConflictDoUpdate({
      target: recurringJobs.name,
      set: {
        type: sql`excluded.type`,
        payload: sql`excluded.payload`,
        everySeconds: sql`excluded.every_seconds`,
        nextRunAt: sql`least(${recurringJobs.nextRunAt}, now() + make_interval(secs => excluded.every_seconds))`,
      },
    });
}

/**
 * Turns every due recurring schedule into one job and moves its next_run_at to the first slot after now.
 * Slots missed while no worker ran are skipped, not replayed, and a job still waiting from an earlier slot
 * absorbs the new one (dedupe key), so nothing piles up. Rows are locked FOR UPDATE SKIP LOCKED in one
 * transaction, so several workers calling this at once enqueue each slot once. Returns the number enqueued.
 */
export async function enqueueDueRecurringJobs(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(recurringJobs)
      .where(lte(recurringJobs.nextRunAt, sql`now()`))
      .orderBy(recurringJobs.name)
      .for("update", { skipLocked: true });
    for (const schedule of due) {
      await enqueueJob(tx, { type: schedule.type, payload: schedule.payload, dedupeKey: `recurring:${schedule.name}` });
      await tx
        .update(recurringJobs)
        .set({
          // next + every · (whole slots elapsed + 1): stays on the original grid, strictly after now.
          nextRunAt: sql`${recurringJobs.nextRunAt} + make_interval(secs => ${recurringJobs.everySeconds}::double precision *
            (floor(extract(epoch from (now() - ${recurringJobs.nextRunAt})) / ${recurringJobs.everySeconds}) + 1))`,
          lastEnqueuedAt: sql`now()`,
        })
        .where(eq(recurringJobs.name, schedule.name));
    }
    return due.length;
  });
}

const PRUNE_BATCH_SIZE = 5000;

/**
 * Deletes done jobs finished more than `olderThanDays` ago, in batches so a large backlog never holds long
 * locks. Dead jobs are kept for staff to inspect or retry. Returns the number deleted.
 */
export async function pruneFinishedJobs(db: Db, olderThanDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, "done"), lt(jobs.finishedAt, sql`now() - make_interval(days => ${olderThanDays}::integer)`)))
      .limit(PRUNE_BATCH_SIZE);
    const deleted = await db.delete(jobs).where(inArray(jobs.id, batch)).returning({ id: jobs.id });
    total += deleted.length;
    if (deleted.length < PRUNE_BATCH_SIZE) return total;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Postgres unique_violation, whether raised by postgres-js, PGlite, or wrapped by drizzle. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
