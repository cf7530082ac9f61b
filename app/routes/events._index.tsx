import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import eventStyles from "../components/events/events.css";
import { EventList, EventPager, ZoneNote } from "../components/events/event-list";
import { eventsTagHref } from "../components/events/event-meta";
import { formatEventStart } from "../components/events/event-time";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { CATALOG_MAX_PAGE, EVENT_KINDS, EVENT_LANGUAGES, eventCatalogQuerySchema, type EventCatalogQuery } from "../features/events/catalog.schema";
import { PUBLIC_CALENDAR_PATH } from "../features/events/paths";
import { cachedRead } from "../features/cache/content-cache.server";
import { catalogNow, EVENTS_PAGE_SIZE, listEvents, listGroupsWithUpcomingEvents, listViewerRegistrations } from "../features/events/reads.server";
import { formatNumber } from "../features/i18n/format";
import { translate } from "../features/i18n/messages";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";
import { absoluteUrl } from "../features/kb/seo";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: eventStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = eventCatalogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = await getDb();
  const now = catalogNow();
  // The list and the group filter do not depend on the viewer: cached per process, exact through the
  // "events" content version; only "your registrations" is read per member.
  const groups = await cachedRead(db, "events", `groups:${now.getTime()}`, () => listGroupsWithUpcomingEvents(db, now));
  // A group filter only makes sense for group events; an unknown group shows everything rather than nothing.
  const group = query.group ? groups.find((g) => g.slug === query.group) : undefined;
  const filter = {
    when: "upcoming" as const,
    kind: group ? ("group_event" as const) : query.kind,
    groupId: group?.id,
    tag: query.tag,
    language: query.language,
    page: query.page,
    pageSize: EVENTS_PAGE_SIZE,
  };
  const [page, mine] = await Promise.all([
    cachedRead(db, "events", `list:${now.getTime()}:${JSON.stringify(filter)}`, () => listEvents(db, filter, now)),
    context.user ? listViewerRegistrations(db, context.user.id) : null,
  ]);
  return json(
    {
      query,
      events: page.items,
      total: page.total,
      pageCount: Math.min(CATALOG_MAX_PAGE, Math.ceil(page.total / EVENTS_PAGE_SIZE)),
      groups,
      mine,
      canonical: absoluteUrl(getEnv().APP_URL, "/events"),
      feedUrl: absoluteUrl(getEnv().APP_URL, PUBLIC_CALENDAR_PATH),
      title: translate(context.locale, "events.events.title"),
      description: translate(context.locale, "events.events.lead"),
    },
    // "Your registrations" is personal.
    context.user ? { headers: { "Cache-Control": "private, no-store" } } : undefined,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const q = data.query;
  const filtered = q.kind || q.group || q.tag || q.language || q.page > 1;
  return [
    { title: `${data.title} · Hearth` },
    { name: "description", content: data.description },
    { tagName: "link", rel: "canonical", href: data.canonical },
    { tagName: "link", rel: "alternate", type: "text/calendar", title: data.title, href: data.feedUrl },
    { property: "og:title", content: data.title },
    { property: "og:description", content: data.description },
    { property: "og:url", content: data.canonical },
    ...(filtered ? [{ name: "robots", content: "noindex, follow" }] : []),
  ];
};

function catalogHref(query: Partial<EventCatalogQuery>): string {
  const params = new URLSearchParams();
  if (query.kind) params.set("kind", query.kind);
  if (query.group) params.set("group", query.group);
  if (query.tag) params.set("tag", query.tag);
  if (query.language) params.set("language", query.language);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `/events?${search}` : "/events";
}

export default function EventsCatalog() {
  const t = useT();
  const { locale, timeZone } = useViewerI18n();
  const { query, events, total, pageCount, groups, mine, title } = useLoaderData<typeof loader>();
  const filtered = Boolean(query.kind || query.group || query.tag || query.language);
  return (
    <div className="page event-catalog">
      <div className="event-catalog-header">
        <div>
          <h1>{title}</h1>
          <p className="lead">{t("events.events.lead")}</p>
        </div>
        <p className="event-feed-links">
          <a href={PUBLIC_CALENDAR_PATH}>{t("events.events.feed")}</a>
          <Link to="/webinars?view=library">{t("events.events.library")}</Link>
        </p>
      </div>
      <div className="event-catalog-layout">
        <div className="event-catalog-main">
          <form method="get" action="/events" className="toolbar event-filters" aria-label={t("events.filter.label")}>
            <div className="field">
              <label htmlFor="events-kind">{t("events.filter.kind")}</label>
              <select id="events-kind" name="kind" defaultValue={query.kind ?? ""}>
                <option value="">{t("events.filter.allKinds")}</option>
                {EVENT_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`events.kind.${kind}`)}
                  </option>
                ))}
              </select>
            </div>
            {groups.length ? (
              <div className="field">
                <label htmlFor="events-group">{t("events.filter.group")}</label>
                <select id="events-group" name="group" defaultValue={query.group ?? ""}>
                  <option value="">{t("events.filter.allGroups")}</option>
                  {groups.map((g) => (
                    <option key={g.slug} value={g.slug}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="events-language">{t("events.filter.language")}</label>
              <select id="events-language" name="language" defaultValue={query.language ?? ""}>
                <option value="">{t("events.filter.allLanguages")}</option>
                {EVENT_LANGUAGES.map((language) => (
                  <option key={language} value={language}>
                    {t(`events.language.${language}`)}
                  </option>
                ))}
              </select>
            </div>
            {query.tag ? <input type="hidden" name="tag" value={query.tag} /> : null}
            <button type="submit" className="button button-secondary">
              {t("events.filter.apply")}
            </button>
            {filtered ? <Link to="/events">{t("events.filter.clear")}</Link> : null}
          </form>
          {query.tag ? (
            <p>
              {t("events.filter.tag")}: <span className="badge">{query.tag}</span>
            </p>
          ) : null}
          <p className="muted event-count" role="status">
            {total === 1 ? t("events.list.countOne") : t("events.list.count", { count: formatNumber(total, locale) })}
          </p>
          {events.length === 0 ? (
            <p className="event-empty">{t("events.events.empty")}</p>
          ) : (
            <>
              <EventList events={events} tagHref={eventsTagHref} label={t("events.events.upcoming")} />
              <ZoneNote />
            </>
          )}
          <EventPager page={query.page} pageCount={pageCount} href={(page) => catalogHref({ ...query, page })} />
        </div>
        {mine ? (
          <aside className="section event-mine" aria-labelledby="event-mine-title">
            <h2 id="event-mine-title">{t("events.events.yours")}</h2>
            {mine.length === 0 ? (
              <p className="muted">{t("events.events.yoursEmpty")}</p>
            ) : (
              <ul className="event-mine-list">
                {mine.map((r) => (
                  <li key={r.eventId}>
                    <Link to={r.path}>{r.title}</Link>
                    <span className="muted">
                      <time dateTime={r.startsAt}>{formatEventStart(r.startsAt, locale, timeZone)}</time>
                    </span>
                    <span className={r.status === "registered" ? "badge badge-ok" : "badge"}>{t(`events.status.${r.status}`)}</span>
                    {r.eventStatus === "cancelled" ? <span className="badge badge-danger">{t("events.card.cancelled")}</span> : null}
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link to="/settings/calendar">{t("events.events.calendarSettings")}</Link>
            </p>
          </aside>
        ) : null}
      </div>
    </div>
  );
}
