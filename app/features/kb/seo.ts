import type { Locale } from "../../../db/schema/identity";

// Pure builders for the kb pages' SEO: canonical URLs, schema.org JSON-LD, and the escaping that keeps
// stored text from breaking out of a <script> or an XML document. No server-only imports: the article
// route's meta and component use these in the browser too.

/** An absolute URL on this site: APP_URL (read by the loader from getEnv) joined with a path. */
export function absoluteUrl(appUrl: string, path: string): string {
  return new URL(path, appUrl.endsWith("/") ? appUrl : `${appUrl}/`).toString();
}

export interface ArticleJsonLdInput {
  url: string;
  title: string;
  description: string;
  locale: Locale;
  publishedAt: string | Date | null;
  updatedAt: string | Date;
  tags: string[];
}

const ORGANIZATION = { "@type": "Organization", name: "Hearth" } as const;

/** schema.org Article for an article page. */
export function articleJsonLd(input: ArticleJsonLdInput): Record<string, unknown> {
  const modified = new Date(input.updatedAt).toISOString();
  return {
    "@context": "https://schema.org",
    "@type": "Article",
    headline: input.title,
    description: input.description,
    inLanguage: input.locale,
    datePublished: input.publishedAt ? new Date(input.publishedAt).toISOString() : modified,
    dateModified: modified,
    mainEntityOfPage: input.url,
    url: input.url,
    ...(input.tags.length ? { keywords: input.tags.join(", ") } : {}),
    author: ORGANIZATION,
    publisher: ORGANIZATION,
  };
}

/**
 * JSON for inside <script type="application/ld+json">: every `<` (and the line separators JavaScript
 * parsers reject) escaped, so a title containing `</script>` or `<!--` cannot end the element. The
 * result is still the same JSON to any parser.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Text or attribute content for XML (sitemap, Atom). Also drops characters XML 1.0 forbids. */
export function escapeXml(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
