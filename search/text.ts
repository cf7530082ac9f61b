/**
 * Text analysis shared by indexing and querying (the embedded engine; the Meilisearch adapter may reuse it).
 *
 * The same analyzer runs on both sides so a query term can only ever be a term the index could hold:
 * - NFKC then lower case, so full-width Latin and half-width katakana meet their usual forms;
 * - Latin (and any non-CJK script) words; code identifiers such as `file.isNull()`, `getUserById` or
 *   `snake_case` give their parts in order and, appended after the field's ordinary terms, the whole
 *   identifier joined (`fileisnull`, `getuserbyid`), so the parts stay adjacent for phrase queries;
 * - CJK runs (Han, Hiragana, Katakana with ー, Hangul) as overlapping character bigrams, a one-character
 *   run as a unigram. Intl.Segmenter alone splits katakana loanwords (カスタマー → カス|タマ|ー), bigrams do
 *   not care; queries are segmented only to drop particles, and each word becomes a phrase of its bigrams.
 */

/** NFKC, lower case, whitespace collapsed and trimmed: how queries are stored for analytics. */
export function normalizeQueryText(q: string): string {
  return q.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

const CJK_CHARS = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u3005\\u3006\\u30FC";
const CJK_CLASS = `[${CJK_CHARS}]`;
/** One letter, digit or mark of a non-CJK script. */
const WORD_CHAR = `(?:(?!${CJK_CLASS})[\\p{L}\\p{N}\\p{M}])`;
/** A CJK run, or a word/identifier: word pieces joined by at most two connector characters. */
const TOKEN_RE = new RegExp(`(${CJK_CLASS}+)|(${WORD_CHAR}+(?:[._:\\-'’]{1,2}${WORD_CHAR}+)*)`, "gu");
const CONNECTOR_RE = /[._:\-'’]+/u;
/** camelCase and PascalCase boundaries: aB, and ABc (XMLHttp → XML | Http). */
const CAMEL_RE = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;
const CJK_TEST_RE = new RegExp(CJK_CLASS, "u");
const KATAKANA_RE = /^[\p{Script=Katakana}\u30FC]+$/u;
/** What may go into a tsquery lexeme; everything else is dropped before the query is built. */
const LEXEME_RE = /^[\p{L}\p{N}\p{M}]+$/u;

/** Longest term kept: longer "words" are hashes, base64 and the like, never searched for. */
export const MAX_TERM_LENGTH = 48;
/** Query analysis stops after this many characters and terms (a pasted essay is not a search). */
const MAX_QUERY_CHARS = 512;
const MAX_QUERY_TERMS = 16;

interface RawToken {
  kind: "word" | "cjk";
  /** Lower-cased parts of a word (identifier parts), or the CJK run itself. */
  parts: string[];
  /** Lower-cased connector-separated pieces that were split further by camel case (e.g. "isnull"). */
  pieces: string[];
}

function tokenize(normalized: string): RawToken[] {
  const tokens: RawToken[] = [];
  for (const match of normalized.matchAll(TOKEN_RE)) {
    if (match[1] !== undefined) {
      tokens.push({ kind: "cjk", parts: [match[1].toLowerCase()], pieces: [] });
      continue;
    }
    const parts: string[] = [];
    const pieces: string[] = [];
    for (const piece of match[2]!.split(CONNECTOR_RE)) {
      if (!piece) continue;
      const camel = piece.split(CAMEL_RE);
      for (const part of camel) parts.push(part.toLowerCase());
      if (camel.length > 1) pieces.push(piece.toLowerCase());
    }
    if (parts.length > 0) tokens.push({ kind: "word", parts, pieces });
  }
  return tokens;
}

function usable(term: string): boolean {
  return term.length > 0 && term.length <= MAX_TERM_LENGTH && LEXEME_RE.test(term);
}

/** Overlapping character bigrams of a CJK run (code points, not UTF-16 units); a single character stays. */
export function cjkBigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length <= 1) return chars;
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams;
}

/**
 * The terms of one field, space-separated, for the *_terms columns (the 'simple' text search
 * configuration then only splits them). Ordinary terms keep their order; joined identifiers follow.
 */
export function analyzeForIndex(text: string): string {
  const out: string[] = [];
  const extras = new Set<string>();
  for (const token of tokenize(text.normalize("NFKC"))) {
    if (token.kind === "cjk") {
      for (const gram of cjkBigrams(token.parts[0]!)) out.push(gram);
      continue;
    }
    for (const part of token.parts) if (usable(part)) out.push(part);
    if (token.parts.length > 1) {
      const joined = token.parts.join("");
      if (usable(joined)) extras.add(joined);
      for (const piece of token.pieces) if (piece !== joined && usable(piece)) extras.add(piece);
    }
  }
  for (const extra of extras) out.push(extra);
  return out.join(" ");
}

/** True for a CJK term (a bigram or unigram): these are never typo-corrected or kept in the vocabulary. */
export function isCjkTerm(term: string): boolean {
  return CJK_TEST_RE.test(term);
}

/** Words of an analyzed terms string worth keeping in the vocabulary for typo correction. */
export function vocabularyWords(terms: string): string[] {
  const words = new Set<string>();
  for (const term of terms.split(" ")) {
    if (term.length >= 3 && term.length <= 32 && !isCjkTerm(term) && /\p{L}/u.test(term)) words.add(term);
  }
  return [...words];
}

export type QueryTerm =
  | {
      kind: "word";
      /** The whole word, identifier parts joined ("getuserbyid"). */
      text: string;
      /** Identifier parts when there are several ("get", "user", "by", "id"); else just [text]. */
      parts: string[];
      isLast: boolean;
    }
  | {
      kind: "cjk";
      /** The CJK word as typed (normalized). */
      text: string;
      /** Its bigrams, to be matched as a phrase; one character: a unigram, matched as a prefix. */
      grams: string[];
      isLast: boolean;
    };

/**
 * Particles, auxiliaries and light verbs that carry no search meaning. Dropped from queries only
 * (the index keeps every bigram), and only when a whole segment is one of them.
 */
const JA_STOP_SEGMENTS = new Set([
  "を", "は", "が", "の", "に", "で", "と", "も", "へ", "や", "か", "な", "ね", "よ", "ば", "て", "た", "だ", "い", "さ",
  "から", "まで", "より", "など", "って", "けど", "ので", "のに", "には", "では", "とは", "への", "での", "との",
  "です", "ます", "でした", "ました", "ません", "せん", "ま", "ない", "たい", "した", "する", "します", "して", "され",
  "される", "れる", "られる", "できる", "でき", "できない", "ある", "あり", "いる", "なる", "なり", "こと", "もの",
  "について", "による", "として", "ため", "どう", "どの", "どこ", "なに", "何", "なぜ", "ください", "たら", "れば",
  "この", "その", "あの", "これ", "それ", "あれ", "よう", "ように",
]);

let segmenter: Intl.Segmenter | undefined;

/** Japanese words of a CJK run, particles dropped, katakana loanwords and stray characters re-joined. */
function segmentCjkRun(run: string): string[] {
  segmenter ??= new Intl.Segmenter("ja", { granularity: "word" });
  const segments: Array<{ text: string; stop: boolean }> = [];
  for (const { segment } of segmenter.segment(run)) {
    const stop = JA_STOP_SEGMENTS.has(segment);
    const previous = segments.at(-1);
    // The segmenter splits katakana loanwords (カス|タマ|ー|サクセス); bigrams match them whole anyway.
    if (previous && !previous.stop && !stop && KATAKANA_RE.test(previous.text) && KATAKANA_RE.test(segment)) {
      previous.text += segment;
      continue;
    }
    segments.push({ text: segment, stop });
  }
  // A one-character word (請求|書) would only be a prefix of a bigram, which misses it at the end of a run:
  // keep it attached to an adjacent word instead.
  const words: Array<{ text: string; stop: boolean }> = [];
  for (let i = 0; i < segments.length; i++) {
    const current = segments[i]!;
    if (!current.stop && Array.from(current.text).length === 1) {
      const previous = words.at(-1);
      if (previous && !previous.stop && segments[i - 1] === previous) {
        previous.text += current.text;
        continue;
      }
      const next = segments[i + 1];
      if (next && !next.stop) {
        next.text = current.text + next.text;
        continue;
      }
    }
    words.push(current);
  }
  const kept = words.filter((w) => !w.stop).map((w) => w.text);
  // A query made only of particles still means something ("の"): search for the run itself.
  return kept.length > 0 ? kept : [run];
}

/**
 * The terms of a query, in order. The last one is marked so the engine can match it as a prefix;
 * a query ending in a space or punctuation has no unfinished word.
 */
export function analyzeQuery(q: string): QueryTerm[] {
  const normalized = q.normalize("NFKC").slice(0, MAX_QUERY_CHARS);
  const terms: QueryTerm[] = [];
  for (const token of tokenize(normalized)) {
    if (token.kind === "cjk") {
      for (const word of segmentCjkRun(token.parts[0]!)) {
        const grams = cjkBigrams(word).filter(usable);
        if (grams.length > 0) terms.push({ kind: "cjk", text: word, grams, isLast: false });
      }
      continue;
    }
    const parts = token.parts.filter(usable);
    if (parts.length === 0) continue;
    const text = parts.join("");
    if (!usable(text)) continue;
    terms.push({ kind: "word", text, parts, isLast: false });
  }
  const limited = terms.slice(0, MAX_QUERY_TERMS);
  const last = limited.at(-1);
  const unfinished = /[\p{L}\p{N}\p{M}]$/u.test(normalized);
  if (last && unfinished && limited.length === terms.length) last.isLast = true;
  return limited;
}

/* ------------------------------------------------------------------------------------------------ */
/* tsquery building: only validated lexemes go in, each quoted, so no input can break the syntax.   */

export type TsExpr =
  | { op: "term"; lexeme: string; prefix: boolean }
  | { op: "phrase"; items: Array<{ lexeme: string; prefix: boolean }> }
  | { op: "or"; items: TsExpr[] }
  | { op: "and"; items: TsExpr[] };

/** A quoted tsquery lexeme, or null when the text is not a plain run of letters, digits and marks. */
export function tsLexeme(text: string): string | null {
  if (!usable(text)) return null;
  return `'${text.replace(/'/gu, "''")}'`;
}

/**
 * Renders an expression as to_tsquery input. `weights` (e.g. "A") restricts every lexeme to those
 * fields. Invalid lexemes are dropped, and so are operators left empty by that; null when nothing is left.
 */
export function renderTsQuery(expr: TsExpr, weights = ""): string | null {
  const suffix = (prefix: boolean) => (prefix || weights ? `:${prefix ? "*" : ""}${weights}` : "");
  switch (expr.op) {
    case "term": {
      const lexeme = tsLexeme(expr.lexeme);
      return lexeme ? lexeme + suffix(expr.prefix) : null;
    }
    case "phrase": {
      const items = expr.items.map((item) => ({ lexeme: tsLexeme(item.lexeme), prefix: item.prefix }));
      if (items.length === 0 || items.some((item) => item.lexeme === null)) return null;
      const rendered = items.map((item) => item.lexeme! + suffix(item.prefix));
      return rendered.length === 1 ? rendered[0]! : `(${rendered.join(" <-> ")})`;
    }
    case "or":
    case "and": {
      const parts = expr.items.map((item) => renderTsQuery(item, weights)).filter((part): part is string => part !== null);
      if (parts.length === 0) return null;
      return parts.length === 1 ? parts[0]! : `(${parts.join(expr.op === "or" ? " | " : " & ")})`;
    }
  }
}
