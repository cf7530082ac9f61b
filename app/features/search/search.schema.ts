import { z } from "zod";
import { SEARCH_SOURCES } from "../../../db/schema/search";
import { parseSearchDocKey, type SearchDocType } from "../../../search/engine";
import { normalizeQueryText } from "../../../search/text";

// Query strings and forms of the search pages. Every schema here falls back instead of failing where the
// input comes from a URL a person may have typed or shortened: a bad page or type shows the first page or
// all types rather than an error page. Messages are catalog keys (messages/search.ts).

/** Longest query we search for; longer input is cut, not refused (people paste error messages). */
export const SEARCH_QUERY_MAX = 200;
export const SEARCH_PAGE_SIZE = 10;
/** Deep pages cost the engine more and are never read; the page links stop here. */
export const SEARCH_MAX_PAGE = 50;
export const SUGGEST_LIMIT = 6;
export const DEFLECTION_LIMIT = 5;
/** The ask page asks for suggestions from this much typed title (3 words or 10 characters). */
export const DEFLECTION_MIN_CHARS = 10;
export const DEFLECTION_MIN_WORDS = 3;

/** Types a person can pick. */
export const SEARCHABLE_TYPES = ["article", "question", "webinar", "event"] as const satisfies readonly SearchDocType[];
export type SearchableType = (typeof SEARCHABLE_TYPES)[number];

const queryText = z
  .string()
  .catch("")
  // Postgres text cannot hold NUL; cut rather than refuse so a pasted error message still searches.
  .transform((q) => q.replaceAll("\u0000", " ").trim().slice(0, SEARCH_QUERY_MAX));

const optionalType = z.enum(SEARCHABLE_TYPES).optional().catch(undefined);
const optionalTag = z.string().trim().min(1).max(80).optional().catch(undefined);
const bigId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const searchPageQuerySchema = z.object({
  q: queryText.default(""),
  type: optionalType,
  tag: optionalTag,
  page: z.coerce.number().int().min(1).max(SEARCH_MAX_PAGE).catch(1).default(1),
  // The search row of page 1, carried by the pagination links so paging is not logged as new searches.
  sq: bigId.optional().catch(undefined),
});
export type SearchPageQuery = z.output<typeof searchPageQuerySchema>;

export const suggestQuerySchema = z.object({
  q: queryText.default(""),
  // "ask": the deflection panel on /questions/ask; anything else is the header box.
  for: z.enum(["header", "ask"]).catch("header").default("header"),
});

const docKey = z
  .string()
  .max(40)
  .refine((key) => parseSearchDocKey(key) !== null);

/**
 * /search/go: a result opened from a search. Either names the logged search (sq, from /search), or carries
 * the query (instant search in the header, the ask page) so the search is logged only now that the person
 * acted on it.
 */
export const searchClickSchema = z.object({
  k: docKey,
  p: z.coerce.number().int().min(1).max(1000),
  sq: bigId.optional(),
  src: z.enum(SEARCH_SOURCES).default("page"),
  q: z.string().max(SEARCH_QUERY_MAX * 2).optional(),
  n: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
export type SearchClickInput = z.output<typeof searchClickSchema>;

// --- staff pages --------------------------------------------------------------------------------------

export const ANALYTICS_PERIODS = [7, 30, 90] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];
/** Rows per list on /admin/search. */
export const ANALYTICS_LIST_LIMIT = 20;

export const analyticsQuerySchema = z.object({
  days: z.coerce
    .number()
    .int()
    .refine((n): n is AnalyticsPeriod => (ANALYTICS_PERIODS as readonly number[]).includes(n))
    .catch(30)
    .default(30),
  account: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
});

export const SYNONYM_TERM_MAX = 80;
export const SYNONYM_TERMS_MAX = 20;

/**
 * "sso, single sign-on, シングルサインオン" → ["sso", "single sign-on", "シングルサインオン"]: split on
 * commas (ASCII and Japanese), normalized like queries, blanks and repeats dropped.
 */
export function parseSynonymTerms(input: string): string[] {
  const terms = input
    .split(/[,、，]/u)
    .map((term) => normalizeQueryText(term))
    .filter((term) => term.length > 0);
  return [...new Set(terms)];
}

const synonymTerms = z
  .string()
  .max(SYNONYM_TERMS_MAX * (SYNONYM_TERM_MAX + 2), "search.synonyms.tooMany")
  .transform((raw) => parseSynonymTerms(raw))
  .pipe(
    z
      .array(z.string().max(SYNONYM_TERM_MAX, "search.synonyms.termTooLong"))
      .min(2, "search.synonyms.tooFew")
      .max(SYNONYM_TERMS_MAX, "search.synonyms.tooMany"),
  );

const synonymId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= 2_147_483_647);

export const synonymActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), terms: synonymTerms }),
  z.object({ intent: z.literal("update"), id: synonymId, terms: synonymTerms }),
  z.object({ intent: z.literal("delete"), id: synonymId }),
]);
export type SynonymAction = z.output<typeof synonymActionSchema>;
