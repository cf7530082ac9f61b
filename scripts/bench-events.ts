import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db, type DbHandle } from "../db/client";
import { runMigrations } from "../db/migrate";
import { SCALE_ADMIN_EMAIL } from "../db/scale";
import { countScaleMembers, deleteScaleEventsData, findScaleEventsBenchTargets, generateScaleEvents, hasScaleEventsData } from "../db/scale-events";
import { commitAttendanceImport, previewAttendanceImport } from "../app/features/events/attendance-import.server";
import type { EventActor } from "../app/features/events/result";
import { renderMarkdown } from "../app/features/markdown/render.server";
import { createEmbeddedSearchEngine } from "../search/embedded";
import { drainSearchQueue } from "../search/queue";
import { ensureBuild } from "./build-if-needed";
import type { LoadResult } from "./bench/harness";

/**
 * npm run bench:events [-- --duration 10 --connections 10,50 --rows 20000 --port 3194 --skip-http --skip-import]
 * npm run bench:events -- --quick          small data set in data/bench-events-quick, short runs (checks the script)
 * BENCH_DATABASE_URL=postgres://…/hearth_bench npm run bench:events   on a Postgres server instead of PGlite
 *
 * Webinars and events (issue 6) on the scale data set plus 5,000 webinars/group events and 500,000
 * registrations (db/scale-events.ts), generated once and added to an existing data set without touching
 * its members or forum. At 10 and 50 connections: the webinar catalog, a tag-filtered catalog, the events
 * catalog, webinar pages and group event pages (rotating over 200 of each, so no single cached row
 * flatters the result), beside the bare-Remix ceiling; target p95 < 50 ms at 50 connections. Then, with the
 * server stopped (PGlite is one process), a 20,000-row Zoom attendee report is streamed from disk into
 * previewAttendanceImport and committed as a staff member; target < 10 s in all, memory bounded (RSS
 * growth < 200 MB, sampled every 50 ms). The webinar the import goes to is created for the run and
 * removed afterwards, so the data set stays the same between runs.
 *
 * --quick on a server: it would replace the data set in BENCH_DATABASE_URL with the small one; point it
 * at a separate database.
 */

const USAGE = "usage: npm run bench:events -- [--quick] [--duration 10] [--connections 10,50] [--rows 20000] [--port 3194] [--skip-http] [--skip-import]";
const { values } = parseArgs({
  options: {
    quick: { type: "boolean" },
    duration: { type: "string" },
    connections: { type: "string" },
    rows: { type: "string" },
    port: { type: "string" },
    "skip-http": { type: "boolean" },
    "skip-import": { type: "boolean" },
  },
});
const quick = values.quick === true;
const parsed = z
  .object({
    duration: z.coerce.number().int().min(1).max(120).default(quick ? 3 : 10),
    connections: z
      .string()
      .default("10,50")
      .transform((v) => v.split(",").map((c) => Number(c.trim())))
      .refine((list) => list.length > 0 && list.every((c) => Number.isInteger(c) && c >= 1 && c <= 500), "a comma-separated list of 1–500"),
    rows: z.coerce.number().int().min(100).max(190_000).default(quick ? 5_000 : 20_000),
    port: z.coerce.number().int().min(1024).max(65535).default(3194),
  })
  .safeParse(values);
if (!parsed.success) {
  process.stderr.write(`${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n")}\n${USAGE}\n`);
  process.exit(2);
}
const args = { ...parsed.data, skipHttp: values["skip-http"] === true, skipImport: values["skip-import"] === true };

/** The issue's targets. */
const TARGET_P95_MS = 50;
const TARGET_IMPORT_SECONDS = 10;
const TARGET_RSS_GROWTH_MB = 200;
/** The webinar each run imports into, removed afterwards. */
const IMPORT_SLUG_PREFIX = "bench-attendance-import-";
/** Full: the seed:scale defaults (the data set bench:qa and bench:kb share) plus the issue's event numbers. */
const SIZES = quick
  ? { scaleArgs: ["--accounts", "50", "--members", "3000"], events: 300, registrations: 30_000, groups: 20 }
  : { scaleArgs: [] as string[], events: 5_000, registrations: 500_000, groups: 50 };

// The harness reads the data directory when it loads: the quick data set must never replace the full one.
if (quick && !process.env.BENCH_DATA_DIR) process.env.BENCH_DATA_DIR = "data/bench-events-quick";
const { BENCH_DATABASE_URL, benchDatabaseLabel, ensureScaleData, openBenchDb, load, printTable, saveResults, startBenchServer } = await import("./bench/harness");

async function withBenchDb<T>(run: (db: Db, handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openBenchDb();
  try {
    return await run(handle.db, handle);
  } finally {
    await handle.close();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** Adds the events to the scale data set once; a set with another number of events is replaced. */
async function ensureScaleEvents(db: Db): Promise<void> {
  // An interrupted run may have left its import webinar behind.
  for (const left of await queryRows<{ id: number }>(db, sql`select id from events where slug like ${`${IMPORT_SLUG_PREFIX}%`}`)) await removeImportWebinar(db, left.id);
  if (await hasScaleEventsData(db)) {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from events e where e.created_by_id in (select id from users where email like '%@scale-%.example')`,
    );
    if (row?.n === SIZES.events) return;
    process.stdout.write(`The data set has ${row?.n ?? 0} scale events, ${SIZES.events} wanted: replacing them…\n`);
    await deleteScaleEventsData(db);
  }
  const memberCount = await countScaleMembers(db);
  if (memberCount === 0) throw new Error("run seed:scale first: there are no scale members");
  process.stdout.write(`Generating ${SIZES.events} webinars and group events with ${SIZES.registrations} registrations (once)…\n`);
  const summary = await generateScaleEvents(db, {
    events: SIZES.events,
    registrations: SIZES.registrations,
    groups: SIZES.groups,
    memberCount,
    render: (markdown, locale) => renderMarkdown(markdown, { locale }),
    onProgress: (step, elapsedMs) => process.stdout.write(`events: ${step} (${seconds(elapsedMs)})\n`),
  });
  process.stdout.write(
    `Events generated in ${seconds(summary.timingsMs.total!)}: ${summary.webinars} webinars, ${summary.groupEvents} group events in ${summary.groups} groups, ` +
      `${summary.registrations} registrations (${summary.waitlisted} waitlisted, ${summary.attended} attended)\n`,
  );
}

const prepareStarted = performance.now();
ensureScaleData(SIZES.scaleArgs);
const { plan, dataset } = await withBenchDb(async (db, handle) => {
  await runMigrations(handle, BENCH_DATABASE_URL || undefined);
  await ensureScaleEvents(db);
  // The search triggers queue every published event; index them now, or the server's indexer would do
  // it during the measurement. Once per data set.
  const indexStarted = performance.now();
  const engine = createEmbeddedSearchEngine(db);
  await engine.setup();
  const indexed = await drainSearchQueue(db, engine, { batchSize: 500 });
  if (indexed.indexed + indexed.removed > 0) {
    process.stdout.write(`Search index: ${indexed.indexed} documents indexed, ${indexed.removed} removed in ${seconds(performance.now() - indexStarted)}\n`);
  }
  const targets = await findScaleEventsBenchTargets(db, 200);
  if (targets.webinarSlugs.length === 0 || targets.groupEventSlugs.length === 0 || targets.tags.length === 0) throw new Error("the data set has no published webinars, group events or tags");
  const [dataset] = await queryRows<{ events: number; webinars: number; registrations: number; members: number }>(
    db,
    sql`select (select count(*)::int from events) as events, (select count(*)::int from events where kind = 'webinar') as webinars,
               (select count(*)::int from event_registrations) as registrations, (select count(*)::int from users) as members`,
  );
  return {
    dataset: dataset!,
    plan: {
      tag: targets.tags[0]!,
      webinarPaths: targets.webinarSlugs.map((s) => `/webinars/${encodeURIComponent(s)}`),
      groupEventPaths: targets.groupEventSlugs.map((s) => `/events/${encodeURIComponent(s)}`),
    },
  };
});
const prepareMs = performance.now() - prepareStarted;
process.stdout.write(
  `Data set on ${benchDatabaseLabel()}: ${dataset.events} events (${dataset.webinars} webinars), ${dataset.registrations} registrations, ${dataset.members} users (prepared in ${seconds(prepareMs)})\n`,
);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}

// ---------------------------------------------------------------------------------------------------
// HTTP: catalog and detail pages.

const PAGES: { name: string; paths: string[] }[] = [
  { name: "webinar catalog (/webinars)", paths: ["/webinars"] },
  { name: `tag catalog (/webinars?tag=${plan.tag})`, paths: [`/webinars?tag=${encodeURIComponent(plan.tag)}`] },
  { name: "events catalog (/events)", paths: ["/events"] },
  { name: `webinar page (${plan.webinarPaths.length} rotating)`, paths: plan.webinarPaths },
  { name: `group event page (${plan.groupEventPaths.length} rotating)`, paths: plan.groupEventPaths },
];
const rows: LoadResult[] = [];
const sequential: Record<string, number> = {};
const probes: Record<string, number> = {};

if (!args.skipHttp) {
  ensureBuild();
  const server = await startBenchServer(args.port);
  /** Waits until the ceiling answers quickly again, so requests queued by one row are not served during the next. */
  const drain = async () => {
    const deadline = performance.now() + 60_000;
    while (performance.now() < deadline) {
      const t = performance.now();
      await (await fetch(`${server.url}/bench/ceiling`)).arrayBuffer();
      if (performance.now() - t < 50) return;
    }
  };
  try {
    for (const page of PAGES) {
      const res = await fetch(`${server.url}${page.paths[0]}`);
      const html = await res.text();
      probes[page.paths[0]!] = res.status;
      if (res.status !== 200) process.stdout.write(`note: ${page.paths[0]} answered ${res.status}; its rows count non-2xx responses\n`);
      // A catalog that renders no cards would be fast for the wrong reason.
      else if (page.paths.length === 1 && !/href="\/(webinars|events)\/[^"?]+"/.test(html)) process.stdout.write(`note: ${page.paths[0]} lists no events; check the page\n`);
    }
    await load("warm-up", server.url, 10, Math.max(2, Math.ceil(args.duration / 3)), {}, PAGES.flatMap((p) => p.paths));
    // One request at a time first: each page's own cost, apart from queueing under load.
    for (const page of PAGES) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        await (await fetch(`${server.url}${page.paths[i % page.paths.length]}`)).arrayBuffer();
        times.push(performance.now() - t);
      }
      sequential[page.name] = percentile(times.sort((a, b) => a - b), 50);
    }
    process.stdout.write(`One request at a time (median of 5): ${Object.entries(sequential).map(([n, ms]) => `${n} ${ms} ms`).join(", ")}\n`);
    for (const connections of args.connections) {
      rows.push(await load("ceiling (bare Remix route)", `${server.url}/bench/ceiling`, connections, args.duration));
      await drain();
      for (const page of PAGES) {
        rows.push(await load(page.name, server.url, connections, args.duration, {}, page.paths));
        await drain();
      }
    }
  } finally {
    await server.stop();
  }
  printTable(rows);
}

// ---------------------------------------------------------------------------------------------------
// Attendance import: a Zoom attendee report streamed from disk, previewed and committed in this process.

interface ImportPlan {
  eventId: number;
  slug: string;
  startsAt: Date;
  actor: EventActor;
  known: string[];
}

interface ImportResult {
  ok: boolean;
  fileBytes: number;
  lines: number;
  previewSeconds: number;
  commitSeconds: number;
  rowsPerSecond: number;
  baselineRssMb: number;
  peakRssMb: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  counts: { rows: number; matched: number; unknown: number; invalid: number; applied: number | null; attendedCount: number } | null;
  error?: string;
}

/**
 * A past webinar for the import, created for this run: 70% of the attendees registered beforehand (so the
 * commit both updates registrations and adds walk-ins), as webinars usually see.
 */
async function createImportWebinar(db: Db, distinctAttendees: number): Promise<ImportPlan> {
  const [admin] = await queryRows<{ id: number; role: EventActor["role"] }>(db, sql`select id, role from users where email = ${SCALE_ADMIN_EMAIL}`);
  if (!admin) throw new Error(`no ${SCALE_ADMIN_EMAIL} in the data set`);
  const slug = `${IMPORT_SLUG_PREFIX}${Date.now()}`;
  const startsAt = new Date(Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000);
  const [event] = await queryRows<{ id: number }>(
    db,
    sql`insert into events (kind, slug, title, summary, starts_at, ends_at, time_zone, capacity, status, attendance_mode, join_url, created_by_id, published_at)
        values ('webinar', ${slug}, 'Benchmark: attendance import', 'Created by bench:events and removed afterwards.', ${startsAt.toISOString()}::timestamptz,
                ${startsAt.toISOString()}::timestamptz + interval '90 minutes', 'America/New_York', null, 'published', 'online',
                'https://meet.example.com/hearth/bench', ${admin.id}::int, ${startsAt.toISOString()}::timestamptz - interval '20 days')
        returning id`,
  );
  const known = await queryRows<{ email: string; id: number }>(
    db,
    sql`select email, id from users where email like 'member%@scale-%.example' order by hashint4(id + 7) limit ${distinctAttendees}::int`,
  );
  const registered = known.slice(0, Math.floor(known.length * 0.7));
  if (registered.length > 0) {
    await db.execute(sql`
      insert into event_registrations (event_id, user_id, status, queue_seq, registered_at, created_at, updated_at)
      select ${event!.id}::int, u.id, 'registered', nextval('event_queue_seq'), ${startsAt.toISOString()}::timestamptz - interval '3 days',
             ${startsAt.toISOString()}::timestamptz - interval '3 days', ${startsAt.toISOString()}::timestamptz - interval '3 days'
      from unnest(${`{${registered.map((r) => r.id).join(",")}}`}::int[]) as u(id)`);
    await db.execute(sql`update events set registered_count = ${registered.length}::int where id = ${event!.id}::int`);
  }
  return { eventId: event!.id, slug, startsAt, actor: { id: admin.id, role: admin.role }, known: known.map((k) => k.email) };
}

/** Removes the run's webinar with everything the import wrote for it (registrations, imports, ledger rows). */
async function removeImportWebinar(db: Db, eventId: number): Promise<void> {
  await db.execute(sql`delete from activities where subject_type = 'event' and subject_id = ${String(eventId)}`);
  await db.execute(sql`delete from events where id = ${eventId}::int`);
}

/** Zoom's "03/14/2025 10:02:13 AM" in the webinar's zone (New York). */
function zoomTime(instant: Date): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: true,
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("month")}/${get("day")}/${get("year")} ${get("hour")}:${get("minute")}:${get("second")} ${get("dayPeriod").toUpperCase()}`;
}

/**
 * Writes the report: Zoom's summary block and host section above the attendee header, then `lines`
 * attendee lines in join order: ~10% by people who are not members (unknown emails), ~15% rejoins of
 * someone already in the report (dropped connections), and a few invalid lines (bad email, leave before
 * join, a formula in a cell).
 */
async function writeZoomReport(file: string, plan: ImportPlan, lines: number): Promise<{ bytes: number; invalid: number; unknownLines: number; rejoinLines: number }> {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const invalid = Math.max(3, Math.round(lines * 0.002));
  const unknownLines = Math.round(lines * 0.1);
  const knownLines = lines - invalid - unknownLines;
  const distinct = Math.min(plan.known.length, Math.round(knownLines / 1.15));
  const start = plan.startsAt.getTime();
  const minute = 60_000;
  type Line = { at: number; text: string };
  const out: Line[] = [];
  const attendeeLine = (name: string, email: string, joinAt: number, leaveAt: number) => {
    const [first, ...rest] = name.split(" ");
    return `Yes,${name},${first},${rest.join(" ")},${email},${zoomTime(new Date(start - 3 * 86_400_000))},approved,${zoomTime(new Date(joinAt))},${zoomTime(new Date(leaveAt))},${Math.max(1, Math.round((leaveAt - joinAt) / minute))},No,United States`;
  };
  for (let i = 0; i < knownLines; i++) {
    const who = i < distinct ? i : Math.floor(rand() * distinct);
    const joinAt = start + Math.floor((i < distinct ? rand() * 10 : 10 + rand() * 70) * minute);
    const leaveAt = joinAt + Math.floor((5 + rand() * 80) * minute);
    out.push({ at: joinAt, text: attendeeLine(`Member ${who + 1}`, plan.known[who]!, joinAt, leaveAt) });
  }
  for (let i = 0; i < unknownLines; i++) {
    const joinAt = start + Math.floor(rand() * 30 * minute);
    out.push({ at: joinAt, text: attendeeLine(`Guest ${i + 1}`, `guest${i + 1}@not-a-member.example`, joinAt, joinAt + Math.floor((10 + rand() * 60) * minute)) });
  }
  for (let i = 0; i < invalid; i++) {
    const joinAt = start + Math.floor(rand() * 30 * minute);
    const kind = i % 3;
    const text =
      kind === 0
        ? attendeeLine(`Broken ${i}`, `broken${i}-at-example`, joinAt, joinAt + 30 * minute)
        : kind === 1
          ? attendeeLine(`Backwards ${i}`, `backwards${i}@not-a-member.example`, joinAt, joinAt - 10 * minute)
          : attendeeLine(`Formula ${i}`, `=HYPERLINK("http://evil.example")`, joinAt, joinAt + 30 * minute);
    out.push({ at: joinAt, text });
  }
  out.sort((a, b) => a.at - b.at);
  const stream = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, "drain");
  };
  await write("Attendee Report\n");
  await write(`Report Generated:,"${zoomTime(new Date())}"\n`);
  await write("Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,Total Users,Max Concurrent Views\n");
  await write(`Benchmark: attendance import,812 3456 7890,${zoomTime(plan.startsAt)},90,${distinct},0,${distinct + unknownLines},${lines},${distinct}\n`);
  await write("Host Details\nAttended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name\n");
  await write(`Yes,Scale Admin,${SCALE_ADMIN_EMAIL},${zoomTime(new Date(start - 10 * minute))},${zoomTime(new Date(start + 95 * minute))},105,No,United States\n`);
  await write("Attendee Details\nAttended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name\n");
  // Flushed in chunks of lines, as a report tool writes them.
  for (let i = 0; i < out.length; i += 500) await write(`${out.slice(i, i + 500).map((l) => l.text).join("\n")}\n`);
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { bytes: fs.statSync(file).size, invalid, unknownLines, rejoinLines: knownLines - distinct };
}

async function benchImport(): Promise<ImportResult> {
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-import-")), "zoom-attendee-report.csv");
  return withBenchDb(async (db) => {
    const plan = await createImportWebinar(db, Math.round(args.rows * 0.78));
    try {
      const written = await writeZoomReport(file, plan, args.rows);
      process.stdout.write(
        `\nAttendance import: ${args.rows} attendee lines (${written.rejoinLines} rejoins, ${written.unknownLines} unknown emails, ${written.invalid} invalid), ` +
          `${(written.bytes / 1024 / 1024).toFixed(1)} MB, into webinar ${plan.slug}\n`,
      );
      (globalThis as { gc?: () => void }).gc?.();
      const baseline = process.memoryUsage();
      let peakRss = baseline.rss;
      let peakHeap = baseline.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 50);
      const memory = () => ({ baselineRssMb: mb(baseline.rss), peakRssMb: mb(peakRss), rssGrowthMb: mb(peakRss - baseline.rss), heapGrowthMb: mb(peakHeap - baseline.heapUsed) });
      let previewSeconds = NaN;
      let commitSeconds = NaN;
      try {
        const t0 = performance.now();
        const preview = await previewAttendanceImport(db, plan.actor, { eventId: plan.eventId, fileName: path.basename(file), data: fs.createReadStream(file) });
        previewSeconds = (performance.now() - t0) / 1000;
        if (!preview.ok) throw new Error(`preview refused: ${JSON.stringify(preview)}`);
        const t1 = performance.now();
        const commit = await commitAttendanceImport(db, plan.actor, preview.importId);
        commitSeconds = (performance.now() - t1) / 1000;
        clearInterval(sampler);
        if (!commit.ok) throw new Error(`commit refused: ${JSON.stringify(commit)}`);
        const [counts] = await queryRows<{ status: string; rows: number; matched: number; unknown: number; invalid: number; applied: number | null; attended_count: number; file_errors: unknown }>(
          db,
          sql`select i.status, i.row_count as rows, i.matched_count as matched, i.unknown_count as unknown, i.invalid_count as invalid, i.applied_count as applied,
                     i.file_errors, e.attended_count
              from attendance_imports i join events e on e.id = i.event_id where i.id = ${preview.importId}::int`,
        );
        const total = previewSeconds + commitSeconds;
        return {
          ok: true,
          fileBytes: written.bytes,
          lines: args.rows,
          previewSeconds: Math.round(previewSeconds * 100) / 100,
          commitSeconds: Math.round(commitSeconds * 100) / 100,
          rowsPerSecond: Math.round(args.rows / total),
          ...memory(),
          counts: counts
            ? { rows: counts.rows, matched: counts.matched, unknown: counts.unknown, invalid: counts.invalid, applied: counts.applied, attendedCount: counts.attended_count }
            : null,
        };
      } catch (error) {
        clearInterval(sampler);
        return {
          ok: false,
          fileBytes: written.bytes,
          lines: args.rows,
          previewSeconds,
          commitSeconds,
          rowsPerSecond: NaN,
          ...memory(),
          counts: null,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    } finally {
      await removeImportWebinar(db, plan.eventId);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
}

const importResult = args.skipImport ? null : await benchImport();

// ---------------------------------------------------------------------------------------------------
// Verdicts.

/** One line of the final summary: what was measured, the result, the goal and whether it was met. */
interface Verdict {
  check: string;
  result: string;
  target: string;
  pass: boolean;
}
const verdicts: Verdict[] = [];
const top = Math.max(...args.connections);
if (rows.length > 0) {
  const ceiling = rows.find((r) => r.connections === top && r.name.startsWith("ceiling"));
  for (const page of PAGES) {
    const r = rows.find((row) => row.connections === top && row.name === page.name)!;
    const share = ceiling && ceiling.rps > 0 ? `, ${((r.rps / ceiling.rps) * 100).toFixed(0)}% of ceiling` : "";
    verdicts.push({
      check: `${page.name} at ${top} conns`,
      result: `p95 ${r.p95} ms (${r.rps} req/s${share}${r.non2xx + r.errors > 0 ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ""})`,
      target: `p95 < ${TARGET_P95_MS} ms`,
      pass: r.requests > 0 && r.p95 < TARGET_P95_MS && r.non2xx === 0 && r.errors === 0,
    });
  }
}
if (importResult) {
  const total = importResult.previewSeconds + importResult.commitSeconds;
  const c = importResult.counts;
  process.stdout.write(
    importResult.ok
      ? `Import: preview ${importResult.previewSeconds} s, commit ${importResult.commitSeconds} s, ${importResult.rowsPerSecond} lines/s; ` +
          `${c?.rows} rows after merging rejoins (${c?.matched} matched, ${c?.unknown} unknown, ${c?.invalid} invalid), ${c?.applied} applied, attended_count ${c?.attendedCount}; ` +
          `RSS ${importResult.baselineRssMb} → peak ${importResult.peakRssMb} MB (+${importResult.rssGrowthMb}), heap +${importResult.heapGrowthMb} MB\n`
      : `Import failed: ${importResult.error}\n`,
  );
  verdicts.push({
    check: `attendance import, ${importResult.lines} lines`,
    result: importResult.ok ? `${total.toFixed(2)} s (preview ${importResult.previewSeconds}, commit ${importResult.commitSeconds}; ${importResult.rowsPerSecond} lines/s)` : "failed",
    target: `< ${TARGET_IMPORT_SECONDS} s`,
    pass: importResult.ok && total < TARGET_IMPORT_SECONDS,
  });
  verdicts.push({
    check: "attendance import memory",
    result: `RSS +${importResult.rssGrowthMb} MB (peak ${importResult.peakRssMb}), heap +${importResult.heapGrowthMb} MB`,
    target: `RSS growth < ${TARGET_RSS_GROWTH_MB} MB`,
    pass: importResult.ok && importResult.rssGrowthMb < TARGET_RSS_GROWTH_MB,
  });
}
if (verdicts.length > 0) {
  const header = ["check", "result", "target", "verdict"];
  const lines = verdicts.map((v) => [v.check, v.result, v.target, v.pass ? "PASS" : "FAIL"]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  process.stdout.write(`\nSummary (${benchDatabaseLabel()}${quick ? ", quick: small data set, not the issue's targets" : ""})\n`);
  process.stdout.write(`${fmt(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${lines.map(fmt).join("\n")}\n`);
}
const file = saveResults(quick ? "events-quick" : "events", {
  at: new Date().toISOString(),
  cpus: os.cpus().length,
  database: benchDatabaseLabel(),
  quick,
  dataset,
  prepareSeconds: Math.round(prepareMs / 100) / 10,
  probes,
  sequentialMedianMs: sequential,
  rows,
  import: importResult,
  verdicts,
});
process.stdout.write(`Results saved to ${file}\n`);
if (verdicts.some((v) => !v.pass)) process.exitCode = 1;
