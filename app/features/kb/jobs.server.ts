import type { Db } from "../../../db/client";
import { scheduleRecurringJob } from "../jobs/queue.server";
import { registerJobHandler } from "../jobs/registry.server";
import { KB_PUBLISH_SCHEDULED_JOB, publishScheduledArticleJob } from "./articles.server";
import { KB_PRUNE_VIEWS_JOB, pruneArticleViewsJob } from "./engagement.server";
import { backfillRelatedArticlesJob, KB_RELATED_BACKFILL_JOB, KB_RELATED_BACKFILL_SCHEDULE, KB_RELATED_REFRESH_JOB, refreshRelatedArticlesJob } from "./related.server";

/** The knowledge base's job handlers; called from registerBuiltInJobHandlers (explicitly, no import side effects). */
export function registerKbJobHandlers(): void {
  registerJobHandler(KB_PUBLISH_SCHEDULED_JOB, publishScheduledArticleJob);
  registerJobHandler(KB_PRUNE_VIEWS_JOB, pruneArticleViewsJob);
  registerJobHandler(KB_RELATED_REFRESH_JOB, refreshRelatedArticlesJob);
  registerJobHandler(KB_RELATED_BACKFILL_JOB, backfillRelatedArticlesJob);
}

/** The knowledge base's recurring schedules; idempotent, called at every worker start. */
export async function scheduleKbRecurringJobs(db: Db): Promise<void> {
  await scheduleRecurringJob(db, { name: KB_PRUNE_VIEWS_JOB, type: KB_PRUNE_VIEWS_JOB, everySeconds: 24 * 60 * 60 });
  await scheduleRecurringJob(db, KB_RELATED_BACKFILL_SCHEDULE);
}
