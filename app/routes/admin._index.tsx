import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import { Notice } from "../components/forms";
import { getDb } from "../db.server";
import { getStaffOverview, RECENT_MAIL_DAYS } from "../features/admin/overview.server";
import { requirePermission } from "../features/auth/guards.server";
import { formatNumber } from "../features/i18n/format";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.overview.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "admin.access");
  return json({ overview: await getStaffOverview(await getDb()), recentMailDays: RECENT_MAIL_DAYS });
}

export default function AdminOverview() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { overview, recentMailDays } = useLoaderData<typeof loader>();
  const n = (value: number) => formatNumber(value, locale);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t("admin.overview.title")}</h1>
      <p className="lead">{t("admin.overview.lead")}</p>
      {overview.jobs.dead > 0 ? (
        <Notice kind="error">
          <Link to="/admin/jobs">{t("admin.overview.jobsDead", { count: n(overview.jobs.dead) })}</Link>
        </Notice>
      ) : null}
      <div className="grid-2">
        <section className="section" aria-labelledby="overview-users">
          <h2 id="overview-users">
            <Link to="/admin/users">{t("admin.overview.users")}</Link>
          </h2>
          <dl className="facts">
            <dt>{t("admin.overview.usersTotal")}</dt>
            <dd>{n(overview.users.total)}</dd>
            <dt>{t("admin.overview.usersSuspended")}</dt>
            <dd>
              <Link to="/admin/users?status=suspended">{n(overview.users.suspended)}</Link>
            </dd>
          </dl>
        </section>
        <section className="section" aria-labelledby="overview-accounts">
          <h2 id="overview-accounts">
            <Link to="/admin/accounts">{t("admin.overview.accounts")}</Link>
          </h2>
          <dl className="facts">
            <dt>{t("admin.overview.accountsTotal")}</dt>
            <dd>{n(overview.accounts.total)}</dd>
          </dl>
        </section>
        <section className="section" aria-labelledby="overview-mail">
          <h2 id="overview-mail">
            <Link to="/admin/mail">{t("admin.overview.mail")}</Link>
          </h2>
          <dl className="facts">
            <dt>{t("admin.overview.mailRecent", { days: recentMailDays })}</dt>
            <dd>{n(overview.mail.recent)}</dd>
          </dl>
        </section>
        <section className="section" aria-labelledby="overview-jobs">
          <h2 id="overview-jobs">
            <Link to="/admin/jobs">{t("admin.overview.jobs")}</Link>
          </h2>
          <dl className="facts">
            <dt>{t("admin.jobs.status.queued")}</dt>
            <dd>{n(overview.jobs.queued)}</dd>
            <dt>{t("admin.jobs.status.running")}</dt>
            <dd>{n(overview.jobs.running)}</dd>
            <dt>{t("admin.jobs.status.dead")}</dt>
            <dd>{overview.jobs.dead > 0 ? <span className="badge badge-danger">{n(overview.jobs.dead)}</span> : n(0)}</dd>
          </dl>
        </section>
      </div>
    </section>
  );
}
