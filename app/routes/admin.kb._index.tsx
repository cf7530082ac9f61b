import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { articleListQuerySchema } from "../features/kb/admin-forms.schema";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { formatCalendarDate } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";
import { KB_ARTICLE_STATUSES, LOCALES } from "../features/kb/kb.schema";
import { listArticlesForAdmin, listCollections } from "../features/kb/reads.server";

export const meta = adminMeta("adminKb.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbAdminStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const query = articleListQuerySchema.parse(queryValues(request.url));
  const db = await getDb();
  // The collection select needs the list of collections beside the page of articles.
  const [articles, collections] = await Promise.all([
    listArticlesForAdmin(db, { collectionId: query.collection, status: query.status, locale: query.locale, q: query.q, page: query.page }),
    listCollections(db),
  ]);
  return json({ articles, collections: collections.map(({ id, nameEn, nameJa }) => ({ id, nameEn, nameJa })), query });
}

export default function KbArticles() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { articles, collections, query } = useLoaderData<typeof loader>();
  const collectionName = new Map(collections.map((c) => [c.id, locale === "ja" ? c.nameJa : c.nameEn]));
  return (
    <section aria-labelledby="kb-title">
      <h1 id="kb-title">{t("adminKb.title")}</h1>
      <KbSubnav />
      <p>
        <Link to="/admin/kb/new" className="button">
          {t("adminKb.newArticle")}
        </Link>
      </p>
      <Form method="get" className="toolbar" role="search" aria-label={t("adminKb.list.filters")}>
        <label>
          {t("adminKb.list.search")} <input type="search" name="q" defaultValue={query.q ?? ""} maxLength={200} />
        </label>
        <label>
          {t("adminKb.col.collection")}{" "}
          <select name="collection" defaultValue={query.collection ? String(query.collection) : ""}>
            <option value="">{t("adminKb.list.anyCollection")}</option>
            {collections.map((c) => (
              <option key={c.id} value={c.id}>
                {collectionName.get(c.id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("adminKb.col.status")}{" "}
          <select name="status" defaultValue={query.status ?? ""}>
            <option value="">{t("adminKb.list.anyStatus")}</option>
            {KB_ARTICLE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`kb.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("adminKb.col.language")}{" "}
          <select name="locale" defaultValue={query.locale ?? ""}>
            <option value="">{t("adminKb.list.anyLanguage")}</option>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {t(`adminKb.language.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-secondary">
          {t("adminKb.list.apply")}
        </button>
      </Form>
      <p className="muted">{t("adminKb.list.count", { count: articles.total })}</p>
      {articles.items.length === 0 ? (
        <p>{t("adminKb.list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("adminKb.tab.articles")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminKb.col.title")}</th>
                <th scope="col">{t("adminKb.col.status")}</th>
                <th scope="col">{t("adminKb.col.collection")}</th>
                <th scope="col">{t("adminKb.col.language")}</th>
                <th scope="col">{t("adminKb.col.visibility")}</th>
                <th scope="col">{t("adminKb.col.owner")}</th>
                <th scope="col">{t("adminKb.col.reviewBy")}</th>
                <th scope="col">{t("adminKb.col.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {articles.items.map((a) => (
                <tr key={a.id}>
                  <th scope="row" lang={a.locale}>
                    <Link to={`/admin/kb/${a.id}`}>{a.title}</Link>
                  </th>
                  <td>
                    <span className={a.status === "published" ? "badge badge-ok" : "badge"}>{t(`kb.status.${a.status}`)}</span>
                  </td>
                  <td>{collectionName.get(a.collectionId) ?? a.collectionSlug}</td>
                  <td>{t(`adminKb.language.${a.locale}`)}</td>
                  <td>{t(`kb.visibility.${a.visibility}`)}</td>
                  <td>{a.ownerName ?? t("admin.none")}</td>
                  <td>{a.reviewBy ? formatCalendarDate(a.reviewBy, locale) : t("admin.none")}</td>
                  <td>{dateTime(a.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={articles.page} pageCount={articles.pageCount} />
    </section>
  );
}
