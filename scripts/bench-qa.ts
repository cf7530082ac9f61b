import os from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db, type DbHandle } from "../db/client";
import { runMigrations } from "../db/migrate";
import { SCALE_PASSWORD } from "../db/scale";
import { findScaleBenchQuestion, SCALE_FORUM_BENCH_ANSWERS } from "../db/scale-forum";
import { NEW_MEMBER_REPUTATION, POSTING_LIMITS } from "../app/features/forum/reputation";
import { ensureBuild } from "./build-if-needed";
import { BENCH_DATABASE_URL, benchDatabaseLabel, ensureScaleData, openBenchDb, load, printTable, saveResults, signInCookie, startBenchServer, type LoadResult } from "./bench/harness";
import { ensureScaleForum, QA_BENCH_FORUM } from "./bench/qa-data";
import { createEmbeddedSearchEngine } from "../search/embedded";
import { drainSearchQueue } from "../search/queue";

/**
 * npm run bench:qa [-- --duration 10 --posters 50 --posts 3 --sequential-posts 50 --concurrency 10]
 * BENCH_DATABASE_URL=postgres://…/hearth_bench npm run bench:qa runs it on a Postgres server instead of PGlite.
 * The Q&A forum with 100,000 questions and 300,000 answers on the scale data set (issue 4): at 10 and 50
 * connections, the question list, a tag-filtered list and a question page with 30 answers, against the
 * bare-Remix ceiling in the same run (target p95 < 60 ms at 50 connections). Then signed-in members post
 * answers through the real form (ledger, counters, notifications included; target p95 < 100 ms), and
 * the database is checked afterwards: every successful post is one answer, one answer_count step and one
 * ledger row.
 */
const { values } = parseArgs({
  options: { duration: { type: "string" }, port: { type: "string" }, posters: { type: "string" }, posts: { type: "string" }, concurrency: { type: "string" }, "sequential-posts": { type: "string" } },
});
const args = z
  .object({
    duration: z.coerce.number().int().min(1).max(120).default(10),
    port: z.coerce.number().int().min(1024).max(65535).default(3193),
    posters: z.coerce.number().int().min(1).max(1_000).default(50),
    // Below the new-member hourly limit, so the limit never decides the outcome.
    posts: z.coerce.number().int().min(1).max(POSTING_LIMITS.newMember.postsPerHour).default(3),
    concurrency: z.coerce.number().int().min(1).max(100).default(10),
    // Posted one at a time before the concurrent round.
    sequentialPosts: z.coerce.number().int().min(0).max(1_000).default(50),
  })
  .parse({ ...values, sequentialPosts: values["sequential-posts"] });

type Poster = {
  userId: number;
  email: string;
};

interface PostJob {
  poster: number;
  questionId: number;
  slug: string;
}

interface Plan {
  questionPath: string;
  tagPaths: string[];
  posters: Poster[];
  jobs: PostJob[];
}

/** What the posting run must change, read before and after it. */
interface Snapshot {
  answerCounts: Map<number, number>;
  answers: number;
  ledger: number;
}

async function snapshot(db: Db, plan: Plan): Promise<Snapshot> {
  const questionIds = [...new Set(plan.jobs.map((j) => j.questionId))];
  const counts = await queryRows<{ id: number; answer_count: number }>(
    db,
    sql`select id, answer_count from forum_questions where id in (${sql.join(questionIds.map((id) => sql`${id}::int`), sql`, `)})`,
  );
  const userIds = sql.join(plan.posters.map((p) => sql`${p.userId}::int`), sql`, `);
  const [totals] = await queryRows<{ answers: number; ledger: number }>(
    db,
    sql`select (select count(*)::int from forum_answers where author_id in (${userIds})) as answers,
               (select count(*)::int from activities where type = 'forum.answer.posted' and user_id in (${userIds})) as ledger`,
  );
  return { answerCounts: new Map(counts.map((r) => [r.id, r.answer_count])), answers: totals!.answers, ledger: totals!.ledger };
}

async function withBenchDb<T>(run: (db: Db, handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openBenchDb();
  try {
    return await run(handle.db, handle);
  } finally {
    await handle.close();
  }
}

ensureScaleData();
const { plan, before, forum } = await withBenchDb(async (db, handle) => {
  await runMigrations(handle, BENCH_DATABASE_URL || undefined);
  const started = performance.now();
  const generated = await ensureScaleForum(db, QA_BENCH_FORUM, (line) => process.stdout.write(`${line}\n`));
  if (generated) process.stdout.write(`Forum generated in ${((performance.now() - started) / 1000).toFixed(1)}s\n`);
  // The search triggers queue every question; index them now, or the server's indexer would do it during
  // the measurement. Once per data set: afterwards only the run's own posts are queued.
  const indexStarted = performance.now();
  const engine = createEmbeddedSearchEngine(db);
  await engine.setup();
  const indexed = await drainSearchQueue(db, engine, { batchSize: 500 });
  if (indexed.indexed + indexed.removed > 0) {
    process.stdout.write(`Search index: ${indexed.indexed} documents indexed in ${((performance.now() - indexStarted) / 1000).toFixed(1)}s\n`);
  }
  const question = await findScaleBenchQuestion(db);
  if (!question) throw new Error("the benchmark question is missing");
  // Popular tags, so a tag page has a full first page, as readers mostly see.
  const tags = await queryRows<{ slug: string }>(db, sql`select slug from forum_tags order by question_count desc, id limit 5`);
  // Members with some reputation (as active answerers have), never over the new-member limits.
  const posters = await queryRows<Poster>(
    db,
    sql`select u.id as "userId", u.email from member_reputation r join users u on u.id = r.user_id
        where u.email like 'member%@scale-%.example' and r.reputation >= ${NEW_MEMBER_REPUTATION}::int
        order by hashint4(u.id) limit ${args.posters}::int`,
  );
  if (posters.length < args.posters) throw new Error(`only ${posters.length} members have reputation ≥ ${NEW_MEMBER_REPUTATION}`);
  // Each post goes to its own open question, spread over the whole forum.
  const targets = await queryRows<{ id: number; slug: string }>(
    db,
    sql`select id, slug from forum_questions
        where closed_at is null and locked_at is null and hidden_at is null and deleted_at is null and id <> ${question.id}::int
        order by hashint4(id) limit ${args.posters * args.posts}::int`,
  );
  const jobs: PostJob[] = targets.map((t, i) => ({ poster: i % posters.length, questionId: t.id, slug: t.slug }));
  const plan: Plan = { questionPath: `/questions/${question.id}/${question.slug}`, tagPaths: tags.map((t) => `/questions?tag=${encodeURIComponent(t.slug)}`), posters, jobs };
  const [forum] = await queryRows<{ questions: number; answers: number }>(
    db,
    sql`select (select count(*)::int from forum_questions) as questions, (select count(*)::int from forum_answers) as answers`,
  );
  return { plan, before: await snapshot(db, plan), forum: forum! };
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}

/** Each job once, `concurrency` at a time; each member posts with their own session. */
async function postAnswers(
  baseUrl: string,
  cookies: string[],
  jobs: readonly PostJob[],
  concurrency: number,
  succeeded: Map<number, number>,
  statuses: Record<string, number>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      const job = jobs[index];
      if (!job) return;
      const body = new URLSearchParams({
        intent: "answer",
        bodyMd: `Benchmark answer ${index + 1}: we had the same problem. Turning the option off and on again under **Admin → Settings** fixed it for us.\n\n\`\`\`bash\ncurl -sS https://api.example.com/v1/ping\n\`\`\``,
      });
      const t = performance.now();
      try {
        const res = await fetch(`${baseUrl}/questions/${job.questionId}/${job.slug}`, {
          method: "POST",
          redirect: "manual",
          headers: { Origin: baseUrl, Cookie: cookies[job.poster]!, "Content-Type": "application/x-www-form-urlencoded" },
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        // Success is the redirect to the new answer (redirect after POST).
        if (res.status === 302 || res.status === 303) succeeded.set(job.questionId, (succeeded.get(job.questionId) ?? 0) + 1);
      } catch {
        errors += 1;
      }
    }
  };
  const okBefore = [...succeeded.values()].reduce((a, b) => a + b, 0);
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const ok = [...succeeded.values()].reduce((a, b) => a + b, 0) - okBefore;
  return {
    name: concurrency === 1 ? "post an answer (one at a time)" : `post an answer (${concurrency} members at once)`,
    connections: concurrency,
    requests: latencies.length,
    rps: Math.round(ok / elapsed),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non2xx: latencies.length - ok,
    errors,
  };
}

process.stdout.write(`Forum on ${benchDatabaseLabel()}: ${forum.questions} questions, ${forum.answers} answers\n`);
/**
 * Waits until the server answers the ceiling route quickly again: when a page is slower than the run,
 * requests still queued at its end would otherwise be served during (and counted against) the next row.
 */
async function drain(baseUrl: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const t = performance.now();
    await (await fetch(`${baseUrl}/bench/ceiling`)).arrayBuffer();
    if (performance.now() - t < 50) return;
  }
}

ensureBuild();
const server = await startBenchServer(args.port);
let rows: LoadResult[] = [];
const sequential: Record<string, number> = {};
const posting = { rows: [] as LoadResult[], succeeded: new Map<number, number>(), statuses: {} as Record<string, number> };
try {
  for (const path of ["/questions", plan.tagPaths[0]!, plan.questionPath]) {
    const probe = await fetch(`${server.url}${path}`);
    if (probe.status !== 200) throw new Error(`${path} answered ${probe.status}`);
    const html = await probe.text();
    if (path === plan.questionPath && (html.match(/id="answer-\d+"/g) ?? []).length !== SCALE_FORUM_BENCH_ANSWERS) {
      process.stdout.write(`note: ${path} does not show ${SCALE_FORUM_BENCH_ANSWERS} elements with id="answer-<n>"; check the page\n`);
    }
  }
  await load("warm-up", server.url, 10, 2, {}, ["/questions", ...plan.tagPaths, plan.questionPath]);
  // One request at a time first: the page's own cost, apart from queueing under load.
  for (const [name, path] of [["question list", "/questions"], ["tag list", plan.tagPaths[0]!], ["question page", plan.questionPath]] as const) {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await (await fetch(`${server.url}${path}`)).arrayBuffer();
      times.push(performance.now() - t);
    }
    sequential[name] = percentile(times.sort((a, b) => a - b), 50);
  }
  process.stdout.write(`One request at a time (median of 5): ${Object.entries(sequential).map(([n, ms]) => `${n} ${ms} ms`).join(", ")}\n`);
  for (const connections of [10, 50]) {
    rows.push(await load("ceiling (bare Remix route)", `${server.url}/bench/ceiling`, connections, args.duration));
    await drain(server.url);
    rows.push(await load("question list (/questions)", `${server.url}/questions`, connections, args.duration));
    await drain(server.url);
    rows.push(await load(`tag list (${plan.tagPaths.length} tags)`, server.url, connections, args.duration, {}, plan.tagPaths));
    await drain(server.url);
    rows.push(await load(`question page (${SCALE_FORUM_BENCH_ANSWERS} answers)`, `${server.url}${plan.questionPath}`, connections, args.duration));
    await drain(server.url);
  }
  // argon2 verification per sign-in is deliberately slow: sign in first, outside the measurement.
  const cookies: string[] = [];
  for (const poster of plan.posters) cookies.push(await signInCookie(server.url, poster.email, SCALE_PASSWORD));
  // A post's own latency first (one at a time, as posts mostly arrive), then members posting at once.
  const sequentialJobs = plan.jobs.slice(0, Math.min(plan.jobs.length, args.sequentialPosts));
  posting.rows.push(await postAnswers(server.url, cookies, sequentialJobs, 1, posting.succeeded, posting.statuses));
  const concurrentJobs = plan.jobs.slice(sequentialJobs.length);
  if (concurrentJobs.length > 0) posting.rows.push(await postAnswers(server.url, cookies, concurrentJobs, args.concurrency, posting.succeeded, posting.statuses));
  rows = [...rows, ...posting.rows];
} finally {
  await server.stop();
}

printTable(rows);

// The server is stopped: PGlite allows one process, and the counts must be what it committed.
const after = await withBenchDb((db) => snapshot(db, plan));
const posted = [...posting.succeeded.values()].reduce((a, b) => a + b, 0);
const mismatched = plan.jobs
  .map((j) => j.questionId)
  .filter((id) => (after.answerCounts.get(id) ?? 0) - (before.answerCounts.get(id) ?? 0) !== (posting.succeeded.get(id) ?? 0));
const consistent = mismatched.length === 0 && after.answers - before.answers === posted && after.ledger - before.ledger === posted;
process.stdout.write(
  `\nPosting: ${posted}/${plan.jobs.length} answers posted (statuses ${JSON.stringify(posting.statuses)}); ` +
    `answers +${after.answers - before.answers}, ledger forum.answer.posted +${after.ledger - before.ledger}, ` +
    `answer_count mismatches ${mismatched.length}: ${consistent && posted === plan.jobs.length ? "CONSISTENT" : "INCONSISTENT"}\n`,
);

const at50 = (prefix: string) => rows.find((r) => r.connections === 50 && r.name.startsWith(prefix))!;
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
const ceiling = at50("ceiling");
for (const prefix of ["question list", "tag list", "question page"]) {
  const r = at50(prefix);
  process.stdout.write(
    `At 50 connections: ${prefix} ${r.rps} req/s (${ceiling.rps > 0 ? ((r.rps / ceiling.rps) * 100).toFixed(0) : "?"}% of ceiling), p95 ${r.p95} ms (target < 60) ${verdict(r.requests > 0 && r.p95 < 60 && r.non2xx === 0)}\n`,
  );
}
for (const row of posting.rows) {
  process.stdout.write(`Posting an answer: p95 ${row.p95} ms, ${row.connections === 1 ? "one at a time" : `${row.connections} at once`} (target < 100) ${verdict(row.requests > 0 && row.p95 < 100)}\n`);
}
const file = saveResults("qa", {
  at: new Date().toISOString(),
  cpus: os.cpus().length,
  database: benchDatabaseLabel(),
  forum,
  sequentialMedianMs: sequential,
  rows,
  posting: { attempted: plan.jobs.length, posted, statuses: posting.statuses, consistent, before: { answers: before.answers, ledger: before.ledger }, after: { answers: after.answers, ledger: after.ledger } },
});
process.stdout.write(`Results saved to ${file}\n`);
if (!consistent) process.exitCode = 1;
