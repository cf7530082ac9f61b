import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { LOCALES } from "../features/i18n/locale";
import { translate, type MessageKey } from "../features/i18n/messages";
import { listFeedEntries } from "../features/kb/reads.server";
import { absoluteUrl, escapeXml } from "../features/kb/seo";

const FEED_LENGTH = 50;

/**
 * One feed carries articles in every language (each entry says which with xml:lang) and a feed reader
 * shows one title whoever subscribes, so the feed's own texts name it in every language: "English / 日本語".
 */
const inEveryLocale = (key: MessageKey) => LOCALES.map((locale) => translate(locale, key)).join(" / ");

/** Atom feed of new and updated public articles (public only: feed readers never sign in). */
export async function loader(_args: LoaderFunctionArgs) {
  const appUrl = getEnv().APP_URL;
  const entries = await listFeedEntries(await getDb(), FEED_LENGTH);
  const feedUrl = absoluteUrl(appUrl, "/kb/feed.xml");
  const host = new URL(appUrl).hostname;
  // An empty feed still needs an <updated>; the epoch says "nothing yet" without changing on every request.
  const updated = (entries[0]?.updatedAt ?? new Date(0)).toISOString();
  const body = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `<id>${escapeXml(feedUrl)}</id>`,
    `<title>${escapeXml(inEveryLocale("kb.feedTitle"))}</title>`,
    `<subtitle>${escapeXml(inEveryLocale("kb.feedSubtitle"))}</subtitle>`,
    `<updated>${updated}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(feedUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(appUrl, "/kb"))}"/>`,
    `<author><name>Hearth</name></author>`,
    ...entries.map((e) => {
      const url = absoluteUrl(appUrl, e.path);
      return [
        `<entry xml:lang="${e.locale}">`,
        // A tag URI on the article id: stable when the title or slug (and so the URL) changes.
        `<id>${escapeXml(`tag:${host},2026:kb-article-${e.id}`)}</id>`,
        `<title>${escapeXml(e.title)}</title>`,
        `<link rel="alternate" type="text/html" href="${escapeXml(url)}"/>`,
        e.publishedAt ? `<published>${e.publishedAt.toISOString()}</published>` : "",
        `<updated>${e.updatedAt.toISOString()}</updated>`,
        `<summary>${escapeXml(e.summary)}</summary>`,
        `</entry>`,
      ].join("");
    }),
    `</feed>`,
  ].join("\n");
  return new Response(body, {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=600" },
  });
}
