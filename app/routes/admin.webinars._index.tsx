import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import adminEventsStyles from "../components/admin-events/admin-events.css";
import { EventStatusBadge, QueryTabs } from "../components/admin-events/admin-events-ui";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { adminEventListQuery, EVENT_KINDS } from "../features/events/admin-events.schema";
import { listAdminEvents } from "../features/events/manage.server";
import { adminEventPath } from "../features/events/paths";
import { formatNumber, timeZoneName } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("adminEvents.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminEventsStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "events.manage");
  const query = adminEventListQuery.parse(queryValues(request.url));
  const list = await listAdminEvents(await getDb(), { tab: query.tab, kind: query.kind, page: query.page });
  return json({ list, query, page: query.page });
}

const TABS = [
  { value: "upcoming", label: "adminEvents.tab.upcoming" },
  { value: "past", label: "adminEvents.tab.past" },
  { value: "drafts", label: "adminEvents.tab.drafts" },
  { value: "pending", label: "adminEvents.tab.pending" },
  { value: "cancelled", label: "adminEvents.tab.cancelled" },
] as const;

export default function AdminWebinars() {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { list, query, page } = useLoaderData<typeof loader>();
  const n = (v: number) => formatNumber(v, locale);
  return (
    <section className="ae-page" aria-labelledby="ae-title">
      <h1 id="ae-title">{t("adminEvents.title")}</h1>
      <div className="ae-actions">
        <Link to="/admin/webinars/new?kind=webinar" className="button">
          {t("adminEvents.list.newWebinar")}
        </Link>
        <Link to="/admin/webinars/new?kind=group_event" className="button button-secondary">
          {t("adminEvents.list.newGroupEvent")}
        </Link>
      </div>
      <QueryTabs param="tab" tabs={TABS} current={query.tab} label="adminEvents.tabs.label" counts={list.pendingCount ? { pending: list.pendingCount } : undefined} />
      <Form method="get" className="toolbar">
        {query.tab !== "upcoming" ? <input type="hidden" name="tab" value={query.tab} /> : null}
        <label>
          {t("adminEvents.list.filter")}{" "}
          <select name="kind" defaultValue={query.kind ?? ""}>
            <option value="">{t("adminEvents.kind.all")}</option>
            {EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`adminEvents.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-secondary">
          {t("adminEvents.list.apply")}
        </button>
      </Form>
      {list.items.length === 0 ? (
        <p>{t("adminEvents.list.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t(TABS.find((tab) => tab.value === query.tab)!.label)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminEvents.col.title")}</th>
                <th scope="col">{t("adminEvents.col.kind")}</th>
                <th scope="col">{t("adminEvents.col.group")}</th>
                <th scope="col">{t("adminEvents.col.start", { zone: timeZoneName(timeZone, locale) })}</th>
                <th scope="col">{t("adminEvents.col.status")}</th>
                <th scope="col">{t("adminEvents.col.registered")}</th>
                <th scope="col">{t("adminEvents.col.waitlist")}</th>
                <th scope="col">{t("adminEvents.col.attended")}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => (
                <tr key={e.id}>
                  <th scope="row">
                    <Link to={adminEventPath(e.id)}>{e.title}</Link>
                  </th>
                  <td>{t(`adminEvents.kind.${e.kind}`)}</td>
                  <td>{e.groupName ?? ""}</td>
                  <td className="ae-nowrap">{dateTime(e.startsAt)}</td>
                  <td>
                    <EventStatusBadge status={e.status} />
                  </td>
                  <td className="ae-nowrap">
                    {n(e.registeredCount)} / {e.capacity === null ? t("adminEvents.unlimited") : n(e.capacity)}
                  </td>
                  <td>{n(e.waitlistCount)}</td>
                  <td>{n(e.attendedCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} pageCount={list.pageCount} />
    </section>
  );
}
