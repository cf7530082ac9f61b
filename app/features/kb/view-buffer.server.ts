import type { Logger } from "pino";
import type { Db } from "../../../db/client";
import { recordArticleViews, type RecordArticleViewInput } from "./engagement.server";

/**
 * Article views are written in batches, off the request path: a view costs a transaction of four writes,
 * which on the single-threaded embedded database was most of an article page's time. The page adds the
 * view here and answers; the buffer writes what it holds every FLUSH_INTERVAL_MS (or at MAX_PENDING) in
 * one transaction (recordArticleViews), and once more at shutdown.
 * The trade, chosen deliberately against DESIGN.md's "nothing is lost": a process that dies without
 * shutting down loses at most the last interval's views. Views are statistics; every other engagement
 * event is still written in its own transaction.
 */
const FLUSH_INTERVAL_MS = 1000;
const MAX_PENDING = 500;
/** Past this, views are dropped (and logged) rather than held: the database is not keeping up. */
const MAX_HELD = 50_000;

export class ArticleViewBuffer {
  private pending: RecordArticleViewInput[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  add(view: RecordArticleViewInput): void {
    if (this.pending.length >= MAX_HELD) {
      this.dropped += 1;
      return;
    }
    this.pending.push({ ...view, at: view.at ?? new Date() });
    if (this.pending.length >= MAX_PENDING) void this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    // A waiting flush must not keep the process alive; shutdown flushes explicitly.
    this.timer.unref();
  }

  /** Writes everything added so far; resolves when it is stored. Batches are written one at a time. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(async () => {
      if (this.dropped > 0) {
        this.logger.warn({ dropped: this.dropped }, "article views dropped: the database is not keeping up");
        this.dropped = 0;
      }
      if (batch.length === 0) return;
      try {
        await recordArticleViews(this.db, batch);
      } catch (error) {
        // The database is unreachable or refused the batch: hold the views (up to MAX_HELD) and try again
        // at the next interval; the writes are idempotent, so a batch that did commit counts once.
        this.logger.error({ err: error, views: batch.length }, "writing article views failed; will retry");
        this.pending.unshift(...batch.slice(0, Math.max(0, MAX_HELD - this.pending.length)));
        this.schedule();
      }
    });
    return this.flushing;
  }
}

const globalForViews = globalThis as unknown as { __hearthArticleViews?: ArticleViewBuffer };

/** Started by bootApp with the process database. */
export function startArticleViewBuffer(db: Db, logger: Logger): ArticleViewBuffer {
  globalForViews.__hearthArticleViews = new ArticleViewBuffer(db, logger);
  return globalForViews.__hearthArticleViews;
}

/** Called by shutdownApp before the database closes. */
export async function stopArticleViewBuffer(): Promise<void> {
  const buffer = globalForViews.__hearthArticleViews;
  globalForViews.__hearthArticleViews = undefined;
  await buffer?.flush();
}

/**
 * Counts a view (see recordArticleView for the rules), buffered when the app was booted; written at once
 * otherwise (scripts, tests of routes without a booted app).
 */
export async function countArticleView(db: Db, view: RecordArticleViewInput): Promise<void> {
  const buffer = globalForViews.__hearthArticleViews;
  if (buffer) buffer.add(view);
  else await recordArticleViews(db, [view]);
}
