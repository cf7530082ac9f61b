import { runMigrations } from "../db/migrate";
import { drainSearchQueue, rebuildSearchIndex } from "../search/queue";
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { getSearchEngineFor } from "../app/search.server";

/**
 * npm run search:reindex — rebuilds the whole search index (embedded, or Meilisearch when MEILISEARCH_URL
 * is set) into a new index and swaps it in, so search keeps answering from the old one meanwhile.
 * Progress goes to stderr: a bar on a terminal, a line per 10% otherwise (logs, CI).
 * The embedded database (PGlite) opens in one process only: stop the app first (the data directory's lock
 * file refuses a second process with a message saying so). On a Postgres server the app keeps running,
 * and changes made during the rebuild are indexed by its workers as usual.
 */

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function progressReporter(stream: NodeJS.WriteStream): { update(done: number, total: number): void; finish(): void } {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(done, total) {
      const elapsed = performance.now() - started;
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const rate = elapsed > 0 ? (done / elapsed) * 1000 : 0;
      const eta = rate > 0 ? ((total - done) / rate) * 1000 : 0;
      const stats = `${(fraction * 100).toFixed(1).padStart(5)}%  ${done}/${total}  ${Math.round(rate)} docs/s  ETA ${done > 0 ? seconds(eta) : "?"}`;
      if (tty) {
        // Redrawing more than ~10 times a second only costs time.
        if (done < total && performance.now() - lastDraw < 100) return;
        lastDraw = performance.now();
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${stats}\x1b[K`);
        return;
      }
      const decile = Math.floor(fraction * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${stats}\n`);
      }
    },
    finish() {
      if (tty) stream.write("\n");
    },
  };
}

async function main(): Promise<void> {
  const env = getEnv();
  const handle = await getDbHandle();
  try {
    await runMigrations(handle, env.DATABASE_URL);
    const engine = getSearchEngineFor(handle.db);
    await engine.setup();
    process.stderr.write(
      `Rebuilding the ${engine.name} search index on ${handle.kind === "pglite" ? `PGlite (${env.DATA_DIR})` : "Postgres (DATABASE_URL)"}…\n`,
    );
    const progress = progressReporter(process.stderr);
    const result = await rebuildSearchIndex(handle.db, engine, (done, total) => progress.update(done, total));
    progress.finish();
    // Changes queued during the rebuild (and documents that vanished meanwhile): applied now rather than
    // whenever the app next drains.
    const drained = await drainSearchQueue(handle.db, engine);
    const rate = result.ms > 0 ? Math.round((result.documents / result.ms) * 1000) : result.documents;
    console.log(
      `Reindexed ${result.documents} documents in ${seconds(result.ms)} (${rate} docs/s); ` +
        `then applied ${drained.indexed + drained.removed} queued changes${drained.failed > 0 ? ` (${drained.failed} failed, left queued for retry)` : ""}.`,
    );
  } finally {
    await closeDb();
  }
}

main().catch((error: unknown) => {
  // drizzle wraps driver errors: the cause carries the database's own message.
  const cause = (error as { cause?: unknown }).cause;
  console.error(error instanceof Error ? error.message : error);
  if (cause instanceof Error) console.error(`  ${cause.message}`);
  process.exitCode = 1;
});
