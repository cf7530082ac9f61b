/**
 * A standalone job worker for a Postgres server deployment (`npm run worker`). Several may run beside the web
 * processes; jobs are claimed with SKIP LOCKED and leases, so each job runs on one worker at a time.
 * Migrations are the web process's job (or `npm run db:migrate`); this process only drains the queue.
 */
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv, type Env } from "../app/env.server";
import { getLogger } from "../app/logger.server";
import { startWorkers } from "../app/workers.server";

function exitWithMessage(message: string): never {
  // Before the logger exists (it needs a valid environment), plain stderr is the only channel.
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let env: Env;
try {
  env = getEnv();
} catch (error) {
  exitWithMessage(error instanceof Error ? error.message : String(error));
}

if (!env.DATABASE_URL) {
  exitWithMessage(
    "npm run worker needs DATABASE_URL (a Postgres server).\n" +
      "The embedded database (PGlite) can be opened by one process only, so without DATABASE_URL the workers " +
      "run inside the web process (WORKERS=inline, the default): there is nothing to start here.",
  );
}

const logger = getLogger().child({ process: "worker" });

const handle = await getDbHandle();
const workers = startWorkers({ db: handle.db, logger });

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "shutting down: finishing running jobs");
  let code = 0;
  try {
    await workers.stop();
  } catch (error) {
    code = 1;
    logger.error({ err: error }, "error while stopping workers");
  }
  try {
    await closeDb();
  } catch (error) {
    code = 1;
    logger.error({ err: error }, "error while closing the database");
  }
  process.exit(code);
}

process.on("SIGINT", (signal) => void shutdown(signal));
process.on("SIGTERM", (signal) => void shutdown(signal));
