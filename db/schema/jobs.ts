import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, tstz } from "./columns";

export const JOB_STATUSES = ["queued", "running", "done", "dead"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * The durable job queue (an outbox): rows are written in the transaction of the change that causes them,
 * claimed with FOR UPDATE SKIP LOCKED and a lease, retried with backoff, parked as dead after max_attempts.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    runAt: tstz("run_at").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(8),
    lockedUntil: tstz("locked_until"),
    lockedBy: text("locked_by"),
    lastError: text("last_error"),
    // Jobs with the same key collapse while one is still waiting (e.g. "reindex article 7").
    dedupeKey: text("dedupe_key"),
    finishedAt: tstz("finished_at"),
    ...timestamps,
  },
  (t) => [
    index("jobs_due_idx").on(t.runAt).where(sql`${t.status} = 'queued'`),
    index("jobs_lease_idx").on(t.lockedUntil).where(sql`${t.status} = 'running'`),
    index("jobs_status_idx").on(t.status, t.updatedAt),
    uniqueIndex("jobs_pending_dedupe_key").on(t.dedupeKey).where(sql`${t.status} = 'queued'`),
  ],
);

/** Recurring schedules; the scheduler turns each due row into a job and moves next_run_at on. */
export const recurringJobs = pgTable("recurring_jobs", {
  name: text("name").primaryKey(),
  type: text("type").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  everySeconds: integer("every_seconds").notNull(),
  nextRunAt: tstz("next_run_at").notNull(),
  lastEnqueuedAt: tstz("last_enqueued_at"),
});
