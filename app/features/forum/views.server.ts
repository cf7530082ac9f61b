import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumQuestions } from "../../../db/schema";

/**
 * Question views, kept cheap: a view only adds to an in-memory tally, and one UPDATE per
 * FLUSH_INTERVAL_MS writes every tally at once (view_count = view_count + n), so reading a question
 * never waits on a write. Like the KB's view buffer, a process that dies without flushing loses at most
 * the last interval's views: they are statistics. Crawlers are not counted (the route decides).
 */
const FLUSH_INTERVAL_MS = 2000;
/** More distinct questions than this waiting: flush now rather than hold more. */
const MAX_PENDING = 1000;

const pending = new Map<number, number>();
let timer: NodeJS.Timeout | null = null;
let target: Db | null = null;
let flushing: Promise<void> = Promise.resolve();

export function countQuestionView(db: Db, questionId: number): void {
  target = db;
  pending.set(questionId, (pending.get(questionId) ?? 0) + 1);
  if (pending.size >= MAX_PENDING) void flushQuestionViews();
  else if (!timer) {
    timer = setTimeout(() => void flushQuestionViews(), FLUSH_INTERVAL_MS);
    // A waiting flush must not keep the process alive.
    timer.unref();
  }
}

/** Writes the tallies so far in one statement; resolves when stored. Flushes run one at a time. */
export function flushQuestionViews(): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  const db = target;
  const batch = [...pending.entries()];
  pending.clear();
  flushing = flushing.then(async () => {
    if (!db || batch.length === 0) return;
    const values = sql.join(
      batch.map(([id, n]) => sql`(${id}::integer, ${n}::integer)`),
      sql`, `,
    );
    try {
      await db.execute(
        sql`update ${forumQuestions} set view_count = ${forumQuestions.viewCount} + v.n from (values ${values}) as v(id, n) where ${forumQuestions.id} = v.id`,
      );
    } catch {
      // Views are statistics: a failed batch is dropped rather than retried forever.
    }
  });
  return flushing;
}
