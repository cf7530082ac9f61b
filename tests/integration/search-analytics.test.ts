import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser, type UserRow } from "../../db/factories";
import { activities, forumQuestions, jobs, searchQueries } from "../../db/schema";
import { askQuestion } from "../../app/features/forum/questions.server";
import type { ClaimedJob } from "../../app/features/jobs/queue.server";
import { getSearchAnalytics, findOwnSearch, logSearch, recordSearchClick } from "../../app/features/search/analytics.server";
import {
  checkDeflection,
  deflectionCheckJob,
  DEFLECTION_WINDOW_MINUTES,
  scheduleDeflectionCheck,
  SEARCH_DEFLECTION_CHECK_JOB,
} from "../../app/features/search/deflection.server";
import { analyticsQuerySchema, searchClickSchema, searchPageQuerySchema, synonymActionSchema } from "../../app/features/search/search.schema";
import { seedDemoSearch } from "../../app/features/search/demo.server";
import { listSynonymGroups } from "../../app/features/search/synonyms.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let db: Db;
let northwind: { id: number };
let sakura: { id: number };
let olivia: UserRow;
let haruto: UserRow;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  northwind = await createAccount(db, { name: "Northwind" });
  sakura = await createAccount(db, { name: "Sakura" });
  olivia = await createUser(db, { role: "member" });
  haruto = await createUser(db, { role: "member" });
  await addMembership(db, { userId: olivia.id, accountId: northwind.id, source: "staff" });
  await addMembership(db, { userId: haruto.id, accountId: sakura.id, source: "staff" });
});
afterAll(async () => {
  await handle.close();
});

async function searchRow(id: number) {
  const [row] = await db.select().from(searchQueries).where(eq(searchQueries.id, id));
  return row!;
}

describe("logging searches", () => {
  it("stores the query normalized, with the member's account copied, and records search.performed once", async () => {
    const id = (await logSearch(db, { query: "  ＳＳＯ   Setup ", userId: olivia.id, source: "page", resultCount: 3 }))!;
    const row = await searchRow(id);
    expect(row).toMatchObject({ query: "sso setup", userId: olivia.id, accountId: northwind.id, source: "page", resultCount: 3 });
    const ledger = await db.select().from(activities).where(eq(activities.idempotencyKey, `search.performed:${id}`));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: "search.performed", userId: olivia.id, accountId: northwind.id, subjectId: String(id) });
    expect(ledger[0]!.metadata).toMatchObject({ query: "sso setup", resultCount: 3 });
  });

  it("counts anonymous searches without attributing them", async () => {
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(activities).where(eq(activities.type, "search.performed"));
    const id = (await logSearch(db, { query: "invoice", userId: null, source: "page", resultCount: 0 }))!;
    expect(await searchRow(id)).toMatchObject({ query: "invoice", userId: null, accountId: null });
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(activities).where(eq(activities.type, "search.performed"));
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("logs nothing for an empty query", async () => {
    expect(await logSearch(db, { query: "   ", userId: olivia.id, source: "page", resultCount: 0 })).toBeNull();
  });

  it("lets a click name only the viewer's own search", async () => {
    const mine = (await logSearch(db, { query: "webhooks", userId: olivia.id, source: "page", resultCount: 2 }))!;
    const anonymous = (await logSearch(db, { query: "webhooks", userId: null, source: "page", resultCount: 2 }))!;
    expect(await findOwnSearch(db, mine, olivia.id)).toMatchObject({ id: mine });
    expect(await findOwnSearch(db, mine, haruto.id)).toBeNull();
    expect(await findOwnSearch(db, mine, null)).toBeNull();
    expect(await findOwnSearch(db, anonymous, null)).toMatchObject({ id: anonymous });
    expect(await findOwnSearch(db, 99_999_999, null)).toBeNull();
  });
});

describe("query-string schemas never fail a page", () => {
  it("falls back on bad pages and types, and cuts long queries", () => {
    expect(searchPageQuerySchema.parse({ q: "x", page: "-3", type: "<script>" })).toMatchObject({ q: "x", page: 1, type: undefined });
    expect(searchPageQuerySchema.parse({ q: "x", page: "9999" }).page).toBe(1);
    expect(searchPageQuerySchema.parse({ q: "a".repeat(5000) }).q).toHaveLength(200);
    expect(searchPageQuerySchema.parse({}).q).toBe("");
    expect(searchPageQuerySchema.parse({ q: "x", type: "question", page: "2" })).toMatchObject({ type: "question", page: 2 });
    expect(analyticsQuerySchema.parse({ days: "45", account: "abc" })).toEqual({ days: 30, account: undefined });
    expect(analyticsQuerySchema.parse({ days: "7", account: "3" })).toEqual({ days: 7, account: 3 });
  });

  it("refuses click links that do not name a document key", () => {
    expect(searchClickSchema.safeParse({ k: "https://evil.example/", p: "1" }).success).toBe(false);
    expect(searchClickSchema.safeParse({ k: "article:12", p: "0" }).success).toBe(false);
    expect(searchClickSchema.safeParse({ k: "article:12", p: "1", src: "instant", q: "sso", n: "4" }).success).toBe(true);
  });

  it("validates synonym groups with field errors", () => {
    const ok = synonymActionSchema.safeParse({ intent: "create", terms: "SSO, Single  Sign-On、シングルサインオン, sso" });
    expect(ok.success && ok.data).toEqual({ intent: "create", terms: ["sso", "single sign-on", "シングルサインオン"] });
    const tooFew = synonymActionSchema.safeParse({ intent: "create", terms: "sso, SSO ," });
    expect(tooFew.success).toBe(false);
    expect(tooFew.error?.issues[0]).toMatchObject({ path: ["terms"], message: "search.synonyms.tooFew" });
    const tooLong = synonymActionSchema.safeParse({ intent: "update", id: "3", terms: `sso, ${"x".repeat(81)}` });
    expect(tooLong.error?.issues[0]).toMatchObject({ path: ["terms", 1], message: "search.synonyms.termTooLong" });
    expect(synonymActionSchema.safeParse({ intent: "delete", id: "abc" }).success).toBe(false);
  });
});

describe("the staff report", () => {
  let report: Awaited<ReturnType<typeof getSearchAnalytics>>;
  let localDb: DbHandle;
  let acmeId: number;

  beforeAll(async () => {
    // Its own database, so the counts are exactly what this block wrote.
    localDb = await createTestDb();
    const d = localDb.db;
    const acme = await createAccount(d, { name: "Acme" });
    acmeId = acme.id;
    const globex = await createAccount(d, { name: "Globex" });
    const ann = await createUser(d, { role: "member" });
    const bob = await createUser(d, { role: "member" });
    await addMembership(d, { userId: ann.id, accountId: acme.id, source: "staff" });
    await addMembership(d, { userId: bob.id, accountId: globex.id, source: "staff" });

    // "sso": 3 searches, 2 clicked. "billing export": 2 with results, no click. "kerberos": 2 with no results.
    for (const [userId, clicked] of [
      [ann.id, true],
      [bob.id, true],
      [null, false],
    ] as const) {
      const id = (await logSearch(d, { query: "SSO", userId, source: "page", resultCount: 4 }))!;
      if (clicked) await recordSearchClick(d, { searchQueryId: id, docKey: "article:1", position: 1 });
    }
    await logSearch(d, { query: "billing export", userId: ann.id, source: "instant", resultCount: 2 });
    await logSearch(d, { query: "billing export", userId: bob.id, source: "page", resultCount: 2 });
    await logSearch(d, { query: "Kerberos", userId: ann.id, source: "page", resultCount: 0 });
    await logSearch(d, { query: "kerberos", userId: null, source: "page", resultCount: 0 });
    // Older than 30 days: only in the 90-day report.
    const old = (await logSearch(d, { query: "legacy api", userId: ann.id, source: "page", resultCount: 1 }))!;
    await d.update(searchQueries).set({ searchedAt: sql`now() - interval '40 days'` }).where(eq(searchQueries.id, old));

    // Ann asks a question right after her "kerberos" search; Bob asks one two hours after his searches.
    const asked = await askQuestion(d, { id: ann.id, role: "member" }, { title: "Does Hearth support Kerberos login?", bodyMd: "We use Active Directory.", tags: "" });
    expect(asked.ok).toBe(true);
    const bobAsked = await askQuestion(d, { id: bob.id, role: "member" }, { title: "Where is the billing export button?", bodyMd: "Cannot find it.", tags: "" });
    if (!bobAsked.ok) throw new Error("ask failed");
    await d.update(forumQuestions).set({ createdAt: sql`now() + interval '2 hours'` }).where(eq(forumQuestions.id, bobAsked.questionId));

    report = await getSearchAnalytics(d, { days: 30 });
  });
  afterAll(async () => {
    await localDb.close();
  });

  it("lists top queries with counts, average results and click-through", () => {
    expect(report.totals).toMatchObject({ searches: 7, distinctQueries: 3, clickedSearches: 2, zeroResultSearches: 2, noClickSearches: 3 });
    expect(report.topQueries[0]).toEqual({ query: "sso", searches: 3, avgResults: 4, clickThrough: 2 / 3 });
    expect(report.topQueries.map((q) => q.query)).toEqual(["sso", "billing export", "kerberos"]);
  });

  it("lists content gaps and queries whose results nobody opened", () => {
    expect(report.zeroResults).toEqual([{ query: "kerberos", searches: 2 }]);
    expect(report.noClicks).toEqual([
      { query: "billing export", searches: 2 },
      { query: "sso", searches: 1 },
    ]);
  });

  it("finds searches followed by a question from the same member within the hour, not later ones", () => {
    // Ann's three searches (sso, billing export, kerberos) were all within the hour before her question.
    expect(report.totals.followedByQuestion).toBe(3);
    expect(report.followedByQuestion.map((q) => q.query).sort()).toEqual(["billing export", "kerberos", "sso"]);
  });

  it("filters by period and by customer account", async () => {
    const d = localDb.db;
    expect((await getSearchAnalytics(d, { days: 90 })).totals.searches).toBe(8);
    expect((await getSearchAnalytics(d, { days: 7 })).totals.searches).toBe(7);
    const acmeOnly = await getSearchAnalytics(d, { days: 30, accountId: acmeId });
    // Ann's three searches in the period (her 40-day-old one is out); anonymous ones and Bob's are not Acme's.
    expect(acmeOnly.totals.searches).toBe(3);
    expect(acmeOnly.topQueries.find((q) => q.query === "sso")).toMatchObject({ searches: 1, clickThrough: 1 });
  });
});

describe("deflection", () => {
  const clickAt = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

  it("schedules a check for the end of the window", async () => {
    const sq = (await logSearch(db, { query: "reset password", userId: haruto.id, source: "ask", resultCount: 3 }))!;
    const clickedAt = new Date();
    await scheduleDeflectionCheck(db, { userId: haruto.id, searchQueryId: sq, docKey: "article:9", clickedAt });
    const [job] = await db.select().from(jobs).where(and(eq(jobs.type, SEARCH_DEFLECTION_CHECK_JOB), sql`${jobs.payload}->>'searchQueryId' = ${String(sq)}`));
    expect(job!.runAt.getTime()).toBe(clickedAt.getTime() + DEFLECTION_WINDOW_MINUTES * 60_000);
  });

  it("records one deflection when the member did not ask, idempotently, attributed to their account", async () => {
    const member = await createUser(db, { role: "member" });
    await addMembership(db, { userId: member.id, accountId: sakura.id, source: "staff" });
    const sq = (await logSearch(db, { query: "csv export garbled", userId: member.id, source: "ask", resultCount: 2 }))!;
    const payload = { userId: member.id, searchQueryId: sq, docKey: "question:4", clickedAt: clickAt(31).toISOString() };
    const job = { id: 1, payload } as unknown as ClaimedJob;
    await deflectionCheckJob({ db, job, logger: pino({ level: "silent" }) });
    expect(await checkDeflection(db, payload)).toBe(false);
    const rows = await db.select().from(activities).where(and(eq(activities.userId, member.id), eq(activities.type, "search.deflected")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ accountId: sakura.id, subjectId: String(sq) });
    // A second suggestion opened in the same sitting is the same deflection.
    const sq2 = (await logSearch(db, { query: "csv export excel", userId: member.id, source: "ask", resultCount: 2 }))!;
    expect(await checkDeflection(db, { ...payload, searchQueryId: sq2, clickedAt: clickAt(30).toISOString() })).toBe(false);
  });

  it("records nothing when the member asked a question after opening the suggestion", async () => {
    const member = await createUser(db, { role: "member" });
    const sq = (await logSearch(db, { query: "rotate saml certificate", userId: member.id, source: "ask", resultCount: 1 }))!;
    const clickedAt = new Date(Date.now() - 1000);
    const asked = await askQuestion(db, { id: member.id, role: "member" }, { title: "How do I rotate the SAML certificate?", bodyMd: "Steps please.", tags: "" });
    expect(asked.ok).toBe(true);
    expect(await checkDeflection(db, { userId: member.id, searchQueryId: sq, docKey: "article:2", clickedAt: clickedAt.toISOString() })).toBe(false);
    const rows = await db.select().from(activities).where(and(eq(activities.userId, member.id), eq(activities.type, "search.deflected")));
    expect(rows).toHaveLength(0);
  });

  it("counts deflections in the report for the member's account only", async () => {
    const all = await getSearchAnalytics(db, { days: 7 });
    expect(all.totals.deflections).toBe(1);
    expect((await getSearchAnalytics(db, { days: 7, accountId: sakura.id })).totals.deflections).toBe(1);
    expect((await getSearchAnalytics(db, { days: 7, accountId: northwind.id })).totals.deflections).toBe(0);
  });
});

describe("demo seed", () => {
  it("adds the SSO synonym group once", async () => {
    expect(await seedDemoSearch(db)).toBe(1);
    expect(await seedDemoSearch(db)).toBe(0);
    const groups = await listSynonymGroups(db);
    expect(groups.map((g) => g.terms)).toEqual([["sso", "single sign-on", "シングルサインオン"]]);
  });
});

describe("report speed", () => {
  it("reads 100,000 logged searches quickly", async () => {
    const local = await createTestDb();
    try {
      const d = local.db;
      const account = await createAccount(d, { name: "Big" });
      const user = await createUser(d, { role: "member" });
      await addMembership(d, { userId: user.id, accountId: account.id, source: "staff" });
      await d.execute(sql`insert into search_queries (query, user_id, account_id, source, result_count, searched_at)
        select 'query ' || (g % 5000), case when g % 3 = 0 then ${user.id}::int end, case when g % 3 = 0 then ${account.id}::int end,
               'page', g % 7, now() - (g % 80) * interval '1 day' - (g % 1440) * interval '1 minute'
        from generate_series(1, 100000) g`);
      await d.execute(sql`insert into search_clicks (search_query_id, doc_key, position)
        select id, 'article:1', 1 from search_queries where id % 4 = 0`);
      await d.execute(sql`analyze`);
      const timings: Record<string, number> = {};
      for (const [name, input] of [
        ["90 days", { days: 90 as const }],
        ["30 days", { days: 30 as const }],
        ["7 days, one account", { days: 7 as const, accountId: account.id }],
      ] as const) {
        await getSearchAnalytics(d, input);
        const started = performance.now();
        const report = await getSearchAnalytics(d, input);
        timings[name] = Math.round(performance.now() - started);
        expect(report.topQueries).toHaveLength(20);
      }
      console.log(`search analytics on 100k rows (ms): ${JSON.stringify(timings)}`);
      expect(timings["90 days"]).toBeLessThan(5000);
    } finally {
      await local.close();
    }
  }, 120_000);
});
