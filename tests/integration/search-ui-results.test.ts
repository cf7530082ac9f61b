import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import { forumQuestions, kbArticles } from "../../db/schema";
import { createEmbeddedSearchEngine } from "../../search/embedded";
import type { SearchEngine } from "../../search/engine";
import { drainSearchQueue } from "../../search/queue";
import { askQuestion } from "../../app/features/forum/questions.server";
import { isSafeHighlight, safeHighlight } from "../../app/features/search/highlight";
import { resolveResultUrl, searchAsViewer } from "../../app/features/search/search.server";
import { applySynonyms, createSynonymGroup, deleteSynonymGroup, listSynonymGroups, updateSynonymGroup } from "../../app/features/search/synonyms.server";
import { createTestDb } from "../support/db";
import { makeArticle, makeCollection } from "./kb-fixtures";

let handle: DbHandle;
let db: Db;
let engine: SearchEngine;
let staff: UserRow;
let member: UserRow;
const people = () => ({
  anonymous: null,
  member: { id: member.id, role: member.role },
  staff: { id: staff.id, role: staff.role },
});
let ids: Record<"public" | "customers" | "staffOnly" | "draft", number> & { question: number; hiddenQuestion: number; collectionSlug: string };

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  engine = createEmbeddedSearchEngine(db);
  await engine.setup();
  staff = await createUser(db, { role: "staff" });
  member = await createUser(db, { role: "member" });
  const collection = await makeCollection(db, staff);
  const article = (title: string, extra: Parameters<typeof makeArticle>[3] = {}) =>
    makeArticle(db, staff, collection.id, { title, bodyMd: `## Overview\n\n${title}: configure the identity provider and test the login flow.\n`, tags: ["sso"], ...extra });
  const ask = async (title: string) => {
    const result = await askQuestion(db, { id: member.id, role: "member" }, { title, bodyMd: "We use Okta for our identity provider. What are the steps?", tags: "" });
    if (!result.ok) throw new Error(`ask failed: ${JSON.stringify(result)}`);
    return result.questionId;
  };
  ids = {
    public: (await article("Setting up single sign-on with Okta")).id,
    customers: (await article("Single sign-on troubleshooting for customers", { visibility: "customers" })).id,
    staffOnly: (await article("Single sign-on escalation runbook", { visibility: "staff" })).id,
    draft: (await article("Single sign-on draft notes", { publish: false })).id,
    question: await ask("Single sign-on with Okta fails after certificate rotation"),
    hiddenQuestion: await ask("Single sign-on spam question"),
    collectionSlug: collection.slug,
  };
  await db.update(forumQuestions).set({ hiddenAt: sql`now()` }).where(eq(forumQuestions.id, ids.hiddenQuestion));
  await drainSearchQueue(db, engine);
});
afterAll(async () => {
  await handle.close();
});

const keysFor = async (viewer: ReturnType<typeof people>[keyof ReturnType<typeof people>], q = "single sign-on") =>
  (await searchAsViewer(db, engine, viewer, { q, limit: 20, offset: 0 })).items.map((i) => i.key).sort();

describe("results for each viewer", () => {
  it("shows anonymous readers public articles and visible questions only", async () => {
    expect(await keysFor(people().anonymous)).toEqual([`article:${ids.public}`, `question:${ids.question}`].sort());
  });

  it("adds customer articles for signed-in members, and staff articles for staff; never drafts or hidden questions", async () => {
    expect(await keysFor(people().member)).toEqual([`article:${ids.public}`, `article:${ids.customers}`, `question:${ids.question}`].sort());
    expect(await keysFor(people().staff)).toEqual(
      [`article:${ids.public}`, `article:${ids.customers}`, `article:${ids.staffOnly}`, `question:${ids.question}`].sort(),
    );
  });

  it("returns links, type labels and highlighted titles that pass the gate", async () => {
    const page = await searchAsViewer(db, engine, null, { q: "okta", limit: 10, offset: 0 });
    const article = page.items.find((i) => i.key === `article:${ids.public}`)!;
    expect(article).toMatchObject({ type: "article", url: `/kb/${ids.collectionSlug}/setting-up-single-sign-on-with-okta`, answerCount: null });
    expect(article.titleHtml).toContain("<mark>");
    expect(isSafeHighlight(article.titleHtml)).toBe(true);
    const question = page.items.find((i) => i.key === `question:${ids.question}`)!;
    expect(question.url).toMatch(new RegExp(`^/questions/${ids.question}/`));
    expect(question.answerCount).toBe(0);
    expect(page.facets.types).toMatchObject({ article: 1, question: 1 });
  });

  it("filters by type and tag", async () => {
    const questions = await searchAsViewer(db, engine, null, { q: "single sign-on", types: ["question"], limit: 10, offset: 0 });
    expect(questions.items.map((i) => i.type)).toEqual(["question"]);
    const tagged = await searchAsViewer(db, engine, null, { q: "single sign-on", tag: "no-such-tag", limit: 10, offset: 0 });
    expect(tagged.items).toEqual([]);
  });

  it("drops hits the index still holds after the content was hidden or unpublished", async () => {
    await db.update(forumQuestions).set({ deletedAt: sql`now()` }).where(eq(forumQuestions.id, ids.question));
    await db.update(kbArticles).set({ status: "unpublished" }).where(eq(kbArticles.id, ids.public));
    try {
      // Not drained: the index is stale on purpose.
      expect(await keysFor(people().anonymous)).toEqual([]);
      expect(await resolveResultUrl(db, null, `question:${ids.question}`)).toBeNull();
      expect(await resolveResultUrl(db, null, `article:${ids.public}`)).toBeNull();
    } finally {
      await db.update(forumQuestions).set({ deletedAt: null }).where(eq(forumQuestions.id, ids.question));
      await db.update(kbArticles).set({ status: "published" }).where(eq(kbArticles.id, ids.public));
    }
  });

  it("resolves a click only to an item the viewer may see, by key", async () => {
    expect(await resolveResultUrl(db, null, `article:${ids.public}`)).toBe(`/kb/${ids.collectionSlug}/setting-up-single-sign-on-with-okta`);
    expect(await resolveResultUrl(db, null, `article:${ids.staffOnly}`)).toBeNull();
    expect(await resolveResultUrl(db, people().staff, `article:${ids.staffOnly}`)).not.toBeNull();
    expect(await resolveResultUrl(db, null, "https://evil.example/")).toBeNull();
    expect(await resolveResultUrl(db, null, "article:999999")).toBeNull();
  });

  it("answers an empty query with nothing, without asking the engine", async () => {
    expect(await searchAsViewer(db, engine, null, { q: "   ", limit: 10, offset: 0 })).toEqual({ items: [], total: 0, facets: { types: {}, tags: [] } });
  });
});

describe("synonyms", () => {
  it("makes a group's terms find each other after each change, and forgets them when deleted", async () => {
    const before = await keysFor(people().anonymous, "idp login");
    expect(before).not.toContain(`article:${ids.public}`);
    const id = await createSynonymGroup(db, { id: staff.id }, ["idp login", "okta"]);
    await applySynonyms(db, engine);
    expect(await keysFor(people().anonymous, "idp login")).toContain(`article:${ids.public}`);

    expect(await updateSynonymGroup(db, { id: member.id }, id, ["idp login", "certificate rotation"])).toBe(true);
    await applySynonyms(db, engine);
    expect(await keysFor(people().anonymous, "idp login")).toEqual([`question:${ids.question}`]);
    expect((await listSynonymGroups(db)).find((g) => g.id === id)).toMatchObject({ terms: ["idp login", "certificate rotation"], changedBy: member.displayName });

    expect(await deleteSynonymGroup(db, id)).toBe(true);
    expect(await deleteSynonymGroup(db, id)).toBe(false);
    await applySynonyms(db, engine);
    expect(await keysFor(people().anonymous, "idp login")).toEqual([]);
  });
});

describe("the highlight gate", () => {
  it("accepts escaped text with balanced marks and refuses anything else", () => {
    expect(isSafeHighlight("Set up <mark>SSO</mark> &amp; SAML &lt;b&gt;")).toBe(true);
    expect(isSafeHighlight("シングル<mark>サインオン</mark>")).toBe(true);
    for (const bad of ["<b>x</b>", "<mark>open", "</mark>", "<mark><mark>x</mark></mark>", "<MARK>x</MARK>", "<img src=x onerror=alert(1)>", "a & b", '<mark onclick="x">y</mark>']) {
      expect(isSafeHighlight(bad), bad).toBe(false);
    }
    expect(safeHighlight("<script>alert(1)</script>", "Fallback <title>")).toBe("Fallback &lt;title&gt;");
  });
});
