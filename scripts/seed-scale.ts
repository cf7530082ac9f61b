import { z } from "zod";
import { parseCliArgs } from "./cli-args";
import { runMigrations } from "../db/migrate";
import { generateScaleData, SCALE_PASSWORD, type ScaleProgress } from "../db/scale";
import { countScaleMembers, deleteScaleEventsData, generateScaleEvents, hasScaleEventsData } from "../db/scale-events";
import { renderMarkdown } from "../app/features/markdown/render.server";
import type { Db } from "../db/client";
import { closeDb, getDbHandle } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { hashPassword } from "../app/features/auth/password.server";

/**
 * npm run seed:scale -- [--accounts 2000] [--members 100000] [--activities N] [--staff 5] [--reset]
 *                        [--events 5000 --registrations 500000 --groups 50] [--events-only]
 * Benchmark data for every later issue; the generation itself lives in db/scale.ts (and db/scale-events.ts
 * for webinars, groups and events). --events-only adds the events to existing scale members without
 * touching them (with --reset, replacing earlier scale events).
 */

const USAGE =
  "Usage: npm run seed:scale -- [--accounts 2000] [--members 100000] [--activities 0] [--staff 5] [--reset] [--events 0] [--registrations 0] [--groups 50] [--events-only]";

const count = (max: number) => z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(0, "must be 0 or more").max(max, `must be at most ${max}`);

const argsSchema = z
  .object({
    accounts: count(1_000_000).default(2_000),
    members: count(10_000_000).default(100_000),
    activities: count(1_000_000_000).default(0),
    staff: count(1_000).default(5),
    reset: z.boolean().default(false),
    events: count(1_000_000).default(0),
    registrations: count(100_000_000).default(0),
    groups: count(10_000).default(50),
    eventsOnly: z.boolean().default(false),
  })
  .refine((a) => a.members === 0 || a.accounts > 0, { path: ["accounts"], message: "must be at least 1 when there are members" })
  .refine((a) => a.activities === 0 || a.members > 0, { path: ["members"], message: "must be at least 1 when there are activities" })
  .refine((a) => a.registrations === 0 || a.events > 0, { path: ["events"], message: "must be at least 1 when there are registrations" })
  .refine((a) => !a.eventsOnly || a.events > 0, { path: ["events"], message: "must be at least 1 with --events-only" });

function parseCommandLine(argv: string[]): z.output<typeof argsSchema> {
  const options = {
    accounts: { type: "string" },
    members: { type: "string" },
    activities: { type: "string" },
    staff: { type: "string" },
    reset: { type: "boolean" },
    events: { type: "string" },
    registrations: { type: "string" },
    groups: { type: "string" },
    "events-only": { type: "boolean" },
  } as const;
  const { "events-only": eventsOnly, ...rest } = parseCliArgs(argv, options, z.record(z.string(), z.unknown()), USAGE);
  const parsed = argsSchema.safeParse({ ...rest, eventsOnly });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  --${issue.path.join(".").replace("eventsOnly", "events-only")} ${issue.message}`);
    throw new Error(`Invalid arguments:\n${lines.join("\n")}\n${USAGE}`);
  }
  return parsed.data;
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

async function seedScaleEvents(db: Db, args: { events: number; registrations: number; groups: number }): Promise<void> {
  const memberCount = await countScaleMembers(db);
  console.log(`\nGenerating ${args.events} webinars and events in ${args.groups} groups, ${args.registrations} registrations over ${memberCount} scale members…`);
  const summary = await generateScaleEvents(db, {
    events: args.events,
    registrations: args.registrations,
    groups: args.groups,
    memberCount,
    render: (markdown, locale) => renderMarkdown(markdown, { locale }),
    onProgress: (step, elapsedMs) => console.log(`events: ${step} (${seconds(elapsedMs)})`),
  });
  console.log(
    `Events done in ${seconds(summary.timingsMs.total!)}: ${summary.groups} groups (${summary.memberships} memberships), ${summary.webinars} webinars and ` +
      `${summary.groupEvents} group events (${summary.pastEvents} past, ${summary.withRecording} recordings), ${summary.registrations} registrations ` +
      `(${summary.waitlisted} waitlisted, ${summary.attended} attended).`,
  );
}

async function main(): Promise<void> {
  const args = parseCommandLine(process.argv.slice(2));
  const env = getEnv();
  const handle = await getDbHandle();
  try {
    await runMigrations(handle, env.DATABASE_URL);
    if (args.eventsOnly) {
      if (await hasScaleEventsData(handle.db)) {
        if (!args.reset) throw new Error("Scale events already exist in this database. Pass --reset to replace them (the members stay).");
        await deleteScaleEventsData(handle.db);
      }
      await seedScaleEvents(handle.db, args);
      return;
    }
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
    if (args.events > 0) await seedScaleEvents(handle.db, args);
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
