import { Link } from "@remix-run/react";
import type { AttendanceMode, EventKind, EventLanguage, EventLevel, EventStatus } from "../../../db/schema/events";
import { eventRecordingPath } from "../../features/events/paths";
import { timeZoneName } from "../../features/i18n/format";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";
import { formatEventDay, formatEventStart } from "./event-time";

/** An EventCard as loader JSON delivers it (dates as strings). */
export interface EventCardView {
  id: number;
  kind: EventKind;
  slug: string;
  path: string;
  title: string;
  summary: string;
  status: EventStatus;
  startsAt: string;
  endsAt: string;
  language: EventLanguage;
  level: EventLevel;
  tags: string[];
  attendanceMode: AttendanceMode;
  venueName: string | null;
  capacity: number | null;
  seatsLeft: number | null;
  hasRecording: boolean;
  group: { id: number; slug: string; name: string } | null;
}

function Availability({ event }: { event: EventCardView }) {
  const t = useT();
  if (event.status === "cancelled") return <span className="badge badge-danger">{t("events.card.cancelled")}</span>;
  if (event.hasRecording) return <span className="badge badge-ok">{t("events.card.recording")}</span>;
  if (event.seatsLeft === null) return null;
  if (event.seatsLeft === 0) return <span className="badge badge-warn">{t("events.card.full")}</span>;
  return <span className="muted">{event.seatsLeft === 1 ? t("events.card.seatsLeftOne") : t("events.card.seatsLeft", { count: event.seatsLeft })}</span>;
}

export function EventCardItem({ event, tagHref }: { event: EventCardView; tagHref?: (tag: string) => string }) {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  return (
    <li className={event.status === "cancelled" ? "event-card event-card-cancelled" : "event-card"}>
      <p className="event-card-when">
        <time dateTime={event.startsAt}>{formatEventStart(event.startsAt, locale, timeZone)}</time>
      </p>
      <div className="event-card-body">
        <h3 className="event-card-title">
          <Link to={event.path} lang={event.language}>
            {event.title}
          </Link>
        </h3>
        {event.summary ? (
          <p className="event-card-summary" lang={event.language}>
            {event.summary}
          </p>
        ) : null}
        <p className="event-card-meta">
          <span className={`badge event-kind event-kind-${event.kind}`}>{t(`events.kind.${event.kind}`)}</span>
          <span>{event.attendanceMode === "in_person" && event.venueName ? event.venueName : t(`events.mode.${event.attendanceMode}`)}</span>
          {event.group ? <span>{event.group.name}</span> : null}
          <span>{t(`events.language.${event.language}`)}</span>
          {event.level !== "all" ? <span>{t(`events.level.${event.level}`)}</span> : null}
          <Availability event={event} />
        </p>
        {event.tags.length && tagHref ? (
          <ul className="tag-chips event-card-tags" aria-label={t("events.detail.topics")}>
            {event.tags.map((tag) => (
              <li key={tag}>
                <Link to={tagHref(tag)} className="badge">
                  {tag}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        {event.hasRecording && event.kind === "webinar" ? (
          <p className="event-card-watch">
            <a href={eventRecordingPath(event.slug)}>{t("events.card.watch")}</a>
          </p>
        ) : null}
      </div>
    </li>
  );
}

/**
 * Cards grouped under day headings (h2) in the viewer's zone, so the list reads like a calendar; card
 * titles are h3.
 */
export function EventList({ events, tagHref, byDay = true, label }: { events: EventCardView[]; tagHref?: (tag: string) => string; byDay?: boolean; label: string }) {
  const { locale, timeZone } = useViewerI18n();
  if (!byDay) {
    return (
      <section aria-label={label}>
        <h2 className="visually-hidden">{label}</h2>
        <ul className="event-list">
          {events.map((e) => (
            <EventCardItem key={e.id} event={e} tagHref={tagHref} />
          ))}
        </ul>
      </section>
    );
  }
  const days: Array<{ day: string; items: EventCardView[] }> = [];
  for (const e of events) {
    const day = formatEventDay(e.startsAt, locale, timeZone);
    const last = days.at(-1);
    if (last && last.day === day) last.items.push(e);
    else days.push({ day, items: [e] });
  }
  return (
    <div className="event-days" aria-label={label} role="region">
      {days.map((d) => (
        <section key={d.day} className="event-day">
          <h2 className="event-day-heading">{d.day}</h2>
          <ul className="event-list">
            {d.items.map((e) => (
              <EventCardItem key={e.id} event={e} tagHref={tagHref} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** "Times shown in Japan Standard Time" under a list. */
export function ZoneNote() {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  return <p className="muted event-zone-note">{t("time.zone", { zone: timeZoneName(timeZone, locale) })}</p>;
}

export function EventPager({ page, pageCount, href }: { page: number; pageCount: number; href: (page: number) => string }) {
  const t = useT();
  if (pageCount <= 1 && page <= 1) return null;
  return (
    <nav className="pagination" aria-label={t("events.list.pages")}>
      {page > 1 ? (
        <Link to={href(page - 1)} rel="prev">
          {t("pagination.previous")}
        </Link>
      ) : null}
      <span aria-current="page">{t("events.list.pageStatus", { page, pages: Math.max(page, pageCount) })}</span>
      {page < pageCount ? (
        <Link to={href(page + 1)} rel="next">
          {t("pagination.next")}
        </Link>
      ) : null}
    </nav>
  );
}
