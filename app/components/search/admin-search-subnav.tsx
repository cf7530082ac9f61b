import { NavLink } from "@remix-run/react";
import type { MessageKey } from "../../features/i18n/messages";
import { useT } from "../../features/i18n/use-i18n";

const TABS: ReadonlyArray<{ to: string; label: MessageKey; end?: boolean }> = [
  { to: "/admin/search", label: "search.admin.title", end: true },
  { to: "/admin/search/synonyms", label: "search.synonyms.nav" },
];

/** The tabs shared by the staff search screens. */
export function AdminSearchSubnav() {
  const t = useT();
  return (
    <nav className="search-subnav" aria-label={t("search.admin.subnav")}>
      <ul>
        {TABS.map((tab) => (
          <li key={tab.to}>
            <NavLink to={tab.to} end={tab.end} prefetch="intent">
              {t(tab.label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
