/**
 * The one markdown renderer for the knowledge base and the forum.
 *
 * Markdown is rendered and sanitized once, when a document is written, and the HTML is stored beside the
 * source; pages never render markdown per request. Changing this file's output therefore needs a
 * migration that re-renders stored documents.
 *
 * Two layers: marked turns markdown into HTML (raw HTML in the source passes through untouched), then
 * sanitize-html reduces the result to a strict allow-list. The sanitizer is the security boundary; checks
 * in the renderer only make the output nicer (an unsafe image becomes its alt text rather than nothing).
 */
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import php from "highlight.js/lib/languages/php";
import plaintext from "highlight.js/lib/languages/plaintext";
import python from "highlight.js/lib/languages/python";
import ruby from "highlight.js/lib/languages/ruby";
import shell from "highlight.js/lib/languages/shell";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import { Marked, Tokenizer, type RendererObject, type Token, type Tokens, type TokenizerObject } from "marked";
import sanitizeHtml from "sanitize-html";
import type { Locale } from "../../../db/schema/identity";

/** Longest accepted source, in UTF-16 code units (what `string.length` and a textarea's maxlength count). */
export const MARKDOWN_MAX_LENGTH = 100_000;

/** Source the renderer refuses; callers catch this one type and turn it into a field error. */
export class MarkdownRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MarkdownRejectedError";
  }
}

/** Thrown before any work is done when the source is over {@link MARKDOWN_MAX_LENGTH}. */
export class MarkdownTooLongError extends MarkdownRejectedError {
  readonly actualLength: number;
  readonly maxLength = MARKDOWN_MAX_LENGTH;
  constructor(actualLength: number) {
    super(`Markdown is ${actualLength} characters long; the limit is ${MARKDOWN_MAX_LENGTH}.`);
    this.name = "MarkdownTooLongError";
    this.actualLength = actualLength;
  }
}

/**
 * Thrown when the source nests so deeply (thousands of `>` or list markers) that marked's recursive
 * parser runs out of stack. No real document gets near it; without this the caller would see a RangeError.
 */
export class MarkdownTooDeeplyNestedError extends MarkdownRejectedError {
  constructor(options?: { cause?: unknown }) {
    super("Markdown is nested too deeply to render (quotes, lists or emphasis inside each other thousands of times).", options);
    this.name = "MarkdownTooDeeplyNestedError";
  }
}

export type RenderMarkdownOptions = {
  /** Add a visible-on-hover `#` link to every heading (knowledge-base articles). Default false. */
  headingAnchors?: boolean;
  /**
   * Render images. Default true. When false (e.g. members who have not earned the privilege yet) a
   * markdown image becomes a plain link to its URL and raw `<img>` is dropped.
   */
  allowImages?: boolean;
  /**
   * The document's language, which picks the words of generated chrome (callout titles such as "Note").
   * Default "en". It is baked into the stored HTML, so pass the locale of the document, not the viewer's.
   */
  locale?: Locale;
};

export type TocEntry = { depth: 2 | 3; id: string; text: string };

export type RenderedMarkdown = {
  /** Sanitized HTML, safe to store and to insert into a page as is. */
  html: string;
  /** The h2 and h3 headings, in document order, with the ids their elements carry. */
  toc: TocEntry[];
  /** Visible text with whitespace collapsed, for search documents, excerpts and reading time. */
  text: string;
  wordCount: number;
};

for (const [name, language] of Object.entries({
  bash,
  css,
  diff,
  go,
  java,
  javascript,
  json,
  php,
  plaintext,
  python,
  ruby,
  shell,
  sql,
  typescript,
  xml,
  yaml,
})) {
  hljs.registerLanguage(name, language);
}

const CALLOUT_KINDS = ["note", "tip", "important", "warning", "caution"] as const;
type CalloutKind = (typeof CALLOUT_KINDS)[number];
// Kept here rather than in the UI catalogs: they end up in stored HTML, written once in the document's
// language. Japanese follows GitHub's own Japanese rendering of these alerts.
const CALLOUT_TITLES: Record<Locale, Record<CalloutKind, string>> = {
  en: { note: "Note", tip: "Tip", important: "Important", warning: "Warning", caution: "Caution" },
  ja: { note: "メモ", tip: "ヒント", important: "重要", warning: "警告", caution: "注意" },
};
// GitHub's alert syntax: the marker must stand alone on the first line of the quote.
const CALLOUT_MARKER = /^\[!(note|tip|important|warning|caution)\][ \t]*(?:\n|$)/i;

// Elements whose content is never text a reader should see: drop them together with everything inside.
const DISCARDED_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "template",
  "noscript",
  "noembed",
  "noframes",
  "xmp",
  "plaintext",
  "title",
  "option",
  "select",
  "head",
];

const HEADING_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6"] as const;

const ALLOWED_TAGS = [
  "p",
  ...HEADING_TAGS,
  "a",
  "img",
  "ul",
  "ol",
  "li",
  "blockquote",
  "pre",
  "code",
  "span",
  "em",
  "strong",
  "del",
  "s",
  "hr",
  "br",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "div",
  "input",
  "sup",
  "sub",
  "kbd",
  "details",
  "summary",
];

const LINK_REL = "nofollow ugc noopener noreferrer";
const CELL_ALIGN = { name: "align", multiple: false, values: ["left", "center", "right"] };

/**
 * Renders member- or staff-written markdown to sanitized HTML plus the derived data pages need.
 * Pure and deterministic (no I/O). Throws a {@link MarkdownRejectedError}: {@link MarkdownTooLongError} above
 * {@link MARKDOWN_MAX_LENGTH}, {@link MarkdownTooDeeplyNestedError} for nesting no parser stack survives.
 */
export function renderMarkdown(source: string, options: RenderMarkdownOptions = {}): RenderedMarkdown {
  if (source.length > MARKDOWN_MAX_LENGTH) throw new MarkdownTooLongError(source.length);
  const headingAnchors = options.headingAnchors ?? false;
  const allowImages = options.allowImages ?? true;
  const calloutTitles = CALLOUT_TITLES[options.locale ?? "en"];

  const headingIds = new HeadingIds();
  const toc: TocEntry[] = [];

  const renderer: RendererObject = {
    heading({ tokens, depth }) {
      const inner = this.parser.parseInline(tokens);
      const text = htmlToPlainText(inner);
      const id = headingIds.claim(text);
      if (depth === 2 || depth === 3) toc.push({ depth, id, text });
      const anchor = headingAnchors ? `<a class="anchor" href="#${id}" aria-hidden="true" tabindex="-1">#</a>` : "";
      return `<h${depth} id="${id}">${inner}${anchor}</h${depth}>\n`;
    },

    code({ text, lang }) {
      const requested = (lang ?? "").trim().split(/\s/u, 1)[0]?.toLowerCase() ?? "";
      const languageName = requested.replace(/[^a-z0-9_+-]/g, "");
      const code = text.replace(/\n$/, "");
      const highlighted = languageName && hljs.getLanguage(languageName)
        ? hljs.highlight(code, { language: languageName, ignoreIllegals: true }).value
        : escapeHtml(code);
      const className = languageName ? `hljs language-${languageName}` : "hljs";
      return `<pre><code class="${className}">${highlighted}</code></pre>\n`;
    },

    blockquote({ tokens }) {
      const callout = readCallout(tokens);
      if (!callout) return `<blockquote>\n${this.parser.parse(tokens)}</blockquote>\n`;
      return (
        `<div class="callout callout-${callout.kind}" role="note">` +
        `<p class="callout-title">${calloutTitles[callout.kind]}</p>\n` +
        `${this.parser.parse(callout.body)}</div>\n`
      );
    },

    table(token) {
      const headerCells = token.header.map((cell) => this.tablecell(cell)).join("");
      const bodyRows = token.rows
        .map((row) => this.tablerow({ text: row.map((cell) => this.tablecell(cell)).join("") }))
        .join("");
      return (
        `<div class="table-wrap"><table>\n<thead>\n${this.tablerow({ text: headerCells })}</thead>\n` +
        (bodyRows ? `<tbody>${bodyRows}</tbody>` : "") +
        `</table></div>\n`
      );
    },

    listitem(item) {
      const className = item.task ? ' class="task-list-item"' : "";
      return `<li${className}>${this.parser.parse(item.tokens)}</li>\n`;
    },

    image({ href, title, text, tokens }) {
      const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
      if (!isHttpUrl(href)) return escapeKeepingEntities(alt);
      if (!allowImages) return `<a href="${escapeKeepingEntities(href)}">${escapeKeepingEntities(alt || href)}</a>`;
      const titleAttribute = title ? ` title="${escapeKeepingEntities(title)}"` : "";
      return `<img src="${escapeKeepingEntities(href)}" alt="${escapeKeepingEntities(alt)}"${titleAttribute} loading="lazy">`;
    },
  };

  const marked = new Marked({ gfm: true, breaks: false, async: false, renderer, tokenizer: boundedTimeTokenizer() });
  // CommonMark replaces NUL with U+FFFD; marked leaves it in, and a NUL in stored HTML helps nobody.
  const normalizedSource = source.replaceAll("\u0000", "\uFFFD");
  let rawHtml: string;
  try {
    rawHtml = marked.parse(normalizedSource, { async: false });
  } catch (error) {
    if (error instanceof RangeError) throw new MarkdownTooDeeplyNestedError({ cause: error });
    throw error;
  }
  const html = sanitizeHtml(rawHtml, sanitizeOptions({ allowImages, headingIds: headingIds.issued }));
  const text = htmlToPlainText(html);
  return { html, toc, text, wordCount: countWords(text) };
}

/**
 * Keeps marked's inline lexing near linear, because a member's post is rendered on the web process's event
 * loop. Measured on 99,000-character inputs before these overrides:
 * - "_a_a_a…" (no spaces) took 20 s: marked's GFM text and email-autolink regexes look ahead over the whole
 *   remaining run of word characters at every step. `url` and `inlineText` below only ever hand marked a
 *   bounded window, chosen so the tokens come out the same.
 * - "*****…x…*****" took 8 s: every level of emphasis rescans the rest of the paragraph. Past
 *   {@link MAX_EMPHASIS_DEPTH} levels the delimiters stay literal text, which no real document notices.
 */
const INLINE_WINDOW = 512;
const AUTOLINK_PREFIX = /^(?:https?:\/\/|ftp:\/\/|www\.|mailto:|xmpp:)/i;
// An email's local part is at most 64 characters (RFC 5321), so a window of 256 never hides a real address.
const EMAIL_START = /^[A-Za-z0-9._+-]+@/;
const EMAIL_OR_URL_CHARACTER = /[A-Za-z0-9.!#$%&'*+/=?_`{|}~-]/;

const MAX_EMPHASIS_DEPTH = 32;

function boundedTimeTokenizer(): TokenizerObject {
  let emphasisDepth = 0;
  return {
    url(src) {
      if (AUTOLINK_PREFIX.test(src) || EMAIL_START.test(src.slice(0, 256))) return false;
      return undefined;
    },
    inlineText(src) {
      if (src.length <= INLINE_WINDOW) return false;
      return Tokenizer.prototype.inlineText.call(this, src.slice(0, inlineTextWindowEnd(src)));
    },
    emStrong(src, maskedSrc, prevChar) {
      if (emphasisDepth >= MAX_EMPHASIS_DEPTH) return undefined;
      emphasisDepth++;
      try {
        return Tokenizer.prototype.emStrong.call(this, src, maskedSrc, prevChar);
      } finally {
        emphasisDepth--;
      }
    },
  };
}

/**
 * Where to cut a long text run. Consecutive text tokens are merged by marked, so any cut gives the same
 * output as long as the next token starts where marked would start one anyway: after a single space before
 * a word (never inside "  \n", a hard break), else after a character that cannot be part of an email or
 * URL (Japanese has no spaces), never between the halves of a surrogate pair. Only a run of 256+ email or
 * URL characters with no space (junk such as "_a_a_a…", not prose) is cut at the window's edge.
 */
function inlineTextWindowEnd(src: string): number {
  for (let end = INLINE_WINDOW; end > INLINE_WINDOW / 2; end--) {
    const before = src[end - 1] ?? "";
    const after = src[end] ?? "";
    if (before === " " && src[end - 2] !== " " && after !== "" && !/\s/.test(after)) return end;
  }
  for (let end = INLINE_WINDOW; end > INLINE_WINDOW / 2; end--) {
    const before = src[end - 1] ?? "";
    if (!/\s/.test(before) && !EMAIL_OR_URL_CHARACTER.test(before) && !isHighSurrogate(src.charCodeAt(end - 1))) return end;
  }
  return isHighSurrogate(src.charCodeAt(INLINE_WINDOW - 1)) ? INLINE_WINDOW - 1 : INLINE_WINDOW;
}

/**
 * Cuts plain text to at most `maxChars` characters (code points, ellipsis included) at a word boundary.
 * Japanese has no spaces, so boundaries come from Intl.Segmenter's dictionary rather than whitespace.
 */
export function excerpt(text: string, maxChars: number): string {
  const normalized = text.replace(/\s+/gu, " ").trim();
  if (maxChars <= 0) return "";
  if (codePointLength(normalized) <= maxChars) return normalized;
  const budget = maxChars - 1;
  let end = 0;
  let used = 0;
  for (const { segment, index } of segmentWords(normalized)) {
    const length = codePointLength(segment);
    if (used + length > budget) break;
    used += length;
    end = index + segment.length;
  }
  if (end === 0) end = firstGraphemesEnd(normalized, budget);
  // Trailing spaces and punctuation before an ellipsis read as noise ("Hello, …", "設定、…").
  const cut = normalized.slice(0, end).replace(/[\s\p{P}]+$/u, "");
  return `${cut || normalized.slice(0, end)}…`;
}

const ENGLISH_WORDS_PER_MINUTE = 230;
const CJK_CHARACTERS_PER_MINUTE = 500;
const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/** Whole minutes, at least 1. Japanese is read by characters, other scripts by words; mixed text adds both. */
export function readingTimeMinutes(text: string): number {
  const cjkCharacters = text.match(CJK_CHARACTER)?.length ?? 0;
  const otherWords = text
    .replace(CJK_CHARACTER, " ")
    .split(/\s+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
  const minutes = cjkCharacters / CJK_CHARACTERS_PER_MINUTE + otherWords / ENGLISH_WORDS_PER_MINUTE;
  return Math.max(1, Math.round(minutes));
}

// The locale only picks the dictionary for scripts without spaces; Latin text segments the same either way.
const wordSegmenter = new Intl.Segmenter("ja", { granularity: "word" });
const graphemeSegmenter = new Intl.Segmenter("ja", { granularity: "grapheme" });

/**
 * Word segments of `text`, fed to Intl.Segmenter a chunk at a time: iterating one long string is quadratic
 * in V8 (measured: 19 s for 99,000 Japanese characters, 150 ms in 1,024-character chunks). Chunks end after
 * a space or Japanese punctuation, where no word continues, so the segments are the same.
 */
function* segmentWords(text: string): Generator<{ segment: string; index: number; isWordLike: boolean }> {
  const chunkLength = 1024;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + chunkLength);
    if (end < text.length) {
      const chunk = text.slice(start, end);
      const lastBreak = Math.max(chunk.lastIndexOf(" "), chunk.lastIndexOf("\n"), chunk.lastIndexOf("。"), chunk.lastIndexOf("、"));
      if (lastBreak > 0) end = start + lastBreak + 1;
      else if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
    }
    for (const { segment, index, isWordLike } of wordSegmenter.segment(text.slice(start, end))) {
      yield { segment, index: start + index, isWordLike: isWordLike ?? false };
    }
    start = end;
  }
}

function isHighSurrogate(charCode: number): boolean {
  return charCode >= 0xd800 && charCode <= 0xdbff;
}

function countWords(text: string): number {
  let words = 0;
  for (const segment of segmentWords(text)) if (segment.isWordLike) words++;
  return words;
}

function codePointLength(value: string): number {
  let length = 0;
  for (const _ of value) length++;
  return length;
}

/** UTF-16 end index of the longest prefix of whole graphemes that is at most `budget` code points. */
function firstGraphemesEnd(value: string, budget: number): number {
  let end = 0;
  let used = 0;
  for (const { segment, index } of graphemeSegmenter.segment(value)) {
    const length = codePointLength(segment);
    if (used + length > budget) break;
    used += length;
    end = index + segment.length;
  }
  return end;
}

/**
 * Heading ids: Unicode letters and digits survive (a Japanese heading keeps its kana and kanji), everything
 * else but `-`/`_` goes; repeats get -2, -3. Only ids issued here reach the output, so raw HTML cannot
 * plant arbitrary ids on the page (DOM clobbering of globals the app's scripts read).
 */
class HeadingIds {
  readonly issued = new Set<string>();
  // Remembering the next suffix per base keeps a document of 20,000 identical headings linear.
  private readonly nextSuffix = new Map<string, number>();

  claim(text: string): string {
    const base = slugify(text) || "section";
    let suffix = this.nextSuffix.get(base) ?? 1;
    let id = suffix === 1 ? base : `${base}-${suffix}`;
    while (this.issued.has(id)) id = `${base}-${++suffix}`;
    this.nextSuffix.set(base, suffix + 1);
    this.issued.add(id);
    return id;
  }
}

const MAX_SLUG_CODE_POINTS = 80;

function slugify(text: string): string {
  const slug = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]+/gu, "")
    .trim()
    .replace(/\s+/gu, "-")
    .replace(/-{2,}/g, "-");
  return Array.from(slug).slice(0, MAX_SLUG_CODE_POINTS).join("").replace(/^-+|-+$/g, "");
}

type Callout = { kind: CalloutKind; body: Token[] };

function readCallout(tokens: Token[]): Callout | null {
  const [first, ...rest] = tokens;
  if (first?.type !== "paragraph") return null;
  const paragraph = first as Tokens.Paragraph;
  const [lead, ...inlineRest] = paragraph.tokens;
  if (lead?.type !== "text" || ("tokens" in lead && lead.tokens)) return null;
  const match = CALLOUT_MARKER.exec(lead.text);
  if (!match) return null;
  const kind = match[1]?.toLowerCase() as CalloutKind;

  const leadRest = lead.text.slice(match[0].length);
  const remainingInline = leadRest ? [{ ...lead, raw: leadRest, text: leadRest }, ...inlineRest] : inlineRest;
  const hasContent = remainingInline.some((token) => token.type !== "br" && token.raw.trim() !== "");
  const body = hasContent ? [{ ...paragraph, tokens: remainingInline }, ...rest] : rest;
  return { kind, body };
}

type HrefKind = "external" | "local" | "unsafe";

// Browsers drop control characters and whitespace inside a URL's scheme, so "java\tscript:" still runs.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const URL_IGNORED_CHARACTERS = /[\u0000-\u0020\u007f-\u009f]+/g;

/**
 * Classifies an attribute value the way a browser will read it: the parser has already decoded entities,
 * and browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
 */
function classifyHref(value: string): HrefKind {
  const compact = value.replace(URL_IGNORED_CHARACTERS, "");
  if (compact === "") return "unsafe";
  // "//host" and "/\host" both leave the site; treat them like the schemes they smuggle in.
  if (/^[/\\]{2}/.test(compact)) return "unsafe";
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)?.[1]?.toLowerCase();
  if (scheme === undefined) return compact.includes(":") && !/^[#/?.]/.test(compact) ? "unsafe" : "local";
  return scheme === "http" || scheme === "https" || scheme === "mailto" ? "external" : "unsafe";
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value.replace(URL_IGNORED_CHARACTERS, ""));
}

function sanitizeOptions(context: { allowImages: boolean; headingIds: ReadonlySet<string> }): sanitizeHtml.IOptions {
  const keepIssuedHeadingId: sanitizeHtml.Transformer = (tagName, attribs) => {
    const kept: sanitizeHtml.Attributes = {};
    if (attribs.id !== undefined && context.headingIds.has(attribs.id)) kept.id = attribs.id;
    return { tagName, attribs: kept };
  };
  return {
    allowedTags: context.allowImages ? ALLOWED_TAGS : ALLOWED_TAGS.filter((tag) => tag !== "img"),
    allowedAttributes: {
      // The heading anchor is a mouse convenience: hidden from assistive tech and out of the tab order
      // (the table of contents serves keyboard users), so it is never a focusable aria-hidden element.
      a: ["href", "title", "rel", { name: "aria-hidden", multiple: false, values: ["true"] }, { name: "tabindex", multiple: false, values: ["-1"] }],
      img: ["src", "alt", "title", "loading", "width", "height"],
      th: [CELL_ALIGN],
      td: [CELL_ALIGN],
      ol: ["start"],
      input: ["type", "disabled", "checked"],
      div: [{ name: "role", multiple: false, values: ["note"] }],
      details: ["open"],
      ...Object.fromEntries(HEADING_TAGS.map((tag) => [tag, ["id"]])),
    },
    // Listing classes also allows the class attribute on that tag; classes not listed are removed one by one.
    allowedClasses: {
      a: ["anchor"],
      code: ["hljs", /^language-[a-z0-9_+-]+$/],
      span: [/^hljs-[a-z0-9_-]+$/],
      div: ["callout", ...CALLOUT_KINDS.map((kind) => `callout-${kind}`), "table-wrap"],
      p: ["callout-title"],
      li: ["task-list-item"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["http", "https"] },
    allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    nonTextTags: DISCARDED_WITH_CONTENT,
    // Deeper raw-HTML nesting only serves to make browsers slow; the elements go, their text stays.
    nestingLimit: 100,
    transformTags: {
      // Whatever rel or target the author wrote is replaced: external links always get LINK_REL.
      a: (tagName, attribs) => {
        const kind = classifyHref(attribs.href ?? "");
        const kept: sanitizeHtml.Attributes = {};
        for (const [name, value] of Object.entries(attribs)) {
          if (name === "href" ? kind !== "unsafe" : ["title", "class", "aria-hidden", "tabindex"].includes(name)) kept[name] = value;
        }
        if (kind === "external") kept.rel = LINK_REL;
        return { tagName, attribs: kept };
      },
      img: (tagName, attribs) => {
        const { src, alt, title, width, height } = attribs;
        const kept: sanitizeHtml.Attributes = { loading: "lazy" };
        if (src !== undefined && isHttpUrl(src)) kept.src = src;
        if (alt !== undefined) kept.alt = alt;
        if (title !== undefined) kept.title = title;
        if (width !== undefined && /^\d{1,4}$/.test(width)) kept.width = width;
        if (height !== undefined && /^\d{1,4}$/.test(height)) kept.height = height;
        return { tagName, attribs: kept };
      },
      // Whatever an <input> claimed to be, the only one that survives is a read-only task-list checkbox.
      input: (tagName, attribs) => ({
        tagName,
        attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) },
      }),
      ol: (tagName, attribs) => {
        const kept: sanitizeHtml.Attributes = {};
        if (attribs.start !== undefined && /^\d{1,9}$/.test(attribs.start)) kept.start = attribs.start;
        return { tagName, attribs: kept };
      },
      ...Object.fromEntries(HEADING_TAGS.map((tag) => [tag, keepIssuedHeadingId])),
    },
    exclusiveFilter: (frame) => {
      // A link whose URL was refused keeps its text; an image without a usable source disappears.
      if (frame.tag === "a" && frame.attribs.href === undefined) return "excludeTag";
      if (frame.tag === "img" && frame.attribs.src === undefined) return true;
      return false;
    },
  };
}

// Ends of blocks become spaces in the plain text, so "<p>one</p><p>two</p>" does not read "onetwo".
const BLOCK_BOUNDARY = /<\/?(?:p|h[1-6]|li|ul|ol|blockquote|pre|div|table|thead|tbody|tr|th|td|details|summary)\b|<(?:br|hr)\b/gi;
const NOT_READ_ALOUD = "hearth-not-text";

/** Visible text of an HTML fragment: heading anchors and callout titles are chrome, not content. */
function htmlToPlainText(html: string): string {
  const escapedText = sanitizeHtml(html.replace(BLOCK_BOUNDARY, " $&"), {
    allowedTags: [],
    allowedAttributes: {},
    disallowedTagsMode: "discard",
    nonTextTags: [...DISCARDED_WITH_CONTENT, NOT_READ_ALOUD],
    transformTags: {
      a: (tagName, attribs) => ({ tagName: attribs.class === "anchor" ? NOT_READ_ALOUD : tagName, attribs }),
      p: (tagName, attribs) => ({ tagName: attribs.class === "callout-title" ? NOT_READ_ALOUD : tagName, attribs }),
    },
  });
  return decodeSanitizerEscapes(escapedText).replace(/\s+/gu, " ").trim();
}

// sanitize-html decodes entities while parsing and re-escapes only these in text, so this undoes it exactly.
function decodeSanitizerEscapes(value: string): string {
  return value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/** For text inside <pre>: every character shows as typed, "&amp;" included. */
function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Escaping the way marked escapes prose and URLs: an entity the author wrote ("&amp;", "&#169;") stays an
 * entity for the browser to decode, so markdown keeps CommonMark's meaning. The sanitizer decodes it too.
 */
function escapeKeepingEntities(value: string): string {
  return value
    .replace(/&(?!#\d{1,7};|#[xX][a-fA-F0-9]{1,6};|\w+;)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
