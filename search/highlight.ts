/**
 * Highlighting for the embedded engine, in JavaScript over the stored title and body: everything is
 * escaped and the only markup is <mark>. (ts_headline would need its output trusted and repeats raw text.)
 *
 * Matching works on NFKC text so a half-width ｶｽﾀﾏｰ in a document is marked for a カスタマー query; the
 * marks are placed on the original characters.
 */

export interface HighlightTerms {
  /** Whole words (lower case), e.g. "password", "getuserbyid". */
  words: readonly string[];
  /** Word prefixes (lower case): the unfinished last query word. */
  prefixes: readonly string[];
  /** Word sequences (identifier parts, multi-word synonyms), marked when adjacent: "single sign-on". */
  phrases: readonly (readonly string[])[];
  /** CJK strings, marked wherever they occur (CJK has no word boundaries). */
  cjk: readonly string[];
}

export interface Highlighter {
  /** The whole text, escaped, matches in <mark>. */
  full(text: string): string;
  /** About `size` characters of the text around the densest matches, escaped, "…" where cut. */
  snippet(text: string, size?: number): string;
}

const CJK_CHAR_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u3006\u30FC]/u;
const LETTER_RE = /[\p{L}\p{N}\p{M}]/u;
const PHRASE_GAP = "[^\\p{L}\\p{N}]{0,3}";
/** Marking stops after this many matches in one text: a snippet shows a handful. */
const MAX_MATCHES = 400;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c]!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/gu, "\\$&");
}

type Range = [start: number, end: number];

/**
 * One regular expression of plain alternatives, grouped by kind: 1 CJK strings (marked anywhere),
 * 2 phrases, 3 prefixes, 4 whole words. Word boundaries are checked in code rather than with
 * look-behinds, which would run at every position of a 20,000-character body (measured: 20 ms a query).
 */
function buildPattern(terms: HighlightTerms): RegExp | null {
  const group = (sources: string[]) => (sources.length > 0 ? `(${sources.join("|")})` : "((?!))");
  const byLength = (a: string, b: string) => b.length - a.length;
  const cjk = terms.cjk.filter(Boolean).sort(byLength).map(escapeRegExp);
  const phrases = terms.phrases
    .map((phrase) => phrase.filter(Boolean))
    .filter((parts) => parts.length >= 2)
    .sort((a, b) => b.join("").length - a.join("").length)
    .map((parts) => parts.map(escapeRegExp).join(PHRASE_GAP));
  const prefixes = terms.prefixes.filter(Boolean).sort(byLength).map(escapeRegExp);
  const words = terms.words.filter(Boolean).sort(byLength).map(escapeRegExp);
  if (cjk.length + phrases.length + prefixes.length + words.length === 0) return null;
  return new RegExp([group(cjk), group(phrases), group(prefixes), group(words)].join("|"), "giu");
}

/** True when the character at `index` (a UTF-16 offset) is part of a non-CJK word. */
function isWordCharAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  const code = text.charCodeAt(index);
  let char: string;
  if (code >= 0xdc00 && code <= 0xdfff && index > 0) char = text.slice(index - 1, index + 1);
  else if (code >= 0xd800 && code <= 0xdbff) char = text.slice(index, index + 2);
  else char = text[index]!;
  return LETTER_RE.test(char) && !CJK_CHAR_RE.test(char);
}

/** Matches of the pattern in `text` as [start, end) ranges of `text`, words whole. */
function matchRanges(pattern: RegExp, text: string): Range[] {
  const ranges: Range[] = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index;
    let end = start + match[0].length;
    if (end === start) {
      pattern.lastIndex = start + 1;
      continue;
    }
    if (match[1] === undefined) {
      // Latin words: no word character right before, and none right after unless it is a prefix.
      const isPrefix = match[3] !== undefined;
      if (isWordCharAt(text, start - 1) || (!isPrefix && isWordCharAt(text, end))) {
        pattern.lastIndex = start + 1;
        continue;
      }
      if (isPrefix) while (isWordCharAt(text, end)) end++;
      pattern.lastIndex = end;
    }
    ranges.push([start, end]);
    if (ranges.length >= MAX_MATCHES) break;
  }
  return ranges;
}

/**
 * The NFKC form of a text with, for each of its UTF-16 units, the range of original units it came
 * from. A base character and its combining marks (and half-width voicing marks) normalize together.
 */
function normalizeWithMap(text: string): { normalized: string; from: number[]; to: number[] } {
  const normalized: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const clusters = /.[\p{M}\uFF9E\uFF9F]*/gsu;
  for (const match of text.matchAll(clusters)) {
    const start = match.index;
    const end = start + match[0].length;
    const piece = match[0].normalize("NFKC");
    normalized.push(piece);
    for (let i = 0; i < piece.length; i++) {
      from.push(start);
      to.push(end);
    }
  }
  return { normalized: normalized.join(""), from, to };
}

function findRanges(pattern: RegExp | null, text: string): Range[] {
  if (!pattern || !text) return [];
  if (text.normalize("NFKC") === text) return matchRanges(pattern, text);
  const { normalized, from, to } = normalizeWithMap(text);
  const ranges: Range[] = [];
  for (const [s, e] of matchRanges(pattern, normalized)) {
    const start = from[s]!;
    const end = to[e - 1]!;
    const previous = ranges.at(-1);
    if (previous && start < previous[1]) previous[1] = Math.max(previous[1], end);
    else ranges.push([start, end]);
  }
  return ranges;
}

function render(text: string, ranges: readonly Range[], start: number, end: number): string {
  let html = "";
  let at = start;
  for (const [rangeStart, rangeEnd] of ranges) {
    if (rangeEnd <= start || rangeStart >= end) continue;
    const s = Math.max(rangeStart, start);
    const e = Math.min(rangeEnd, end);
    html += escapeHtml(text.slice(at, s)) + "<mark>" + escapeHtml(text.slice(s, e)) + "</mark>";
    at = e;
  }
  return html + escapeHtml(text.slice(at, end));
}

/** Moves an offset off the second half of a surrogate pair. */
function safeOffset(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
}

/** The start of the window of `size` characters that holds the most matches (lead context before it). */
function bestWindowStart(ranges: readonly Range[], size: number, lead: number): number {
  let best = 0;
  let bestCount = -1;
  let j = 0;
  for (let i = 0; i < ranges.length; i++) {
    const windowStart = Math.max(0, ranges[i]![0] - lead);
    const windowEnd = windowStart + size;
    if (j < i) j = i;
    while (j < ranges.length && ranges[j]![1] <= windowEnd) j++;
    const count = j - i;
    if (count > bestCount) {
      bestCount = count;
      best = windowStart;
    }
  }
  return best;
}

export function createHighlighter(terms: HighlightTerms): Highlighter {
  const pattern = buildPattern(terms);
  return {
    full(text) {
      return render(text, findRanges(pattern, text), 0, text.length);
    },
    snippet(text, size = 200) {
      const ranges = findRanges(pattern, text);
      if (text.length <= size) return render(text, ranges, 0, text.length);
      let start = ranges.length > 0 ? bestWindowStart(ranges, size, Math.floor(size / 5)) : 0;
      start = Math.min(start, text.length - size);
      // Start at a word when one begins close by, rather than mid-word.
      if (start > 0) {
        const space = text.slice(start, start + 20).search(/\s/u);
        const firstMatch = ranges.find((r) => r[1] > start);
        if (space >= 0 && (!firstMatch || start + space + 1 <= firstMatch[0])) start += space + 1;
      }
      start = safeOffset(text, start);
      const end = safeOffset(text, Math.min(text.length, start + size));
      return (start > 0 ? "…" : "") + render(text, ranges, start, end).trim() + (end < text.length ? "…" : "");
    },
  };
}
