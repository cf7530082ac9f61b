import { z } from "zod";
import { parseCliArgs } from "./cli-args";
import { runMigrations } from "../db/migrate";
import { generateScaleData, SCALE_PASSWORD, type ScaleProgress } from "../db/scale";
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { hashPassword } from "../app/features/auth/password.server";

/**
 * npm run seed:scale -- [--accounts 2000] [--members 100000] [--activities N] [--staff 5] [--reset]
 * Benchmark data for every later issue; the generation itself lives in db/scale.ts.
 */

const USAGE = "Usage: npm run seed:scale -- [--accounts 2000] [--members 100000] [--activities 0] [--staff 5] [--reset]";

const count = (max: number) => z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(max, `must be at most ${max}`);

const argsSchema = z
  .object({
    accounts: count(1_000_000).default(2_000),
    members: count(10_000_000).default(100_000),
    activities: count(1_000_000_000).default(0),
    staff: count(1_000).default(5),
    reset: z.boolean().default(false),
  })
  .refine((a) => a.members === 0 || a.accounts > 0, { path: ["accounts"], message: "must be at least 1 when there are members" })
  .refine((a) => a.activities === 0 || a.members > 0, { path: ["members"], message: "must be at least 1 when there are activities" });

function parseCommandLine(argv: string[]): z.output<typeof argsSchema> {
  const options = { accounts: { type: "string" }, members: { type: "string" }, activities: { type: "string" }, staff: { type: "string" }, reset: { type: "boolean" } } as const;
  return parseCliArgs(argv, options, argsSchema, USAGE);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function printProgress(p: ScaleProgress): void {
  if (p.phase === "reset" || p.phase === "analyze") {
    if (p.done === p.total) console.log(`${p.phase} done (${seconds(p.elapsedMs)})`);
    return;
  }
  if (p.phase === "indexes") {
    console.log(`rebuilt ${p.total} ledger indexes (${seconds(p.elapsedMs)})`);
    return;
  }
  console.log(`${p.phase} ${p.done}/${p.total} (${seconds(p.elapsedMs)})`);
}

async function main(): Promise<void> {
  const args = parseCommandLine(process.argv.slice(2));
  const env = getEnv();
  const handle = await getDbHandle();
  try {
    await runMigrations(handle, env.DATABASE_URL);
    console.log(
      `Generating ${args.accounts} accounts, ${args.members} members, ${args.activities} activities on ${handle.kind === "pglite" ? `PGlite (${env.DATA_DIR})` : "Postgres (DATABASE_URL)"}…`,
    );
    const summary = await generateScaleData(
      handle.db,
      { accounts: args.accounts, members: args.members, activities: args.activities, staff: args.staff, reset: args.reset, passwordHash: await hashPassword(SCALE_PASSWORD) },
      printProgress,
    );
    const t = summary.timingsMs;
    console.log(
      `\nDone in ${seconds(t.total)}: ${summary.accounts} accounts (high ${summary.tiers.high_touch} / low ${summary.tiers.low_touch} / tech ${summary.tiers.tech_touch}), ` +
        `${summary.members} members (${summary.champions} champions, ${summary.movedMembers} moved), ${summary.staff} staff, ${summary.activities} activities.`,
    );
    const phases = (["reset", "staff", "accounts", "members", "activities", "analyze"] as const).filter((p) => t[p] !== undefined);
    console.log(`Timings: ${phases.map((p) => `${p} ${seconds(t[p]!)}`).join(", ")}`);
    console.log(`\nSign in with password "${SCALE_PASSWORD}" as any of: ${summary.sampleLogins.join(", ")}`);
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
