import type { LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, NavLink, Outlet, useRouteError } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import { ErrorPage } from "../components/error-page";
import { useRootData } from "../components/root-data";
import { requirePermission } from "../features/auth/guards.server";
import { can, type Permission } from "../features/auth/permissions";
import type { MessageKey } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.nav.overview");

const NAV: ReadonlyArray<{ to: string; label: MessageKey; permission: Permission; end?: boolean }> = [
  { to: "/admin", label: "admin.nav.overview", permission: "admin.access", end: true },
  { to: "/admin/users", label: "admin.nav.users", permission: "users.view" },
  { to: "/admin/accounts", label: "admin.nav.accounts", permission: "accounts.view" },
  { to: "/admin/mail", label: "admin.nav.mail", permission: "mail.read" },
  { to: "/admin/jobs", label: "admin.nav.jobs", permission: "jobs.view" },
  { to: "/admin/kb", label: "adminKb.nav", permission: "kb.manage" },
  { to: "/admin/forum", label: "moderation.staffQueue.title", permission: "forum.staff", end: true },
  { to: "/admin/forum/champions", label: "members.admin.title", permission: "forum.staff" },
  { to: "/admin/search", label: "search.admin.nav", permission: "search.manage" },
  { to: "/admin/webinars", label: "adminEvents.nav", permission: "events.manage" },
  { to: "/admin/groups", label: "groups.admin.nav", permission: "groups.manage" },
];

export function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "admin.access");
  return null;
}

function AdminNav() {
  const t = useT();
  const user = useRootData()?.user;
  return (
    <nav className="admin-nav" aria-label={t("admin.nav.label")}>
      <ul>
        {NAV.filter((item) => can(user, item.permission)).map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end} prefetch="intent">
              {t(item.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function AdminLayout() {
  return (
    <div className="admin-layout">
      <AdminNav />
      <div>
        <Outlet />
      </div>
    </div>
  );
}

/** Errors inside the staff area keep its navigation, for staff; anyone else sees the plain error page. */
export function ErrorBoundary() {
  const error = useRouteError();
  const user = useRootData()?.user;
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (!can(user, "admin.access")) return <ErrorPage status={status} />;
  return (
    <div className="admin-layout">
      <AdminNav />
      <div>
        <ErrorPage status={status} />
      </div>
    </div>
  );
}
