import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import { SelectField, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { ROLES, USER_STATUSES, userListQuerySchema } from "../features/users/users.schema";
import { listUsers } from "../features/users/users.server";

export const meta = adminMeta("admin.users.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "users.view");
  const query = userListQuerySchema.parse(queryValues(request.url));
  const users = await listUsers(await getDb(), query);
  return json({ users, query });
}

export default function AdminUsers() {
  const t = useT();
  const { date } = useFormatDateTime();
  const { users, query } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">{t("admin.users.title")}</h1>
      <Form method="get" className="toolbar" role="search" aria-label={t("admin.users.title")}>
        <TextField name="q" type="search" label={t("admin.users.search")} hint={t("admin.users.searchHint")} defaultValue={query.q} maxLength={200} />
        <SelectField
          name="role"
          label={t("admin.users.role")}
          defaultValue={query.role ?? ""}
          options={[{ value: "", label: t("admin.any") }, ...ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))]}
        />
        <SelectField
          name="status"
          label={t("admin.users.status")}
          defaultValue={query.status ?? ""}
          options={[{ value: "", label: t("admin.any") }, ...USER_STATUSES.map((s) => ({ value: s, label: t(`admin.users.status.${s}`) }))]}
        />
        <button type="submit" className="button">
          {t("admin.filter")}
        </button>
      </Form>
      {users.items.length === 0 ? (
        <p>{t("admin.noResults")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">
              {t("admin.users.title")} · {t("admin.results", { count: users.total })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t("admin.users.col.name")}</th>
                <th scope="col">{t("admin.users.col.email")}</th>
                <th scope="col">{t("admin.users.col.handle")}</th>
                <th scope="col">{t("admin.users.role")}</th>
                <th scope="col">{t("admin.users.col.account")}</th>
                <th scope="col">{t("admin.users.status")}</th>
                <th scope="col">{t("admin.users.col.joined")}</th>
              </tr>
            </thead>
            <tbody>
              {users.items.map((user) => (
                <tr key={user.id}>
                  <th scope="row">
                    <Link to={`/admin/users/${user.id}`}>{user.displayName}</Link>
                  </th>
                  <td>{user.email}</td>
                  <td>@{user.handle}</td>
                  <td>{user.role === "member" ? t("role.member") : <span className="badge">{t(`role.${user.role}`)}</span>}</td>
                  <td>{user.accountId ? <Link to={`/admin/accounts/${user.accountId}`}>{user.accountName}</Link> : t("admin.none")}</td>
                  <td>
                    {user.suspendedAt ? (
                      <span className="badge badge-danger">{t("admin.users.status.suspended")}</span>
                    ) : (
                      t("admin.users.status.active")
                    )}
                  </td>
                  <td>{date(user.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted">{t("admin.results", { count: users.total })}</p>
      <Pagination page={users.page} pageCount={users.pageCount} />
    </section>
  );
}
