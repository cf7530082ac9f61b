import { NavLink } from "@remix-run/react";
import type { MessageKey } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";

export type SectionTab = { to: string; label: MessageKey; end?: boolean };

/** The row of tabs that ties the screens of one staff section together (knowledge base, search, …). */
export function SectionTabs({ tabs, label, className }: { tabs: ReadonlyArray<SectionTab>; label: MessageKey; className: string }) {
  const t = useT();
  return (
    <nav className={className} aria-label={t(label)}>
      <ul>
        {tabs.map((tab) => (
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
