import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { formatCalendarDate, formatNumber } from "../features/i18n/format";
import type { MessageKey } from "../features/i18n/messages";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";
import { contentReportQuerySchema, KB_FEEDBACK_REASONS, type KbReportSort } from "../features/kb/kb.schema";
import { getContentReport } from "../features/kb/reads.server";

export const meta = adminMeta("adminKb.report.heading");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbAdminStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const query = contentReportQuerySchema.parse(queryValues(request.url));
  const report = await getContentReport(await getDb(), query);
  return json({ report, sort: query.sort, dir: query.dir });
}

/** A column header that sorts by its column; clicking the active one flips the direction. */
function SortHeader({ column, label, sort, dir }: { column: KbReportSort; label: MessageKey; sort: KbReportSort; dir: "asc" | "desc" }) {
  const t = useT();
  const active = column === sort;
  // Review dates read best soonest-first; the counts most-first.
  const firstDir = column === "reviewBy" || column === "helpfulRatio" ? "asc" : "desc";
  const nextDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link to={`?sort=${column}&dir=${nextDir}`} aria-label={t("adminKb.report.sortBy", { column: t(label) })}>
        {t(label)}
        {active ? <span aria-hidden="true">{dir === "asc" ? " ▲" : " ▼"}</span> : null}
      </Link>
    </th>
  );
}

export default function KbContentReport() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { report, sort, dir } = useLoaderData<typeof loader>();
  const header = { sort, dir };
  return (
    <section aria-labelledby="kb-report-title">
      <h1 id="kb-report-title">{t("adminKb.report.heading")}</h1>
      <KbSubnav />
      <p className="muted">{t("adminKb.report.lead")}</p>
      {report.items.length === 0 ? (
        <p>{t("adminKb.report.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("adminKb.report.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminKb.col.title")}</th>
                <SortHeader column="views30" label="adminKb.col.views30" {...header} />
                <SortHeader column="views90" label="adminKb.col.views90" {...header} />
                <SortHeader column="helpfulRatio" label="adminKb.col.helpful" {...header} />
                <SortHeader column="notHelpful" label="adminKb.col.notHelpful" {...header} />
                <th scope="col">{t("adminKb.col.reasons")}</th>
                <th scope="col">{t("adminKb.col.comments")}</th>
                <SortHeader column="reviewBy" label="adminKb.col.reviewBy" {...header} />
              </tr>
            </thead>
            <tbody>
              {report.items.map((row) => (
                <tr key={row.id}>
                  <th scope="row" lang={row.locale}>
                    <Link to={`/admin/kb/${row.id}`}>{row.title}</Link>
                  </th>
                  <td>{formatNumber(row.views30, locale)}</td>
                  <td>{formatNumber(row.views90, locale)}</td>
                  <td>
                    {row.helpfulRatio === null
                      ? t("adminKb.report.noAnswers")
                      : t("adminKb.report.ratio", { percent: Math.round(row.helpfulRatio * 100), count: row.helpfulYes + row.helpfulNo })}
                  </td>
                  <td>{formatNumber(row.helpfulNo, locale)}</td>
                  <td>
                    <ul className="stack">
                      {KB_FEEDBACK_REASONS.filter((r) => row.noReasons[r] > 0).map((r) => (
                        <li key={r}>
                          {t(`kb.feedback.reason.${r}`)}: {row.noReasons[r]}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    {row.latestComments.map((c, i) => (
                      <p key={i} className="kb-comment">
                        <span className="badge">{t(c.helpful ? "adminKb.report.helpfulYes" : "adminKb.report.helpfulNo")}</span> {c.comment}
                      </p>
                    ))}
                  </td>
                  <td>{row.reviewBy ? formatCalendarDate(row.reviewBy, locale) : t("admin.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={report.page} pageCount={report.pageCount} />
    </section>
  );
}
