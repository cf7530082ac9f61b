import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import { SelectField, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { accountListQuerySchema, TIERS } from "../features/accounts/accounts.schema";
import { listAccounts } from "../features/accounts/accounts.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { can } from "../features/auth/permissions";
import { formatCalendarDate, formatNumber } from "../features/i18n/format";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.accounts.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requirePermission(context, request, "accounts.view");
  const query = accountListQuerySchema.parse(queryValues(request.url));
  const accounts = await listAccounts(await getDb(), query);
  return json({ accounts, query, canManage: can(user, "accounts.manage") });
}

export default function AdminAccounts() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { accounts, query, canManage } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const descending = query.sort === "-name";
  const sortHref = () => {
    const copy = new URLSearchParams(params);
    copy.delete("page");
    if (descending) copy.delete("sort");
    else copy.set("sort", "-name");
    const search = copy.toString();
    return search ? `/admin/accounts?${search}` : "/admin/accounts";
  };
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t("admin.accounts.title")}</h1>
      {canManage ? (
        <p>
          <Link to="/admin/accounts/new" className="button button-small">
            {t("admin.accounts.new")}
          </Link>
        </p>
      ) : null}
      <Form method="get" className="toolbar" role="search" aria-label={t("admin.accounts.title")}>
        {query.sort !== "name" ? <input type="hidden" name="sort" value={query.sort} /> : null}
        <TextField name="q" type="search" label={t("admin.accounts.search")} hint={t("admin.accounts.searchHint")} defaultValue={query.q} maxLength={200} />
        <SelectField
          name="tier"
          label={t("admin.accounts.tier")}
          defaultValue={query.tier ?? ""}
          options={[{ value: "", label: t("admin.any") }, ...TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))]}
        />
        <button type="submit" className="button">
          {t("admin.filter")}
        </button>
      </Form>
      {accounts.items.length === 0 ? (
        <p>{t("admin.noResults")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">
              {t("admin.accounts.title")} · {t("admin.results", { count: accounts.total })}
            </caption>
            <thead>
              <tr>
                <th scope="col" aria-sort={descending ? "descending" : "ascending"}>
                  <Link to={sortHref()}>
                    {t("admin.accounts.name")}{" "}
                    <span aria-hidden="true">{descending ? "▼" : "▲"}</span>
                    <span className="visually-hidden">{t(descending ? "admin.sort.descending" : "admin.sort.ascending")}</span>
                  </Link>
                </th>
                <th scope="col">{t("admin.accounts.tier")}</th>
                <th scope="col">{t("admin.accounts.owner")}</th>
                <th scope="col">{t("admin.accounts.col.members")}</th>
                <th scope="col">{t("admin.accounts.col.seats")}</th>
                <th scope="col">{t("admin.accounts.col.renewal")}</th>
                <th scope="col">{t("admin.accounts.crmExternalId")}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.items.map((account) => (
                <tr key={account.id}>
                  <th scope="row">
                    <Link to={`/admin/accounts/${account.id}`}>{account.name}</Link>
                  </th>
                  <td>{t(`tier.${account.tier}`)}</td>
                  <td>{account.ownerName ?? t("admin.none")}</td>
                  <td>{formatNumber(account.memberCount, locale)}</td>
                  <td>{account.licensedSeats !== null ? formatNumber(account.licensedSeats, locale) : t("admin.none")}</td>
                  <td>{account.renewalDate ? formatCalendarDate(account.renewalDate, locale) : t("admin.none")}</td>
                  <td>{account.crmExternalId ?? t("admin.none")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{t("admin.results", { count: accounts.total })}</p>
      <Pagination page={accounts.page} pageCount={accounts.pageCount} />
    </section>
  );
}
