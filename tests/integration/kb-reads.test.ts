import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createUser } from "../../db/factories";
import { jobs, kbArticleDailyViews, kbArticles } from "../../db/schema";
import { linkTranslation, scheduleArticle, unpublishArticle } from "../../app/features/kb/articles.server";
import { giveFeedback } from "../../app/features/kb/engagement.server";
import {
  getArticleBySlug,
  getContentReport,
  getTranslations,
  listCollectionsWithArticles,
  listFeedEntries,
  listMostRead,
  listPublicArticlesForSitemap,
  listRecentlyUpdated,
  listReviewQueue,
  visibleArticleFilter,
  type Viewer,
} from "../../app/features/kb/reads.server";
import type { KbReportSort } from "../../app/features/kb/kb.schema";
import pino from "pino";
import type { ClaimedJob } from "../../app/features/jobs/queue.server";
import { KB_RELATED_REFRESH_JOB, listRelated, refreshRelatedArticles, refreshRelatedArticlesJob } from "../../app/features/kb/related.server";
import { createTestDb } from "../support/db";
import { asActor, createKbPeople, makeArticle, makeCollection, type KbPeople } from "./kb-fixtures";

let handle: DbHandle;
let people: KbPeople;

beforeAll(async () => {
  handle = await createTestDb();
  people = await createKbPeople(handle.db);
});
afterAll(async () => {
  await handle.close();
});

async function row(id: number) {
  const [r] = await handle.db.select().from(kbArticles).where(eq(kbArticles.id, id));
  return r!;
}

describe("visibility", () => {
  let collection: { id: number; slug: string };
  let world: Record<"publicOne" | "customersOnly" | "staffOnly" | "draft" | "unpublished" | "scheduled", { id: number; slug: string }>;

  beforeAll(async () => {
    collection = await makeCollection(handle.db, people.staff);
    const make = (title: string, extra: Parameters<typeof makeArticle>[3] = {}) =>
      makeArticle(handle.db, people.staff, collection.id, { title, tags: ["visibility"], ...extra });
    world = {
      publicOne: await make("Rotating webhook secrets safely"),
      customersOnly: await make("Rotating webhook secrets for customers", { visibility: "customers" }),
      staffOnly: await make("Rotating webhook secrets internal runbook", { visibility: "staff" }),
      draft: await make("Rotating webhook secrets draft", { publish: false }),
      unpublished: await make("Rotating webhook secrets withdrawn"),
      scheduled: await make("Rotating webhook secrets upcoming", { publish: false }),
    };
    await unpublishArticle(handle.db, asActor(people.staff), world.unpublished.id);
    await scheduleArticle(handle.db, asActor(people.staff), world.scheduled.id, new Date(Date.now() + 3_600_000));
  });

  const cases: Array<{ who: string; viewer: () => Viewer; sees: Array<"publicOne" | "customersOnly" | "staffOnly"> }> = [
    { who: "an anonymous reader", viewer: () => null, sees: ["publicOne"] },
    { who: "a signed-in member", viewer: () => asActor(people.member), sees: ["publicOne", "customersOnly"] },
    { who: "a moderator", viewer: () => asActor(people.moderator), sees: ["publicOne", "customersOnly"] },
    { who: "staff", viewer: () => asActor(people.staff), sees: ["publicOne", "customersOnly", "staffOnly"] },
    { who: "an admin", viewer: () => asActor(people.admin), sees: ["publicOne", "customersOnly", "staffOnly"] },
  ];

  for (const { who, viewer, sees } of cases) {
    it(`shows ${who} exactly the articles they may read, everywhere`, async () => {
      const v = viewer();
      const visibleIds = sees.map((k) => world[k].id).sort();
      const hiddenIds = Object.values(world)
        .map((a) => a.id)
        .filter((id) => !visibleIds.includes(id));

      for (const [key, article] of Object.entries(world)) {
        const found = await getArticleBySlug(handle.db, v, collection.slug, article.slug);
        if ((sees as string[]).includes(key)) expect(found, key).toMatchObject({ id: article.id });
        else expect(found, key).toBeNull();
      }

      const [listed] = await listCollectionsWithArticles(handle.db, v, "en", { collectionId: collection.id });
      expect(listed?.articles.map((a) => a.id).sort()).toEqual(visibleIds);
      expect(listed?.articleCount).toBe(visibleIds.length);

      const everywhere = [
        ...(await listCollectionsWithArticles(handle.db, v, "en")).flatMap((c) => c.articles),
        ...(await listMostRead(handle.db, v, "en", 1000)),
        ...(await listRecentlyUpdated(handle.db, v, "en", 1000)),
        ...(await listRelated(handle.db, v, await row(world.publicOne.id), 1000)),
      ].map((a) => a.id);
      for (const id of hiddenIds) expect(everywhere).not.toContain(id);
      for (const id of visibleIds.filter((id) => id !== world.publicOne.id)) {
        expect(await listRelated(handle.db, v, await row(world.publicOne.id), 1000).then((r) => r.map((a) => a.id))).toContain(id);
      }
    });
  }

  it("never lists anything but public, published articles in the sitemap and the feed", async () => {
    const sitemapPaths = (await listPublicArticlesForSitemap(handle.db)).map((e) => e.path);
    const feedIds = (await listFeedEntries(handle.db, 1000)).map((e) => e.id);
    expect(sitemapPaths).toContain(`/kb/${collection.slug}/${world.publicOne.slug}`);
    expect(feedIds).toContain(world.publicOne.id);
    for (const key of ["customersOnly", "staffOnly", "draft", "unpublished", "scheduled"] as const) {
      expect(sitemapPaths).not.toContain(`/kb/${collection.slug}/${world[key].slug}`);
      expect(feedIds).not.toContain(world[key].id);
    }
  });

  it("answers an unknown slug or collection like a hidden article: null", async () => {
    expect(await getArticleBySlug(handle.db, asActor(people.admin), collection.slug, "no-such-article")).toBeNull();
    expect(await getArticleBySlug(handle.db, asActor(people.admin), "no-such-collection", world.publicOne.slug)).toBeNull();
  });

  it("gives the reader page what it needs without the markdown source", async () => {
    const article = await getArticleBySlug(handle.db, null, collection.slug, world.publicOne.slug);
    expect(article).toMatchObject({
      title: "Rotating webhook secrets safely",
      path: `/kb/${collection.slug}/${world.publicOne.slug}`,
      description: "Steps Open the admin console.",
      tags: [{ slug: "visibility", name: "visibility" }],
      credit: null,
      collection: { id: collection.id, slug: collection.slug },
    });
    expect(article).not.toHaveProperty("bodyMd");
    expect(typeof visibleArticleFilter(null)).toBe("object");
  });
});

describe("language preference", () => {
  it("lists the reader's language version of each translated article and the other language otherwise", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const enBilling = await makeArticle(handle.db, people.staff, collection.id, { title: "Billing overview" });
    const jaBilling = await makeArticle(handle.db, people.staff, collection.id, { title: "請求の概要", locale: "ja" });
    await linkTranslation(handle.db, asActor(people.staff), enBilling.id, jaBilling.id);
    const enOnly = await makeArticle(handle.db, people.staff, collection.id, { title: "Tax settings" });
    const jaOnly = await makeArticle(handle.db, people.staff, collection.id, { title: "インボイス制度への対応", locale: "ja" });
    // The Japanese version of this one is still a draft: Japanese readers get the English one.
    const enWithDraft = await makeArticle(handle.db, people.staff, collection.id, { title: "Payment methods" });
    const jaDraft = await makeArticle(handle.db, people.staff, collection.id, { title: "支払い方法", locale: "ja", publish: false });
    await linkTranslation(handle.db, asActor(people.staff), enWithDraft.id, jaDraft.id);

    const idsIn = async (locale: "en" | "ja") =>
      (await listCollectionsWithArticles(handle.db, null, locale, { collectionId: collection.id }))[0]!.articles.map((a) => a.id);
    expect(await idsIn("en")).toEqual([enBilling.id, enOnly.id, jaOnly.id, enWithDraft.id]);
    expect(await idsIn("ja")).toEqual([jaBilling.id, enOnly.id, jaOnly.id, enWithDraft.id]);

    const mostReadJa = (await listMostRead(handle.db, null, "ja", 1000)).map((a) => a.id);
    expect(mostReadJa).toContain(jaBilling.id);
    expect(mostReadJa).not.toContain(enBilling.id);
    const recentEn = (await listRecentlyUpdated(handle.db, null, "en", 1000)).map((a) => a.id);
    expect(recentEn).toContain(enBilling.id);
    expect(recentEn).not.toContain(jaBilling.id);

    expect((await getTranslations(handle.db, null, await row(enBilling.id))).map((t) => t.locale)).toEqual(["ja"]);
    expect(await getTranslations(handle.db, null, await row(enWithDraft.id))).toEqual([]);
    expect((await getTranslations(handle.db, asActor(people.staff), await row(jaBilling.id))).map((t) => t.id)).toEqual([enBilling.id]);

    const sitemapEntry = (await listPublicArticlesForSitemap(handle.db)).find((e) => e.path === `/kb/${collection.slug}/${enBilling.slug}`);
    expect(sitemapEntry?.alternates).toEqual([{ locale: "ja", path: `/kb/${collection.slug}/${jaBilling.slug}` }]);
  });

  it("ranks most-read and recently updated articles by their group's best version, once per group", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const a = await makeArticle(handle.db, people.staff, collection.id, { title: "Ranking A" });
    const aJa = await makeArticle(handle.db, people.staff, collection.id, { title: "ランキング A", locale: "ja" });
    await linkTranslation(handle.db, asActor(people.staff), a.id, aJa.id);
    const b = await makeArticle(handle.db, people.staff, collection.id, { title: "Ranking B" });
    const c = await makeArticle(handle.db, people.staff, collection.id, { title: "Ranking C" });
    const hidden = await makeArticle(handle.db, people.staff, collection.id, { title: "Ranking hidden", visibility: "staff" });
    const set = (id: number, viewCountTotal: number, updatedAt: string) =>
      handle.db.update(kbArticles).set({ viewCountTotal, updatedAt: new Date(updatedAt) }).where(eq(kbArticles.id, id));
    // Far above every other article in this file, so the top of each list is ours.
    await set(aJa.id, 50_000, "2100-01-03T00:00:00Z");
    await set(b.id, 30_000, "2100-01-02T00:00:00Z");
    await set(a.id, 10_000, "2100-01-01T00:00:00Z");
    await set(c.id, 5_000, "2099-12-31T00:00:00Z");
    await set(hidden.id, 90_000, "2100-02-01T00:00:00Z");

    const ids = (items: { id: number }[]) => items.map((i) => i.id);
    expect(ids(await listMostRead(handle.db, null, "en", 3))).toEqual([a.id, b.id, c.id]);
    expect(ids(await listMostRead(handle.db, null, "ja", 3))).toEqual([aJa.id, b.id, c.id]);
    expect(ids(await listRecentlyUpdated(handle.db, null, "en", 2))).toEqual([a.id, b.id]);
    expect(ids(await listMostRead(handle.db, asActor(people.staff), "en", 1))).toEqual([hidden.id]);
  });

  it("localizes collection names and leaves out collections with nothing the reader may see", async () => {
    const named = await makeCollection(handle.db, people.staff, { nameEn: "Integrations", nameJa: "連携" });
    await makeArticle(handle.db, people.staff, named.id, { title: "Slack integration" });
    const staffOnly = await makeCollection(handle.db, people.staff);
    await makeArticle(handle.db, people.staff, staffOnly.id, { title: "Escalation policy", visibility: "staff" });

    const ja = await listCollectionsWithArticles(handle.db, null, "ja");
    expect(ja.find((c) => c.id === named.id)?.name).toBe("連携");
    expect(ja.find((c) => c.id === staffOnly.id)).toBeUndefined();
    expect((await listCollectionsWithArticles(handle.db, asActor(people.staff), "en")).find((c) => c.id === staffOnly.id)).toBeDefined();
  });
});

describe("listRelated", () => {
  it("puts shared tags and the same collection first, then similar titles, leaving out unrelated and hidden articles", async () => {
    const home = await makeCollection(handle.db, people.staff);
    const elsewhere = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, home.id, { title: "Kubernetes operator rollout", tags: ["k8s-ops"] });
    const translation = await makeArticle(handle.db, people.staff, home.id, { title: "Kubernetes オペレーター", locale: "ja" });
    await linkTranslation(handle.db, asActor(people.staff), article.id, translation.id);
    const sameCollectionAndTag = await makeArticle(handle.db, people.staff, home.id, { title: "Helm values reference", tags: ["k8s-ops"] });
    const tagElsewhere = await makeArticle(handle.db, people.staff, elsewhere.id, { title: "Cluster sizing", tags: ["k8s-ops"] });
    const sameCollection = await makeArticle(handle.db, people.staff, home.id, { title: "Release notes" });
    const similarTitle = await makeArticle(handle.db, people.staff, elsewhere.id, { title: "Kubernetes operator rollback" });
    const unrelated = await makeArticle(handle.db, people.staff, elsewhere.id, { title: "Invoice currency" });
    const hidden = await makeArticle(handle.db, people.staff, home.id, { title: "Kubernetes operator secrets", tags: ["k8s-ops"], visibility: "staff" });

    const related = (await listRelated(handle.db, null, await row(article.id), 10)).map((a) => a.id);
    expect(related).toEqual([sameCollectionAndTag.id, tagElsewhere.id, sameCollection.id, similarTitle.id]);
    expect(related).not.toContain(unrelated.id);
    expect(related).not.toContain(hidden.id);
    expect(related).not.toContain(translation.id);
    expect((await listRelated(handle.db, asActor(people.staff), await row(article.id), 10)).map((a) => a.id)[0]).toBe(hidden.id);
    expect(await listRelated(handle.db, null, await row(article.id), 2)).toHaveLength(2);
  });
});

describe("stored related lists", () => {
  it("reads the same list as live scoring once computed, applies visibility on read, and offers a reader the version they may see", async () => {
    const home = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, home.id, { title: "Webhook retries", tags: ["webhooks-x"] });
    const tagged = await makeArticle(handle.db, people.staff, home.id, { title: "Webhook signatures", tags: ["webhooks-x"] });
    const neighbour = await makeArticle(handle.db, people.staff, home.id, { title: "Event catalogue" });
    const staffEnglish = await makeArticle(handle.db, people.staff, home.id, { title: "Webhook internals", tags: ["webhooks-x"], visibility: "staff" });
    const publicJapanese = await makeArticle(handle.db, people.staff, home.id, { title: "Webhook の内部", locale: "ja", translationOfId: staffEnglish.id });

    const live = async (viewer: Viewer) => (await listRelated(handle.db, viewer, { ...(await row(article.id)), relatedArticleIds: null }, 10)).map((a) => a.id);
    const liveAnonymous = await live(null);
    const liveStaff = await live(asActor(people.staff));
    expect(await refreshRelatedArticles(handle.db, article.id)).toMatchObject({ before: [] });
    const stored = (await row(article.id)).relatedArticleIds;
    expect(stored).toEqual(expect.arrayContaining([tagged.id, neighbour.id, staffEnglish.id, publicJapanese.id]));

    const read = async (viewer: Viewer) => (await listRelated(handle.db, viewer, await row(article.id), 10)).map((a) => a.id);
    expect(await read(null)).toEqual(liveAnonymous);
    expect(await read(asActor(people.staff))).toEqual(liveStaff);
    // The English version is staff-only: readers get the public Japanese one in its place; staff the English.
    expect(await read(null)).toContain(publicJapanese.id);
    expect(await read(null)).not.toContain(staffEnglish.id);
    expect(await read(asActor(people.staff))).toContain(staffEnglish.id);

    // Hidden after the list was computed: gone at once, before any refresh.
    await unpublishArticle(handle.db, asActor(people.staff), tagged.id);
    expect(await read(null)).not.toContain(tagged.id);
    expect(await read(null)).toContain(neighbour.id);
  });

  it("queues a refresh when an article is published, and the refresh queues its neighbours' lists", async () => {
    const home = await makeCollection(handle.db, people.staff);
    const older = await makeArticle(handle.db, people.staff, home.id, { title: "Audit log export", tags: ["audit-x"] });
    await refreshRelatedArticles(handle.db, older.id);
    expect((await row(older.id)).relatedArticleIds).toEqual([]);
    const newer = await makeArticle(handle.db, people.staff, home.id, { title: "Audit log retention", tags: ["audit-x"] });
    const queued = await handle.db.select().from(jobs).where(and(eq(jobs.type, KB_RELATED_REFRESH_JOB), eq(jobs.status, "queued")));
    const spread = queued.find((j) => j.dedupeKey === `${KB_RELATED_REFRESH_JOB}:spread:${newer.id}`);
    expect(spread?.payload).toEqual({ articleId: newer.id, neighbours: true });

    await refreshRelatedArticlesJob({ db: handle.db, job: spread as ClaimedJob, logger: pino({ level: "silent" }) });
    expect((await row(newer.id)).relatedArticleIds).toEqual([older.id]);
    const [followUp] = await handle.db.select().from(jobs).where(eq(jobs.dedupeKey, `${KB_RELATED_REFRESH_JOB}:self:${older.id}`));
    expect(followUp?.payload).toEqual({ articleId: older.id, neighbours: false });
    await refreshRelatedArticlesJob({ db: handle.db, job: followUp as ClaimedJob, logger: pino({ level: "silent" }) });
    expect((await row(older.id)).relatedArticleIds).toEqual([newer.id]);
  });
});

describe("staff reports", () => {
  it("lists articles due for review, most overdue first, leaving out drafts", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const overdue = await makeArticle(handle.db, people.staff, collection.id, { title: "Old SSO guide", reviewBy: "2020-01-01" });
    const dueToday = await makeArticle(handle.db, people.staff, collection.id, { title: "Quarterly guide", reviewBy: "2030-06-01", ownerId: people.admin.id });
    await makeArticle(handle.db, people.staff, collection.id, { title: "Future guide", reviewBy: "2031-01-01" });
    await makeArticle(handle.db, people.staff, collection.id, { title: "Draft guide", reviewBy: "2019-01-01", publish: false });

    const queue = await listReviewQueue(handle.db, { dueBefore: "2030-06-01" });
    expect(queue.map((q) => q.id)).toEqual([overdue.id, dueToday.id]);
    expect(queue[1]).toMatchObject({ reviewBy: "2030-06-01", ownerName: people.admin.displayName, status: "published" });
    expect((await listReviewQueue(handle.db, { dueBefore: "2030-06-01", ownerId: people.admin.id })).map((q) => q.id)).toEqual([dueToday.id]);
  });

  it("sorts the content report by views, helpful ratio, No answers and review date, with reasons and comments", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const a = await makeArticle(handle.db, people.staff, collection.id, { title: "Report A", reviewBy: "2031-03-01" });
    const b = await makeArticle(handle.db, people.staff, collection.id, { title: "Report B", reviewBy: "2031-01-01" });
    const c = await makeArticle(handle.db, people.staff, collection.id, { title: "Report C" });
    const ours = [a.id, b.id, c.id];
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await handle.db.insert(kbArticleDailyViews).values([
      { articleId: a.id, day: daysAgo(0), views: 5 },
      { articleId: a.id, day: daysAgo(40), views: 100 },
      { articleId: a.id, day: daysAgo(120), views: 1000 },
      { articleId: b.id, day: daysAgo(1), views: 20 },
    ]);
    const voters = await Promise.all(Array.from({ length: 4 }, () => createUser(handle.db)));
    const vote = (i: number, articleId: number, helpful: boolean, reason: "outdated" | "unclear" | null = null, comment: string | null = null) =>
      giveFeedback(handle.db, asActor(voters[i]!), { articleId, helpful, reason, comment });
    await vote(0, a.id, true);
    await vote(1, a.id, false, "outdated", "Screens changed in v5");
    await vote(2, a.id, false, "outdated");
    await vote(3, a.id, false, "unclear", "Which plan?");
    await vote(0, b.id, true);
    await vote(1, b.id, true);

    const order = async (sort: KbReportSort, dir: "asc" | "desc") =>
      (await getContentReport(handle.db, { sort, dir, pageSize: 1000 })).items.map((r) => r.id).filter((id) => ours.includes(id));
    expect(await order("views30", "desc")).toEqual([b.id, a.id, c.id]);
    expect(await order("views90", "desc")).toEqual([a.id, b.id, c.id]);
    expect(await order("views30", "asc")).toEqual([c.id, a.id, b.id]);
    expect(await order("helpfulRatio", "asc")).toEqual([a.id, b.id, c.id]);
    expect(await order("helpfulRatio", "desc")).toEqual([b.id, a.id, c.id]);
    expect(await order("notHelpful", "desc")).toEqual([a.id, b.id, c.id]);
    expect(await order("reviewBy", "asc")).toEqual([b.id, a.id, c.id]);
    expect(await order("reviewBy", "desc")).toEqual([a.id, b.id, c.id]);

    const report = await getContentReport(handle.db, { sort: "views30", dir: "desc", pageSize: 1000 });
    const rowA = report.items.find((r) => r.id === a.id)!;
    expect(rowA).toMatchObject({
      views30: 5,
      views90: 105,
      helpfulYes: 1,
      helpfulNo: 3,
      helpfulRatio: 0.25,
      noReasons: { outdated: 2, unclear: 1, didnt_solve: 0, other: 0 },
    });
    expect(rowA.latestComments.map((c) => c.comment).sort()).toEqual(["Screens changed in v5", "Which plan?"]);
    expect(report.items.find((r) => r.id === c.id)).toMatchObject({ views30: 0, helpfulRatio: null, latestComments: [] });

    const firstPage = await getContentReport(handle.db, { sort: "views30", dir: "desc", page: 1, pageSize: 2 });
    const secondPage = await getContentReport(handle.db, { sort: "views30", dir: "desc", page: 2, pageSize: 2 });
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.total).toBe(secondPage.total);
    expect(secondPage.items.map((r) => r.id)).not.toContain(firstPage.items[0]!.id);
    const pastTheEnd = await getContentReport(handle.db, { sort: "views30", dir: "desc", page: 10_000, pageSize: 2 });
    expect(pastTheEnd).toMatchObject({ items: [], total: firstPage.total });
  });
});
