import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { listGroupPathsForSitemap, listPublicEventsForSitemap } from "../features/events/reads.server";
import { listPublicQuestionsForSitemap } from "../features/forum/reads.server";
import { listCollectionsWithArticles, listPublicArticlesForSitemap } from "../features/kb/reads.server";
import { kbCollectionPath } from "../features/kb/paths";
import { absoluteUrl, escapeXml } from "../features/kb/seo";

interface SitemapUrl {
  path: string;
  lastmod?: Date;
  alternates?: ReadonlyArray<{ locale: string; path: string }>;
}

/**
 * Every public page, read as an anonymous visitor so nothing that needs signing in can appear. Later
 * sections (questions, webinars, events) add their own read here.
 */
export async function loader(_args: LoaderFunctionArgs) {
  const db = await getDb();
  const appUrl = getEnv().APP_URL;
  const [collections, articles, questions, eventPages, groupPages] = await Promise.all([
    listCollectionsWithArticles(db, null, "en", { perCollection: 1 }),
    listPublicArticlesForSitemap(db),
    listPublicQuestionsForSitemap(db),
    listPublicEventsForSitemap(db),
    listGroupPathsForSitemap(db),
  ]);
  const urls: SitemapUrl[] = [
    { path: "/" },
    { path: "/kb" },
    ...collections.map((c) => ({ path: kbCollectionPath(c.slug) })),
    ...articles.map((a) => ({ path: a.path, lastmod: a.updatedAt, alternates: a.alternates.length ? [{ locale: a.locale, path: a.path }, ...a.alternates] : [] })),
    { path: "/questions" },
    ...questions.map((q) => ({ path: q.path, lastmod: q.lastmod })),
    { path: "/webinars" },
    { path: "/events" },
    ...eventPages,
    { path: "/groups" },
    ...groupPages,
  ];
  const body = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`,
    ...urls.map((u) =>
      [
        `<url><loc>${escapeXml(absoluteUrl(appUrl, u.path))}</loc>`,
        u.lastmod ? `<lastmod>${u.lastmod.toISOString()}</lastmod>` : "",
        ...(u.alternates ?? []).map((alt) => `<xhtml:link rel="alternate" hreflang="${escapeXml(alt.locale)}" href="${escapeXml(absoluteUrl(appUrl, alt.path))}"/>`),
        `</url>`,
      ].join(""),
    ),
    `</urlset>`,
  ].join("\n");
  return new Response(body, {
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
