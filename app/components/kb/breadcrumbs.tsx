import { Link } from "@remix-run/react";
import { useT } from "../../features/i18n/use-i18n";

/** Home › Knowledge base › …; the last crumb is the current page (aria-current), not a link. */
export function KbBreadcrumbs({ trail, current }: { trail: ReadonlyArray<{ to: string; label: string }>; current?: string }) {
  const t = useT();
  const crumbs = [{ to: "/", label: t("kb.home") }, { to: "/kb", label: t("kb.title") }, ...trail];
  return (
    <nav aria-label={t("kb.breadcrumbs")} className="kb-breadcrumbs">
      <ol>
        {crumbs.map((c) => (
          <li key={c.to}>
            <Link to={c.to}>{c.label}</Link>
          </li>
        ))}
        {current ? (
          <li>
            <span aria-current="page">{current}</span>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}
