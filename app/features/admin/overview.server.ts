import { count, gt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { accounts, mailMessages, users, type JobStatus } from "../../../db/schema";
import { countJobsByStatus, listJobs } from "../jobs/queue.server";

/** Mail "recently" stored or sent, on the overview. */
export const RECENT_MAIL_DAYS = 7;
/** Dead jobs listed on the queue page, newest first. */
export const DEAD_JOB_LIMIT = 50;

export interface StaffOverview {
  users: { total: number; suspended: number };
  accounts: { total: number };
  mail: { recent: number };
  jobs: Record<JobStatus, number>;
}

/** The counts on the staff area's first page. */
export async function getStaffOverview(db: Db): Promise<StaffOverview> {
  const [[userCounts], [accountCount], [mailCount], jobs] = await Promise.all([
    db.select({ total: count(), suspended: count(users.suspendedAt) }).from(users),
    db.select({ total: count() }).from(accounts),
    db
      .select({ recent: count() })
      .from(mailMessages)
      .where(gt(mailMessages.createdAt, sql`now() - make_interval(days => ${RECENT_MAIL_DAYS})`)),
    countJobsByStatus(db),
  ]);
  return {
    users: { total: userCounts?.total ?? 0, suspended: userCounts?.suspended ?? 0 },
    accounts: { total: accountCount?.total ?? 0 },
    mail: { recent: mailCount?.recent ?? 0 },
    jobs,
  };
}

export interface DeadJob {
  id: number;
  type: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  finishedAt: Date | null;
  createdAt: Date;
}

/**
 * The job queue page: counts per status and the latest dead jobs. Payloads are left out on purpose:
 * they can hold one-time links (password reset) that the page does not need.
 */
export async function getJobQueueOverview(db: Db): Promise<{ counts: Record<JobStatus, number>; dead: DeadJob[] }> {
  const [counts, dead] = await Promise.all([countJobsByStatus(db), listJobs(db, { status: "dead", limit: DEAD_JOB_LIMIT })]);
  return {
    counts,
    dead: dead.map((job) => ({
      id: job.id,
      type: job.type,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      lastError: job.lastError,
      finishedAt: job.finishedAt,
      createdAt: job.createdAt,
    })),
  };
}
