import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { RootData } from "../components/root-data";
import { SearchResultsView } from "../components/search/search-results";
import searchStyles from "../components/search/search.css";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { translate } from "../features/i18n/messages";
import { findOwnSearch, logSearch } from "../features/search/analytics.server";
import { SEARCH_PAGE_SIZE, SEARCHABLE_TYPES, searchPageQuerySchema } from "../features/search/search.schema";
import { searchAsViewer, type SearchResultsPage } from "../features/search/search.server";
import { getSearchEngine } from "../search.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: searchStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = searchPageQuerySchema.parse(queryValues(request.url));
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const headers = { "Cache-Control": "private, no-store" };
  const base = { q: query.q, type: query.type ?? null, tag: query.tag ?? null, page: query.page };
  if (query.q === "") return json({ ...base, results: null, sqId: null, unavailable: false }, { headers });

  const db = await getDb();
  let results: SearchResultsPage;
  try {
    results = await searchAsViewer(db, await getSearchEngine(), viewer, {
      q: query.q,
      types: query.type ? [query.type] : undefined,
      tag: query.tag,
      limit: SEARCH_PAGE_SIZE,
      offset: (query.page - 1) * SEARCH_PAGE_SIZE,
    });
  } catch (error) {
    // A broken or unreachable engine is an outage of search, not of the page: say so, keep the layout.
    context.logger.error({ err: error }, "search failed");
    return json({ ...base, results: null, sqId: null, unavailable: true }, { status: 503, headers });
  }

  // One row per search a person ran: page 1 of a query (or of a new filter) is logged; the pagination links
  // carry the row's id (sq), so paging through the same search is not counted again. Analytics must never
  // fail the search, so a failed write is logged and the results are shown without click tracking.
  let sqId: number | null = null;
  try {
    const own = query.sq ? await findOwnSearch(db, query.sq, viewer?.id ?? null) : null;
    sqId =
      own?.id ??
      (await logSearch(db, {
        query: query.q,
        userId: viewer?.id ?? null,
        source: "page",
        typeFilter: query.type ?? null,
        tagFilter: query.tag ?? null,
        resultCount: results.total,
      }));
  } catch (error) {
    context.logger.warn({ err: error }, "could not log a search");
  }

  return json(
    {
      ...base,
      sqId,
      unavailable: false,
      results: {
        items: results.items,
        total: results.total,
        pageCount: Math.max(1, Math.ceil(results.total / SEARCH_PAGE_SIZE)),
        typeFacets: SEARCHABLE_TYPES.map((type) => ({ type, count: results.facets.types[type] ?? 0 })),
        tagFacets: results.facets.tags,
      },
    },
    { headers },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  const title = data?.q ? translate(locale, "search.page.titleFor", { q: data.q }) : translate(locale, "search.page.title");
  // Result pages are for people, not crawlers: endless query combinations of thin content.
  return [{ title: `${title} · ${translate(locale, "app.name")}` }, { name: "robots", content: "noindex, follow" }];
};

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  return <SearchResultsView {...data} />;
}
