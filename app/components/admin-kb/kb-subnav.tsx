import { NavLink } from "@remix-run/react";
import type { MessageKey } from "../../features/i18n/messages";
import { useT } from "../../features/i18n/use-i18n";

const TABS: ReadonlyArray<{ to: string; label: MessageKey; end?: boolean }> = [
  { to: "/admin/kb", label: "adminKb.tab.articles", end: true },
  { to: "/admin/kb/collections", label: "adminKb.tab.collections" },
  { to: "/admin/kb/tags", label: "adminKb.tab.tags" },
  { to: "/admin/kb/review", label: "adminKb.tab.review" },
  { to: "/admin/kb/report", label: "adminKb.tab.report" },
];

/** The tabs shared by the knowledge-base screens. */
export function KbSubnav() {
  const t = useT();
  return (
    <nav className="kb-subnav" aria-label={t("adminKb.sections")}>
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
