import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import { TextField } from "../components/forms";
import { getDb } from "../db.server";
import { mailListQuerySchema, queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { listMail } from "../features/mail/mail.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.mail.title");

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "mail.read");
  const query = mailListQuerySchema.parse(queryValues(request.url));
  // One row more than shown tells whether there is a next page without counting the whole log.
  const rows = await listMail(await getDb(), { to: query.to, limit: PAGE_SIZE + 1, offset: (query.page - 1) * PAGE_SIZE });
  const items = rows.slice(0, PAGE_SIZE).map((m) => ({
    id: m.id,
    toAddress: m.toAddress,
    subject: m.subject,
    template: m.template,
    locale: m.locale,
    status: m.status,
    createdAt: m.createdAt,
  }));
  return json({ items, hasNext: rows.length > PAGE_SIZE, query });
}

export default function AdminMail() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { items, hasNext, query } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="mail-title">
      <h1 id="mail-title">{t("admin.mail.title")}</h1>
      <p className="muted">{t("admin.mail.lead")}</p>
      <Form method="get" className="toolbar" role="search" aria-label={t("admin.mail.title")}>
        <TextField name="to" type="search" label={t("admin.mail.to")} hint={t("admin.mail.toHint")} defaultValue={query.to} maxLength={254} autoComplete="off" />
        <button type="submit" className="button">
          {t("admin.filter")}
        </button>
      </Form>
      {items.length === 0 ? (
        <p>{query.to || query.page > 1 ? t("admin.noResults") : t("admin.mail.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("admin.mail.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.mail.col.subject")}</th>
                <th scope="col">{t("admin.mail.to")}</th>
                <th scope="col">{t("admin.mail.col.template")}</th>
                <th scope="col">{t("admin.mail.col.language")}</th>
                <th scope="col">{t("admin.mail.col.status")}</th>
                <th scope="col">{t("admin.mail.col.created")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link>
                  </th>
                  <td>{m.toAddress}</td>
                  <td>
                    <code>{m.template}</code>
                  </td>
                  <td lang={m.locale}>{m.locale === "ja" || m.locale === "en" ? t(`language.${m.locale}`) : m.locale}</td>
                  <td>
                    <span className={m.status === "sent" ? "badge badge-ok" : "badge"}>{t(`admin.mail.status.${m.status}`)}</span>
                  </td>
                  <td>{dateTime(m.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={query.page} hasNext={hasNext} />
    </section>
  );
}
