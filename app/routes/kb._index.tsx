import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { KbArticleList, type KbListLink } from "../components/kb/article-list";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { translate } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";
import { kbCollectionPath } from "../features/kb/paths";
import { listCollectionsWithArticles, listMostRead, listRecentlyUpdated, type KbArticleListItem } from "../features/kb/reads.server";
import { absoluteUrl } from "../features/kb/seo";

const PER_COLLECTION = 6;
const SIDE_LIST_LENGTH = 5;

/** Only what a list shows: loader data is sent twice (HTML and hydration JSON). */
function toLink(a: KbArticleListItem): KbListLink {
  return { path: a.path, title: a.title, locale: a.locale };
}

export async function loader({ context }: LoaderFunctionArgs) {
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const db = await getDb();
  // Three independent reads of one page, run side by side (no page-level read exists in the kb feature).
  const [collections, mostRead, recentlyUpdated] = await Promise.all([
    listCollectionsWithArticles(db, viewer, context.locale, { perCollection: PER_COLLECTION }),
    listMostRead(db, viewer, context.locale, SIDE_LIST_LENGTH),
    listRecentlyUpdated(db, viewer, context.locale, SIDE_LIST_LENGTH),
  ]);
  return json({
    collections: collections.map((c) => ({ slug: c.slug, name: c.name, description: c.description, articleCount: c.articleCount, articles: c.articles.map(toLink) })),
    mostRead: mostRead.map(toLink),
    recentlyUpdated: recentlyUpdated.map(toLink),
    canonical: absoluteUrl(getEnv().APP_URL, "/kb"), locale: context.locale });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const locale = data?.locale ?? "en";
  const title = `${translate(locale, "kb.title")} · Hearth`;
  const description = translate(locale, "kb.meta.description");
  return [
    { title },
    { name: "description", content: description },
    ...(data ? [{ tagName: "link", rel: "canonical", href: data.canonical }, { property: "og:url", content: data.canonical }] : []),
    { property: "og:type", content: "website" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
  ];
};

export default function KbHome() {
  const t = useT();
  const { collections, mostRead, recentlyUpdated } = useLoaderData<typeof loader>();
  return (
    <div className="page kb-home">
      <header className="kb-home-header">
        <h1>{t("kb.title")}</h1>
        <p className="lead">{t("kb.lead")}</p>
      </header>
      <div className="kb-home-grid">
        <section aria-labelledby="kb-collections-title" className="kb-collections">
          <h2 id="kb-collections-title" className="visually-hidden">
            {t("kb.collections")}
          </h2>
          {collections.length === 0 ? <p className="muted">{t("kb.empty")}</p> : null}
          {collections.map((c) => (
            <section key={c.slug} className="card kb-collection" aria-labelledby={`collection-${c.slug}`}>
              <h3 id={`collection-${c.slug}`}>
                <Link to={kbCollectionPath(c.slug)}>{c.name}</Link>
              </h3>
              {c.description ? <p className="muted">{c.description}</p> : null}
              <KbArticleList articles={c.articles} />
              {c.articleCount > c.articles.length ? (
                <p>
                  <Link to={kbCollectionPath(c.slug)}>{t("kb.viewAll", { count: c.articleCount })}</Link>
                </p>
              ) : null}
            </section>
          ))}
        </section>
        <aside className="kb-home-aside">
          <section aria-labelledby="kb-most-read">
            <h2 id="kb-most-read">{t("kb.mostRead")}</h2>
            <KbArticleList articles={mostRead} />
          </section>
          <section aria-labelledby="kb-recent">
            <h2 id="kb-recent">{t("kb.recentlyUpdated")}</h2>
            <KbArticleList articles={recentlyUpdated} />
          </section>
        </aside>
      </div>
    </div>
  );
}
