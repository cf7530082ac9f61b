import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pino from "pino";
import postgres from "postgres";
import { z } from "zod";
import { createArticle, createCollection, publishArticle } from "../app/features/kb/articles.server";
import { openDb, type DbHandle } from "../db/client";
import { createUser } from "../db/factories";
import { runMigrations } from "../db/migrate";
import { createEmbeddedSearchEngine } from "../search/embedded";
import type { SearchEngine } from "../search/engine";
import { createMeilisearchEngine } from "../search/meilisearch";
import { startSearchIndexer } from "../search/queue";
import { parseCliArgs } from "./cli-args";
import { BENCH_DATA_DIR, saveResults } from "./bench/harness";
import { loadCorpus, selectDocs } from "./bench/search-corpus";
import { engineTarget, miniSearchTarget, type BenchTarget } from "./bench/search-engines";
import { buildQuerySets, QUERY_SETS, titleWords, type LabelledQuery, type QuerySetName } from "./bench/search-queries";

/**
 * npm run bench:search [-- --docs 50000 --queries 300 --skip-server --skip-minisearch --quick]
 * Search quality and latency (issue 5) over a corpus of real text built on this machine (README and doc
 * sections, JSDoc, man pages; Japanese man pages), for the embedded engine on PGlite and on the Postgres
 * server, MiniSearch as the reference peer and Meilisearch when MEILISEARCH_URL is set; plus full reindex
 * time and how long a single KB article change takes to become searchable through the real queue.
 */
const USAGE = "usage: npm run bench:search -- [--docs N] [--queries N] [--quick] [--skip-server] [--skip-pglite] [--skip-minisearch] [--database-url URL] [--seed N] [--rebuild-corpus] [--misses N] [--skip-minisearch --peer bench-results/<earlier run>.json]";
const args = parseCliArgs(
  process.argv.slice(2),
  {
    docs: { type: "string" },
    queries: { type: "string" },
    quick: { type: "boolean" },
    "skip-server": { type: "boolean" },
    "skip-pglite": { type: "boolean" },
    "skip-minisearch": { type: "boolean" },
    "database-url": { type: "string" },
    seed: { type: "string" },
    "rebuild-corpus": { type: "boolean" },
    misses: { type: "string" },
    peer: { type: "string" },
  },
  z.object({
    docs: z.coerce.number().int().min(1000).max(500_000).optional(),
    queries: z.coerce.number().int().min(10).max(5000).optional(),
    quick: z.boolean().default(false),
    "skip-server": z.boolean().default(false),
    "skip-pglite": z.boolean().default(false),
    "skip-minisearch": z.boolean().default(false),
    "database-url": z.string().url().default(process.env.BENCH_SEARCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"),
    seed: z.coerce.number().int().min(0).max(2 ** 31).default(20_260_511),
    "rebuild-corpus": z.boolean().default(false),
    misses: z.coerce.number().int().min(0).max(100).default(3),
    peer: z.string().min(1).optional(),
  }),
  USAGE,
);
const totalDocs = args.docs ?? (args.quick ? 5_000 : 50_000);
const perSet = args.queries ?? (args.quick ? 60 : 300);
const WORK_DIR = path.join(BENCH_DATA_DIR, "search");
const SERVER_DB = "hearth_bench_search";
const WARM_UP_QUERIES = 50;
const TARGETS = { clean: 0.95, typo: 0.9, prefix: 0.9, japanese: 0.9 } satisfies Record<QuerySetName, number>;

const started = performance.now();
const loadAtStart = os.loadavg();
const log = (line: string) => process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);

// ------------------------------------------------------------------------------------------ corpus

const corpus = loadCorpus(path.join(WORK_DIR, "corpus.json"), { rebuild: args["rebuild-corpus"], log });
if (corpus.docs.length < totalDocs) log(`Only ${corpus.docs.length} documents are available on this machine; using all of them.`);
const docs = selectDocs(corpus, totalDocs, args.seed);
const docsById = new Map(docs.map((d) => [d.id, d]));
const bySource = docs.reduce<Record<string, number>>((acc, d) => {
  const kind = d.source.startsWith("man:gcloud") ? "gcloud man" : d.source.split(":")[0]!;
  acc[kind] = (acc[kind] ?? 0) + 1;
  return acc;
}, {});
log(
  `Corpus: ${docs.length} documents (${docs.filter((d) => d.locale === "ja").length} Japanese) — ${Object.entries(bySource)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ")}`,
);
const sets = buildQuerySets(docs, perSet, args.seed);
for (const name of QUERY_SETS) log(`Query set ${name}: ${sets[name].length} queries, e.g. ${sets[name].slice(0, 3).map((q) => JSON.stringify(q.q)).join(", ")}`);
const queried = new Set(QUERY_SETS.flatMap((s) => sets[s].map((q) => q.target)));
// Warm-up queries are other documents' titles, so no measured query is answered from a warm cache.
const warmUp = docs
  .filter((d, i) => i % 97 === 0 && !queried.has(d.id))
  .slice(0, WARM_UP_QUERIES)
  .map((d) => titleWords(d.title).join(" ") || d.title);

// ------------------------------------------------------------------------------------------ measuring

interface SetResult {
  engine: string;
  set: QuerySetName;
  queries: number;
  recallAt1: number;
  recallAt10: number;
  mrr: number;
  p50: number;
  p95: number;
  /** Recall@10 per Japanese query form. */
  forms?: Record<string, { queries: number; recallAt10: number }>;
  misses: Array<{ q: string; expected: string; got: string[] }>;
}

interface EngineResult {
  engine: string;
  indexMs: number;
  docs: number;
  sets: SetResult[];
  /** Embedded on PGlite: a KB change searchable through the queue and the in-process indexer. */
  maintenance?: { newArticleMs: number; titleUpdatesMs: number[] };
  error?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

async function runQueries(target: BenchTarget): Promise<SetResult[]> {
  for (const q of warmUp) await target.search(q, 10);
  const results: SetResult[] = [];
  for (const set of QUERY_SETS) {
    const queries: LabelledQuery[] = sets[set];
    const times: number[] = [];
    let hit1 = 0;
    let hit10 = 0;
    let rr = 0;
    const forms: Record<string, { queries: number; found: number }> = {};
    const misses: SetResult["misses"] = [];
    for (const query of queries) {
      const t0 = performance.now();
      const ids = await target.search(query.q, 10);
      times.push(performance.now() - t0);
      const rank = ids.indexOf(query.target);
      if (rank === 0) hit1++;
      if (rank >= 0) {
        hit10++;
        rr += 1 / (rank + 1);
      } else if (misses.length < 20) {
        misses.push({ q: query.q, expected: query.title, got: ids.slice(0, 3).map((id) => docsById.get(id)?.title ?? `#${id}`) });
      }
      if (query.form) {
        const f = (forms[query.form] ??= { queries: 0, found: 0 });
        f.queries++;
        if (rank >= 0) f.found++;
      }
    }
    times.sort((a, b) => a - b);
    const n = Math.max(1, queries.length);
    results.push({
      engine: target.name,
      set,
      queries: queries.length,
      recallAt1: round(hit1 / n),
      recallAt10: round(hit10 / n),
      mrr: round(rr / n),
      p50: round(percentile(times, 50), 1),
      p95: round(percentile(times, 95), 1),
      forms: Object.keys(forms).length
        ? Object.fromEntries(Object.entries(forms).map(([k, v]) => [k, { queries: v.queries, recallAt10: round(v.found / v.queries) }]))
        : undefined,
      misses,
    });
    log(`  ${set}: recall@10 ${results.at(-1)!.recallAt10}, p95 ${results.at(-1)!.p95} ms`);
  }
  return results;
}

async function measure(target: BenchTarget, after?: () => Promise<EngineResult["maintenance"]>): Promise<EngineResult> {
  log(`${target.name}: indexing ${docs.length} documents…`);
  let lastLogged = 0;
  const indexMs = await target.index(docs, (done) => {
    if (done - lastLogged >= 5000 || done === docs.length) {
      lastLogged = done;
      log(`  indexed ${done}/${docs.length}`);
    }
  });
  log(`${target.name}: indexed in ${(indexMs / 1000).toFixed(1)} s; querying…`);
  const setResults = await runQueries(target);
  const maintenance = after ? await after() : undefined;
  return { engine: target.name, indexMs: Math.round(indexMs), docs: docs.length, sets: setResults, maintenance };
}

/** A KB article published, then its title changed, through the real commands and triggers; timed until searchable. */
async function measureMaintenance(handle: DbHandle, engine: SearchEngine): Promise<EngineResult["maintenance"]> {
  const { db } = handle;
  const logger = pino({ level: "warn" });
  const indexer = startSearchIndexer({ db, engine, logger });
  try {
    const admin = await createUser(db, { role: "admin" });
    const actor = { id: admin.id, role: admin.role };
    const collection = await createCollection(db, actor, { slug: "bench-search", nameEn: "Bench", nameJa: "ベンチ", descriptionEn: "", descriptionJa: "", position: 0 });
    if (!collection.ok) throw new Error(`createCollection: ${JSON.stringify(collection)}`);
    const created = await createArticle(db, actor, {
      title: "Rotating the quokkaflux signing keys",
      slug: null,
      collectionId: collection.collectionId,
      locale: "en",
      visibility: "public",
      summary: "",
      bodyMd: "## Steps\n\nOpen the admin console and rotate the keys used to sign webhook payloads.\n",
      tags: [],
      ownerId: null,
      reviewBy: null,
      note: null,
    });
    if (!created.ok) throw new Error(`createArticle: ${JSON.stringify(created)}`);
    const articleId = created.articleId;
    const waitFor = async (word: string, t0: number): Promise<number> => {
      for (;;) {
        const res = await engine.search({ q: word, visibilities: ["public"], limit: 5, offset: 0, prefix: false, facets: false });
        if (res.hits.some((h) => h.type === "article" && h.sourceId === articleId)) return Math.round(performance.now() - t0);
        if (performance.now() - t0 > 30_000) throw new Error(`"${word}" not searchable after 30 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    let t0 = performance.now();
    const published = await publishArticle(db, actor, articleId);
    if (!published.ok) throw new Error(`publishArticle: ${JSON.stringify(published)}`);
    const newArticleMs = await waitFor("quokkaflux", t0);
    log(`  new article searchable after ${newArticleMs} ms`);
    const titleUpdatesMs: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const word = `zebrawidget${"abcde"[i - 1]}${i}`;
      t0 = performance.now();
      // A plain UPDATE: what any write path does; the trigger enqueues it in the same transaction.
      await db.execute(sql`update kb_articles set title = ${`Rotating the ${word} signing keys`}, updated_at = now() where id = ${articleId}`);
      titleUpdatesMs.push(await waitFor(word, t0));
    }
    log(`  title updates searchable after ${titleUpdatesMs.join(", ")} ms`);
    return { newArticleMs, titleUpdatesMs };
  } finally {
    await indexer.stop();
  }
}

async function guarded(name: string, run: () => Promise<EngineResult>): Promise<EngineResult> {
  try {
    return await run();
  } catch (error) {
    // drizzle wraps the driver's error: the cause says what Postgres refused.
    const cause = error instanceof Error && error.cause instanceof Error ? ` (cause: ${error.cause.message})` : "";
    const message = `${error instanceof Error ? error.message.split("\n")[0]!.slice(0, 300) : String(error)}${cause}`;
    log(`${name}: FAILED — ${message}`);
    return { engine: name, indexMs: NaN, docs: docs.length, sets: [], error: message };
  }
}

const results: EngineResult[] = [];

if (args["skip-minisearch"] && args.peer) {
  // MiniSearch at 50,000 documents takes ~10 minutes on 2 cores: a later run may compare against the
  // MiniSearch numbers of an earlier full run over the same corpus and queries (same seed and sizes).
  const saved = z
    .object({ seed: z.number(), corpus: z.object({ docs: z.number() }), queriesPerSet: z.record(z.string(), z.number()), at: z.string(), results: z.array(z.looseObject({ engine: z.string() })) })
    .parse(JSON.parse(fs.readFileSync(args.peer, "utf8")));
  const same = saved.seed === args.seed && saved.corpus.docs === docs.length && QUERY_SETS.every((s) => saved.queriesPerSet[s] === sets[s].length);
  if (!same) throw new Error(`${args.peer} was run with another seed, corpus size or query count`);
  const peerResult = saved.results.find((r) => r.engine.startsWith("MiniSearch")) as unknown as EngineResult | undefined;
  if (!peerResult) throw new Error(`${args.peer} has no MiniSearch result`);
  log(`MiniSearch: results from the run of ${saved.at} (${args.peer})`);
  results.push({ ...peerResult, engine: `${peerResult.engine} [${saved.at.slice(0, 16)}]`, sets: peerResult.sets.map((s) => ({ ...s, misses: [] })) });
}

if (!args["skip-minisearch"]) {
  const target = miniSearchTarget();
  results.push(await guarded(target.name, () => measure(target)));
  await target.close();
}

if (!args["skip-pglite"]) {
  results.push(
    await guarded("embedded (PGlite)", async () => {
      const dir = path.join(WORK_DIR, "pglite");
      fs.rmSync(dir, { recursive: true, force: true });
      const handle = await openDb({ dataDir: dir });
      try {
        await runMigrations(handle);
        const engine = createEmbeddedSearchEngine(handle.db);
        const target = engineTarget("embedded (PGlite)", engine);
        return await measure(
          {
            ...target,
            // PGlite has no autovacuum; the hourly maintenance.analyze job would have run by now.
            index: async (d, p) => {
              const ms = await target.index(d, p);
              await handle.db.execute(sql`analyze`);
              return ms;
            },
          },
          () => measureMaintenance(handle, engine),
        );
      } finally {
        await handle.close();
        // ~800 MB at 50,000 documents, and every run starts from a fresh directory anyway.
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
}

if (!args["skip-server"]) {
  results.push(
    await guarded("embedded (server)", async () => {
      const adminUrl = args["database-url"];
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      const dbUrl = new URL(adminUrl);
      dbUrl.pathname = `/${SERVER_DB}`;
      try {
        await admin.unsafe(`drop database if exists ${SERVER_DB} with (force)`);
        await admin.unsafe(`create database ${SERVER_DB}`);
        const handle = await openDb({ databaseUrl: dbUrl.toString() });
        try {
          await runMigrations(handle, dbUrl.toString());
          const target = engineTarget("embedded (server)", createEmbeddedSearchEngine(handle.db));
          return await measure({
            ...target,
            // As autovacuum's analyze would shortly after a bulk load.
            index: async (d, p) => {
              const ms = await target.index(d, p);
              await handle.db.execute(sql`analyze`);
              return ms;
            },
          });
        } finally {
          await handle.close();
        }
      } finally {
        await admin.unsafe(`drop database if exists ${SERVER_DB} with (force)`).catch(() => {});
        await admin.end({ timeout: 5 });
      }
    }),
  );
}

if (process.env.MEILISEARCH_URL) {
  results.push(
    await guarded("Meilisearch", () =>
      measure(
        engineTarget(
          "Meilisearch",
          createMeilisearchEngine({ url: process.env.MEILISEARCH_URL!, apiKey: process.env.MEILISEARCH_API_KEY, indexUid: "hearth_bench_search" }),
        ),
      ),
    ),
  );
}

// ------------------------------------------------------------------------------------------ report

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return `${fmt(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n${rows.map(fmt).join("\n")}\n`;
}

const fixed = (n: number, d = 3) => (Number.isFinite(n) ? n.toFixed(d) : "—");
process.stdout.write("\n");
process.stdout.write(
  table(
    ["engine", "set", "queries", "recall@1", "recall@10", "MRR", "p50 ms", "p95 ms"],
    results.flatMap((r) =>
      r.sets.map((s) => [r.engine, s.set, String(s.queries), fixed(s.recallAt1), fixed(s.recallAt10), fixed(s.mrr), fixed(s.p50, 1), fixed(s.p95, 1)]),
    ),
  ),
);
for (const r of results) {
  const forms = r.sets.find((s) => s.set === "japanese")?.forms;
  if (forms)
    process.stdout.write(
      `${r.engine} Japanese recall@10 by form: ${Object.entries(forms)
        .map(([k, v]) => `${k} ${fixed(v.recallAt10)} (${v.queries})`)
        .join(", ")}\n`,
    );
}
process.stdout.write("\n");
process.stdout.write(
  table(
    ["engine", "docs", "full index s", "per 50k docs s"],
    results.map((r) => [r.engine, String(r.docs), fixed(r.indexMs / 1000, 1), fixed((r.indexMs / 1000) * (50_000 / r.docs), 1)]),
  ),
);
for (const r of results) if (r.error) process.stdout.write(`${r.engine}: FAILED — ${r.error.split("\n")[0]}\n`);

interface Verdict {
  engine: string;
  check: string;
  value: string;
  target: string;
  pass: boolean;
}
const verdicts: Verdict[] = [];
const peer = results.find((r) => r.engine.startsWith("MiniSearch") && !r.error);
for (const r of results.filter((x) => x.engine.startsWith("embedded"))) {
  if (r.error) {
    verdicts.push({ engine: r.engine, check: "runs", value: "failed", target: "runs", pass: false });
    continue;
  }
  for (const s of r.sets) {
    verdicts.push({ engine: r.engine, check: `${s.set} recall@10`, value: fixed(s.recallAt10), target: `≥ ${TARGETS[s.set]}`, pass: s.recallAt10 >= TARGETS[s.set] });
    verdicts.push({ engine: r.engine, check: `${s.set} p95`, value: `${fixed(s.p95, 1)} ms`, target: "< 30 ms", pass: s.p95 < 30 });
    const ps = peer?.sets.find((x) => x.set === s.set);
    if (ps) {
      verdicts.push({
        engine: r.engine,
        check: `${s.set} quality vs MiniSearch`,
        value: `R@10 ${fixed(s.recallAt10)} / MRR ${fixed(s.mrr)} vs ${fixed(ps.recallAt10)} / ${fixed(ps.mrr)}`,
        target: "≥ MiniSearch",
        pass: s.recallAt10 >= ps.recallAt10 && s.mrr >= ps.mrr,
      });
      verdicts.push({ engine: r.engine, check: `${s.set} p95 vs MiniSearch`, value: `${fixed(s.p95, 1)} vs ${fixed(ps.p95, 1)} ms`, target: `≤ ${fixed(ps.p95 / 3, 1)} ms (⅓)`, pass: s.p95 <= ps.p95 / 3 });
    }
  }
  const per50k = (r.indexMs / 1000) * (50_000 / r.docs);
  verdicts.push({ engine: r.engine, check: "full reindex (per 50,000 docs)", value: `${fixed(per50k, 1)} s`, target: "< 60 s", pass: per50k < 60 });
  if (r.maintenance) {
    const worst = Math.max(r.maintenance.newArticleMs, ...r.maintenance.titleUpdatesMs);
    verdicts.push({
      engine: r.engine,
      check: "update searchable (in-process worker)",
      value: `new ${r.maintenance.newArticleMs} ms; edits ${r.maintenance.titleUpdatesMs.join("/")} ms`,
      target: "< 2000 ms",
      pass: worst < 2000,
    });
  }
}
if (verdicts.length) {
  process.stdout.write("\nTargets (issue 5):\n");
  process.stdout.write(table(["engine", "check", "value", "target", "verdict"], verdicts.map((v) => [v.engine, v.check, v.value, v.target, v.pass ? "PASS" : "FAIL"])));
}

if (args.misses > 0) {
  for (const r of results.filter((x) => x.engine.startsWith("embedded"))) {
    for (const s of r.sets) {
      if (s.misses.length === 0) continue;
      process.stdout.write(`\n${r.engine}, ${s.set}: first misses (query → expected title; top 3 returned)\n`);
      for (const m of s.misses.slice(0, args.misses)) process.stdout.write(`  ${JSON.stringify(m.q)} → ${JSON.stringify(m.expected)}; got ${JSON.stringify(m.got)}\n`);
    }
  }
}

const summary = {
  at: new Date().toISOString(),
  cpus: os.cpus().length,
  loadAverage: { start: loadAtStart, end: os.loadavg() },
  seed: args.seed,
  corpus: { docs: docs.length, japanese: docs.filter((d) => d.locale === "ja").length, bySource, builtAt: corpus.builtAt, available: corpus.counts },
  queriesPerSet: Object.fromEntries(QUERY_SETS.map((s) => [s, sets[s].length])),
  results: results.map((r) => ({ ...r, sets: r.sets.map(({ misses, ...rest }) => ({ ...rest, missesSample: misses.slice(0, 10) })) })),
  verdicts,
};
const file = saveResults("search", summary);
// Two cores shared with other work: latencies mean little without the load they were measured under.
process.stdout.write(`\nLoad average (1/5/15 min): at start ${loadAtStart.map((n) => n.toFixed(1)).join("/")}, at end ${os.loadavg().map((n) => n.toFixed(1)).join("/")}; ${os.cpus().length} CPUs\n`);
process.stdout.write(`\nJSON summary: ${JSON.stringify({ verdicts: verdicts.length ? `${verdicts.filter((v) => v.pass).length}/${verdicts.length} pass` : "n/a", results: results.map((r) => ({ engine: r.engine, indexMs: r.indexMs, sets: Object.fromEntries(r.sets.map((s) => [s.set, { r1: s.recallAt1, r10: s.recallAt10, mrr: s.mrr, p50: s.p50, p95: s.p95 }])), maintenance: r.maintenance })) })}\n`);
process.stdout.write(`Full results saved to ${file}\n`);
