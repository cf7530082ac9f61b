import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import eventStyles from "../components/events/events.css";
import { EventList, EventPager, ZoneNote } from "../components/events/event-list";
import { webinarTagHref } from "../components/events/event-meta";
import { getDb } from "../db.server";
import { getEnv } from "../env.server";
import { CATALOG_MAX_PAGE, EVENT_LANGUAGES, WEBINAR_VIEWS, webinarCatalogQuerySchema, type WebinarCatalogQuery } from "../features/events/catalog.schema";
import { cachedRead } from "../features/cache/content-cache.server";
import { catalogNow, EVENTS_PAGE_SIZE, listEvents, listEventTags } from "../features/events/reads.server";
import { translate } from "../features/i18n/messages";
import { formatNumber } from "../features/i18n/format";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";
import { absoluteUrl } from "../features/kb/seo";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: eventStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = webinarCatalogQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = await getDb();
  const now = catalogNow();
  const filter = {
    kind: "webinar" as const,
    when: query.view === "library" ? ("on_demand" as const) : ("upcoming" as const),
    tag: query.tag,
    language: query.language,
    page: query.page,
    pageSize: EVENTS_PAGE_SIZE,
  };
  // Nothing here depends on the viewer: cached per process, exact through the "events" content version.
  const [page, tags] = await Promise.all([
    cachedRead(db, "events", `list:${now.getTime()}:${JSON.stringify(filter)}`, () => listEvents(db, filter, now)),
    cachedRead(db, "events", "tags:webinar", () => listEventTags(db, { kind: "webinar" })),
  ]);
  return json({
    query,
    events: page.items,
    total: page.total,
    pageCount: Math.min(CATALOG_MAX_PAGE, Math.ceil(page.total / EVENTS_PAGE_SIZE)),
    tags,
    canonical: absoluteUrl(getEnv().APP_URL, "/webinars"),
    title: translate(context.locale, "events.webinars.title"),
    description: translate(context.locale, "events.webinars.lead"),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const q = data.query;
  const filtered = q.view !== "upcoming" || q.tag || q.language || q.page > 1;
  return [
    { title: `${data.title} · Hearth` },
    { name: "description", content: data.description },
    { tagName: "link", rel: "canonical", href: data.canonical },
    { property: "og:title", content: data.title },
    { property: "og:description", content: data.description },
    { property: "og:url", content: data.canonical },
    ...(filtered ? [{ name: "robots", content: "noindex, follow" }] : []),
  ];
};

function catalogHref(query: Partial<WebinarCatalogQuery>): string {
  const params = new URLSearchParams();
  if (query.view && query.view !== "upcoming") params.set("view", query.view);
  if (query.tag) params.set("tag", query.tag);
  if (query.language) params.set("language", query.language);
  if (query.page && query.page > 1) params.set("page", String(query.page));
  const search = params.toString();
  return search ? `/webinars?${search}` : "/webinars";
}

export default function WebinarCatalog() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { query, events, total, pageCount, tags, title } = useLoaderData<typeof loader>();
  const library = query.view === "library";
  const filtered = Boolean(query.tag || query.language);
  return (
    <div className="page event-catalog">
      <div className="event-catalog-header">
        <div>
          <h1>{title}</h1>
          <p className="lead">{t("events.webinars.lead")}</p>
        </div>
        <Link to="/events">{t("events.webinars.allEvents")}</Link>
      </div>
      <nav aria-label={t("events.webinars.tabs")}>
        <ul className="event-tabs">
          {WEBINAR_VIEWS.map((view) => (
            <li key={view}>
              <Link to={catalogHref({ ...query, view, page: 1 })} aria-current={query.view === view ? "page" : undefined}>
                {view === "library" ? t("events.webinars.onDemand") : t("events.webinars.upcoming")}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/webinars" className="toolbar event-filters" aria-label={t("events.filter.label")}>
        {library ? <input type="hidden" name="view" value="library" /> : null}
        <div className="field">
          <label htmlFor="webinar-tag">{t("events.filter.tag")}</label>
          <select id="webinar-tag" name="tag" defaultValue={query.tag ?? ""}>
            <option value="">{t("events.filter.allTags")}</option>
            {query.tag && !tags.includes(query.tag) ? <option value={query.tag}>{query.tag}</option> : null}
            {tags.map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="webinar-language">{t("events.filter.language")}</label>
          <select id="webinar-language" name="language" defaultValue={query.language ?? ""}>
            <option value="">{t("events.filter.allLanguages")}</option>
            {EVENT_LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`events.language.${language}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("events.filter.apply")}
        </button>
        {filtered ? <Link to={catalogHref({ view: query.view })}>{t("events.filter.clear")}</Link> : null}
      </form>
      <p className="muted event-count" role="status">
        {total === 1 ? t("events.list.countOne") : t("events.list.count", { count: formatNumber(total, locale) })}
      </p>
      {events.length === 0 ? (
        <p className="event-empty">{library ? t("events.webinars.emptyOnDemand") : t("events.webinars.emptyUpcoming")}</p>
      ) : (
        <>
          <EventList events={events} tagHref={webinarTagHref} byDay={!library} label={library ? t("events.webinars.onDemand") : t("events.webinars.upcoming")} />
          <ZoneNote />
        </>
      )}
      <EventPager page={query.page} pageCount={pageCount} href={(page) => catalogHref({ ...query, page })} />
    </div>
  );
}
