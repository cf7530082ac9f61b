import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import { forumAnswers, forumQuestions, forumTags, kbArticles, kbTags, searchIndexQueue } from "../../db/schema";
import { saveArticle, unpublishArticle } from "../../app/features/kb/articles.server";
import { renameTag } from "../../app/features/kb/tags.server";
import { acceptAnswer } from "../../app/features/forum/accept.server";
import { moderatePost } from "../../app/features/forum/moderation.server";
import { askQuestion, editAnswer, postAnswer } from "../../app/features/forum/questions.server";
import type { ForumActor } from "../../app/features/forum/result";
import { loadSearchDocuments, QUESTION_BODY_MAX_CHARS } from "../../search/documents";
import { createTestDb } from "../support/db";
import { asActor, createKbPeople, makeArticle, makeCollection, type KbPeople } from "./kb-fixtures";

// The triggers of migration 0009 (enqueue in the writer's transaction) and search/documents.ts (what a
// queued key becomes), exercised through the real KB and forum commands.

let handle: DbHandle;
let db: Db;
let people: KbPeople;
let collectionId: number;
let asker: UserRow;
let answerer: UserRow;

const forumActor = (user: UserRow): ForumActor => ({ id: user.id, role: user.role });

async function queued(): Promise<Map<string, number>> {
  const rows = await db.select({ key: searchIndexQueue.docKey, revision: searchIndexQueue.revision }).from(searchIndexQueue);
  return new Map(rows.map((r) => [r.key, Number(r.revision)]));
}

async function ask(title = "How do I rotate the SAML signing certificate?", tags = "") {
  const result = await askQuestion(db, forumActor(asker), { title, bodyMd: "Our IdP certificate expires next week. What is the order of steps?", tags });
  if (!result.ok) throw new Error(`ask failed: ${JSON.stringify(result)}`);
  return result.questionId;
}

async function answer(questionId: number, bodyMd: string, by = answerer) {
  const result = await postAnswer(db, forumActor(by), { questionId, bodyMd });
  if (!result.ok) throw new Error(`answer failed: ${JSON.stringify(result)}`);
  return result.answerId;
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  people = await createKbPeople(db);
  collectionId = (await makeCollection(db, people.staff)).id;
  asker = await createUser(db, { role: "moderator" });
  answerer = await createUser(db, { role: "moderator" });
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  await db.delete(searchIndexQueue);
});

describe("articles", () => {
  it("queues a published article in the publishing transaction, and a draft not at all", async () => {
    const draft = await makeArticle(db, people.staff, collectionId, { title: "Draft about webhooks", publish: false });
    expect((await queued()).has(`article:${draft.id}`)).toBe(false);
    const published = await makeArticle(db, people.staff, collectionId, { title: "Published about webhooks", tags: ["Webhooks", "API"] });
    expect((await queued()).has(`article:${published.id}`)).toBe(true);

    const docs = await loadSearchDocuments(db, [`article:${published.id}`, `article:${draft.id}`], 42);
    expect(docs.has(`article:${draft.id}`)).toBe(false);
    expect(docs.get(`article:${published.id}`)).toMatchObject({
      type: "article",
      sourceId: published.id,
      locale: "en",
      visibility: "public",
      title: "Published about webhooks",
      tags: ["api", "webhooks"],
      revision: 42,
    });
    expect(docs.get(`article:${published.id}`)!.body).toContain("Open the admin console.");
    expect(docs.get(`article:${published.id}`)!.body).not.toContain("##");
  });

  it("leaves nothing queued when the writing transaction rolls back", async () => {
    const article = await makeArticle(db, people.staff, collectionId, { publish: false });
    await expect(
      db.transaction(async (tx) => {
        await tx.update(kbArticles).set({ status: "published", publishedAt: new Date() }).where(eq(kbArticles.id, article.id));
        expect((await tx.select().from(searchIndexQueue).where(eq(searchIndexQueue.docKey, `article:${article.id}`))).length).toBe(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await queued()).size).toBe(0);
  });

  it("queues an unpublished article, which then loads as no document (a removal)", async () => {
    const article = await makeArticle(db, people.staff, collectionId, { title: "Soon withdrawn" });
    await db.delete(searchIndexQueue);
    expect(await unpublishArticle(db, asActor(people.staff), article.id)).toMatchObject({ ok: true });
    expect((await queued()).has(`article:${article.id}`)).toBe(true);
    expect((await loadSearchDocuments(db, [`article:${article.id}`])).size).toBe(0);
  });

  it("queues an edit and a deletion, but not view or feedback counters", async () => {
    const article = await makeArticle(db, people.staff, collectionId, { title: "Counting views" });
    await db.delete(searchIndexQueue);
    await db.update(kbArticles).set({ viewCountTotal: sql`${kbArticles.viewCountTotal} + 1`, helpfulYes: 3 }).where(eq(kbArticles.id, article.id));
    expect((await queued()).size).toBe(0);

    const [row] = await db.select().from(kbArticles).where(eq(kbArticles.id, article.id));
    const saved = await saveArticle(db, asActor(people.staff), article.id, {
      title: "Counting views, renamed",
      slug: null,
      collectionId,
      locale: "en",
      visibility: "customers",
      summary: "",
      bodyMd: "New body.",
      tags: [],
      ownerId: null,
      reviewBy: null,
      note: null,
      baseRevision: row!.revisionNumber,
    });
    expect(saved).toMatchObject({ ok: true });
    expect((await queued()).has(`article:${article.id}`)).toBe(true);
    const doc = (await loadSearchDocuments(db, [`article:${article.id}`])).get(`article:${article.id}`);
    expect(doc).toMatchObject({ title: "Counting views, renamed", visibility: "customers", body: "New body." });

    await db.delete(searchIndexQueue);
    await db.delete(kbArticles).where(eq(kbArticles.id, article.id));
    expect([...(await queued()).keys()]).toEqual([`article:${article.id}`]);
  });

  it("re-queues every published article carrying a renamed tag, and only those", async () => {
    const tagged = await makeArticle(db, people.staff, collectionId, { title: "Tagged one", tags: ["Billing"] });
    const other = await makeArticle(db, people.staff, collectionId, { title: "Untagged one", tags: ["Security"] });
    await db.delete(searchIndexQueue);
    const [tag] = await db.select().from(kbTags).where(eq(kbTags.slug, "billing"));
    expect(await renameTag(db, asActor(people.staff), tag!.id, { name: "Invoices" })).toMatchObject({ ok: true });
    const keys = await queued();
    expect(keys.has(`article:${tagged.id}`)).toBe(true);
    expect(keys.has(`article:${other.id}`)).toBe(false);
    expect((await loadSearchDocuments(db, [`article:${tagged.id}`])).get(`article:${tagged.id}`)!.tags).toEqual(["invoices"]);
  });

  it("collapses two changes of one document into one row with the latest revision", async () => {
    const article = await makeArticle(db, people.staff, collectionId, { title: "Twice changed" });
    const first = (await queued()).get(`article:${article.id}`)!;
    await db.update(kbArticles).set({ title: "Twice changed, again" }).where(eq(kbArticles.id, article.id));
    const rows = await db.select().from(searchIndexQueue).where(eq(searchIndexQueue.docKey, `article:${article.id}`));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.revision)).toBeGreaterThan(first);
  });
});

describe("questions", () => {
  it("queues a new question, public, found by the words of its answers: accepted first, then by score", async () => {
    const questionId = await ask("Which ports does the relay need?", "Networking");
    expect((await queued()).has(`question:${questionId}`)).toBe(true);
    const low = await answer(questionId, "Low scored answer mentions tangerine.");
    const high = await answer(questionId, "High scored answer mentions pomegranate.");
    const accepted = await answer(questionId, "Accepted answer mentions kumquat.");
    await db.update(forumAnswers).set({ score: 5 }).where(eq(forumAnswers.id, high));
    await db.update(forumAnswers).set({ score: -1 }).where(eq(forumAnswers.id, low));
    expect(await acceptAnswer(db, forumActor(asker), accepted)).toMatchObject({ ok: true });

    const doc = (await loadSearchDocuments(db, [`question:${questionId}`], 7)).get(`question:${questionId}`)!;
    expect(doc).toMatchObject({ type: "question", visibility: "public", locale: "en", title: "Which ports does the relay need?", tags: ["networking"], revision: 7 });
    const body = doc.body;
    expect(body.startsWith("Our IdP certificate")).toBe(true);
    expect(body.indexOf("kumquat")).toBeLessThan(body.indexOf("pomegranate"));
    expect(body.indexOf("pomegranate")).toBeLessThan(body.indexOf("tangerine"));
  });

  it("re-queues a question when one of its answers is edited, and drops hidden answers from its text", async () => {
    const questionId = await ask("Where are audit logs kept?");
    const answerId = await answer(questionId, "In the admin area under Logs, mentions aardvark.");
    await db.delete(searchIndexQueue);
    expect(await editAnswer(db, forumActor(answerer), answerId, { bodyMd: "Under Settings, then Audit, mentions wombat." })).toMatchObject({ ok: true });
    expect([...(await queued()).keys()]).toEqual([`question:${questionId}`]);
    expect((await loadSearchDocuments(db, [`question:${questionId}`])).get(`question:${questionId}`)!.body).toContain("wombat");

    await db.delete(searchIndexQueue);
    expect(await moderatePost(db, forumActor(asker), { targetType: "answer", targetId: answerId, action: "hide", reason: "Spam links" })).toMatchObject({ ok: true });
    expect((await queued()).has(`question:${questionId}`)).toBe(true);
    expect((await loadSearchDocuments(db, [`question:${questionId}`])).get(`question:${questionId}`)!.body).not.toContain("wombat");
  });

  it("queues a hidden or deleted question as a removal, and skips view and follower counts", async () => {
    const hidden = await ask("A question a moderator hides");
    const deleted = await ask("A question a moderator deletes");
    await db.delete(searchIndexQueue);
    await db.update(forumQuestions).set({ viewCount: 10, followerCount: 2 }).where(eq(forumQuestions.id, hidden));
    expect((await queued()).size).toBe(0);

    expect(await moderatePost(db, forumActor(asker), { targetType: "question", targetId: hidden, action: "hide", reason: "Off topic here" })).toMatchObject({ ok: true });
    expect(await moderatePost(db, forumActor(asker), { targetType: "question", targetId: deleted, action: "delete", reason: "Duplicate post" })).toMatchObject({ ok: true });
    const keys = await queued();
    expect(keys.has(`question:${hidden}`) && keys.has(`question:${deleted}`)).toBe(true);
    expect((await loadSearchDocuments(db, [`question:${hidden}`, `question:${deleted}`])).size).toBe(0);
  });

  it("re-queues the questions of a renamed forum tag", async () => {
    const tagged = await ask("Tagged with the renamed tag", "Renamable");
    const untagged = await ask("Not tagged with it", "Other");
    await db.delete(searchIndexQueue);
    // question_count moves with every tagging; only a rename changes documents.
    await db.update(forumTags).set({ questionCount: 99 }).where(eq(forumTags.slug, "renamable"));
    expect((await queued()).size).toBe(0);
    await db.update(forumTags).set({ name: "Renamed", slug: "renamed" }).where(eq(forumTags.slug, "renamable"));
    const keys = await queued();
    expect(keys.has(`question:${tagged}`)).toBe(true);
    expect(keys.has(`question:${untagged}`)).toBe(false);
  });

  it("cuts a long question with its answers to a bounded body", async () => {
    const questionId = await ask("A question with a very long answer");
    await answer(questionId, "long ".repeat(3000));
    const doc = (await loadSearchDocuments(db, [`question:${questionId}`])).get(`question:${questionId}`)!;
    expect(doc.body.length).toBeLessThanOrEqual(QUESTION_BODY_MAX_CHARS);
    expect(doc.body.length).toBeGreaterThan(QUESTION_BODY_MAX_CHARS - 10);
  });

  it("loads no document for reserved types or malformed keys", async () => {
    expect((await loadSearchDocuments(db, ["webinar:1", "event:2", "nonsense", "article:999999"])).size).toBe(0);
  });
});
