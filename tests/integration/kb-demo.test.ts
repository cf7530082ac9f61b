import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { DEMO_LOGINS, seedDemo } from "../../db/seed";
import { getDemoKnowledgeBaseAuthorId, seedDemoKnowledgeBase } from "../../app/features/kb/demo.server";
import {
  getArticleBySlug,
  getTranslations,
  listCollectionsWithArticles,
  listPublicArticlesForSitemap,
  listReviewQueue,
  type Viewer,
} from "../../app/features/kb/reads.server";
import { absoluteUrl, articleJsonLd, escapeXml, jsonForScript } from "../../app/features/kb/seo";
import { createTestDb } from "../support/db";
import { createUser } from "../../db/factories";

let handle: DbHandle;
let staff: Viewer;
let member: Viewer;

beforeAll(async () => {
  handle = await createTestDb();
  // Any hash will do: these tests never sign in.
  await seedDemo(handle.db, { passwordHash: "x" });
  const authorId = await getDemoKnowledgeBaseAuthorId(handle.db);
  if (authorId === null) throw new Error("demo admin missing");
  await seedDemoKnowledgeBase(handle.db, { authorId });
  const m = await createUser(handle.db, { role: "member" });
  member = { id: m.id, role: m.role };
  staff = { id: authorId, role: "admin" };
});
afterAll(async () => {
  await handle.close();
});

const slugsOf = (collections: Awaited<ReturnType<typeof listCollectionsWithArticles>>) => collections.flatMap((c) => c.articles.map((a) => a.slug));

describe("demo knowledge base", () => {
  it("finds the demo admin as its author", async () => {
    const id = await getDemoKnowledgeBaseAuthorId(handle.db);
    expect(id).toBe(staff!.id);
    expect(DEMO_LOGINS.some((l) => l.role === "admin")).toBe(true);
  });

  it("shows anonymous readers the three collections with public articles only", async () => {
    const collections = await listCollectionsWithArticles(handle.db, null, "en");
    expect(collections.map((c) => c.name)).toEqual(["Getting started", "Billing", "Integrations"]);
    const slugs = slugsOf(collections);
    expect(slugs).toContain("set-up-single-sign-on");
    expect(slugs).not.toContain("download-invoices");
    expect(slugs).not.toContain("integration-escalation-playbook");
    expect(await getArticleBySlug(handle.db, null, "billing", "download-invoices")).toBeNull();
  });

  it("shows members the customers-only article but not the staff-only one", async () => {
    const slugs = slugsOf(await listCollectionsWithArticles(handle.db, member, "en"));
    expect(slugs).toContain("download-invoices");
    expect(slugs).not.toContain("integration-escalation-playbook");
    expect(await getArticleBySlug(handle.db, member, "integrations", "integration-escalation-playbook")).toBeNull();
  });

  it("shows staff every article", async () => {
    const article = await getArticleBySlug(handle.db, staff, "integrations", "integration-escalation-playbook");
    expect(article && "title" in article ? article.title : null).toBe("Escalation playbook for integration incidents");
  });

  it("prefers Japanese versions for Japanese readers and links translations", async () => {
    const collections = await listCollectionsWithArticles(handle.db, null, "ja");
    expect(collections[0]!.name).toBe("はじめに");
    expect(slugsOf(collections)).toContain("set-up-single-sign-on-ja");
    // An article without a translation still shows, in English.
    expect(slugsOf(collections)).toContain("receive-webhooks");
    const sso = await getArticleBySlug(handle.db, null, "integrations", "set-up-single-sign-on");
    if (!sso || !("title" in sso)) throw new Error("sso article missing");
    expect(sso.toc.map((e) => e.text)).toContain("Before you start");
    expect(sso.bodyHtml).toContain("<table");
    expect(sso.bodyHtml).toContain("callout");
    const translations = await getTranslations(handle.db, null, sso);
    expect(translations.map((t) => t.locale)).toEqual(["ja"]);
  });

  it("keeps non-public articles out of the sitemap and puts one article in the review queue", async () => {
    const paths = (await listPublicArticlesForSitemap(handle.db)).map((e) => e.path);
    expect(paths).toContain("/kb/getting-started/welcome-to-hearth");
    expect(paths).not.toContain("/kb/billing/download-invoices");
    expect(paths).not.toContain("/kb/integrations/integration-escalation-playbook");
    const queue = await listReviewQueue(handle.db, { dueBefore: new Date().toISOString().slice(0, 10) });
    expect(queue.map((q) => q.title)).toEqual(["Update your payment method"]);
  });
});

describe("kb SEO builders", () => {
  it("keeps a title with </script> from breaking out of the JSON-LD script", () => {
    const ld = articleJsonLd({ url: "https://x.example/kb/a/b", title: "</script><script>alert(1)</script>", description: "d", locale: "en", publishedAt: null, updatedAt: new Date(0), tags: [] });
    const text = jsonForScript(ld);
    expect(text).not.toContain("<");
    expect(JSON.parse(text)).toMatchObject({ headline: "</script><script>alert(1)</script>", author: { "@type": "Organization", name: "Hearth" } });
  });

  it("escapes XML text and builds absolute URLs from APP_URL", () => {
    expect(escapeXml(`a<b & "c" 'd'>\u0001`)).toBe("a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
    expect(absoluteUrl("https://hearth.example", "/kb/x")).toBe("https://hearth.example/kb/x");
    expect(absoluteUrl("https://hearth.example/", "/kb")).toBe("https://hearth.example/kb");
  });
});
