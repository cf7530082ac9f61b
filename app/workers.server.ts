import crypto from "node:crypto";
import os from "node:os";
import { lt, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/client";
import { rateLimits } from "../db/schema";
import {
  claimJobs,
  completeJob,
  enqueueDueRecurringJobs,
  failJob,
  pruneFinishedJobs,
  renewJobLeases,
  scheduleRecurringJob,
  type ClaimedJob,
} from "./features/jobs/queue.server";
import { PermanentJobError, registerJobHandler, runJobHandler, type JobHandler } from "./features/jobs/registry.server";
import { MAIL_SEND_JOB, sendMailJob } from "./features/mail/mail.server";
import { registerKbJobHandlers, scheduleKbRecurringJobs } from "./features/kb/jobs.server";
import { registerEventJobHandlers, scheduleEventRecurringJobs } from "./features/events/jobs.server";
import { FORUM_MEMBER_STATS_JOB, refreshMemberStatsJob } from "./features/forum/member-stats.server";
import { registerForumNotificationJobs, scheduleForumNotificationJobs } from "./features/forum/notifications.server";
import { startSearchIndexing } from "./search.server";
import { deflectionCheckJob, SEARCH_DEFLECTION_CHECK_JOB } from "./features/search/deflection.server";

export interface StartWorkersOptions {
  db: Db;
  logger: Logger;
  /** Identifies this worker's leases; unique per process by default. */
  workerId?: string;
  /** How often to look for due jobs when idle (default 1000 ms). */
  pollMs?: number;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** A job not finished (or renewed) within this is presumed abandoned and run again elsewhere (default 300 s). */
  leaseSeconds?: number;
  /** How long stop() waits for running jobs (default 10 s). */
  stopTimeoutMs?: number;
  /** Also drain the search index queue (default true). */
  searchIndexer?: boolean;
}

export interface Workers {
  readonly workerId: string;
  /** Look for jobs now instead of at the next poll (e.g. right after enqueueing in a test or a script). */
  wake(): void;
  /** Stops claiming, then waits (bounded) for running jobs to finish. Jobs still running after that keep their lease and are retried elsewhere once it expires. */
  stop(): Promise<void>;
}

const RECURRING_CHECK_MS = 30_000;
const MAX_ERROR_BACKOFF_MS = 30_000;

export const MAINTENANCE_PRUNE_JOB = "maintenance.prune";

/**
 * Daily clean-up: done jobs older than 7 days (dead ones stay for staff) and rate-limit windows older than a
 * day (the longest window is an hour). Both are plain deletes of old rows, so running twice is harmless.
 */
export const pruneMaintenanceJob: JobHandler = async ({ db, logger }) => {
  const jobsDeleted = await pruneFinishedJobs(db, 7);
  const rateLimitRows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - interval '1 day'`))
    .returning({ key: rateLimits.key });
  logger.info({ jobsDeleted, rateLimitsDeleted: rateLimitRows.length }, "maintenance prune finished");
};

export const MAINTENANCE_ANALYZE_JOB = "maintenance.analyze";

/**
 * Refreshes the planner's statistics. The embedded database (PGlite) has no autovacuum, so without this
 * its statistics stay as they were at the last bulk load and plans go wrong as tables grow (measured: a
 * 12-row lookup by id scanned a whole index, 40 ms). On a server autovacuum does it too; running it
 * there as well is harmless.
 */
export const analyzeDatabaseJob: JobHandler = async ({ db, logger }) => {
  const started = performance.now();
  await db.execute(sql`analyze`);
  logger.info({ ms: Math.round(performance.now() - started) }, "statistics refreshed");
};

/**
 * Registers the handlers every process needs. Explicit calls rather than import side effects: package.json
 * declares "sideEffects": false, so a bare `import "./x"` may be dropped by the bundler.
 * Later features add their handlers here.
 */
export function registerBuiltInJobHandlers(): void {
  registerJobHandler(MAIL_SEND_JOB, sendMailJob);
  registerJobHandler(MAINTENANCE_PRUNE_JOB, pruneMaintenanceJob);
  registerJobHandler(MAINTENANCE_ANALYZE_JOB, analyzeDatabaseJob);
  registerJobHandler(FORUM_MEMBER_STATS_JOB, refreshMemberStatsJob);
  registerKbJobHandlers();
  registerForumNotificationJobs();
  registerJobHandler(SEARCH_DEFLECTION_CHECK_JOB, deflectionCheckJob);
  registerEventJobHandlers();
}

/** Recurring schedules every deployment has; idempotent, so safe at every boot. */
export async function scheduleBuiltInRecurringJobs(db: Db): Promise<void> {
  await scheduleRecurringJob(db, { name: MAINTENANCE_PRUNE_JOB, type: MAINTENANCE_PRUNE_JOB, everySeconds: 24 * 60 * 60 });
  await scheduleRecurringJob(db, { name: MAINTENANCE_ANALYZE_JOB, type: MAINTENANCE_ANALYZE_JOB, everySeconds: 60 * 60 });
  await scheduleKbRecurringJobs(db);
  await scheduleEventRecurringJobs(db);
  await scheduleForumNotificationJobs(db);
}

/**
 * Starts the job workers: a polling loop that claims due jobs (up to `concurrency` at once), runs each
 * handler with the plain db handle, then completes or fails the job; renews the leases of running jobs;
 * and about every 30 s turns due recurring schedules into jobs. Errors never escape the loop: a failing
 * handler fails its job, a failing database is logged and retried with backoff.
 *
 * Embedded PGlite: call once, in the web process. Postgres server: any number of processes may run workers.
 */
export function startWorkers(options: StartWorkersOptions): Workers {
  const { db } = options;
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString("hex")}`;
  const pollMs = options.pollMs ?? 1000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const leaseSeconds = options.leaseSeconds ?? 300;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const logger = options.logger.child({ workerId });

  registerBuiltInJobHandlers();
  // The search index queue has its own faster loop: a change must be searchable within seconds.
  const searchIndexer = options.searchIndexer === false ? undefined : startSearchIndexing({ db, logger });

  const inFlight = new Map<number, Promise<void>>();
  let stopping = false;
  let wakeRequested = false;
  let interruptSleep: (() => void) | undefined;

  function wake(): void {
    wakeRequested = true;
    interruptSleep?.();
  }

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

  async function runJob(job: ClaimedJob): Promise<void> {
    const jobLogger = logger.child({ jobId: job.id, jobType: job.type, attempt: job.attempts });
    const startedAt = performance.now();
    try {
      await runJobHandler({ db, job, logger: jobLogger });
    } catch (error) {
      try {
        const outcome = await failJob(db, job, error, { permanent: error instanceof PermanentJobError });
        const log = { err: error, outcome, maxAttempts: job.maxAttempts };
        if (outcome === "dead") jobLogger.error(log, "job failed for the last time; parked as dead");
        else jobLogger.warn(log, "job failed");
      } catch (failError) {
        // The lease will expire and the job will be retried; nothing else to do.
        jobLogger.error({ err: failError, jobError: error }, "could not record job failure");
      }
      return;
    }
    try {
      const completed = await completeJob(db, job);
      if (completed) jobLogger.debug({ ms: Math.round(performance.now() - startedAt) }, "job done");
      else jobLogger.warn("job finished after its lease was taken over by another worker; left to that worker");
    } catch (error) {
      jobLogger.error({ err: error }, "could not mark job done; it will run again when its lease expires");
    }
  }

  function track(job: ClaimedJob): void {
    const running = runJob(job).finally(() => {
      inFlight.delete(job.id);
      // A free slot: look for more work straight away.
      wake();
    });
    inFlight.set(job.id, running);
  }

  async function loop(): Promise<void> {
    let lastRecurringCheck = -Infinity;
    let lastLeaseRenewal = performance.now();
    let consecutiveErrors = 0;
    while (!stopping) {
      wakeRequested = false;
      try {
        const now = performance.now();
        if (now - lastRecurringCheck >= RECURRING_CHECK_MS) {
          lastRecurringCheck = now;
          const enqueued = await enqueueDueRecurringJobs(db);
          if (enqueued > 0) logger.debug({ enqueued }, "recurring jobs enqueued");
        }
        if (inFlight.size > 0 && now - lastLeaseRenewal >= (leaseSeconds * 1000) / 3) {
          lastLeaseRenewal = now;
          await renewJobLeases(db, { workerId, ids: [...inFlight.keys()], leaseSeconds });
        }
        const free = concurrency - inFlight.size;
        if (free > 0 && !stopping) {
          const claimed = await claimJobs(db, { workerId, limit: free, leaseSeconds });
          for (const job of claimed) track(job);
        }
        consecutiveErrors = 0;
      } catch (error) {
        consecutiveErrors++;
        logger.error({ err: error, consecutiveErrors }, "job worker loop failed; backing off");
        await sleep(Math.min(pollMs * 2 ** consecutiveErrors, MAX_ERROR_BACKOFF_MS));
        continue;
      }
      // Finishing jobs call wake(), so a full worker picks up more work without waiting for the poll.
      await sleep(pollMs);
    }
  }

  const loopDone = (async () => {
    try {
      await scheduleBuiltInRecurringJobs(db);
    } catch (error) {
      logger.error({ err: error }, "could not schedule built-in recurring jobs");
    }
    await loop();
  })();
  logger.info({ concurrency, pollMs, leaseSeconds }, "job workers started");

  let stopped: Promise<void> | undefined;
  return {
    workerId,
    wake() {
      wake();
      searchIndexer?.wake();
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        interruptSleep?.();
        await Promise.all([loopDone, searchIndexer?.stop()]);
        if (inFlight.size > 0) {
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([
            Promise.allSettled([...inFlight.values()]).then(() => false),
            new Promise<boolean>((resolve) => {
              timer = setTimeout(() => resolve(true), stopTimeoutMs);
            }),
          ]);
          clearTimeout(timer);
          if (timedOut) {
            logger.warn({ running: [...inFlight.keys()] }, "stopped with jobs still running; they will be retried when their leases expire");
          }
        }
        logger.info("job workers stopped");
      })();
      return stopped;
    },
  };
}
