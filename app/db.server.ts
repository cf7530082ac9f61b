import { openDb, type Db, type DbHandle } from "../db/client";
import { getEnv } from "./env.server";

// On globalThis so the handle survives module re-evaluation and is never opened twice in one process.
const globalForDb = globalThis as unknown as { __hearthDb?: Promise<DbHandle> };

/** Opens the process-wide database (PGlite in DATA_DIR, or the server at DATABASE_URL) once. */
export function getDbHandle(): Promise<DbHandle> {
  if (!globalForDb.__hearthDb) {
    const env = getEnv();
    globalForDb.__hearthDb = env.DATABASE_URL
      ? openDb({ databaseUrl: env.DATABASE_URL, maxConnections: env.DATABASE_POOL_SIZE })
      : openDb({ dataDir: env.DATA_DIR });
    globalForDb.__hearthDb.catch(() => {
      globalForDb.__hearthDb = undefined;
    });
  }
  return globalForDb.__hearthDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Tests point the app at their own database. */
export function setDbHandle(handle: DbHandle): void {
  globalForDb.__hearthDb = Promise.resolve(handle);
}

export async function closeDb(): Promise<void> {
  const pending = globalForDb.__hearthDb;
  globalForDb.__hearthDb = undefined;
  if (pending) await (await pending).close();
}
