import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../db/client";
import {
  parseSearchDocKey,
  type SearchDocType,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchRebuild,
  type SearchResponse,
} from "./engine";
import { createHighlighter, type HighlightTerms } from "./highlight";
import {
  analyzeForIndex,
  analyzeQuery,
  normalizeQueryText,
  renderTsQuery,
  tsLexeme,
  vocabularyWords,
  type QueryTerm,
  type TsExpr,
} from "./text";

/**
 * The embedded engine: full-text search inside Postgres (PGlite or a server), no extra service.
 *
 * - Documents live in search_documents, one row per (generation, doc_key); the live generation is
 *   search_state 'embedded.generation'. A rebuild writes generation + 1 ('embedded.building') beside it
 *   and switches in one transaction, so search answers from the old index until the new one is whole.
 * - Removal keeps a tombstone row (visibility 'removed', no terms) holding the removal's revision, so an
 *   older upsert that arrives late cannot bring the document back. Tombstones never match a query and
 *   disappear at the next rebuild.
 * - A query word missing from search_vocabulary is OR-ed with its nearest vocabulary words (pg_trgm),
 *   the last word is also a prefix, synonyms are OR-ed in; the tsquery is built only from validated
 *   lexemes (search/text.ts), so no input can make it fail to parse.
 */

const STATE_GENERATION = "embedded.generation";
const STATE_BUILDING = "embedded.building";
const STATE_SYNONYMS = "embedded.synonyms";
const TOMBSTONE = "removed";
/** Stored body length (snippets come from it); terms are taken from a longer prefix of the text. */
const STORED_BODY_CHARS = 20_000;
const INDEXED_BODY_CHARS = 60_000;
const UPSERT_CHUNK = 200;
const SYNONYM_CACHE_MS = 5_000;
/** title > tags > body, as {D, C, B, A} weights for ts_rank_cd. */
const RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}";
/** Every query word found in a title beats any body-only match; a title that is exactly the query, more. */
const TITLE_MATCH_BOOST = 1;
const EXACT_TITLE_BOOST = 1;
/**
 * Matches counted and faceted at most (like Meilisearch's maxTotalHits): past that, a query is too broad
 * for the count to matter, and counting costs a heap visit per match.
 */
const MAX_MATCHES = 5_000;
/**
 * A relaxed query (all words but one) matches far more documents, and a searcher only reads its first
 * pages: counting and faceting fewer keeps the second round trip about as cheap as the first.
 */
const MAX_RELAXED_MATCHES = 1_000;
/** Matches ranked by ts_rank_cd, chosen by the cheap title checks (or the page, if deeper). */
const RANKED_CANDIDATES = 200;
const CORRECTIONS_PER_WORD = 3;
const MIN_CORRECTED_LENGTH = 4;
/** A word in at most this many documents is looked up for corrections too (typos exist in corpora). */
const RARE_WORD_DOCS = 2;
/** The unfinished last word is completed from the vocabulary from this length on (shorter: `:*`). */
const MIN_COMPLETED_LENGTH = 3;
const MAX_COMPLETIONS = 16;
/** Same bounds as vocabularyWords() in search/text.ts. */
const MAX_VOCABULARY_WORD = 32;

type SynonymGroups = string[][];

const liveGeneration = sql`coalesce((select (value #>> '{}')::int from search_state where key = ${STATE_GENERATION}), 1)`;

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * Postgres text cannot hold NUL, and JSON with a lone UTF-16 surrogate is rejected: real documents
 * (pasted binary, escaped test strings) contain both, so they are replaced before anything is stored.
 */
function storable(text: string): string {
  return text.replaceAll("\u0000", "").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu, "\uFFFD");
}

function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** The newest version of each key in a batch (one INSERT … ON CONFLICT may touch a row only once). */
function newestPerKey<T extends { key: string; revision: number }>(items: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const seen = byKey.get(item.key);
    if (!seen || seen.revision <= item.revision) byKey.set(item.key, item);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

interface DocumentRow {
  doc_key: string;
  doc_type: string;
  source_id: number;
  locale: string;
  visibility: string;
  tags: string[];
  title: string;
  body: string;
  title_terms: string;
  tags_terms: string;
  body_terms: string;
  published_at: string | null;
  revision: number;
}

function documentRow(doc: SearchDocument): DocumentRow {
  const title = storable(doc.title);
  const tags = doc.tags.map(storable);
  const body = storable(truncate(doc.body, INDEXED_BODY_CHARS));
  return {
    doc_key: doc.key,
    doc_type: doc.type,
    source_id: doc.sourceId,
    locale: doc.locale,
    visibility: doc.visibility,
    tags,
    title,
    body: truncate(body, STORED_BODY_CHARS),
    title_terms: analyzeForIndex(title),
    tags_terms: analyzeForIndex(tags.join(" ")),
    body_terms: analyzeForIndex(body),
    published_at: doc.publishedAt ? doc.publishedAt.toISOString() : null,
    revision: doc.revision,
  };
}

/**
 * Writes rows into the live generation and, during a rebuild, the one being built; a row never
 * replaces one with a higher revision. The generations are read in the statement itself, so a rebuild
 * starting or committing meanwhile cannot make a write miss the index that ends up live.
 */
async function writeRows(db: Db, rows: readonly DocumentRow[], generations?: SQL): Promise<void> {
  if (rows.length === 0) return;
  const targets =
    generations ??
    sql`select ${liveGeneration} as g union select (value #>> '{}')::int from search_state where key = ${STATE_BUILDING}`;
  await db.execute(sql`
    with gens as (${targets})
    insert into search_documents as s (generation, doc_key, doc_type, source_id, locale, visibility, tags, title, body,
      title_terms, tags_terms, body_terms, published_at, revision, indexed_at)
    select gens.g, d.doc_key, d.doc_type, d.source_id, d.locale, d.visibility, d.tags, d.title, d.body,
      d.title_terms, d.tags_terms, d.body_terms, d.published_at, d.revision, now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as d(doc_key text, doc_type text, source_id int, locale text,
      visibility text, tags text[], title text, body text, title_terms text, tags_terms text, body_terms text,
      published_at timestamptz, revision bigint)
    cross join gens
    where gens.g is not null
    order by gens.g, d.doc_key
    on conflict (generation, doc_key) do update set
      doc_type = excluded.doc_type, source_id = excluded.source_id, locale = excluded.locale,
      visibility = excluded.visibility, tags = excluded.tags, title = excluded.title, body = excluded.body,
      title_terms = excluded.title_terms, tags_terms = excluded.tags_terms, body_terms = excluded.body_terms,
      published_at = excluded.published_at, revision = excluded.revision, indexed_at = excluded.indexed_at
    where s.revision <= excluded.revision`);
}

/**
 * Counts each document once per word it holds. Re-indexing a document counts it again: the counts only
 * rank correction candidates, and a rebuild recounts them exactly.
 */
async function addVocabulary(db: Db, rows: readonly DocumentRow[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const words = new Set([
      ...vocabularyWords(row.title_terms),
      ...vocabularyWords(row.tags_terms),
      ...vocabularyWords(row.body_terms),
    ]);
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  if (counts.size === 0) return;
  // Sorted, so concurrent writers lock shared words in the same order (no deadlock).
  const entries = [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  await db.execute(sql`
    insert into search_vocabulary as v (word, doc_count)
    select e.w, e.n from jsonb_to_recordset(${JSON.stringify(entries.map(([w, n]) => ({ w, n })))}::jsonb) as e(w text, n int)
    order by e.w
    on conflict (word) do update set doc_count = v.doc_count + excluded.doc_count`);
}

/** `rebuildGeneration`: write only there, and leave the vocabulary to the commit's recount. */
async function upsertDocuments(db: Db, docs: readonly SearchDocument[], rebuildGeneration?: number): Promise<void> {
  const newest = newestPerKey(docs);
  const target = rebuildGeneration === undefined ? undefined : sql`select ${rebuildGeneration}::int as g`;
  for (let i = 0; i < newest.length; i += UPSERT_CHUNK) {
    const rows = newest.slice(i, i + UPSERT_CHUNK).map(documentRow);
    await writeRows(db, rows, target);
    if (rebuildGeneration === undefined) await addVocabulary(db, rows);
  }
}

let pendingListCleanup: "allowed" | "refused" = "allowed";

/**
 * GIN indexes collect new entries in a pending list (fastupdate) that every search then scans linearly,
 * up to 4 MB of it; autovacuum would merge it on a server, but PGlite has no autovacuum. Merging after
 * each write keeps searches fast. Only the index owner may do it: elsewhere it is skipped, once.
 */
async function mergePendingEntries(db: Db, indexes: readonly string[]): Promise<void> {
  if (pendingListCleanup === "refused") return;
  try {
    for (const index of indexes) await db.execute(sql`select gin_clean_pending_list(${index}::regclass)`);
  } catch {
    pendingListCleanup = "refused";
  }
}

const TSV_INDEX = "search_documents_tsv_idx";
const VOCABULARY_INDEX = "search_vocabulary_word_trgm_idx";

function tombstoneRow(key: string, revision: number): DocumentRow | null {
  const parsed = parseSearchDocKey(key);
  if (!parsed) return null;
  return {
    doc_key: key,
    doc_type: parsed.type,
    source_id: parsed.sourceId,
    locale: "",
    visibility: TOMBSTONE,
    tags: [],
    title: "",
    body: "",
    title_terms: "",
    tags_terms: "",
    body_terms: "",
    published_at: null,
    revision,
  };
}

/* -------------------------------------------------------------------------------------------------- */
/* Query building                                                                                      */

/** What the vocabulary says about one query word. */
interface WordLookup {
  /** Index of the query term. */
  index: number;
  /** Frequent vocabulary words one or two edits away, when the word itself is unknown or rare. */
  corrections: string[];
  /** For the unfinished last word: the most frequent indexed words starting with it (null: not looked up). */
  completions: string[] | null;
}

/** Damerau–Levenshtein (optimal string alignment) distance, stopping early above `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

function allowedEdits(length: number): number {
  return length >= 8 ? 2 : 1;
}

/** For an unfinished word: the distance between it and the closest beginning of the candidate. */
function prefixDistance(prefix: string, candidate: string, max: number): number {
  let best = max + 1;
  for (let length = prefix.length - max; length <= prefix.length + max; length++) {
    if (length < 1 || length > candidate.length) continue;
    best = Math.min(best, editDistance(prefix, candidate.slice(0, length), max));
  }
  return best;
}

/**
 * The trigram similarity below which a vocabulary word is not a candidate correction, by the length of the
 * typed word. Measured on the benchmark's one-typo queries, the lowest similarity between a typo and its
 * word was 0.2 at 5 letters, 0.27 at 6, 0.33 at 7, 0.38 at 8, 0.43 at 9, 0.47 at 10 and 0.53 from 12 on;
 * a higher threshold lets the trigram index discard more candidates (the costly part). Set per word for
 * the statement only (set_config(…, true)), so other queries keep the default.
 */
function similarityThreshold(length: number): number {
  if (length <= 5) return 0.3;
  if (length <= 7) return 0.27;
  if (length === 8) return 0.35;
  if (length === 9) return 0.4;
  if (length <= 11) return 0.45;
  return 0.5;
}

/** The smallest string greater than every string starting with `prefix` (for a btree range scan). */
function prefixUpperBound(prefix: string): string {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const lastLength = last > 0xffff ? 2 : 1;
  return prefix.slice(0, prefix.length - lastLength) + String.fromCodePoint(last + 1);
}

/**
 * Looks every query word up in the vocabulary, in one round trip.
 * - A word the index does not hold, or holds in only a couple of documents (a typo in the corpus is still
 *   a typo), gets its nearest much more frequent words (pg_trgm), kept when one or two edits away.
 *   Words shorter than MIN_CORRECTED_LENGTH are left alone: a trigram neighbour of "api" is noise.
 * - The unfinished last word is expanded to its most frequent completions. Matching them as exact
 *   lexemes lets GIN skip through long posting lists, where a `:*` prefix would first collect every
 *   document of every completion (measured: the difference between 10 and 26 ms of CPU on PGlite).
 *   Without any completion it may be a typo, and gets corrections like any other word.
 */
async function lookUpWords(db: Db, terms: readonly QueryTerm[], prefixLast: boolean): Promise<WordLookup[]> {
  const lookups: SQL[] = [];
  const asked: Array<{ index: number; text: string; prefix: boolean }> = [];
  terms.forEach((term, index) => {
    if (term.kind !== "word" || term.text.length > MAX_VOCABULARY_WORD) return;
    const prefix = prefixLast && term.isLast && term.text.length >= MIN_COMPLETED_LENGTH;
    const correctable = term.text.length >= MIN_CORRECTED_LENGTH && !/^\p{N}+$/u.test(term.text);
    if (!prefix && !correctable) return;
    const i = asked.length;
    asked.push({ index, text: term.text, prefix });
    const w = term.text;
    const completions = prefix
      ? sql`(select json_agg(c.word) from (select word from search_vocabulary
            where word >= ${w} and word < ${prefixUpperBound(w)} and starts_with(word, ${w})
            order by doc_count desc, word limit ${MAX_COMPLETIONS}) c)`
      : sql`null::json`;
    const neighbours = prefix
      ? sql`select word, doc_count from search_vocabulary where (word % ${w} or ${w} <% word) and doc_count > 4 * k.n
              and k.threshold is not null
            order by greatest(similarity(word, ${w}), word_similarity(${w}, word)) desc, doc_count desc limit 40`
      : sql`select word, doc_count from search_vocabulary where word % ${w} and doc_count > 4 * k.n and k.threshold is not null
            order by similarity(word, ${w}) desc, doc_count desc limit 40`;
    const needsCorrection = prefix
      ? sql`not exists (select 1 from search_vocabulary where word >= ${w} and word < ${prefixUpperBound(w)} and starts_with(word, ${w}))`
      : sql`k.n <= ${RARE_WORD_DOCS}`;
    lookups.push(sql`select ${i}::int as i, ${completions} as completions,
      case when ${correctable ? needsCorrection : sql`false`}
        then (select json_agg(json_build_array(c.word, c.doc_count)) from (${neighbours}) c) end as candidates
      from (select coalesce((select doc_count from search_vocabulary where word = ${w}), 0) as n,
        set_config('pg_trgm.similarity_threshold', ${String(similarityThreshold(w.length))}, true) as threshold) k`);
  });
  if (lookups.length === 0) return [];
  const rows = await queryRows<{ i: number; completions: unknown; candidates: unknown }>(db, sql.join(lookups, sql` union all `));
  const results: WordLookup[] = [];
  for (const row of rows) {
    const wanted = asked[Number(row.i)];
    if (!wanted) continue;
    const completions = wanted.prefix ? (parseJson<string[] | null>(row.completions) ?? []) : null;
    const candidates = parseJson<Array<[string, number]> | null>(row.candidates) ?? [];
    const max = allowedEdits(wanted.text.length);
    const corrections = candidates
      .map(([word, docCount]) => ({
        word,
        docCount: Number(docCount),
        distance: wanted.prefix ? prefixDistance(wanted.text, word, max) : editDistance(wanted.text, word, max),
      }))
      .filter((c) => c.distance <= max && c.word !== wanted.text)
      .sort((a, b) => a.distance - b.distance || b.docCount - a.docCount)
      .slice(0, CORRECTIONS_PER_WORD)
      .map((c) => c.word);
    results.push({ index: wanted.index, corrections, completions });
  }
  return results;
}

function flatParts(term: QueryTerm): string[] {
  return term.kind === "word" ? term.parts : [term.text];
}

/** A query term as a tsquery expression, with its corrections, and what to highlight for it. */
function termExpr(term: QueryTerm, prefix: boolean, lookup: WordLookup | undefined, marks: MarkCollector): TsExpr {
  if (term.kind === "cjk") {
    marks.cjk.add(term.text);
    if (term.grams.length === 1) return { op: "term", lexeme: term.grams[0]!, prefix: true };
    return { op: "phrase", items: term.grams.map((gram) => ({ lexeme: gram, prefix: false })) };
  }
  const completions = prefix ? lookup?.completions : null;
  // Completed from the vocabulary when it could be; a `:*` prefix only for words the vocabulary cannot hold.
  const usePrefix = prefix && !completions && term.text.length >= 2;
  const items: TsExpr[] = [{ op: "term", lexeme: term.text, prefix: usePrefix }];
  if (prefix) marks.prefixes.add(term.text);
  else marks.words.add(term.text);
  for (const word of completions ?? []) {
    if (word !== term.text) items.push({ op: "term", lexeme: word, prefix: false });
  }
  if (term.parts.length > 1) {
    items.push({
      op: "phrase",
      items: term.parts.map((part, i) => ({ lexeme: part, prefix: usePrefix && i === term.parts.length - 1 })),
    });
    marks.phrases.push(term.parts);
  }
  for (const word of lookup?.corrections ?? []) {
    items.push({ op: "term", lexeme: word, prefix: false });
    marks.words.add(word);
  }
  return items.length === 1 ? items[0]! : { op: "or", items };
}

interface MarkCollector {
  words: Set<string>;
  prefixes: Set<string>;
  phrases: string[][];
  cjk: Set<string>;
}

interface SynonymAlternative {
  terms: QueryTerm[];
  parts: string[];
}

function synonymAlternatives(groups: SynonymGroups): SynonymAlternative[][] {
  return groups.map((group) =>
    group
      .map((text) => {
        const terms = analyzeQuery(text).map((t) => ({ ...t, isLast: false }));
        return { terms, parts: terms.flatMap(flatParts) };
      })
      .filter((alt) => alt.parts.length > 0),
  );
}

/** A synonym as a query: its words adjacent (a phrase) when it has several, without prefix or correction. */
function alternativeExpr(alt: SynonymAlternative, marks: MarkCollector): TsExpr {
  if (alt.terms.length === 1) return termExpr(alt.terms[0]!, false, undefined, marks);
  const latin = alt.terms.every((t) => t.kind === "word");
  if (latin) {
    marks.phrases.push(alt.parts);
    return {
      op: "or",
      items: [
        { op: "phrase", items: alt.parts.map((lexeme) => ({ lexeme, prefix: false })) },
        { op: "term", lexeme: alt.parts.join(""), prefix: false },
      ],
    };
  }
  return { op: "and", items: alt.terms.map((t) => termExpr(t, false, undefined, marks)) };
}

/**
 * The whole query: AND over query words, each an OR of itself, its corrections and, where a run of
 * words spells a synonym, the group's other synonyms.
 */
function buildQuery(
  terms: readonly QueryTerm[],
  prefixLast: boolean,
  lookups: readonly WordLookup[],
  synonyms: readonly SynonymAlternative[][],
): { expr: TsExpr; marks: MarkCollector } {
  const marks: MarkCollector = { words: new Set(), prefixes: new Set(), phrases: [], cjk: new Set() };
  const lookupOf = new Map(lookups.map((l) => [l.index, l]));
  const groups: TsExpr[] = [];
  let i = 0;
  while (i < terms.length) {
    const matched = matchSynonym(terms, i, synonyms);
    const own = (index: number) =>
      termExpr(terms[index]!, prefixLast && terms[index]!.isLast, lookupOf.get(index), marks);
    if (matched) {
      const span: TsExpr[] = [];
      for (let k = i; k < matched.end; k++) span.push(own(k));
      const items: TsExpr[] = [span.length === 1 ? span[0]! : { op: "and", items: span }];
      for (const alt of matched.others) items.push(alternativeExpr(alt, marks));
      groups.push({ op: "or", items });
      i = matched.end;
    } else {
      groups.push(own(i));
      i++;
    }
  }
  return { expr: { op: "and", items: groups }, marks };
}

/** The longest synonym that the query words starting at `start` spell out exactly, whole words only. */
function matchSynonym(
  terms: readonly QueryTerm[],
  start: number,
  synonyms: readonly SynonymAlternative[][],
): { end: number; others: SynonymAlternative[] } | null {
  let best: { end: number; others: SynonymAlternative[] } | null = null;
  for (const group of synonyms) {
    for (const alt of group) {
      const parts: string[] = [];
      let end = start;
      while (end < terms.length && parts.length < alt.parts.length) parts.push(...flatParts(terms[end++]!));
      if (parts.length !== alt.parts.length || parts.some((p, k) => p !== alt.parts[k])) continue;
      if (!best || end > best.end) best = { end, others: group.filter((other) => other !== alt) };
    }
  }
  return best;
}

/* -------------------------------------------------------------------------------------------------- */

type SearchRow = { total: number; types: unknown; tags: unknown; hits: unknown };

/**
 * The query evaluated against the title's terms with plain string search: far cheaper than reading the
 * tsvector (ts_rank_cd detoasts it), so it can run on every match to pick the candidates worth ranking.
 */
function titleMatchSql(expr: TsExpr): SQL | null {
  switch (expr.op) {
    case "term":
      if (tsLexeme(expr.lexeme) === null) return null;
      return expr.prefix
        ? sql`strpos(' ' || d.title_terms, ${" " + expr.lexeme}) > 0`
        : sql`strpos(' ' || d.title_terms || ' ', ${" " + expr.lexeme + " "}) > 0`;
    case "phrase": {
      if (expr.items.length === 0 || expr.items.some((item) => tsLexeme(item.lexeme) === null)) return null;
      const text = " " + expr.items.map((item) => item.lexeme).join(" ");
      return expr.items.at(-1)!.prefix
        ? sql`strpos(' ' || d.title_terms, ${text}) > 0`
        : sql`strpos(' ' || d.title_terms || ' ', ${text + " "}) > 0`;
    }
    case "or":
    case "and": {
      const parts = expr.items.map(titleMatchSql).filter((part): part is SQL => part !== null);
      if (parts.length === 0) return null;
      return sql`(${sql.join(parts, expr.op === "or" ? sql` or ` : sql` and `)})`;
    }
  }
}

const EMPTY_RESPONSE: SearchResponse = { hits: [], total: 0, facets: { types: {}, tags: [] } };

/**
 * Beyond this many words a query is a sentence (an ask-page title): all-but-one would grow long, and
 * "any word" would let "how", "do" and "i" match everything, so such queries are not relaxed.
 */
const MAX_WORDS_FOR_ALL_BUT_ONE = 10;

/**
 * The query with one word allowed to miss: an OR of the AND of every other word. Ranking still puts the
 * documents matching more words first. Null below three words.
 */
function allButOne(expr: TsExpr): TsExpr | null {
  // Two words relaxed would be one word: too loose ("idp login" answered with every "login").
  if (expr.op !== "and" || expr.items.length < 3) return null;
  if (expr.items.length > MAX_WORDS_FOR_ALL_BUT_ONE) return null;
  return {
    op: "or",
    items: expr.items.map((_, skipped) => {
      const rest = expr.items.filter((__, k) => k !== skipped);
      return rest.length === 1 ? rest[0]! : { op: "and" as const, items: rest };
    }),
  };
}

export function createEmbeddedSearchEngine(db: Db): SearchEngine {
  let synonymCache: { at: number; groups: SynonymAlternative[][] } | null = null;

  async function loadSynonyms(): Promise<SynonymAlternative[][]> {
    if (synonymCache && Date.now() - synonymCache.at < SYNONYM_CACHE_MS) return synonymCache.groups;
    const rows = await queryRows<{ value: unknown }>(db, sql`select value from search_state where key = ${STATE_SYNONYMS}`);
    const stored = rows[0] ? parseJson<unknown>(rows[0].value) : [];
    const groups = Array.isArray(stored)
      ? stored.filter((g): g is string[] => Array.isArray(g) && g.every((t) => typeof t === "string"))
      : [];
    synonymCache = { at: Date.now(), groups: synonymAlternatives(groups) };
    return synonymCache.groups;
  }

  async function search(query: SearchQuery): Promise<SearchResponse> {
    const terms = analyzeQuery(query.q);
    if (terms.length === 0 || query.visibilities.length === 0) return EMPTY_RESPONSE;
    const prefixLast = query.prefix !== false;
    const [lookups, synonyms] = await Promise.all([lookUpWords(db, terms, prefixLast), loadSynonyms()]);
    const { expr, marks } = buildQuery(terms, prefixLast, lookups, synonyms);
    const strict = await runQuery(query, expr, marks);
    // Every word must match; when that finds nothing, a word the corrections could not fix (a typo that is
    // itself a real word, "waiting" for "writing") or a completion outside the most frequent ones would
    // leave the searcher with an empty page. Then accept documents matching all words but one.
    const relaxed = strict.total === 0 ? allButOne(expr) : null;
    return relaxed ? runQuery(query, relaxed, marks, MAX_RELAXED_MATCHES) : strict;
  }

  async function runQuery(query: SearchQuery, expr: TsExpr, marks: MarkCollector, maxMatches = MAX_MATCHES): Promise<SearchResponse> {
    const tsquery = renderTsQuery(expr);
    const inTitle = titleMatchSql(expr);
    if (!tsquery || !inTitle) return EMPTY_RESPONSE;

    const filters: SQL[] = [
      sql`d.generation = ${liveGeneration}`,
      sql`d.tsv @@ to_tsquery('simple', ${tsquery})`,
      sql`d.visibility in (${sql.join(query.visibilities.map((v) => sql`${v}`), sql`, `)})`,
    ];
    if (query.types && query.types.length > 0) filters.push(sql`d.doc_type in (${sql.join(query.types.map((t) => sql`${t}`), sql`, `)})`);
    if (query.locales && query.locales.length > 0) filters.push(sql`d.locale in (${sql.join(query.locales.map((l) => sql`${l}`), sql`, `)})`);
    // A document must carry every requested tag (each tag narrows the results).
    for (const tag of query.tags ?? []) filters.push(sql`d.tags @> array[${tag}]::text[]`);

    const limit = Math.max(0, Math.min(100, Math.floor(query.limit)));
    const offset = Math.max(0, Math.min(maxMatches - limit, Math.floor(query.offset)));
    const candidates = Math.max(RANKED_CANDIDATES, offset + limit);
    const facets = query.facets !== false;
    // m: every match (up to MAX_MATCHES) with what is cheap to know: type, tags, title match.
    // c: the candidates worth ranking: exact titles, then titles holding every word, then the rest.
    // Only those are ranked by ts_rank_cd, the costly part (it reads the whole tsvector).
    const rows = await queryRows<SearchRow>(
      db,
      sql`
      with m as materialized (
        select d.doc_key, d.doc_type, d.tags, d.title_terms = ${analyzeForIndex(query.q)} as exact, ${inTitle} as in_title
        from search_documents d
        where ${sql.join(filters, sql` and `)}
        limit ${maxMatches}
      ),
      c as (select m.doc_key, m.exact, m.in_title from m order by m.exact desc, m.in_title desc limit ${candidates}),
      ranked as (
        select d.doc_key, d.doc_type, d.source_id, d.title, d.body,
          ts_rank_cd(${RANK_WEIGHTS}::float4[], d.tsv, to_tsquery('simple', ${tsquery}), 1)
            + case when c.in_title then ${TITLE_MATCH_BOOST}::float4 else 0 end
            + case when c.exact then ${EXACT_TITLE_BOOST}::float4 else 0 end as score
        from c join search_documents d on d.generation = ${liveGeneration} and d.doc_key = c.doc_key
      ),
      page as (select * from ranked order by score desc, doc_key limit ${limit} offset ${offset})
      select
        (select count(*) from m)::int as total,
        ${facets ? sql`(select coalesce(json_agg(json_build_array(t.doc_type, t.n)), '[]') from (select doc_type, count(*)::int as n from m group by doc_type) t)` : sql`null`} as types,
        ${facets ? sql`(select coalesce(json_agg(json_build_array(t.tag, t.n) order by t.n desc, t.tag), '[]') from (select tag, count(*)::int as n from m, unnest(m.tags) as tag group by tag order by n desc, tag limit 20) t)` : sql`null`} as tags,
        (select coalesce(json_agg(json_build_array(p.doc_key, p.doc_type, p.source_id, p.title, p.body, p.score) order by p.score desc, p.doc_key), '[]')
          from page p) as hits`,
    );
    const row = rows[0];
    if (!row) return EMPTY_RESPONSE;

    const highlighter = createHighlighter(toHighlightTerms(marks));
    const hits: SearchHit[] = parseJson<Array<[string, SearchDocType, number, string, string, number]>>(row.hits).map(
      ([key, type, sourceId, title, body, score]) => ({
        key,
        type,
        sourceId: Number(sourceId),
        score: Number(score),
        titleHtml: highlighter.full(title),
        snippetHtml: highlighter.snippet(body),
      }),
    );
    const types: Partial<Record<SearchDocType, number>> = {};
    for (const [type, n] of parseJson<Array<[SearchDocType, number]> | null>(row.types) ?? []) types[type] = Number(n);
    const tags = (parseJson<Array<[string, number]> | null>(row.tags) ?? []).map(([tag, count]) => ({ tag, count: Number(count) }));
    return { hits, total: Number(row.total), facets: { types, tags } };
  }

  async function readGeneration(tx: Db, key: string): Promise<number | null> {
    const rows = await queryRows<{ g: number | null }>(tx, sql`select (value #>> '{}')::int as g from search_state where key = ${key}`);
    return rows[0]?.g == null ? null : Number(rows[0].g);
  }

  async function setState(tx: Db, key: string, value: unknown): Promise<void> {
    await tx.execute(sql`insert into search_state (key, value, updated_at) values (${key}, ${JSON.stringify(value)}::jsonb, now())
      on conflict (key) do update set value = excluded.value, updated_at = now()`);
  }

  return {
    name: "embedded",

    async setup() {
      await db.execute(sql`insert into search_state (key, value) values (${STATE_GENERATION}, '1'::jsonb) on conflict (key) do nothing`);
    },

    async upsert(docs) {
      await upsertDocuments(db, docs);
      await mergePendingEntries(db, [TSV_INDEX, VOCABULARY_INDEX]);
    },

    async remove(items) {
      const rows = newestPerKey(items)
        .map((item) => tombstoneRow(item.key, item.revision))
        .filter((row): row is DocumentRow => row !== null);
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) await writeRows(db, rows.slice(i, i + UPSERT_CHUNK));
      await mergePendingEntries(db, [TSV_INDEX]);
    },

    search,

    async setSynonyms(groups) {
      const normalized: SynonymGroups = [];
      for (const group of groups) {
        const terms = [...new Set(group.map(normalizeQueryText).filter((t) => t.length > 0 && t.length <= 80))];
        if (terms.length >= 2) normalized.push(terms);
      }
      await setState(db, STATE_SYNONYMS, normalized);
      synonymCache = { at: Date.now(), groups: synonymAlternatives(normalized) };
    },

    async beginRebuild(): Promise<SearchRebuild> {
      const building = await db.transaction(async (tx) => {
        // Serializes rebuilds against each other and against a commit.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('hearth.search.rebuild'))`);
        const live = (await readGeneration(tx, STATE_GENERATION)) ?? 1;
        await setState(tx, STATE_GENERATION, live);
        const next = live + 1;
        // Leftovers of an aborted or abandoned rebuild.
        await tx.execute(sql`delete from search_documents where generation <> ${live}`);
        await setState(tx, STATE_BUILDING, next);
        return next;
      });
      let finished = false;
      const ensureOpen = () => {
        if (finished) throw new Error("This search rebuild has already been committed or aborted");
      };
      return {
        async upsert(docs) {
          ensureOpen();
          await upsertDocuments(db, docs, building);
        },
        async commit() {
          ensureOpen();
          await db.transaction(async (tx) => {
            await tx.execute(sql`select pg_advisory_xact_lock(hashtext('hearth.search.rebuild'))`);
            if ((await readGeneration(tx, STATE_BUILDING)) !== building) {
              throw new Error("Another search rebuild replaced this one; it was not committed");
            }
            await setState(tx, STATE_GENERATION, building);
            await tx.execute(sql`delete from search_state where key = ${STATE_BUILDING}`);
            await tx.execute(sql`delete from search_documents where generation <> ${building}`);
            // Exact counts from the new index (CJK bigrams are never corrected, so they stay out). Counts are
            // updated in place rather than the table refilled: changing doc_count alone is a HOT update,
            // which leaves the trigram index untouched.
            await tx.execute(sql.raw(`
              with counted as materialized (
                select word, ndoc from ts_stat('select tsv from search_documents where generation = ${Number(building)}')
                where length(word) between 3 and 32 and word ~ '[[:alpha:]]'
                  and word !~ '[\\u3005\\u3006\\u3040-\\u30ff\\u3400-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff]'
              ),
              updated as (
                update search_vocabulary v set doc_count = c.ndoc from counted c where v.word = c.word and v.doc_count <> c.ndoc
              ),
              inserted as (
                insert into search_vocabulary (word, doc_count) select word, ndoc from counted order by word
                on conflict (word) do nothing
              )
              delete from search_vocabulary v where not exists (select 1 from counted c where c.word = v.word)`));
          });
          finished = true;
          await mergePendingEntries(db, [TSV_INDEX, VOCABULARY_INDEX]);
        },
        async abort() {
          if (finished) return;
          finished = true;
          await db.transaction(async (tx) => {
            await tx.execute(sql`select pg_advisory_xact_lock(hashtext('hearth.search.rebuild'))`);
            await tx.execute(sql`delete from search_documents where generation = ${building}`);
            await tx.execute(sql`delete from search_state where key = ${STATE_BUILDING} and (value #>> '{}')::int = ${building}`);
          });
        },
      };
    },

    async count() {
      const rows = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from search_documents where generation = ${liveGeneration} and visibility <> ${TOMBSTONE}`,
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}

function toHighlightTerms(marks: MarkCollector): HighlightTerms {
  return { words: [...marks.words], prefixes: [...marks.prefixes], phrases: marks.phrases, cjk: [...marks.cjk] };
}
