import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { reviewQuerySchema } from "../features/kb/admin-forms.schema";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { todayIn } from "../components/admin-kb/local-time";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { formatCalendarDate } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";
import { listReviewQueue } from "../features/kb/reads.server";

export const meta = adminMeta("adminKb.review.heading");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbAdminStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "kb.manage");
  const query = reviewQuerySchema.parse(queryValues(request.url));
  // "Due" is judged by the viewer's calendar: an article due today in Tokyo is due for a Tokyo reviewer.
  const items = await listReviewQueue(await getDb(), { dueBefore: todayIn(context.timeZone), ownerId: query.mine ? viewer.id : undefined });
  return json({ items });
}

export default function KbReviewQueue() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { items } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="kb-review-title">
      <h1 id="kb-review-title">{t("adminKb.review.heading")}</h1>
      <KbSubnav />
      <p className="muted">{t("adminKb.review.lead")}</p>
      {items.length === 0 ? (
        <p>{t("adminKb.review.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("adminKb.review.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminKb.col.reviewBy")}</th>
                <th scope="col">{t("adminKb.col.title")}</th>
                <th scope="col">{t("adminKb.col.owner")}</th>
                <th scope="col">{t("adminKb.col.status")}</th>
                <th scope="col">{t("adminKb.col.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>{formatCalendarDate(item.reviewBy, locale)}</td>
                  <th scope="row" lang={item.locale}>
                    <Link to={`/admin/kb/${item.id}`}>{item.title}</Link>
                  </th>
                  <td>{item.ownerName ?? t("admin.none")}</td>
                  <td>{t(`kb.status.${item.status}`)}</td>
                  <td>{dateTime(item.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
