import crypto from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { KbArticleList } from "../components/kb/article-list";
import { KbBreadcrumbs } from "../components/kb/breadcrumbs";
import { KbFeedbackForm } from "../components/kb/feedback-form";
import { useNonce } from "../components/nonce";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { getMyFeedback, giveFeedback } from "../features/kb/engagement.server";
import { countArticleView } from "../features/kb/view-buffer.server";
import { feedbackSchema, KB_SLUG_PATTERN } from "../features/kb/kb.schema";
import { kbCollectionPath } from "../features/kb/paths";
import { cachedRead } from "../features/cache/content-cache.server";
import { getArticleBySlug, getTranslations, readableVisibilities, type Viewer } from "../features/kb/reads.server";
import { listRelated } from "../features/kb/related.server";
import { absoluteUrl, articleJsonLd, jsonForScript } from "../features/kb/seo";

const paramsSchema = z.object({
  collection: z.string().max(120).regex(KB_SLUG_PATTERN),
  slug: z.string().max(120).regex(KB_SLUG_PATTERN),
});
const feedbackQuerySchema = z.enum(["yes", "no"]).nullable().catch(null);

/** Crawlers and link unfurlers are not readers: their requests are not counted as views. */
const BOT_USER_AGENT = /bot|crawler|spider|preview/i;
/**
 * A random id for a signed-out reader, so views and feedback are deduplicated without an account.
 * Only its hash is stored (see engagement.server.ts); HttpOnly because no script needs it.
 */
const ANON_COOKIE = "hearth_anon";
const ANON_COOKIE_PATTERN = /(?:^|;\s*)hearth_anon=([A-Za-z0-9_-]{16,64})(?:;|$)/;
const RELATED_LIMIT = 5;

function anonymousKeyOf(request: Request): string | null {
  return ANON_COOKIE_PATTERN.exec(request.headers.get("Cookie") ?? "")?.[1] ?? null;
}

function anonymousCookie(key: string, secure: boolean): string {
  return `${ANON_COOKIE}=${key}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${secure ? "; Secure" : ""}`;
}

function viewerOf(user: { id: number; role: NonNullable<Viewer>["role"] } | null): Viewer {
  return user ? { id: user.id, role: user.role } : null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const db = await getDb();
  const viewer = viewerOf(context.user);
  const { collection, slug } = parsed.data;
  // Everything but the reader's own feedback depends only on what their visibility level may read, so it
  // is shared by all readers of that level until the knowledge base changes (page-cache.server.ts).
  const page = await cachedRead(db, "kb", `article:${readableVisibilities(viewer).join(",")}:${collection}/${slug}`, async () => {
    const result = await getArticleBySlug(db, viewer, collection, slug);
    if (!result || "redirectTo" in result) return { result, translations: [], related: [] };
    const [translations, related] = await Promise.all([
      getTranslations(db, viewer, result),
      listRelated(db, viewer, { ...result, collectionId: result.collection.id }, RELATED_LIMIT),
    ]);
    return { result, translations, related };
  });
  if (!page.result) throw new Response("Not found", { status: 404 });
  if ("redirectTo" in page.result) throw redirect(page.result.redirectTo, 301);
  const article = page.result;
  const { translations, related } = page;

  const isBot = BOT_USER_AGENT.test(request.headers.get("User-Agent") ?? "");
  let anonymousKey = viewer ? null : anonymousKeyOf(request);
  const headers = new Headers();
  if (!viewer && !anonymousKey && !isBot) {
    anonymousKey = crypto.randomBytes(18).toString("base64url");
    headers.append("Set-Cookie", anonymousCookie(anonymousKey, new URL(getEnv().APP_URL).protocol === "https:"));
  }
  const [myFeedback] = await Promise.all([
    viewer ? getMyFeedback(db, viewer.id, article.id) : null,
    isBot ? null : countArticleView(db, { articleId: article.id, userId: viewer?.id ?? null, anonymousKey }),
  ]);

  const appUrl = getEnv().APP_URL;
  const canonical = absoluteUrl(appUrl, article.path);
  const justVoted = feedbackQuerySchema.parse(new URL(request.url).searchParams.get("feedback"));
  return json(
    {
      article: {
        id: article.id,
        title: article.title,
        description: article.description,
        locale: article.locale,
        // Sent once as HTML and once in the hydration JSON; acceptable for one article (see DESIGN.md).
        bodyHtml: article.bodyHtml,
        toc: article.toc,
        readingMinutes: article.readingMinutes,
        updatedAt: article.updatedAt,
        tags: article.tags.map((tag) => tag.name),
        credit: article.credit?.displayName ?? null,
        visibility: article.visibility,
        collection: { path: kbCollectionPath(article.collection.slug), name: context.locale === "ja" ? article.collection.nameJa : article.collection.nameEn },
      },
      translations: translations.map((tr) => ({ locale: tr.locale, path: tr.path, title: tr.title, url: absoluteUrl(appUrl, tr.path) })),
      related: related.map((a) => ({ path: a.path, title: a.title, locale: a.locale })),
      answered: justVoted ?? (myFeedback ? (myFeedback.helpful ? "yes" : "no") : null),
      canonical,
      isPublic: article.visibility === "public",
      jsonLd: jsonForScript(
        articleJsonLd({
          url: canonical,
          title: article.title,
          description: article.description,
          locale: article.locale,
          publishedAt: article.publishedAt,
          updatedAt: article.updatedAt,
          tags: article.tags.map((tag) => tag.name),
        }),
      ),
    },
    { headers },
  );
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const parsedParams = paramsSchema.safeParse(params);
  if (!parsedParams.success) throw new Response("Not found", { status: 404 });
  const viewer = viewerOf(context.user);
  const formData = await request.formData();
  const submission = parseForm(formData, feedbackSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await giveFeedback(await getDb(), viewer, { ...submission.data, anonymousKey: viewer ? null : anonymousKeyOf(request) });
  if (!result.ok) {
    if ("reason" in result) throw new Response("Not found", { status: 404 });
    return invalidForm(result.fieldErrors, Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)])));
  }
  // Redirect after POST; the query tells the page to thank the reader (anonymous answers are not readable back).
  const path = `/kb/${parsedParams.data.collection}/${parsedParams.data.slug}`;
  return redirect(`${path}?feedback=${submission.data.helpful ? "yes" : "no"}#feedback`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const { article, canonical } = data;
  const title = `${article.title} · Hearth`;
  return [
    { title },
    { name: "description", content: article.description },
    { tagName: "link", rel: "canonical", href: canonical },
    // Signed-in-only and staff-only pages must not be indexed even if a crawler reaches them signed in.
    ...(data.isPublic ? [] : [{ name: "robots", content: "noindex" }]),
    { tagName: "link", rel: "alternate", hrefLang: article.locale, href: canonical },
    ...data.translations.map((tr) => ({ tagName: "link", rel: "alternate", hrefLang: tr.locale, href: tr.url })),
    { property: "og:type", content: "article" },
    { property: "og:title", content: article.title },
    { property: "og:description", content: article.description },
    { property: "og:url", content: canonical },
    { property: "og:site_name", content: "Hearth" },
    { property: "og:locale", content: article.locale === "ja" ? "ja_JP" : "en_US" },
    { property: "article:modified_time", content: new Date(article.updatedAt).toISOString() },
  ];
};

export default function KbArticlePage() {
  const t = useT();
  const nonce = useNonce();
  const { date } = useFormatDateTime();
  const { article, translations, related, answered, jsonLd } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formState = actionData && "errors" in actionData ? actionData : undefined;
  const askUrl = `/questions/ask?${new URLSearchParams({ articleId: String(article.id), title: article.title })}`;
  return (
    <div className="page kb-article-page">
      <script
        type="application/ld+json"
        nonce={nonce}
        // The browser drops the nonce attribute after parsing, so the client never matches it.
        suppressHydrationWarning
        dangerouslySetInnerHTML={{ __html: jsonLd }}
      />
      <KbBreadcrumbs trail={[{ to: article.collection.path, label: article.collection.name }]} />
      {/* One grid: header, contents, body and footer are placed by kb.css (TOC beside the body on wide screens, under the title on phones). */}
      <article className="kb-article-layout" aria-labelledby="article-title">
          <header className="kb-article-header">
            <h1 id="article-title" lang={article.locale}>
              {article.title}
            </h1>
            <p className="kb-article-meta muted">
              <span>{t("kb.updated", { date: date(article.updatedAt) })}</span>
              <span aria-hidden="true"> · </span>
              <span>{t("kb.readingTime", { minutes: article.readingMinutes })}</span>
              {article.visibility !== "public" ? (
                <>
                  <span aria-hidden="true"> · </span>
                  <span className="badge">{t(article.visibility === "staff" ? "kb.visibleTo.staff" : "kb.visibleTo.customers")}</span>
                </>
              ) : null}
            </p>
            {translations.length ? (
              <p className="kb-translations">
                {translations.map((tr) => (
                  <Link key={tr.locale} to={tr.path} hrefLang={tr.locale} className="kb-translation-link">
                    {t(`kb.alsoIn.${tr.locale}`)}
                  </Link>
                ))}
              </p>
            ) : null}
          </header>
          <div className="kb-article-body">
            {/* Sanitized with an allow-list when it was saved (features/markdown); never rendered per request. */}
            <div className="prose" lang={article.locale} dangerouslySetInnerHTML={{ __html: article.bodyHtml }} />
            {article.credit ? <p className="muted">{t("kb.creditedTo", { name: article.credit })}</p> : null}
            {article.tags.length ? (
              <ul className="kb-tags" aria-label={t("kb.tags")}>
                {article.tags.map((tag) => (
                  <li key={tag} className="badge" lang={article.locale}>
                    {tag}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        {article.toc.length ? (
          <nav className="kb-toc" aria-labelledby="toc-title">
            <h2 id="toc-title">{t("kb.toc")}</h2>
            <ol>
              {article.toc.map((entry) => (
                <li key={entry.id} className={entry.depth === 3 ? "kb-toc-sub" : undefined}>
                  <a href={`#${entry.id}`}>{entry.text}</a>
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <div className="kb-article-footer">
          <KbFeedbackForm articleId={article.id} answered={answered} state={formState} />
          <section className="kb-stuck" aria-labelledby="stuck-title">
            <h2 id="stuck-title">{t("kb.stillStuck")}</h2>
            <a className="button button-secondary" href={askUrl}>
              {t("kb.askCommunity")}
            </a>
          </section>
          {related.length ? (
            <section className="kb-related" aria-labelledby="related-title">
              <h2 id="related-title">{t("kb.related")}</h2>
              <KbArticleList articles={related} />
            </section>
          ) : null}
        </div>
      </article>
    </div>
  );
}
