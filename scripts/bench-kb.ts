import os from "node:os";
import { parseArgs } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { backfillRelatedArticles, KB_RELATED_REFRESH_JOB } from "../app/features/kb/related.server";
import { queryRows } from "../db/client";
import { runMigrations } from "../db/migrate";
import { jobs, kbArticles, kbCollections } from "../db/schema";
import { ensureBuild } from "./build-if-needed";
import { createEmbeddedSearchEngine } from "../search/embedded";
import { drainSearchQueue } from "../search/queue";
import { BENCH_DATA_DIR, BENCH_DATABASE_URL, ensureScaleData, openBenchDb, load, printTable, saveResults, startBenchServer, type LoadResult } from "./bench/harness";
import { countKbArticles, generateKbBenchArticles } from "./bench/kb-data";

/**
 * npm run bench:kb [-- --articles 10000 --duration 10]
 * The public article page with 10,000 articles in the scale data set, at 10 and 50 connections,
 * against the bare-Remix ceiling in the same run. Targets (issue 3): p95 < 50 ms at 50 connections
 * and ≥ 50% of the ceiling's throughput.
 */
const { values } = parseArgs({ options: { articles: { type: "string" }, duration: { type: "string" }, port: { type: "string" } } });
const args = z
  .object({
    articles: z.coerce.number().int().min(100).max(200_000).default(10_000),
    duration: z.coerce.number().int().min(1).max(120).default(10),
    port: z.coerce.number().int().min(1024).max(65535).default(3192),
  })
  .parse(values);

ensureScaleData();
const paths = await (async () => {
  const handle = await openBenchDb();
  try {
    await runMigrations(handle, BENCH_DATABASE_URL || undefined);
    const existing = await countKbArticles(handle.db);
    if (existing < args.articles) {
      if (existing > 0) throw new Error(`${existing} articles exist but ${args.articles} are wanted: delete ${BENCH_DATA_DIR} and run again`);
      process.stdout.write(`Writing ${args.articles} articles through the KB commands (once)…\n`);
      const started = performance.now();
      await generateKbBenchArticles(handle.db, args.articles, (done) =>
        process.stdout.write(`articles ${done}/${args.articles} (${((performance.now() - started) / 1000).toFixed(1)}s)\n`),
      );
    }
    // Related lists are computed when articles change (queued jobs); a deployment has them all. Compute
    // them here, once, rather than leave the server's workers doing it during the measurement.
    const [{ pending } = { pending: 0 }] = await queryRows<{ pending: number }>(
      handle.db,
      sql`select count(*)::int as pending from ${kbArticles} where ${kbArticles.status} = 'published' and ${kbArticles.relatedRefreshedAt} is null`,
    );
    if (pending > 0) {
      process.stdout.write(`Computing related articles for ${pending} articles (once)…\n`);
      const started = performance.now();
      let done = 0;
      for (;;) {
        const refreshed = await backfillRelatedArticles(handle.db, 500);
        if (refreshed === 0) break;
        done += refreshed;
        process.stdout.write(`related ${done}/${pending} (${((performance.now() - started) / 1000).toFixed(1)}s)\n`);
      }
    }
    await handle.db.delete(jobs).where(and(eq(jobs.type, KB_RELATED_REFRESH_JOB), eq(jobs.status, "queued")));
    // Likewise the search index: the triggers queued every article (and any scale questions).
    const engine = createEmbeddedSearchEngine(handle.db);
    await engine.setup();
    const indexStarted = performance.now();
    const indexed = await drainSearchQueue(handle.db, engine, { batchSize: 500 });
    if (indexed.indexed > 0) process.stdout.write(`Search index: ${indexed.indexed} documents indexed in ${((performance.now() - indexStarted) / 1000).toFixed(1)}s\n`);
    // As the hourly maintenance.analyze job would have by now (PGlite has no autovacuum).
    await handle.db.execute(sql`analyze`);
    // 200 public articles spread over the set, so reads are not all one cached row.
    const rows = await handle.db
      .select({ slug: kbArticles.slug, collection: kbCollections.slug })
      .from(kbArticles)
      .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
      .where(and(eq(kbArticles.visibility, "public"), eq(kbArticles.status, "published")))
      .orderBy(kbArticles.id);
    const step = Math.max(1, Math.floor(rows.length / 200));
    return rows.filter((_, i) => i % step === 0).slice(0, 200).map((r) => `/kb/${r.collection}/${r.slug}`);
  } finally {
    await handle.close();
  }
})();

ensureBuild();
const server = await startBenchServer(args.port);
try {
  const probe = await fetch(`${server.url}${paths[0]}`);
  if (probe.status !== 200) throw new Error(`${paths[0]} answered ${probe.status}`);
  await load("warm-up", server.url, 10, 2, {}, paths);
  const rows: LoadResult[] = [];
  for (const connections of [10, 50]) {
    rows.push(await load("ceiling (bare Remix route)", `${server.url}/bench/ceiling`, connections, args.duration));
    rows.push(await load(`article page (${paths.length} articles)`, server.url, connections, args.duration, {}, paths));
  }
  printTable(rows);
  const ceiling = rows.find((r) => r.connections === 50 && r.name.startsWith("ceiling"))!;
  const article = rows.find((r) => r.connections === 50 && r.name.startsWith("article"))!;
  const share = article.rps / ceiling.rps;
  process.stdout.write(
    `\nAt 50 connections: article page ${(share * 100).toFixed(0)}% of ceiling (target ≥ 50%) ${share >= 0.5 ? "PASS" : "FAIL"}; p95 ${article.p95} ms (target < 50) ${article.p95 < 50 ? "PASS" : "FAIL"}\n`,
  );
  const file = saveResults("kb", { at: new Date().toISOString(), cpus: os.cpus().length, articles: args.articles, rows });
  process.stdout.write(`Results saved to ${file}\n`);
} finally {
  await server.stop();
}
