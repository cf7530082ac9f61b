import path from "node:path";
import { sql } from "drizzle-orm";
import { queryRows, type DbHandle } from "../db/client";
import { migrationsFolder, runMigrations } from "../db/migrate";
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv } from "../app/env.server";

/** npm run db:migrate — applies pending migrations to DATA_DIR (PGlite) or DATABASE_URL and says what it did. */

/** Migrations drizzle has recorded as applied; 0 before the first run. */
async function appliedMigrationCount(handle: DbHandle): Promise<number> {
  // Two queries: a statement naming a missing table fails at planning, even in an untaken CASE branch.
  const [table] = await queryRows<{ exists: boolean }>(
    handle.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (!table?.exists) return 0;
  const [row] = await queryRows<{ n: number | string }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(row?.n ?? 0);
}

function describeTarget(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `embedded PGlite in ${path.resolve(dataDir)}`;
  const url = new URL(databaseUrl);
  if (url.password) url.password = "***";
  return `Postgres at ${url.toString()}`;
}

async function main(): Promise<void> {
  const env = getEnv();
  console.log(`Migrating ${describeTarget(env.DATABASE_URL, env.DATA_DIR)} from ${path.relative(process.cwd(), migrationsFolder)}/`);
  const handle = await getDbHandle();
  try {
    const before = await appliedMigrationCount(handle);
    const started = performance.now();
    await runMigrations(handle, env.DATABASE_URL);
    const after = await appliedMigrationCount(handle);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (after === before) console.log(`Already up to date: ${after} migration(s) applied.`);
    else console.log(`Applied ${after - before} migration(s) in ${seconds}s; ${after} applied in total.`);
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
