import { Link, useLocation, useSearchParams } from "@remix-run/react";
import type { MessageKey } from "../../features/i18n/messages";
import { formatNumber } from "../../features/i18n/format";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";

/**
 * Tabs chosen by one query parameter (?tab=…, ?status=…), keeping the other filters and dropping the
 * page number. The first tab is the default and carries no parameter.
 */
export function QueryTabs<T extends string>({
  param,
  tabs,
  current,
  label,
  counts,
}: {
  param: string;
  tabs: ReadonlyArray<{ value: T; label: MessageKey }>;
  current: T;
  label: MessageKey;
  counts?: Partial<Record<T, number>>;
}) {
  const t = useT();
  const { locale } = useViewerI18n();
  const [params] = useSearchParams();
  const { pathname } = useLocation();
  const href = (value: T) => {
    const copy = new URLSearchParams(params);
    copy.delete("page");
    copy.delete("saved");
    if (value === tabs[0]?.value) copy.delete(param);
    else copy.set(param, value);
    const query = copy.toString();
    return query ? `${pathname}?${query}` : pathname;
  };
  return (
    <nav className="ae-tabs" aria-label={t(label)}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.value}>
            <Link to={href(tab.value)} aria-current={tab.value === current ? "page" : undefined} prefetch="intent">
              {t(tab.label)}
              {counts?.[tab.value] !== undefined ? <span className="ae-count">({formatNumber(counts[tab.value]!, locale)})</span> : null}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface StatsFigures {
  registered: number;
  waitlisted: number;
  cancelled: number;
  attended: number;
  attendanceRate: number | null;
  averageMinutes: number | null;
  accountsRepresented: number;
  surveyCount: number;
  surveyAverage: number | null;
}

/** The event's figures as a definition list of tiles. */
export function StatsPanel({ stats }: { stats: StatsFigures }) {
  const t = useT();
  const { locale } = useViewerI18n();
  const n = (v: number) => formatNumber(v, locale);
  const none = t("adminEvents.stats.none");
  const tiles: Array<[MessageKey, string, string?]> = [
    ["adminEvents.stats.registered", n(stats.registered)],
    ["adminEvents.stats.waitlisted", n(stats.waitlisted)],
    ["adminEvents.stats.attended", n(stats.attended)],
    ["adminEvents.stats.rate", stats.attendanceRate === null ? none : `${Math.round(stats.attendanceRate * 100)}%`],
    ["adminEvents.stats.minutes", stats.averageMinutes === null ? none : n(stats.averageMinutes)],
    ["adminEvents.stats.accounts", n(stats.accountsRepresented)],
    ["adminEvents.stats.survey", stats.surveyAverage === null ? none : `${n(stats.surveyAverage)} / 5`, t("adminEvents.stats.surveyCount", { count: stats.surveyCount })],
    ["adminEvents.stats.cancelled", n(stats.cancelled)],
  ];
  return (
    <dl className="ae-stats">
      {tiles.map(([label, value, note]) => (
        <div key={label}>
          <dt>{t(label)}</dt>
          <dd>
            {value}
            {note ? <small>{note}</small> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

const STATUS_BADGE: Record<string, string> = {
  published: "badge badge-ok",
  pending_approval: "badge badge-warn",
  cancelled: "badge badge-danger",
  draft: "badge",
};

export function EventStatusBadge({ status }: { status: "draft" | "pending_approval" | "published" | "cancelled" }) {
  const t = useT();
  return <span className={STATUS_BADGE[status] ?? "badge"}>{t(`adminEvents.status.${status}`)}</span>;
}
