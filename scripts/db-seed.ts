import { runMigrations } from "../db/migrate";
import { DEMO_PASSWORD, isDatabaseEmpty, seedDemo } from "../db/seed";
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { hashPassword } from "../app/features/auth/password.server";

/**
 * npm run db:seed — migrates, then loads the bilingual demo into an empty database. It refuses when any
 * user exists: demo accounts with a published password have no place next to real data.
 */
async function main(): Promise<void> {
  const env = getEnv();
  const handle = await getDbHandle();
  try {
    await runMigrations(handle, env.DATABASE_URL);
    if (!(await isDatabaseEmpty(handle.db))) {
      console.error(
        "The database already has users, so the demo was not seeded (db:seed only fills an empty database).\n" +
          (env.DATABASE_URL
            ? "Point DATABASE_URL at a fresh database to try the demo."
            : `Stop the app and delete ${env.DATA_DIR} (or set DATA_DIR to a new directory) to start over.`),
      );
      process.exitCode = 1;
      return;
    }
    const started = performance.now();
    // One argon2id hash for every demo user: hashing ~45 passwords would take seconds for nothing.
    const result = await seedDemo(handle.db, { passwordHash: await hashPassword(DEMO_PASSWORD) });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`Seeded the demo in ${seconds}s: ${result.accounts} customer accounts, ${result.users} users (${result.members} members).`);
    console.log(`\nDemo sign-ins (password for all: ${DEMO_PASSWORD}):`);
    for (const login of result.logins) console.log(`  ${login.email.padEnd(40)} ${login.description}`);
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
