import type { SearchSource } from "../../../db/schema/search";

// URLs of the search pages, spelled out once. Shared by the loaders (which build result links) and the
// components (filters, pagination), so they reach the browser: no server imports here.

export interface SearchPageParams {
  q: string;
  type?: string;
  tag?: string;
  page?: number;
  sq?: number | null;
}

export function searchPageUrl(params: SearchPageParams): string {
  const query = new URLSearchParams();
  query.set("q", params.q);
  if (params.type) query.set("type", params.type);
  if (params.tag) query.set("tag", params.tag);
  if (params.page && params.page > 1) query.set("page", String(params.page));
  if (params.sq) query.set("sq", String(params.sq));
  return `/search?${query.toString()}`;
}

/**
 * A result link that records the click on the way (/search/go redirects to the item). Either names the
 * logged search (sq) or, for searches not logged yet (as-you-type, the ask page), carries the query, the
 * source and the result count so the click route logs the search first.
 */
export function searchClickUrl(
  input: { key: string; position: number } & ({ sq: number } | { q: string; source: Exclude<SearchSource, "page">; total: number }),
): string {
  const query = new URLSearchParams();
  query.set("k", input.key);
  query.set("p", String(input.position));
  if ("sq" in input) {
    query.set("sq", String(input.sq));
  } else {
    query.set("src", input.source);
    query.set("q", input.q);
    query.set("n", String(input.total));
  }
  return `/search/go?${query.toString()}`;
}

/** The ask page with the search as the question's title (the empty state's "Ask the community"). */
export function askWithTitleUrl(q: string): string {
  return `/questions/ask?${new URLSearchParams({ title: q }).toString()}`;
}
