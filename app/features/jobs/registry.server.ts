import type { Logger } from "pino";
import type { Db } from "../../../db/client";
import type { ClaimedJob } from "./queue.server";

/** Job types are namespaced by feature ("mail.send", "search.index"), so two features cannot collide by accident. */
export type JobType = `${string}.${string}`;

export interface JobContext {
  /**
   * The process database handle, NOT a transaction: a handler opens its own transactions, sized to its
   * work, so a slow side effect never holds a transaction the worker loop depends on.
   */
  db: Db;
  job: ClaimedJob;
  /** Carries jobId, jobType and attempt. */
  logger: Logger;
}

/**
 * Runs one job. Delivery is at-least-once: a job may run again after a crash, an expired lease, or a
 * failure after partial work, and two runs of one job may even overlap when a lease expires mid-run. Every
 * handler must therefore be idempotent, e.g. keyed on ctx.job.id with a unique index (mail_messages.job_id)
 * or written as "make the state match" rather than "apply a delta". Throw to fail the attempt (it is
 * retried with backoff); throw PermanentJobError when retrying cannot help.
 */
export type JobHandler = (ctx: JobContext) => Promise<void>;

/** A failure retrying cannot fix (an invalid payload): the job is parked as dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/**
 * No handler for the job's type in this process. Retried like any failure rather than parked: during a
 * rolling deploy an older worker may claim a type only the newer code knows, and a later attempt lands on
 * a newer worker.
 */
export class UnknownJobTypeError extends Error {
  constructor(type: string) {
    super(`No job handler is registered for type "${type}" (registered: ${[...handlers.keys()].sort().join(", ") || "none"}).`);
    this.name = "UnknownJobTypeError";
  }
}

const handlers = new Map<string, JobHandler>();

/**
 * Registers the handler for a job type. Registering a type again replaces the handler: module
 * re-evaluation in development re-registers the same types, and the newest code should win.
 */
export function registerJobHandler(type: JobType, handler: JobHandler): void {
  handlers.set(type, handler);
}

export function getJobHandler(type: string): JobHandler | undefined {
  return handlers.get(type);
}

export function listJobHandlerTypes(): string[] {
  return [...handlers.keys()].sort();
}

/** Runs the handler registered for ctx.job.type; throws UnknownJobTypeError when there is none. */
export async function runJobHandler(ctx: JobContext): Promise<void> {
  const handler = handlers.get(ctx.job.type);
  if (!handler) throw new UnknownJobTypeError(ctx.job.type);
  await handler(ctx);
}
