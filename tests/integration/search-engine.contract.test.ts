import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createEmbeddedSearchEngine } from "../../search/embedded";
import type {
  SearchDocType,
  SearchDocument,
  SearchEngine,
  SearchLocale,
  SearchQuery,
  SearchVisibility,
} from "../../search/engine";
import { createMeilisearchEngine } from "../../search/meilisearch";
import { createTestDb } from "../support/db";

/**
 * One behaviour, every engine: the embedded engine on the test database (PGlite, and the server in the
 * postgres project), and Meilisearch when MEILISEARCH_URL is set. Tests share one index per engine, so
 * each test searches for words only its own documents contain (random made-up words) or filters by its
 * own tag. The rebuild test replaces the whole index and therefore runs last.
 */

interface EngineUnderTest {
  name: string;
  open(): Promise<{ engine: SearchEngine; close(): Promise<void> }>;
}

const engines: EngineUnderTest[] = [
  {
    name: "embedded",
    async open() {
      const handle: DbHandle = await createTestDb();
      return { engine: createEmbeddedSearchEngine(handle.db), close: () => handle.close() };
    },
  },
];
const meilisearchUrl = process.env.MEILISEARCH_URL;
if (meilisearchUrl) {
  engines.push({
    name: "meilisearch",
    async open() {
      const engine = createMeilisearchEngine({
        url: meilisearchUrl,
        apiKey: process.env.MEILISEARCH_API_KEY,
        indexUid: `hearth_contract_${crypto.randomBytes(5).toString("hex")}`,
      });
      return { engine, close: async () => {} };
    },
  });
}

/** A made-up word no other test (and no dictionary) contains: lower-case letters only. */
function word(length = 9): string {
  const letters = "bcdfghjklmnpqrstvwxz";
  let out = "";
  for (const byte of crypto.randomBytes(length)) out += letters[byte % letters.length];
  return out;
}

let nextSourceId = 1;
let nextRevision = 1;

function doc(fields: Partial<SearchDocument> & { title: string }): SearchDocument {
  const type: SearchDocType = fields.type ?? "article";
  const sourceId = fields.sourceId ?? nextSourceId++;
  return {
    key: `${type}:${sourceId}`,
    type,
    sourceId,
    locale: "en",
    visibility: "public",
    tags: [],
    body: "",
    publishedAt: null,
    revision: nextRevision++,
    ...fields,
  };
}

const EVERYONE: readonly SearchVisibility[] = ["public", "customers", "staff"];

describe.each(engines)("search engine contract: $name", ({ open }) => {
  let engine: SearchEngine;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ engine, close } = await open());
    await engine.setup();
    // setup is idempotent: the app calls it at every start.
    await engine.setup();
  });
  afterAll(async () => {
    await close();
  });

  function search(q: string, options: Partial<Omit<SearchQuery, "q">> = {}) {
    return engine.search({ q, visibilities: EVERYONE, limit: 10, offset: 0, ...options });
  }
  async function keys(q: string, options: Partial<Omit<SearchQuery, "q">> = {}) {
    return (await search(q, options)).hits.map((hit) => hit.key);
  }

  it("ranks a title match above a tag match above a body match", async () => {
    const w = word();
    const inBody = doc({ title: "Release notes", body: `The ${w} setting moved to the admin area.` });
    const inTags = doc({ title: "Admin area", tags: [w], body: "Settings for administrators." });
    const inTitle = doc({ title: `Configuring ${w}`, body: "How to change it." });
    await engine.upsert([inBody, inTags, inTitle]);

    const response = await search(w);
    expect(response.hits.map((h) => h.key)).toEqual([inTitle.key, inTags.key, inBody.key]);
    expect(response.total).toBe(3);
    expect(response.hits[0]!.type).toBe("article");
    expect(response.hits[0]!.sourceId).toBe(inTitle.sourceId);
  });

  it("matches the last word as a prefix while typing, and only then", async () => {
    const w = word(10);
    const target = doc({ title: `Exporting ${w} reports`, body: "Download a CSV of every report." });
    await engine.upsert([target]);

    expect(await keys(w.slice(0, 6))).toContain(target.key);
    expect(await keys(`exporting ${w.slice(0, 5)}`)).toContain(target.key);
    expect(await keys(w.slice(0, 6), { prefix: false })).not.toContain(target.key);
  });

  it("finds a word typed with one typo (substitution, deletion, transposition)", async () => {
    const w = word(10);
    const target = doc({ title: `Rotating ${w} credentials`, body: "Rotate them every ninety days." });
    await engine.upsert([target]);

    const substituted = `${w.slice(0, 4)}${w[4] === "a" ? "e" : "a"}${w.slice(5)}`;
    const deleted = `${w.slice(0, 3)}${w.slice(4)}`;
    const transposed = `${w.slice(0, 4)}${w[5]}${w[4]}${w.slice(6)}`;
    for (const typo of [substituted, deleted, transposed]) {
      expect(await keys(`${typo} credentials`, { prefix: false }), typo).toContain(target.key);
    }
    // A typo in the word being typed still finds it.
    expect(await keys(`rotating ${substituted}`)).toContain(target.key);
  });

  it("when no document holds every word of a longer query, returns those holding all words but one", async () => {
    const w = word(10);
    const target = doc({ title: `Errors while writing ${w} files`, body: "Check the disk quota first." });
    await engine.upsert([target]);
    // "quokka" is nowhere near any indexed word, so no correction applies; one word of four may miss.
    expect(await keys(`errors while quokka ${w}`, { prefix: false })).toContain(target.key);
    // Two words are never relaxed to one.
    expect(await keys(`quokka ${w}`, { prefix: false })).toEqual([]);
  });

  it("finds Japanese text by a katakana word, its half-width form, and a question with particles", async () => {
    const tag = word();
    const success = doc({
      title: "カスタマーサクセスチームの紹介",
      locale: "ja",
      tags: [tag],
      body: "カスタマーサクセスは導入から定着までを支援します。",
    });
    const reset = doc({
      title: "パスワードのリセット方法",
      locale: "ja",
      tags: [tag],
      body: "ログイン画面の「パスワードを忘れた場合」からリセットできます。",
    });
    const halfWidth = doc({ title: "ｻﾎﾟｰﾄ窓口", locale: "ja", tags: [tag], body: "ｶｽﾀﾏｰｻｸｾｽ担当へ連絡してください。" });
    const unrelated = doc({ title: "請求書のダウンロード", locale: "ja", tags: [tag], body: "管理画面から請求書を取得します。" });
    await engine.upsert([success, reset, halfWidth, unrelated]);

    const byTag = { tags: [tag] };
    expect((await keys("カスタマーサクセス", byTag)).sort()).toEqual([success.key, halfWidth.key].sort());
    expect((await keys("ｶｽﾀﾏｰｻｸｾｽ", byTag)).sort()).toEqual([success.key, halfWidth.key].sort());
    expect(await keys("パスワードをリセットする方法", byTag)).toEqual([reset.key]);
    expect(await keys("請求書", byTag)).toEqual([unrelated.key]);
    expect(await keys("サポート", byTag)).toEqual([halfWidth.key]);

    const highlighted = await search("カスタマーサクセス", byTag);
    const first = highlighted.hits.find((h) => h.key === success.key)!;
    expect(first.titleHtml).toContain("<mark>カスタマーサクセス</mark>");
  });

  it("finds code identifiers whole and by their parts", async () => {
    const tag = word();
    const target = doc({
      title: "Null checks in the SDK",
      tags: [tag],
      body: "Call file.isNull() before reading, then getUserById(id); the option is max_retry_count.",
    });
    const other = doc({ title: "Users and files", tags: [tag], body: "A file belongs to a user." });
    await engine.upsert([target, other]);

    const byTag = { tags: [tag], prefix: false };
    for (const q of ["file.isNull()", "isNull", "getUserById", "getuserbyid", "max_retry_count", "retry count"]) {
      expect(await keys(q, byTag), q).toEqual([target.key]);
    }
  });

  it("filters by type, tag and language, and counts facets over all matches, not only the page", async () => {
    const w = word();
    const tagA = word();
    const tagB = word();
    const docs = [
      doc({ type: "article", title: `${w} one`, tags: [tagA, tagB] }),
      doc({ type: "article", title: `${w} two`, tags: [tagA] }),
      doc({ type: "question", title: `${w} three`, tags: [tagA] }),
      doc({ type: "webinar", title: `${w} four`, tags: [tagB], locale: "ja" }),
      doc({ type: "event", title: `${w} five`, tags: [] }),
    ];
    await engine.upsert(docs);

    const all = await search(w, { limit: 2 });
    expect(all.total).toBe(5);
    expect(all.hits).toHaveLength(2);
    expect(all.facets.types).toEqual({ article: 2, question: 1, webinar: 1, event: 1 });
    expect(all.facets.tags).toEqual([
      { tag: tagA, count: 3 },
      { tag: tagB, count: 2 },
    ]);

    expect((await keys(w, { types: ["article"] })).sort()).toEqual([docs[0]!.key, docs[1]!.key].sort());
    expect((await keys(w, { types: ["question", "event"] })).sort()).toEqual([docs[2]!.key, docs[4]!.key].sort());
    expect((await keys(w, { tags: [tagB] })).sort()).toEqual([docs[0]!.key, docs[3]!.key].sort());
    expect(await keys(w, { tags: [tagA, tagB] })).toEqual([docs[0]!.key]);
    const locales: SearchLocale[] = ["ja"];
    expect(await keys(w, { locales })).toEqual([docs[3]!.key]);

    const noFacets = await search(w, { facets: false });
    expect(noFacets.total).toBe(5);
  });

  it("never counts or returns documents the viewer may not see", async () => {
    const w = word();
    const open = doc({ title: `${w} for everyone`, visibility: "public" });
    const customers = doc({ title: `${w} for customers`, visibility: "customers" });
    const staff = doc({ title: `${w} staff runbook`, visibility: "staff", tags: [word()] });
    await engine.upsert([open, customers, staff]);

    const anonymous = await search(w, { visibilities: ["public"] });
    expect(anonymous.hits.map((h) => h.key)).toEqual([open.key]);
    expect(anonymous.total).toBe(1);
    expect(anonymous.facets.tags).toEqual([]);

    const member = await search(w, { visibilities: ["public", "customers"] });
    expect(member.hits.map((h) => h.key).sort()).toEqual([open.key, customers.key].sort());
    expect(member.total).toBe(2);

    expect((await search(w, { visibilities: ["public", "customers", "staff"] })).total).toBe(3);
    expect((await search(w, { visibilities: [] })).total).toBe(0);
  });

  it("pages through results with a stable total", async () => {
    const w = word();
    const docs = Array.from({ length: 7 }, (_, i) => doc({ title: `${w} page test ${i}` }));
    await engine.upsert(docs);

    const seen: string[] = [];
    for (const offset of [0, 3, 6]) {
      const page = await search(w, { limit: 3, offset });
      expect(page.total).toBe(7);
      seen.push(...page.hits.map((h) => h.key));
    }
    expect(seen.sort()).toEqual(docs.map((d) => d.key).sort());
    expect((await search(w, { limit: 3, offset: 9 })).hits).toEqual([]);
  });

  it("escapes titles and snippets and marks matched words with <mark> only", async () => {
    const w = word();
    const hostileTitle = `<img src=x onerror=alert(1)> ${w} & "friends"`;
    const longBody = `${"Lorem ipsum dolor sit amet. ".repeat(40)}Here the <script>alert("${w}")</script> appears. ${"Trailing words. ".repeat(40)}`;
    const target = doc({ title: hostileTitle, body: longBody });
    await engine.upsert([target]);

    const [hit] = (await search(w)).hits;
    expect(hit).toBeDefined();
    for (const html of [hit!.titleHtml, hit!.snippetHtml]) {
      expect(html).toContain(`<mark>${w}</mark>`);
      // Once the marks are gone, no markup remains.
      expect(html.replace(/<\/?mark>/gu, "")).not.toMatch(/[<>]/u);
    }
    expect(hit!.titleHtml).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(hit!.titleHtml).toContain("&amp;");
    // The snippet is a passage around the match, not the start of a long body.
    expect(hit!.snippetHtml.length).toBeLessThan(400);
    expect(hit!.snippetHtml).toContain("&lt;script&gt;");
  });

  it("indexes text holding NUL characters and lone surrogates (pasted binary, escaped test strings)", async () => {
    const w = word();
    const target = doc({ title: `${w} binary\u0000dump`, tags: [`t\u0000ag`], body: `bad \uD800 surrogate, \u0000 nul, ${w}` });
    await engine.upsert([target]);
    expect(await keys(w)).toEqual([target.key]);
  });

  it("ignores an upsert or removal older than the stored document", async () => {
    const w = word();
    const sourceId = nextSourceId++;
    const newer = doc({ sourceId, title: `${w} newer title`, revision: 50 });
    const older = doc({ sourceId, title: `${w} older title`, revision: 40 });
    await engine.upsert([newer]);
    await engine.upsert([older]);
    let hits = (await search(w)).hits;
    expect(hits.map((h) => h.titleHtml)).toEqual([`<mark>${w}</mark> newer title`]);

    await engine.remove([{ key: newer.key, revision: 45 }]);
    expect(await keys(w)).toEqual([newer.key]);

    // Within one batch the newest version wins too.
    const newest = doc({ sourceId, title: `${w} newest title`, revision: 60 });
    await engine.upsert([newest, doc({ sourceId, title: `${w} stale title`, revision: 55 })]);
    hits = (await search(w)).hits;
    expect(hits.map((h) => h.titleHtml)).toEqual([`<mark>${w}</mark> newest title`]);

    // After a removal, a late upsert of an older version does not bring the document back.
    await engine.remove([{ key: newer.key, revision: 70 }]);
    await engine.upsert([doc({ sourceId, title: `${w} late title`, revision: 65 })]);
    expect(await keys(w)).toEqual([]);
    await engine.upsert([doc({ sourceId, title: `${w} republished title`, revision: 80 })]);
    expect(await keys(w)).toEqual([newer.key]);
  });

  it("removes documents, and the count follows", async () => {
    const w = word();
    const keep = doc({ title: `${w} stays` });
    const drop = doc({ title: `${w} goes` });
    await engine.upsert([keep, drop]);
    const before = await engine.count();

    await engine.remove([{ key: drop.key, revision: drop.revision + 1 }]);
    expect(await keys(w)).toEqual([keep.key]);
    expect(await engine.count()).toBe(before - 1);
    // Removing what is not indexed is not an error.
    await engine.remove([{ key: "question:999999", revision: 1 }]);
  });

  it("expands staff-managed synonyms, including multi-word and Japanese ones", async () => {
    const tag = word();
    const acronym = doc({ title: "SSO setup for Okta", tags: [tag] });
    const spelled = doc({ title: "Single sign-on explained", tags: [tag] });
    const japanese = doc({ title: "シングルサインオンの設定", locale: "ja", tags: [tag] });
    const unrelated = doc({ title: "Single page apps sign off", tags: [tag] });
    await engine.upsert([acronym, spelled, japanese, unrelated]);

    const byTag = { tags: [tag], prefix: false };
    expect(await keys("sso", byTag)).toEqual([acronym.key]);

    await engine.setSynonyms([["SSO", "single sign-on", "シングルサインオン"]]);
    const group = [acronym.key, spelled.key, japanese.key].sort();
    expect((await keys("sso", byTag)).sort()).toEqual(group);
    expect((await keys("single sign-on", byTag)).sort()).toEqual(group);
    expect((await keys("シングルサインオン", byTag)).sort()).toEqual(group);

    await engine.setSynonyms([]);
    expect(await keys("sso", byTag)).toEqual([acronym.key]);
  });

  it("answers hostile queries without throwing", async () => {
    const nasty = [
      "",
      "   ",
      "'",
      '"',
      "\\",
      ":",
      "*",
      "&",
      "|",
      "!",
      "(",
      ")",
      "<->",
      "a:*",
      "foo & | bar",
      "!!!((()))",
      "' or 1=1 --",
      "'; drop table search_documents; --",
      "a <-> <-> b",
      "foo:A*",
      "\\'\\\\",
      "x".repeat(10_000),
      "word ".repeat(2_000),
      "😀🎉 emoji 🧪",
      "nul\u0000byte",
      "\u0000",
      "\uFFFD\uD800",
      "ｶｽﾀﾏｰ' & !",
      "%_%",
    ];
    for (const q of nasty) {
      const response = await search(q);
      expect(Array.isArray(response.hits), JSON.stringify(q.slice(0, 20))).toBe(true);
      expect(response.total).toBeGreaterThanOrEqual(0);
    }
    expect(await search("")).toEqual({ hits: [], total: 0, facets: { types: {}, tags: [] } });
  });

  // Replaces the whole index: keep this test last.
  it("rebuilds into a new index while search keeps answering from the old one", async () => {
    const w = word();
    const old = doc({ title: `${w} before rebuild` });
    await engine.upsert([old]);

    const rebuild = await engine.beginRebuild();
    const rebuilt = doc({ title: `${w} after rebuild` });
    await rebuild.upsert([rebuilt]);
    expect(await keys(w)).toEqual([old.key]);

    // A change made during the rebuild reaches both the old and the new index.
    const during = doc({ title: `${w} written during rebuild` });
    await engine.upsert([during]);
    expect((await keys(w)).sort()).toEqual([old.key, during.key].sort());

    await rebuild.commit();
    expect((await keys(w)).sort()).toEqual([rebuilt.key, during.key].sort());
    expect(await engine.count()).toBe(2);

    const aborted = await engine.beginRebuild();
    await aborted.upsert([doc({ title: `${w} never live` })]);
    await aborted.abort();
    expect((await keys(w)).sort()).toEqual([rebuilt.key, during.key].sort());
    expect(await engine.count()).toBe(2);
  });
});
