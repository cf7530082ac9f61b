import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { activities, jobs, kbArticleRevisions, kbArticles, kbSlugRedirects } from "../../db/schema";
import {
  createArticle,
  KB_PUBLISH_SCHEDULED_JOB,
  linkTranslation,
  previewArticleBody,
  promoteAnswerToDraft,
  publishArticle,
  publishScheduledArticleJob,
  restoreRevision,
  saveArticle,
  scheduleArticle,
  setArticleOrder,
  StaleRevisionError,
  unpublishArticle,
  updateCollection,
} from "../../app/features/kb/articles.server";
import type { ArticleSaveInput } from "../../app/features/kb/kb.schema";
import {
  getArticleBySlug,
  getArticleForEditing,
  getRevisionDiff,
  getRevisionHistory,
  getTranslations,
  listArticlesForAdmin,
  listCollections,
} from "../../app/features/kb/reads.server";
import { claimJobs } from "../../app/features/jobs/queue.server";
import { createTestDb } from "../support/db";
import { articleInput, asActor, createKbPeople, makeArticle, makeCollection, type KbPeople } from "./kb-fixtures";

let handle: DbHandle;
let people: KbPeople;
const logger = pino({ level: "silent" });

beforeAll(async () => {
  handle = await createTestDb();
  people = await createKbPeople(handle.db);
});
afterAll(async () => {
  await handle.close();
});

async function articleRow(id: number) {
  const [row] = await handle.db.select().from(kbArticles).where(eq(kbArticles.id, id));
  if (!row) throw new Error(`article ${id} missing`);
  return row;
}

/** What the edit form would submit for the article as it is now, with `changes` applied. */
async function editForm(id: number, changes: Partial<ArticleSaveInput> = {}): Promise<ArticleSaveInput> {
  const a = await getArticleForEditing(handle.db, id);
  if (!a) throw new Error(`article ${id} missing`);
  return {
    title: a.title,
    slug: a.slug,
    collectionId: a.collectionId,
    locale: a.locale,
    visibility: a.visibility,
    summary: a.summary,
    bodyMd: a.bodyMd,
    tags: a.tags.map((t) => t.name),
    ownerId: a.ownerId,
    reviewBy: a.reviewBy,
    note: null,
    baseRevision: a.revisionNumber,
    ...changes,
  };
}

describe("authorization", () => {
  it("refuses every command to members and moderators and writes nothing", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { publish: false });
    for (const user of [people.member, people.moderator]) {
      const actor = asActor(user);
      expect(await createArticle(handle.db, actor, articleInput(collection.id))).toEqual({ ok: false, reason: "forbidden" });
      expect(await saveArticle(handle.db, actor, article.id, await editForm(article.id, { title: "Hijacked" }))).toEqual({ ok: false, reason: "forbidden" });
      expect(await publishArticle(handle.db, actor, article.id)).toEqual({ ok: false, reason: "forbidden" });
      expect(await restoreRevision(handle.db, actor, article.id, 1)).toEqual({ ok: false, reason: "forbidden" });
    }
    const row = await articleRow(article.id);
    expect(row).toMatchObject({ status: "draft", title: "Setting up single sign-on", revisionNumber: 1 });
  });

  it("answers not_found for an article that does not exist", async () => {
    expect(await publishArticle(handle.db, asActor(people.staff), 999_999)).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("createArticle", () => {
  it("stores sanitized HTML, a table of contents, reading time and revision 1 by the author", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const created = await createArticle(
      handle.db,
      asActor(people.staff),
      articleInput(collection.id, {
        title: "Exporting reports",
        bodyMd: "## Before you start\n\nYou need <script>alert(1)</script> admin rights.\n\n### Export\n\n[x](javascript:alert(1))\n",
        tags: ["Reports", "reports", "CSV"],
      }),
    );
    expect(created).toMatchObject({ ok: true, slug: "exporting-reports", revisionNumber: 1 });
    if (!created.ok) return;
    const row = await articleRow(created.articleId);
    expect(row.bodyHtml).toContain('<h2 id="before-you-start">');
    expect(row.bodyHtml).not.toContain("<script");
    expect(row.bodyHtml).not.toContain("javascript:");
    expect(row.toc).toEqual([
      { depth: 2, id: "before-you-start", text: "Before you start" },
      { depth: 3, id: "export", text: "Export" },
    ]);
    expect(row).toMatchObject({ status: "draft", ownerId: people.staff.id, readingMinutes: 1, revisionNumber: 1 });
    expect(row.currentRevisionId).not.toBeNull();
    const revisions = await handle.db.select().from(kbArticleRevisions).where(eq(kbArticleRevisions.articleId, created.articleId));
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ number: 1, authorId: people.staff.id, title: "Exporting reports" });
    const editing = await getArticleForEditing(handle.db, created.articleId);
    // "Reports" and "reports" are one tag.
    expect(editing?.tags.map((t) => t.name)).toEqual(["CSV", "Reports"]);
  });

  it("previews exactly what a save would store, without writing", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const bodyMd = "## Heading\r\n\r\n<img src=x onerror=alert(1)> text";
    const preview = previewArticleBody(bodyMd);
    const created = await createArticle(handle.db, asActor(people.staff), articleInput(collection.id, { bodyMd }));
    if (!preview.ok || !created.ok) throw new Error("preview or create failed");
    expect(preview.html).toBe((await articleRow(created.articleId)).bodyHtml);
    expect(preview.html).not.toContain("onerror");
    expect(preview.toc).toEqual([{ depth: 2, id: "heading", text: "Heading" }]);
    expect(previewArticleBody("x".repeat(100_001))).toEqual({ ok: false, fieldErrors: { bodyMd: ["kb.form.bodyTooLong"] } });
  });

  it("derives unique slugs from titles and falls back to article-<id> for Japanese titles", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const first = await makeArticle(handle.db, people.staff, collection.id, { title: "Café billing FAQ", publish: false });
    const second = await makeArticle(handle.db, people.staff, collection.id, { title: "Cafe billing FAQ!", publish: false });
    const japanese = await makeArticle(handle.db, people.staff, collection.id, { title: "請求書のダウンロード方法", locale: "ja", publish: false });
    expect(first.slug).toBe("cafe-billing-faq");
    expect(second.slug).toBe("cafe-billing-faq-2");
    expect(japanese.slug).toBe(`article-${japanese.id}`);
  });

  it("refuses a slug already used in the collection, but allows it in another collection", async () => {
    const a = await makeCollection(handle.db, people.staff);
    const b = await makeCollection(handle.db, people.staff);
    await makeArticle(handle.db, people.staff, a.id, { slug: "taken", publish: false });
    expect(await createArticle(handle.db, asActor(people.staff), articleInput(a.id, { slug: "taken" }))).toEqual({
      ok: false,
      fieldErrors: { slug: ["kb.form.slugTaken"] },
    });
    expect(await createArticle(handle.db, asActor(people.staff), articleInput(b.id, { slug: "taken" }))).toMatchObject({ ok: true });
  });

  it("turns a body over the size limit into a field error, and an unknown collection or a member owner too", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const actor = asActor(people.staff);
    const tooLong = await createArticle(handle.db, actor, articleInput(collection.id, { bodyMd: "a".repeat(100_001) }));
    expect(tooLong).toEqual({ ok: false, fieldErrors: { bodyMd: ["kb.form.bodyTooLong"] } });
    expect(await createArticle(handle.db, actor, articleInput(999_999))).toEqual({ ok: false, fieldErrors: { collectionId: ["kb.form.collectionMissing"] } });
    expect(await createArticle(handle.db, actor, articleInput(collection.id, { ownerId: people.member.id }))).toEqual({
      ok: false,
      fieldErrors: { ownerId: ["kb.form.ownerInvalid"] },
    });
  });
});

describe("saveArticle", () => {
  it("saves each edit as a new revision and re-renders the HTML", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id);
    const saved = await saveArticle(handle.db, asActor(people.admin), article.id, await editForm(article.id, { bodyMd: "## New steps\n\nUse SCIM.\n", note: "SCIM" }));
    expect(saved).toEqual({ ok: true, changed: true, revisionNumber: 2, slug: article.slug });
    const row = await articleRow(article.id);
    expect(row.bodyHtml).toContain("Use SCIM.");
    expect(row.revisionNumber).toBe(2);
    const history = await getRevisionHistory(handle.db, article.id);
    expect(history.map((r) => [r.number, r.authorId, r.note, r.isCurrent])).toEqual([
      [2, people.admin.id, "SCIM", true],
      [1, people.staff.id, null, false],
    ]);
  });

  it("writes nothing when nothing changed", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { tags: ["sso"] });
    expect(await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id))).toEqual({
      ok: true,
      changed: false,
      revisionNumber: 1,
      slug: article.slug,
    });
    expect(await getRevisionHistory(handle.db, article.id)).toHaveLength(1);
  });

  it("refuses a save based on a stale revision with the current revision and a diff, overwriting nothing", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { bodyMd: "one\ntwo\nthree\n" });
    const aliceForm = await editForm(article.id);
    const bobForm = await editForm(article.id);
    expect(await saveArticle(handle.db, asActor(people.admin), article.id, { ...bobForm, bodyMd: "one\ntwo (Bob)\nthree\n" })).toMatchObject({ ok: true, revisionNumber: 2 });

    const error = await saveArticle(handle.db, asActor(people.staff), article.id, { ...aliceForm, bodyMd: "one\ntwo\nthree\nfour (Alice)\n" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StaleRevisionError);
    const stale = error as StaleRevisionError;
    expect(stale.messageKey).toBe("kb.form.staleRevision");
    expect(stale.baseRevision).toBe(1);
    expect(stale.current).toMatchObject({ number: 2, bodyMd: "one\ntwo (Bob)\nthree\n", authorId: people.admin.id });
    // What Alice's save would do to the current text: undo Bob's line and add hers.
    expect(stale.diff.hunks.flatMap((h) => h.lines.filter((l) => l.kind !== "context").map((l) => `${l.kind}:${l.text}`))).toEqual([
      "removed:two (Bob)",
      "added:two",
      "added:four (Alice)",
    ]);
    // What Bob changed since Alice started.
    expect(stale.theirChanges?.added).toBe(1);
    expect(stale.theirChanges?.removed).toBe(1);

    const row = await articleRow(article.id);
    expect(row).toMatchObject({ bodyMd: "one\ntwo (Bob)\nthree\n", revisionNumber: 2 });
    expect(await getRevisionHistory(handle.db, article.id)).toHaveLength(2);
  });

  it("lets exactly one of two simultaneous saves from the same revision through", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id);
    const form = await editForm(article.id);
    const results = await Promise.allSettled([
      saveArticle(handle.db, asActor(people.staff), article.id, { ...form, bodyMd: "Version A\n" }),
      saveArticle(handle.db, asActor(people.admin), article.id, { ...form, bodyMd: "Version B\n" }),
    ]);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r) => r.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(StaleRevisionError);
    expect(await getRevisionHistory(handle.db, article.id)).toHaveLength(2);
  });

  it("keeps the old URL working after a slug change, and lets the live article win when the slug comes back", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Old name" });
    expect(await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { slug: "new-name" }))).toMatchObject({ ok: true, slug: "new-name" });

    expect(await getArticleBySlug(handle.db, null, collection.slug, "old-name")).toEqual({ redirectTo: `/kb/${collection.slug}/new-name` });
    expect(await getArticleBySlug(handle.db, null, collection.slug, "new-name")).toMatchObject({ id: article.id });

    // Renamed again: the first old URL now leads to the newest one directly (no chains).
    await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { slug: "newest-name" }));
    expect(await getArticleBySlug(handle.db, null, collection.slug, "old-name")).toEqual({ redirectTo: `/kb/${collection.slug}/newest-name` });
    expect(await getArticleBySlug(handle.db, null, collection.slug, "new-name")).toEqual({ redirectTo: `/kb/${collection.slug}/newest-name` });

    // Back to the original slug: the article answers there itself and no redirect is left on its own path.
    await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { slug: "old-name" }));
    expect(await getArticleBySlug(handle.db, null, collection.slug, "old-name")).toMatchObject({ id: article.id });
    const ownPath = await handle.db
      .select()
      .from(kbSlugRedirects)
      .where(and(eq(kbSlugRedirects.collectionSlug, collection.slug), eq(kbSlugRedirects.slug, "old-name")));
    expect(ownPath).toHaveLength(0);
  });

  it("redirects old URLs when an article moves collection or a collection is renamed", async () => {
    const from = await makeCollection(handle.db, people.staff);
    const to = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, from.id, { title: "Moving article" });
    await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { collectionId: to.id }));
    expect(await getArticleBySlug(handle.db, null, from.slug, "moving-article")).toEqual({ redirectTo: `/kb/${to.slug}/moving-article` });

    const renamed = `${to.slug}-renamed`;
    expect(
      await updateCollection(handle.db, asActor(people.staff), to.id, { slug: renamed, nameEn: "Renamed", nameJa: "改名", descriptionEn: "", descriptionJa: "", position: 0 }),
    ).toEqual({ ok: true });
    expect(await getArticleBySlug(handle.db, null, to.slug, "moving-article")).toEqual({ redirectTo: `/kb/${renamed}/moving-article` });
    expect(await getArticleBySlug(handle.db, null, from.slug, "moving-article")).toEqual({ redirectTo: `/kb/${renamed}/moving-article` });
  });

  it("never redirects to an article the reader may not see", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Internal runbook", visibility: "staff" });
    await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { slug: "internal-runbook-v2" }));
    expect(await getArticleBySlug(handle.db, null, collection.slug, "internal-runbook")).toBeNull();
    expect(await getArticleBySlug(handle.db, asActor(people.member), collection.slug, "internal-runbook")).toBeNull();
    expect(await getArticleBySlug(handle.db, asActor(people.staff), collection.slug, "internal-runbook")).toEqual({
      redirectTo: `/kb/${collection.slug}/internal-runbook-v2`,
    });
  });
});

describe("revisions", () => {
  it("restores an old revision as a new one, keeping the whole history", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Webhooks", bodyMd: "first\n" });
    await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { title: "Webhooks v2", bodyMd: "second\n" }));
    await saveArticle(handle.db, asActor(people.staff), article.id, await editForm(article.id, { bodyMd: "third\n" }));

    expect(await restoreRevision(handle.db, asActor(people.admin), article.id, 1)).toEqual({ ok: true, changed: true, revisionNumber: 4 });
    const row = await articleRow(article.id);
    expect(row).toMatchObject({ title: "Webhooks", bodyMd: "first\n", revisionNumber: 4 });
    expect(row.bodyHtml).toContain("first");
    const history = await getRevisionHistory(handle.db, article.id);
    expect(history.map((r) => [r.number, r.restoredFromNumber])).toEqual([
      [4, 1],
      [3, null],
      [2, null],
      [1, null],
    ]);

    const diff = await getRevisionDiff(handle.db, article.id, 3, 4);
    expect(diff?.title).toEqual({ before: "Webhooks v2", after: "Webhooks", changed: true });
    expect(diff?.body.hunks[0]?.lines.map((l) => `${l.kind}:${l.text}`)).toEqual(["removed:third", "added:first"]);
    expect(await getRevisionDiff(handle.db, article.id, 1, 99)).toBeNull();
    expect(await restoreRevision(handle.db, asActor(people.admin), article.id, 99)).toEqual({ ok: false, fieldErrors: { revision: ["kb.form.revisionMissing"] } });
  });
});

describe("publishing", () => {
  it("publishes, records kb.article.published once, and unpublishing hides the article again", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Going live", publish: false });
    expect(await getArticleBySlug(handle.db, null, collection.slug, article.slug)).toBeNull();

    expect(await publishArticle(handle.db, asActor(people.staff), article.id)).toEqual({ ok: true, changed: true });
    expect(await publishArticle(handle.db, asActor(people.staff), article.id)).toEqual({ ok: true, changed: false });
    expect(await getArticleBySlug(handle.db, null, collection.slug, article.slug)).toMatchObject({ id: article.id });
    const published = await handle.db
      .select()
      .from(activities)
      .where(and(eq(activities.type, "kb.article.published"), eq(activities.subjectId, String(article.id))));
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ userId: people.staff.id, subjectType: "kb_article" });

    const firstPublishedAt = (await articleRow(article.id)).publishedAt;
    expect(await unpublishArticle(handle.db, asActor(people.staff), article.id)).toEqual({ ok: true, changed: true });
    expect((await articleRow(article.id)).status).toBe("unpublished");
    expect(await getArticleBySlug(handle.db, asActor(people.admin), collection.slug, article.slug)).toBeNull();
    await publishArticle(handle.db, asActor(people.staff), article.id);
    expect((await articleRow(article.id)).publishedAt).toEqual(firstPublishedAt);
  });
});

describe("scheduled publishing", () => {
  async function scheduledJobs(articleId: number) {
    return handle.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.type, KB_PUBLISH_SCHEDULED_JOB), sql`${jobs.payload}->>'articleId' = ${String(articleId)}`, eq(jobs.status, "queued")));
  }

  /** Claims this article's job (others are pushed out of the way) and runs the handler, like a worker. */
  async function runScheduledJob(articleId: number) {
    await handle.db
      .update(jobs)
      .set({ runAt: sql`now() + interval '1 day'` })
      .where(and(eq(jobs.status, "queued"), sql`${jobs.payload}->>'articleId' is distinct from ${String(articleId)}`));
    await handle.db
      .update(jobs)
      .set({ runAt: sql`now() - interval '1 second'` })
      .where(and(eq(jobs.status, "queued"), sql`${jobs.payload}->>'articleId' = ${String(articleId)}`));
    const [job] = await claimJobs(handle.db, { workerId: "test", limit: 1, leaseSeconds: 60 });
    if (!job) throw new Error("no job to run");
    await publishScheduledArticleJob({ db: handle.db, job, logger });
    return job;
  }

  async function makeDue(articleId: number) {
    await handle.db.update(kbArticles).set({ scheduledFor: sql`now() - interval '1 second'` }).where(eq(kbArticles.id, articleId));
  }

  it("refuses a time in the past and an article already published", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const draft = await makeArticle(handle.db, people.staff, collection.id, { publish: false });
    const live = await makeArticle(handle.db, people.staff, collection.id, { title: "Live one" });
    expect(await scheduleArticle(handle.db, asActor(people.staff), draft.id, new Date(Date.now() - 60_000))).toEqual({
      ok: false,
      fieldErrors: { scheduledFor: ["kb.form.scheduleInPast"] },
    });
    expect(await scheduleArticle(handle.db, asActor(people.staff), live.id, new Date(Date.now() + 60_000))).toEqual({
      ok: false,
      fieldErrors: { scheduledFor: ["kb.form.alreadyPublished"] },
    });
  });

  it("queues one job per article, publishes when due, and records the activity for whoever scheduled it", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Launch notes", publish: false });
    const inAnHour = new Date(Date.now() + 3_600_000);
    expect(await scheduleArticle(handle.db, asActor(people.staff), article.id, new Date(Date.now() + 7_200_000))).toMatchObject({ ok: true });
    expect(await scheduleArticle(handle.db, asActor(people.staff), article.id, inAnHour)).toMatchObject({ ok: true });
    const queued = await scheduledJobs(article.id);
    expect(queued).toHaveLength(1);
    expect(queued[0]!.runAt.getTime()).toBe(inAnHour.getTime());
    expect(await articleRow(article.id)).toMatchObject({ status: "scheduled" });
    expect(await getArticleBySlug(handle.db, asActor(people.staff), collection.slug, article.slug)).toBeNull();

    await makeDue(article.id);
    const job = await runScheduledJob(article.id);
    expect(await articleRow(article.id)).toMatchObject({ status: "published", scheduledFor: null });
    expect(await getArticleBySlug(handle.db, null, collection.slug, article.slug)).toMatchObject({ id: article.id });

    // At-least-once delivery: running the same job again changes nothing.
    await publishScheduledArticleJob({ db: handle.db, job, logger });
    const published = await handle.db
      .select()
      .from(activities)
      .where(and(eq(activities.type, "kb.article.published"), eq(activities.subjectId, String(article.id))));
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ userId: people.staff.id, metadata: { via: "schedule" } });
  });

  it("does nothing when the article was unpublished meanwhile", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { publish: false });
    await scheduleArticle(handle.db, asActor(people.staff), article.id, new Date(Date.now() + 60_000));
    expect(await unpublishArticle(handle.db, asActor(people.staff), article.id)).toEqual({ ok: true, changed: true });
    expect((await articleRow(article.id)).status).toBe("draft");
    await runScheduledJob(article.id);
    expect(await articleRow(article.id)).toMatchObject({ status: "draft", publishedAt: null });
  });

  it("waits again when the article was moved to a later time than the job's", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { publish: false });
    const later = new Date(Date.now() + 86_400_000);
    await scheduleArticle(handle.db, asActor(people.staff), article.id, later);
    await runScheduledJob(article.id);
    expect((await articleRow(article.id)).status).toBe("scheduled");
    const requeued = await scheduledJobs(article.id);
    expect(requeued).toHaveLength(1);
    expect(requeued[0]!.runAt.getTime()).toBe(later.getTime());
  });
});

describe("translations, order and promotion", () => {
  it("links an English and a Japanese version and refuses a second one in the same language", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const en = await makeArticle(handle.db, people.staff, collection.id, { title: "Invoices" });
    const ja = await makeArticle(handle.db, people.staff, collection.id, { title: "請求書", locale: "ja" });
    const ja2 = await makeArticle(handle.db, people.staff, collection.id, { title: "請求書(旧)", locale: "ja" });
    const en2 = await makeArticle(handle.db, people.staff, collection.id, { title: "Invoices again" });
    const actor = asActor(people.staff);

    expect(await linkTranslation(handle.db, actor, en.id, en2.id)).toEqual({ ok: false, fieldErrors: { translationId: ["kb.form.translationSameLocale"] } });
    expect(await linkTranslation(handle.db, actor, en.id, ja.id)).toEqual({ ok: true, changed: true });
    expect(await linkTranslation(handle.db, actor, en.id, ja.id)).toEqual({ ok: true, changed: false });
    expect(await linkTranslation(handle.db, actor, en.id, ja2.id)).toEqual({ ok: false, fieldErrors: { translationId: ["kb.form.translationTaken"] } });

    const enRow = await articleRow(en.id);
    expect(await getTranslations(handle.db, null, enRow)).toEqual([{ id: ja.id, locale: "ja", title: "請求書", path: `/kb/${collection.slug}/${ja.slug}` }]);

    // Creating a translation directly joins the group.
    const fresh = await makeArticle(handle.db, people.staff, collection.id, { title: "Refunds" });
    const translated = await createArticle(handle.db, actor, articleInput(collection.id, { title: "返金", locale: "ja" }), { translationOfId: fresh.id });
    expect(translated).toMatchObject({ ok: true });
    if (translated.ok) expect((await articleRow(translated.articleId)).translationGroupId).toBe((await articleRow(fresh.id)).translationGroupId);
    expect(await createArticle(handle.db, actor, articleInput(collection.id, { title: "返金 2", locale: "ja" }), { translationOfId: fresh.id })).toEqual({
      ok: false,
      fieldErrors: { locale: ["kb.form.translationTaken"] },
    });
  });

  it("orders a collection's articles and refuses an article from elsewhere", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const other = await makeCollection(handle.db, people.staff);
    const a = await makeArticle(handle.db, people.staff, collection.id, { title: "Alpha" });
    const b = await makeArticle(handle.db, people.staff, collection.id, { title: "Bravo" });
    const c = await makeArticle(handle.db, people.staff, collection.id, { title: "Charlie" });
    const stranger = await makeArticle(handle.db, people.staff, other.id, { title: "Stranger" });
    const order = async () => (await listArticlesForAdmin(handle.db, { collectionId: collection.id, page: 1 })).items.map((i) => i.id);
    expect(await order()).toEqual([a.id, b.id, c.id]);

    expect(await setArticleOrder(handle.db, asActor(people.staff), collection.id, [c.id, a.id])).toEqual({ ok: true });
    expect(await order()).toEqual([c.id, a.id, b.id]);
    expect(await setArticleOrder(handle.db, asActor(people.staff), collection.id, [stranger.id, a.id])).toEqual({
      ok: false,
      fieldErrors: { order: ["kb.form.orderMismatch"] },
    });
    expect(await order()).toEqual([c.id, a.id, b.id]);
  });

  it("promotes an answer to a draft crediting the answerer", async () => {
    await makeCollection(handle.db, people.staff);
    const result = await promoteAnswerToDraft(handle.db, asActor(people.staff), {
      title: "How do I rotate API keys without downtime?",
      bodyMd: "Create the new key first, then deploy, then revoke the old one.",
      creditedUserId: people.member.id,
      sourceUrl: "/questions/42#answer-7",
    });
    expect(result).toMatchObject({ ok: true, slug: "how-do-i-rotate-api-keys-without-downtime" });
    if (!result.ok) return;
    const row = await articleRow(result.articleId);
    expect(row).toMatchObject({ status: "draft", creditedUserId: people.member.id, sourceUrl: "/questions/42#answer-7", visibility: "customers" });
    // Without a collection the draft goes to the first one.
    expect(row.collectionId).toBe((await listCollections(handle.db))[0]!.id);
    expect(await promoteAnswerToDraft(handle.db, asActor(people.member), { title: "x", bodyMd: "y", creditedUserId: people.member.id, sourceUrl: "/q/1" })).toEqual({
      ok: false,
      reason: "forbidden",
    });
    expect(
      await promoteAnswerToDraft(handle.db, asActor(people.staff), { title: "x", bodyMd: "y", creditedUserId: people.member.id, sourceUrl: "javascript:alert(1)" }),
    ).toEqual({ ok: false, fieldErrors: { sourceUrl: ["form.invalid"] } });
  });
});
