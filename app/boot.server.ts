import { runMigrations } from "../db/migrate";
import { isDatabaseEmpty, seedDemo, DEMO_LOGINS, DEMO_PASSWORD } from "../db/seed";
import { hashPassword } from "./features/auth/password.server";
import { getDemoKnowledgeBaseAuthorId, seedDemoKnowledgeBase } from "./features/kb/demo.server";
import { seedDemoForum } from "./features/forum/demo.server";
import { seedDemoSearch } from "./features/search/demo.server";
import { seedDemoEvents } from "./features/events/demo.server";
import { flushQuestionViews } from "./features/forum/views.server";
import { startArticleViewBuffer, stopArticleViewBuffer } from "./features/kb/view-buffer.server";
import { closeDb, getDbHandle } from "./db.server";
import { getEnv } from "./env.server";
import { getLogger } from "./logger.server";
import { startWorkers } from "./workers.server";
import { getSearchEngineFor } from "./search.server";

export interface BootResult {
  seeded: boolean;
  demoLogins: ReadonlyArray<{ role: string; email: string }>;
  demoPassword: string;
  databaseKind: "pglite" | "postgres";
}

let running: { stop(): Promise<void> } | undefined;

/**
 * Everything the web process does before it listens: open the database, migrate, seed the demo on a
 * fresh embedded database, start the in-process workers.
 */
export async function bootApp(): Promise<BootResult> {
  const env = getEnv();
  const logger = getLogger();
  const handle = await getDbHandle();
  await runMigrations(handle, env.DATABASE_URL);
  let seeded = false;
  // Only the zero-setup embedded database gets demo data by itself; a server is bootstrapped with user:create.
  if (handle.kind === "pglite" && env.SEED_DEMO === "auto" && (await isDatabaseEmpty(handle.db))) {
    await seedDemo(handle.db, { passwordHash: await hashPassword(DEMO_PASSWORD) });
    const kbAuthorId = await getDemoKnowledgeBaseAuthorId(handle.db);
    if (kbAuthorId !== null) await seedDemoKnowledgeBase(handle.db, { authorId: kbAuthorId });
    await seedDemoForum(handle.db);
    await seedDemoEvents(handle.db);
    await seedDemoSearch(handle.db);
    seeded = true;
  }
  startArticleViewBuffer(handle.db, logger);
  // Index settings and synonyms applied now rather than on the first search; a search engine that is down
  // must not keep the app from starting (the queue holds every change until it is back).
  await getSearchEngineFor(handle.db)
    .setup()
    .catch((error: unknown) => logger.error({ err: error }, "search engine setup failed; retried on the next search"));
  if (env.WORKERS === "inline") running = startWorkers({ db: handle.db, logger });
  return { seeded, demoLogins: DEMO_LOGINS, demoPassword: DEMO_PASSWORD, databaseKind: handle.kind };
}

/** Graceful stop: finish in-flight jobs, then close the database (PGlite must be closed to release its lock). */
export async function shutdownApp(): Promise<void> {
  await running?.stop();
  running = undefined;
  await stopArticleViewBuffer();
  await flushQuestionViews();
  await closeDb();
}
