import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { findOwnSearch, logSearch, recordSearchClick } from "../features/search/analytics.server";
import { scheduleDeflectionCheck } from "../features/search/deflection.server";
import { searchPageUrl } from "../features/search/links";
import { searchClickSchema } from "../features/search/search.schema";
import { resolveResultUrl } from "../features/search/search.server";

/**
 * Opens a search result and records the click on the way.
 *
 * Why a redirect route rather than a beacon from the page: it works without JavaScript (the results page
 * must), it cannot be lost when the browser unloads the page before a beacon leaves, and one code path
 * serves the results page, the header box and the ask page. The cost is one extra round trip on a click.
 * It is a GET with a side effect, so the links carry rel="nofollow" and the pages are noindex; a bot that
 * follows one anyway adds a click, never changes content.
 *
 * No open redirect: the destination is never read from the request. The route looks the document up by
 * its key, with the viewer's visibility, and redirects to that item's own URL; anything else goes back to
 * the search page. Analytics failures never block the navigation.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = searchClickSchema.safeParse(queryValues(request.url));
  if (!parsed.success) return redirect("/search");
  const input = parsed.data;
  const db = await getDb();
  const viewer = context.user ? { id: context.user.id, role: context.user.role } : null;
  const target = await resolveResultUrl(db, viewer, input.k);
  if (!target) return redirect(input.q ? searchPageUrl({ q: input.q }) : "/search");

  try {
    const userId = viewer?.id ?? null;
    let searchQueryId: number | null = null;
    if (input.sq) {
      searchQueryId = (await findOwnSearch(db, input.sq, userId))?.id ?? null;
    } else if (input.q && input.src !== "page") {
      // As-you-type and ask-page searches are logged now, when the person acted on them.
      searchQueryId = await logSearch(db, { query: input.q, userId, source: input.src, resultCount: input.n });
    }
    if (searchQueryId !== null) {
      await recordSearchClick(db, { searchQueryId, docKey: input.k, position: input.p });
      if (input.src === "ask" && userId !== null) await scheduleDeflectionCheck(db, { userId, searchQueryId, docKey: input.k });
    }
  } catch (error) {
    context.logger.warn({ err: error }, "could not record a search click");
  }
  return redirect(target, { headers: { "Cache-Control": "private, no-store" } });
}
