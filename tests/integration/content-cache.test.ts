import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createUser } from "../../db/factories";
import { forumContentVersion, forumQuestions, kbContentVersion } from "../../db/schema";
import { askQuestion, postAnswer } from "../../app/features/forum/questions.server";
import { flushQuestionViews, countQuestionView } from "../../app/features/forum/views.server";
import { getQuestionPage } from "../../app/features/forum/reads.server";
import { saveArticle, unpublishArticle } from "../../app/features/kb/articles.server";
import { giveFeedback, recordArticleView } from "../../app/features/kb/engagement.server";
import { cachedRead, noteMutation } from "../../app/features/cache/content-cache.server";
import { getArticleBySlug, getArticleForEditing } from "../../app/features/kb/reads.server";
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

async function version() {
  const [row] = await handle.db.select().from(kbContentVersion).where(eq(kbContentVersion.id, 1));
  return row!.version;
}

describe("reader caches", () => {
  it("serves the cached page until a change readers could see commits, and never for views or feedback", async () => {
    const collection = await makeCollection(handle.db, people.staff);
    const article = await makeArticle(handle.db, people.staff, collection.id, { title: "Cached guide" });
    let loads = 0;
    const read = () =>
      cachedRead(handle.db, "kb", `test:${article.id}`, async () => {
        loads += 1;
        return getArticleBySlug(handle.db, null, collection.slug, article.slug);
      });

    noteMutation();
    expect(await read()).toMatchObject({ title: "Cached guide" });
    expect(await read()).toMatchObject({ title: "Cached guide" });
    expect(loads).toBe(1);

    // Counters change all the time and are not part of what the cache holds: no new version.
    const before = await version();
    await recordArticleView(handle.db, { articleId: article.id, userId: people.member.id, anonymousKey: null });
    await giveFeedback(handle.db, asActor(people.member), { articleId: article.id, helpful: true, reason: null, comment: null });
    expect(await version()).toBe(before);

    const editing = await getArticleForEditing(handle.db, article.id);
    const saved = await saveArticle(handle.db, asActor(people.staff), article.id, {
      collectionId: collection.id,
      slug: article.slug,
      locale: "en",
      title: "Cached guide, revised",
      summary: "",
      bodyMd: editing!.bodyMd,
      tags: [],
      visibility: "public",
      ownerId: null,
      reviewBy: null,
      note: null,
      baseRevision: editing!.revisionNumber,
    });
    expect(saved).toMatchObject({ ok: true, changed: true });
    expect(await version()).toBeGreaterThan(before);
    noteMutation();
    expect(await read()).toMatchObject({ title: "Cached guide, revised" });
    expect(loads).toBe(2);

    await unpublishArticle(handle.db, asActor(people.staff), article.id);
    noteMutation();
    expect(await read()).toBeNull();
  });

  it("keeps a signed-out question page until the forum changes; view counts do not count as a change", async () => {
    const asker = await createUser(handle.db, { role: "moderator" });
    const answerer = await createUser(handle.db, { role: "moderator" });
    const asked = await askQuestion(handle.db, { id: asker.id, role: asker.role }, { title: "How do cached question pages stay fresh?", bodyMd: "Asking for the cache test.", tags: "" });
    if (!asked.ok) throw new Error(JSON.stringify(asked));
    const forumVersion = async () => (await handle.db.select().from(forumContentVersion).where(eq(forumContentVersion.id, 1)))[0]!.version;
    let loads = 0;
    const read = () =>
      cachedRead(handle.db, "forum", `question:${asked.questionId}`, async () => {
        loads += 1;
        return getQuestionPage(handle.db, null, asked.questionId);
      });

    noteMutation();
    expect((await read())?.answers).toHaveLength(0);
    const before = await forumVersion();
    countQuestionView(handle.db, asked.questionId);
    await flushQuestionViews();
    const [row] = await handle.db.select({ views: forumQuestions.viewCount }).from(forumQuestions).where(eq(forumQuestions.id, asked.questionId));
    expect(row!.views).toBe(1);
    expect(await forumVersion()).toBe(before);
    expect((await read())?.answers).toHaveLength(0);
    expect(loads).toBe(1);

    const answered = await postAnswer(handle.db, { id: answerer.id, role: answerer.role }, { questionId: asked.questionId, bodyMd: "Versions raised by triggers." });
    expect(answered).toMatchObject({ ok: true });
    expect(await forumVersion()).toBeGreaterThan(before);
    noteMutation();
    expect((await read())?.answers).toHaveLength(1);
    expect(loads).toBe(2);
  });
});
