import { and, eq, isNull, like, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser } from "../../db/factories";
import { activities, kbArticleDailyViews, kbArticleViews, kbArticles, kbFeedback } from "../../db/schema";
import pino from "pino";
import { getMyFeedback, giveFeedback, pruneArticleViews, recordArticleView, recordArticleViews } from "../../app/features/kb/engagement.server";
import { ArticleViewBuffer } from "../../app/features/kb/view-buffer.server";
import { createTestDb } from "../support/db";
import { asActor, createKbPeople, makeArticle, makeCollection, type KbPeople } from "./kb-fixtures";

let handle: DbHandle;
let people: KbPeople;
let collection: { id: number; slug: string };

beforeAll(async () => {
  handle = await createTestDb();
  people = await createKbPeople(handle.db);
  collection = await makeCollection(handle.db, people.staff);
});
afterAll(async () => {
  await handle.close();
});

async function counters(articleId: number) {
  const [row] = await handle.db
    .select({ views: kbArticles.viewCountTotal, yes: kbArticles.helpfulYes, no: kbArticles.helpfulNo, updatedAt: kbArticles.updatedAt })
    .from(kbArticles)
    .where(eq(kbArticles.id, articleId));
  return row!;
}

async function viewActivities(articleId: number) {
  return handle.db
    .select()
    .from(activities)
    .where(and(eq(activities.type, "kb.article.viewed"), eq(activities.subjectId, String(articleId))))
    .orderBy(activities.id);
}

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("recordArticleView", () => {
  it("counts a member once per article per UTC day and attributes the view to their account", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Viewed by a member" });
    const account = await createAccount(handle.db);
    const reader = await createUser(handle.db);
    await addMembership(handle.db, { userId: reader.id, accountId: account.id, source: "staff" });
    const before = await counters(article.id);

    const view = (at: Date) => recordArticleView(handle.db, { articleId: article.id, userId: reader.id, anonymousKey: null, at });
    expect(await view(day("2030-05-01"))).toEqual({ counted: true });
    expect(await view(new Date("2030-05-01T23:59:59Z"))).toEqual({ counted: false });
    expect(await view(day("2030-05-02"))).toEqual({ counted: true });

    expect((await counters(article.id)).views).toBe(2);
    // A view is not an edit: "last updated" does not move.
    expect((await counters(article.id)).updatedAt).toEqual(before.updatedAt);
    const daily = await handle.db.select().from(kbArticleDailyViews).where(eq(kbArticleDailyViews.articleId, article.id)).orderBy(kbArticleDailyViews.day);
    expect(daily.map((d) => [d.day, d.views])).toEqual([
      ["2030-05-01", 1],
      ["2030-05-02", 1],
    ]);
    const ledger = await viewActivities(article.id);
    expect(ledger.map((a) => [a.userId, a.accountId, a.idempotencyKey])).toEqual([
      [reader.id, account.id, `kb.article.viewed:${article.id}:u:${reader.id}:2030-05-01`],
      [reader.id, account.id, `kb.article.viewed:${article.id}:u:${reader.id}:2030-05-02`],
    ]);
  });

  it("counts anonymous readers without attributing them, and never stores their raw key", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Viewed anonymously" });
    const at = day("2030-06-01");
    const results = await Promise.all([
      recordArticleView(handle.db, { articleId: article.id, userId: null, anonymousKey: "203.0.113.7|Firefox", at }),
      recordArticleView(handle.db, { articleId: article.id, userId: null, anonymousKey: "203.0.113.7|Firefox", at }),
      recordArticleView(handle.db, { articleId: article.id, userId: null, anonymousKey: "198.51.100.2|Safari", at }),
    ]);
    expect(results.filter((r) => r.counted)).toHaveLength(2);
    expect((await counters(article.id)).views).toBe(2);
    const ledger = await viewActivities(article.id);
    expect(ledger).toHaveLength(2);
    for (const row of ledger) expect(row).toMatchObject({ userId: null, accountId: null });
    const keys = await handle.db.select({ key: kbArticleViews.viewerKey }).from(kbArticleViews).where(eq(kbArticleViews.articleId, article.id));
    for (const { key } of keys) {
      expect(key).toMatch(/^a:[0-9a-f]{32}$/);
      expect(key).not.toContain("203.0.113.7");
    }
    // Without a user or a key there is nothing to deduplicate on, so nothing is counted.
    expect(await recordArticleView(handle.db, { articleId: article.id, userId: null, anonymousKey: null, at })).toEqual({ counted: false });
  });

  it("counts concurrent first views of many readers exactly", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Viewed by a crowd" });
    const readers = await Promise.all(Array.from({ length: 15 }, () => createUser(handle.db)));
    const at = day("2030-07-01");
    await Promise.all(readers.flatMap((r) => [1, 2].map(() => recordArticleView(handle.db, { articleId: article.id, userId: r.id, anonymousKey: null, at }))));
    expect((await counters(article.id)).views).toBe(15);
    const [daily] = await handle.db.select().from(kbArticleDailyViews).where(eq(kbArticleDailyViews.articleId, article.id));
    expect(daily?.views).toBe(15);
    expect(await viewActivities(article.id)).toHaveLength(15);
  });

  it("writes a batch of views across articles and days in one go, counting duplicates and already-counted views once", async () => {
    const first = await makeArticle(handle.db, people.staff, collection.id, { title: "Batched views one" });
    const second = await makeArticle(handle.db, people.staff, collection.id, { title: "Batched views two" });
    const untouched = await makeArticle(handle.db, people.staff, collection.id, { title: "Not in the batch" });
    const [a, b] = [await createUser(handle.db), await createUser(handle.db)];
    const at = day("2030-08-01");
    // Already counted before the batch: must not count again.
    await recordArticleView(handle.db, { articleId: first.id, userId: a.id, anonymousKey: null, at });

    const counted = await recordArticleViews(handle.db, [
      { articleId: first.id, userId: a.id, anonymousKey: null, at },
      { articleId: first.id, userId: b.id, anonymousKey: null, at },
      { articleId: first.id, userId: b.id, anonymousKey: null, at },
      { articleId: second.id, userId: a.id, anonymousKey: null, at },
      { articleId: second.id, userId: a.id, anonymousKey: null, at: day("2030-08-02") },
      { articleId: second.id, userId: null, anonymousKey: "cookie-1", at },
      { articleId: second.id, userId: null, anonymousKey: null, at },
    ]);
    expect(counted).toBe(4);
    expect((await counters(first.id)).views).toBe(2);
    expect((await counters(second.id)).views).toBe(3);
    expect((await counters(untouched.id)).views).toBe(0);
    const daily = await handle.db
      .select({ articleId: kbArticleDailyViews.articleId, day: kbArticleDailyViews.day, views: kbArticleDailyViews.views })
      .from(kbArticleDailyViews)
      .where(sql`${kbArticleDailyViews.articleId} in (${first.id}, ${second.id})`)
      .orderBy(kbArticleDailyViews.articleId, kbArticleDailyViews.day);
    expect(daily).toEqual([
      { articleId: first.id, day: "2030-08-01", views: 2 },
      { articleId: second.id, day: "2030-08-01", views: 2 },
      { articleId: second.id, day: "2030-08-02", views: 1 },
    ]);
    expect(await viewActivities(first.id)).toHaveLength(2);
    expect(await viewActivities(second.id)).toHaveLength(3);
    expect(await recordArticleViews(handle.db, [])).toBe(0);
  });

  it("buffers page views and writes them all on flush, so concurrent readers are counted exactly", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Buffered views" });
    const readers = await Promise.all(Array.from({ length: 12 }, () => createUser(handle.db)));
    const buffer = new ArticleViewBuffer(handle.db, pino({ level: "silent" }));
    for (const reader of readers) {
      buffer.add({ articleId: article.id, userId: reader.id, anonymousKey: null });
      buffer.add({ articleId: article.id, userId: reader.id, anonymousKey: null });
    }
    // Nothing is written on the request path.
    expect((await counters(article.id)).views).toBe(0);
    await buffer.flush();
    expect((await counters(article.id)).views).toBe(12);
    expect(await viewActivities(article.id)).toHaveLength(12);
    await buffer.flush();
    expect((await counters(article.id)).views).toBe(12);
  });

  it("prunes dedupe rows of past days but keeps the daily counts", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Old views" });
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    await recordArticleView(handle.db, { articleId: article.id, userId: people.member.id, anonymousKey: null, at: longAgo });
    await recordArticleView(handle.db, { articleId: article.id, userId: people.admin.id, anonymousKey: null });
    expect(await pruneArticleViews(handle.db)).toBeGreaterThanOrEqual(1);
    const left = await handle.db.select().from(kbArticleViews).where(eq(kbArticleViews.articleId, article.id));
    expect(left.map((r) => r.viewerKey)).toEqual([`u:${people.admin.id}`]);
    const daily = await handle.db.select().from(kbArticleDailyViews).where(eq(kbArticleDailyViews.articleId, article.id));
    expect(daily.reduce((sum, d) => sum + d.views, 0)).toBe(2);
  });
});

describe("giveFeedback", () => {
  it("adds up 20 simultaneous answers from different members exactly, and changes of mind too", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Popular article" });
    const voters = await Promise.all(Array.from({ length: 20 }, () => createUser(handle.db)));
    const first = await Promise.all(
      voters.map((v, i) => giveFeedback(handle.db, asActor(v), { articleId: article.id, helpful: i < 12, reason: i < 12 ? null : "unclear", comment: null })),
    );
    expect(first.every((r) => r.ok && r.outcome === "recorded")).toBe(true);
    expect(await counters(article.id)).toMatchObject({ yes: 12, no: 8 });

    // Ten change their answer at once (five each way), five answer again the same, all concurrently.
    const changes = await Promise.all([
      ...voters.slice(0, 5).map((v) => giveFeedback(handle.db, asActor(v), { articleId: article.id, helpful: false, reason: "outdated", comment: null })),
      ...voters.slice(12, 17).map((v) => giveFeedback(handle.db, asActor(v), { articleId: article.id, helpful: true, reason: null, comment: null })),
      ...voters.slice(5, 10).map((v) => giveFeedback(handle.db, asActor(v), { articleId: article.id, helpful: true, reason: null, comment: null })),
    ]);
    expect(changes.map((r) => (r.ok ? r.outcome : r))).toEqual([...Array(10).fill("changed"), ...Array(5).fill("unchanged")]);
    const expectedYes = 12 - 5 + 5;
    expect(await counters(article.id)).toMatchObject({ yes: expectedYes, no: 20 - expectedYes });

    // The counters always equal the stored answers.
    const [stored] = await handle.db
      .select({ yes: sql<number>`count(*) filter (where ${kbFeedback.helpful})`.mapWith(Number), no: sql<number>`count(*) filter (where not ${kbFeedback.helpful})`.mapWith(Number) })
      .from(kbFeedback)
      .where(eq(kbFeedback.articleId, article.id));
    expect(stored).toEqual({ yes: expectedYes, no: 20 - expectedYes });
  });

  it("records kb.feedback.given with the answer and revokes the replaced one", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Changing minds" });
    const reader = asActor(people.member);
    await giveFeedback(handle.db, reader, { articleId: article.id, helpful: true, reason: null, comment: null });
    expect(await giveFeedback(handle.db, reader, { articleId: article.id, helpful: false, reason: "didnt_solve", comment: "Still fails on SAML" })).toEqual({
      ok: true,
      outcome: "changed",
    });
    const ledger = await handle.db
      .select()
      .from(activities)
      .where(and(eq(activities.type, "kb.feedback.given"), eq(activities.subjectId, String(article.id))))
      .orderBy(activities.id);
    expect(ledger.map((a) => [a.userId, a.metadata, a.revokedAt === null])).toEqual([
      [people.member.id, { helpful: true, reason: null }, false],
      [people.member.id, { helpful: false, reason: "didnt_solve" }, true],
    ]);
    expect(await getMyFeedback(handle.db, people.member.id, article.id)).toMatchObject({ helpful: false, reason: "didnt_solve", comment: "Still fails on SAML" });
    expect(await counters(article.id)).toMatchObject({ yes: 0, no: 1 });
  });

  it("drops a reason given with a Yes and refuses an unknown reason", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Reasons" });
    await giveFeedback(handle.db, asActor(people.admin), { articleId: article.id, helpful: true, reason: "outdated", comment: null });
    expect(await getMyFeedback(handle.db, people.admin.id, article.id)).toMatchObject({ helpful: true, reason: null });
    const refused = await giveFeedback(handle.db, asActor(people.admin), { articleId: article.id, helpful: false, reason: "boring" as never, comment: null });
    expect(refused).toEqual({ ok: false, fieldErrors: { reason: ["kb.form.reasonInvalid"] } });
  });

  it("takes one anonymous answer per key per day", async () => {
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Anonymous answers" });
    const answer = (anonymousKey: string | null, at: Date) =>
      giveFeedback(handle.db, null, { articleId: article.id, helpful: false, reason: "unclear", comment: null, anonymousKey }, at);
    expect(await answer("cookie-1", day("2030-01-01"))).toEqual({ ok: true, outcome: "recorded" });
    expect(await answer("cookie-1", day("2030-01-01"))).toEqual({ ok: true, outcome: "duplicate" });
    expect(await answer("cookie-2", day("2030-01-01"))).toEqual({ ok: true, outcome: "recorded" });
    expect(await answer("cookie-1", day("2030-01-02"))).toEqual({ ok: true, outcome: "recorded" });
    expect(await answer(null, day("2030-01-02"))).toEqual({ ok: false, fieldErrors: { _form: ["kb.form.anonymousKeyMissing"] } });
    expect(await counters(article.id)).toMatchObject({ yes: 0, no: 3 });
    const ledger = await handle.db
      .select()
      .from(activities)
      .where(and(eq(activities.type, "kb.feedback.given"), eq(activities.subjectId, String(article.id)), isNull(activities.userId)));
    expect(ledger).toHaveLength(3);
    const stored = await handle.db.select().from(kbFeedback).where(like(kbFeedback.anonymousKey, "%cookie%"));
    expect(stored).toHaveLength(0);
  });

  it("answers not_found for articles the reader may not see, leaving counters alone", async () => {
    const staffOnly = await makeArticle(handle.db, people.staff, collection.id, { title: "Staff feedback", visibility: "staff" });
    const customers = await makeArticle(handle.db, people.staff, collection.id, { title: "Customer feedback", visibility: "customers" });
    const draft = await makeArticle(handle.db, people.staff, collection.id, { title: "Draft feedback", publish: false });
    const input = (articleId: number) => ({ articleId, helpful: true, reason: null, comment: null, anonymousKey: "k" });
    expect(await giveFeedback(handle.db, asActor(people.member), input(staffOnly.id))).toEqual({ ok: false, reason: "not_found" });
    expect(await giveFeedback(handle.db, null, input(customers.id))).toEqual({ ok: false, reason: "not_found" });
    expect(await giveFeedback(handle.db, asActor(people.admin), input(draft.id))).toEqual({ ok: false, reason: "not_found" });
    expect(await giveFeedback(handle.db, asActor(people.member), input(customers.id))).toEqual({ ok: true, outcome: "recorded" });
    expect(await counters(staffOnly.id)).toMatchObject({ yes: 0, no: 0 });
    expect(await counters(draft.id)).toMatchObject({ yes: 0, no: 0 });
  });
});
