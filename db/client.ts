import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema";

/** The one database handle type; a transaction is a Db too, so commands compose. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbKind = "pglite" | "postgres";

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** Embedded only: the PGlite instance (for dumps in tests). */
  pglite?: PGlite;
  /** Postgres only: the raw postgres-js client (for COPY and LISTEN). */
  sql?: postgres.Sql;
  close(): Promise<void>;
}

export type OpenDbOptions =
  | { databaseUrl: string; maxConnections?: number }
  | { dataDir: string }
  | { memory: true; loadDataDir?: Blob | File };

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another Hearth process (pid ${pid}). ` +
        `PGlite is single-process: stop that process first, or set DATABASE_URL to use a Postgres server for several processes.`,
    );
    this.name = "DataDirLockedError";
  }
}

const pgliteExtensions = { pg_trgm };

export async function openDb(options: OpenDbOptions): Promise<DbHandle> {
  if ("databaseUrl" in options) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      // Dates come back as JS Dates; bigint counters as numbers (they fit).
      types: { bigint: postgres.BigInt },
    });
    const db = drizzlePostgres({ client, schema }) as unknown as Db;
    return { db, kind: "postgres", sql: client, close: () => client.end({ timeout: 5 }) };
  }
  if ("memory" in options) {
    const pglite = await PGlite.create({ extensions: pgliteExtensions, loadDataDir: options.loadDataDir });
    const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
    return { db, kind: "pglite", pglite, close: () => pglite.close() };
  }
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDataDirLock(dataDir);
  try {
    const pglite = await PGlite.create({ dataDir: path.join(dataDir, "pg"), extensions: pgliteExtensions });
    const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      pglite,
      close: async () => {
        try {
          await pglite.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Two processes on one PGlite directory lose committed rows without any error, so the directory is
 * guarded by a lock file holding the owner's pid. A lock left by a dead process is taken over.
 */
function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, "hearth.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(fs.readFileSync(lockPath, "utf8"));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DataDirLockedError(dataDir, pid);
      if (pid === process.pid) throw new DataDirLockedError(dataDir, pid);
      fs.unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Rows of a raw query; PGlite and postgres-js shape results differently. */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** True for a unique-constraint violation, however the driver (or drizzle) wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
