import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import adminSearchStyles from "../components/search/admin-search.css";
import { AdminSearchSubnav } from "../components/search/admin-search-subnav";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { formatNumber } from "../features/i18n/format";
import type { MessageKey } from "../features/i18n/messages";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";
import { getSearchAnalytics, listAccountsForFilter, type CountedQuery, type QueryStat } from "../features/search/analytics.server";
import { ANALYTICS_LIST_LIMIT, ANALYTICS_PERIODS, analyticsQuerySchema } from "../features/search/search.schema";

export const meta = adminMeta("search.admin.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminSearchStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "search.manage");
  const query = analyticsQuerySchema.parse(queryValues(request.url));
  const db = await getDb();
  const [report, accounts] = await Promise.all([getSearchAnalytics(db, { days: query.days, accountId: query.account }), listAccountsForFilter(db)]);
  return json({ report, accounts }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function AdminSearchAnalytics() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { report, accounts } = useLoaderData<typeof loader>();
  const n = (value: number) => formatNumber(value, locale);
  const totals = report.totals;
  const stats: Array<{ label: MessageKey; value: number; testId: string }> = [
    { label: "search.admin.total.searches", value: totals.searches, testId: "searches" },
    { label: "search.admin.total.distinct", value: totals.distinctQueries, testId: "distinct" },
    { label: "search.admin.total.clicked", value: totals.clickedSearches, testId: "clicked" },
    { label: "search.admin.total.zero", value: totals.zeroResultSearches, testId: "zero" },
    { label: "search.admin.total.noClick", value: totals.noClickSearches, testId: "no-click" },
    { label: "search.admin.total.followed", value: totals.followedByQuestion, testId: "followed" },
    { label: "search.admin.total.deflections", value: totals.deflections, testId: "deflections" },
  ];
  return (
    <section aria-labelledby="search-analytics-title">
      <h1 id="search-analytics-title">{t("search.admin.title")}</h1>
      <AdminSearchSubnav />
      <p className="muted">{t("search.admin.lead")}</p>
      <form method="get" className="toolbar" aria-label={t("search.admin.filters")}>
        <div className="field">
          <label htmlFor="days">{t("search.admin.period")}</label>
          <select id="days" name="days" defaultValue={String(report.days)}>
            {ANALYTICS_PERIODS.map((days) => (
              <option key={days} value={days}>
                {t("search.admin.days", { days })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="account">{t("search.admin.account")}</label>
          <select id="account" name="account" defaultValue={report.accountId ? String(report.accountId) : ""}>
            <option value="">{t("search.admin.allAccounts")}</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t("search.admin.apply")}
        </button>
      </form>

      <h2 className="visually-hidden">{t("search.admin.summary")}</h2>
      <dl className="search-stats">
        {stats.map((s) => (
          <div key={s.label} data-testid={`stat-${s.testId}`}>
            <dt>{t(s.label)}</dt>
            <dd>{n(s.value)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted">{t("search.admin.deflectionsHint")}</p>

      {totals.searches === 0 ? (
        <p>{t("search.admin.empty")}</p>
      ) : (
        <div className="search-report-grid">
          <TopQueries rows={report.topQueries} total={totals.distinctQueries} />
          <QueryList id="zero" title="search.admin.zero.title" lead="search.admin.zero.lead" rows={report.zeroResults} />
          <QueryList id="no-click" title="search.admin.noClick.title" lead="search.admin.noClick.lead" rows={report.noClicks} />
          <QueryList id="followed" title="search.admin.followed.title" lead="search.admin.followed.lead" rows={report.followedByQuestion} />
        </div>
      )}
    </section>
  );
}

// Plain text, not a link to /search: a staff member checking a query would log a search of their own.
function QueryLink({ query }: { query: string }) {
  return <span className="search-query-text">{query}</span>;
}

function TopQueries({ rows, total }: { rows: QueryStat[]; total: number }) {
  const t = useT();
  const { locale } = useViewerI18n();
  return (
    <section className="section search-report-wide" aria-labelledby="search-top-title">
      <h2 id="search-top-title">{t("search.admin.top.title")}</h2>
      <p className="muted">{t("search.admin.showing", { shown: Math.min(rows.length, ANALYTICS_LIST_LIMIT), total: formatNumber(total, locale) })}</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t("search.admin.col.query")}</th>
              <th scope="col" className="num">
                {t("search.admin.col.searches")}
              </th>
              <th scope="col" className="num">
                {t("search.admin.col.avgResults")}
              </th>
              <th scope="col" className="num">
                {t("search.admin.col.ctr")}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.query}>
                <th scope="row">
                  <QueryLink query={row.query} />
                </th>
                <td className="num">{formatNumber(row.searches, locale)}</td>
                <td className="num">{formatNumber(row.avgResults, locale)}</td>
                <td className="num">{t("search.admin.percent", { percent: Math.round(row.clickThrough * 100) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function QueryList({ id, title, lead, rows }: { id: string; title: MessageKey; lead: MessageKey; rows: CountedQuery[] }) {
  const t = useT();
  const { locale } = useViewerI18n();
  return (
    <section className="section" aria-labelledby={`search-${id}-title`} data-testid={`list-${id}`}>
      <h2 id={`search-${id}-title`}>{t(title)}</h2>
      <p className="muted">{t(lead)}</p>
      {rows.length === 0 ? (
        <p>{t("search.admin.listEmpty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t("search.admin.col.query")}</th>
                <th scope="col" className="num">
                  {t("search.admin.col.searches")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.query}>
                  <th scope="row">
                    <QueryLink query={row.query} />
                  </th>
                  <td className="num">{formatNumber(row.searches, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
