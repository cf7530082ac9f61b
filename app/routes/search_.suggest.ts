import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { searchClickUrl } from "../features/search/links";
import { DEFLECTION_LIMIT, SUGGEST_LIMIT, suggestQuerySchema } from "../features/search/search.schema";
import { searchAsViewer } from "../features/search/search.server";
import { getSearchEngine } from "../search.server";

/**
 * As-you-type results as JSON, for the header box and the ask page's similar questions. Nothing is logged
 * here (a keystroke is not a search): each link goes through /search/go, which logs the search only when the
 * person opens a result. Visibility is the viewer's, as on /search.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const query = suggestQuerySchema.parse(queryValues(request.url));
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const headers = { "Cache-Control": "private, no-store" };
  if (query.q === "") return json({ q: "", total: 0, items: [] }, { headers });
  try {
    const results = await searchAsViewer(await getDb(), await getSearchEngine(), viewer, {
      q: query.q,
      // The ask page deflects to answers; the header box finds everything, webinars and events included.
      types: query.for === "ask" ? ["question", "article"] : ["question", "article", "webinar", "event"],
      limit: query.for === "ask" ? DEFLECTION_LIMIT : SUGGEST_LIMIT,
      offset: 0,
      facets: false,
    });
    const source = query.for === "ask" ? "ask" : "instant";
    return json(
      {
        q: query.q,
        total: results.total,
        items: results.items.map((item, index) => ({
          key: item.key,
          type: item.type,
          locale: item.locale,
          titleHtml: item.titleHtml,
          url: searchClickUrl({ key: item.key, position: index + 1, q: query.q, source, total: results.total }),
        })),
      },
      { headers },
    );
  } catch (error) {
    context.logger.error({ err: error }, "search suggestions failed");
    return json({ q: query.q, total: 0, items: [], unavailable: true }, { status: 503, headers });
  }
}
