import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { spawnSync } from "node:child_process";
import { marked, type Token } from "marked";

/**
 * The bench:search corpus, built from real text already on this machine (nothing of it is committed):
 * - English: every Markdown file under node_modules split at its headings, plus the English man pages
 *   split at their sections;
 * - Japanese: the man pages of Debian's manpages-ja package, one document per page.
 * Built once, deterministically (sorted inputs, seeded sample), and cached as JSON under the bench data dir.
 */

export interface CorpusDoc {
  /** 1-based, stable for a given cache. */
  id: number;
  locale: "en" | "ja";
  /** Where it came from, e.g. "npm:express/Readme.md" or "man:ls.1" (for reports only). */
  source: string;
  title: string;
  body: string;
}

export interface Corpus {
  version: number;
  builtAt: string;
  counts: Record<string, number>;
  docs: CorpusDoc[];
}

// Bump when the extraction changes so old caches are rebuilt.
const CORPUS_VERSION = 8;
/** Sections shorter than this are headings with a line or two under them: nothing to search for. */
const MIN_BODY_CHARS = 120;
const MIN_BODY_CHARS_JA = 60;
/**
 * A knowledge-base article is rarely longer; a few huge man pages (bash, perl) would dominate otherwise.
 * Japanese is capped shorter because each character is about one indexed bigram.
 */
const MAX_BODY_CHARS = 12_000;
const MAX_BODY_CHARS_JA = 6_000;

// Files that are the same boilerplate in hundreds of packages (or lists of versions): not articles.
const SKIP_MD = /^(change[-_ ]?log|changes|history|license|licence|code[-_]of[-_]conduct|security|contributing|authors|contributors|funding|releases?)([-_.].*)?\.(md|markdown)$/i;

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/gu;

export function isJapaneseText(text: string): boolean {
  const kana = text.match(/[\u3040-\u30ff\uff66-\uff9f]/gu)?.length ?? 0;
  const letters = text.match(/[\p{L}]/gu)?.length ?? 1;
  return kana >= 10 && kana / letters > 0.15;
}

function collapse(text: string): string {
  return text.replace(/[ \t\r\f\v\u00a0]+/gu, " ").replace(/ ?\n ?/gu, "\n").replace(/\n{3,}/gu, "\n\n").trim();
}

function capBody(text: string, max = MAX_BODY_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.search(/\s/u) >= 0 ? text.lastIndexOf(" ", max) : -1;
  return text.slice(0, cut > max - 200 ? cut : max);
}

// ---------------------------------------------------------------- Markdown

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/giu, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function stripTags(html: string): string {
  return html.replace(/<!--[\s\S]*?-->/gu, " ").replace(/<[^>]+>/gu, " ");
}

/** Plain text of marked tokens: the words a reader sees, markup dropped, code kept as text. */
function plainText(tokens: readonly Token[] | undefined): string {
  if (!tokens) return "";
  const out: string[] = [];
  for (const token of tokens) {
    const t = token as Token & { tokens?: Token[]; items?: Array<{ tokens?: Token[] }>; text?: string };
    switch (t.type) {
      case "space":
      case "hr":
      case "def":
        out.push("\n");
        break;
      case "br":
        out.push("\n");
        break;
      case "code":
        out.push(`\n${t.text ?? ""}\n`);
        break;
      case "codespan":
        out.push(decodeEntities(t.text ?? ""));
        break;
      case "html":
        out.push(decodeEntities(stripTags(t.text ?? "")));
        break;
      case "image":
        out.push(t.text ?? "");
        break;
      case "list":
        for (const item of t.items ?? []) out.push(`\n${plainText(item.tokens)}`);
        out.push("\n");
        break;
      case "table": {
        const table = token as Token & { header: Array<{ tokens: Token[] }>; rows: Array<Array<{ tokens: Token[] }>> };
        out.push(`\n${table.header.map((c) => plainText(c.tokens)).join(" | ")}\n`);
        for (const row of table.rows) out.push(`${row.map((c) => plainText(c.tokens)).join(" | ")}\n`);
        break;
      }
      default:
        if (t.tokens) out.push(plainText(t.tokens));
        else out.push(decodeEntities(t.text ?? ""));
        if (t.type === "paragraph" || t.type === "heading" || t.type === "blockquote") out.push("\n");
    }
  }
  return out.join("");
}

interface RawSection {
  heading: string | null;
  text: string;
}

export function splitMarkdown(markdown: string): RawSection[] {
  let tokens: Token[];
  try {
    tokens = marked.lexer(markdown, { gfm: true });
  } catch {
    return [];
  }
  const sections: RawSection[] = [];
  let current: { heading: string | null; tokens: Token[] } = { heading: null, tokens: [] };
  const flush = () => sections.push({ heading: current.heading, text: collapse(plainText(current.tokens)) });
  for (const token of tokens) {
    if (token.type === "heading") {
      flush();
      const heading = collapse(plainText((token as Token & { tokens?: Token[] }).tokens)).replace(/\n/gu, " ");
      current = { heading, tokens: [] };
    } else {
      current.tokens.push(token);
    }
  }
  flush();
  return sections;
}

function walk(dir: string, visit: (file: string) => void): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else if (entry.isFile()) visit(full);
  }
}

function packageNameFor(file: string, root: string, cache: Map<string, string | null>): string | null {
  let dir = path.dirname(file);
  while (dir.startsWith(root) && dir !== root) {
    if (!cache.has(dir)) {
      let name: string | null = null;
      try {
        const parsed = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown };
        if (typeof parsed.name === "string" && parsed.name) name = parsed.name;
      } catch {
        // no package.json here; look further up
      }
      cache.set(dir, name);
    }
    const name = cache.get(dir);
    if (name) return name;
    dir = path.dirname(dir);
  }
  return null;
}

function titleFor(pkg: string | null, heading: string | null): string | null {
  const h = heading?.trim() ?? "";
  if (!pkg) return h || null;
  if (!h) return pkg;
  // "express" under a "# Express" heading, or a heading that already names the package, stands alone.
  const bare = pkg.replace(/^@[^/]+\//u, "").toLowerCase();
  if (h.toLowerCase().includes(bare)) return h;
  return `${pkg} — ${h}`;
}

interface RawDoc {
  locale: "en" | "ja";
  source: string;
  title: string;
  body: string;
}

function markdownDocs(root: string, prefix: string, counts: Record<string, number>): RawDoc[] {
  const files: string[] = [];
  walk(root, (file) => {
    const base = path.basename(file).replace(/\.gz$/u, "");
    if (!/\.(md|markdown)$/iu.test(base) || SKIP_MD.test(base)) return;
    files.push(file);
  });
  const seenFiles = new Set<string>();
  const pkgCache = new Map<string, string | null>();
  const docs: RawDoc[] = [];
  for (const file of files) {
    const text = readGz(file);
    if (text === null) continue;
    const hash = crypto.createHash("sha1").update(text).digest("hex");
    // The same README is installed at several versions in nested node_modules.
    if (seenFiles.has(hash)) continue;
    seenFiles.add(hash);
    counts.markdownFiles = (counts.markdownFiles ?? 0) + 1;
    const rel = path.relative(root, file);
    // Debian's /usr/share/doc/<package>/… has no package.json: the directory names the package.
    const pkg = prefix === "npm" ? packageNameFor(file, root, pkgCache) : rel.split(path.sep)[0]!;
    splitMarkdown(text).forEach((section, index) => {
      const title = titleFor(pkg, section.heading);
      if (!title) return;
      const locale = isJapaneseText(section.text) ? "ja" : "en";
      if (locale === "ja") counts.markdownJapaneseSections = (counts.markdownJapaneseSections ?? 0) + 1;
      docs.push({ locale, source: `${prefix}:${rel}#${index}`, title: title.slice(0, 200), body: capBody(section.text) });
    });
  }
  return docs;
}

// ---------------------------------------------------------------- JSDoc in type declarations

const DECL = /^(\s*)(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:(interface|class|namespace|module|enum)\s+(["']?[\w$.@/-]+["']?)|(?:function|const|let|var|type)\s+([\w$]+)|(?:(?:readonly|static|public|protected|get|set|async)\s+)*([\w$]+)\??\s*[(:<])/u;

/** Comments of documented declarations, titled by where they are declared: "Buffer.byteLength". */
function jsdocDocs(root: string, counts: Record<string, number>): RawDoc[] {
  const files: string[] = [];
  walk(root, (file) => {
    if (file.endsWith(".d.ts") || file.endsWith(".d.mts") || file.endsWith(".d.cts")) files.push(file);
  });
  const seenFiles = new Set<string>();
  const pkgCache = new Map<string, string | null>();
  const docs: RawDoc[] = [];
  for (const file of files) {
    const text = readGz(file);
    if (text === null || !text.includes("/**")) continue;
    const hash = crypto.createHash("sha1").update(text).digest("hex");
    if (seenFiles.has(hash)) continue;
    seenFiles.add(hash);
    counts.declarationFiles = (counts.declarationFiles ?? 0) + 1;
    const pkg = packageNameFor(file, root, pkgCache) ?? "";
    const rel = path.relative(root, file);
    const containers: Array<{ indent: number; name: string }> = [];
    const lines = text.split(/\r?\n/u);
    let comment: string[] | null = null;
    let pending: string | null = null;
    for (const line of lines) {
      if (comment) {
        const end = line.indexOf("*/");
        comment.push((end >= 0 ? line.slice(0, end) : line).replace(/^\s*\*\s?/u, ""));
        if (end >= 0) {
          pending = comment.join("\n");
          comment = null;
        }
        continue;
      }
      const start = line.indexOf("/**");
      if (start >= 0 && !line.slice(0, start).trim()) {
        const end = line.indexOf("*/", start + 3);
        if (end >= 0) pending = line.slice(start + 3, end);
        else comment = [line.slice(start + 3)];
        continue;
      }
      const decl = DECL.exec(line);
      if (!decl) {
        if (line.trim() && !line.trim().startsWith("@")) pending = null;
        continue;
      }
      const indent = decl[1]!.length;
      while (containers.length && containers[containers.length - 1]!.indent >= indent) containers.pop();
      const name = (decl[3] ?? decl[4] ?? decl[5] ?? "").replace(/["']/gu, "");
      if (pending && name) {
        const qualified = [...containers.map((c) => c.name), name].join(".");
        // @param/@returns keep their text; example code stays too (users search for identifiers).
        // JSDoc is Markdown with {@link} tags and @tags: the same plain text as a README section.
        const md = pending
          .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)(?:[\s|]+([^}]*))?\}/gu, (_, target: string, label?: string) => label || target)
          .replace(/^@(\w+)/gmu, "$1:");
        let body: string;
        try {
          body = collapse(plainText(marked.lexer(md, { gfm: true })));
        } catch {
          body = collapse(md);
        }
        docs.push({ locale: "en", source: `dts:${rel}#${qualified}`, title: `${pkg ? `${pkg} — ` : ""}${qualified}`.slice(0, 200), body: capBody(body) });
      }
      pending = null;
      if (decl[2]) containers.push({ indent, name });
    }
  }
  return docs;
}

// ---------------------------------------------------------------- man pages (roff)

const ROFF_CHARS: Record<string, string> = {
  em: "—", en: "–", hy: "-", aq: "'", dq: '"', lq: '"', rq: '"', oq: "'", cq: "'", bu: "•", co: "©", rg: "®",
  tm: "™", mi: "-", pl: "+", mu: "×", "<=": "≤", ">=": "≥", "->": "→", "<-": "←", ga: "`", ti: "~", ha: "^",
  rs: "\\", ba: "|", sl: "/", de: "°", fo: "«", fc: "»", Fo: "«", Fc: "»",
};

/** Text of one roff line with escapes resolved (fonts, sizes, special characters, strings). */
function roffInline(line: string): string {
  return line
    .replace(/\\".*$/u, "")
    .replace(/\\f(\[[^\]]*\]|\(..|.)/gu, "")
    .replace(/\\s[+-]?(\[[^\]]*\]|\(\d\d|\d)/gu, "")
    .replace(/\\[*n](\[[^\]]*\]|\(..|.)/gu, "")
    .replace(/\\[hvwlLNbDoxXSZRkz]'[^']*'/gu, "")
    .replace(/\\\(([^\s]{2})/gu, (_, name: string) => ROFF_CHARS[name] ?? "")
    .replace(/\\\[([^\]]*)\]/gu, (_, name: string) => ROFF_CHARS[name] ?? "")
    .replace(/\\[-]/gu, "-")
    .replace(/\\e/gu, "\\")
    .replace(/\\[&%c|^0~:!{}]/gu, "")
    .replace(/\\ /gu, " ")
    .replace(/\\(.)/gu, "$1");
}

function roffArgs(rest: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"]|"")*)"?|(\S+)/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) args.push(m[1] !== undefined ? m[1].replace(/""/gu, '"') : m[2]!);
  return args;
}

// Font macros alternate fonts between arguments without a space: .BR ls (1) is "ls(1)".
const ALTERNATING = new Set(["BR", "RB", "IR", "RI", "BI", "IB"]);
// mdoc macros whose arguments are text; the macro names themselves are dropped.
const MDOC_NAME = /^(?:[A-Z][a-z]|%[A-Z])$/u;
const SKIP_MACROS = new Set(["TH", "Dd", "Dt", "Os", "so", "nf", "fi", "br", "sp", "in", "ti", "ad", "na", "ne", "hy", "nh", "ft", "ps", "vs", "ds", "nr", "rm", "tr", "ll", "pl", "bp", "ce", "if", "ie", "el", "cc", "ec", "eo", "ta", "Bl", "El", "Bd", "Ed", "UC", "PD", "TS", "TE", "T&", "EX", "EE", "RS", "RE", "mso", "do", "lf", "hw", "char", "als", "as", "ig", "de", "am", "nop"]);

interface ManPage {
  name: string;
  /** NAME line, e.g. "ls - list directory contents". */
  nameLine: string;
  sections: Array<{ heading: string; text: string }>;
}

export function parseRoff(source: string): ManPage | null {
  const lines = source.split(/\r?\n/u);
  const sections: Array<{ heading: string; lines: string[] }> = [];
  let current: { heading: string; lines: string[] } = { heading: "", lines: [] };
  let skipUntilDots = false;
  let th = "";
  for (const raw of lines) {
    if (skipUntilDots) {
      if (/^\.\.\s*$/u.test(raw)) skipUntilDots = false;
      continue;
    }
    if (/^[.']\s*\\"/u.test(raw) || /^\.\s*$/u.test(raw)) continue;
    const macro = /^[.']\s*(\S+)\s*(.*)$/u.exec(raw);
    if (!macro) {
      const text = roffInline(raw);
      // tbl cell markers and format lines
      current.lines.push(text.replace(/\t/gu, " ").replace(/^T[{}]$/u, ""));
      continue;
    }
    const name = macro[1]!;
    const rest = macro[2] ?? "";
    if (name === "so") return null;
    if (name === "de" || name === "ig" || name === "am" || name === "de1") {
      skipUntilDots = true;
      continue;
    }
    if (name === "TH" || name === "Dt") {
      th = roffArgs(rest)[0] ?? "";
      continue;
    }
    if (name === "SH" || name === "Sh") {
      sections.push(current);
      current = { heading: roffInline(roffArgs(rest).join(" ")).trim(), lines: [] };
      continue;
    }
    if (name === "SS" || name === "Ss") {
      current.lines.push("", roffInline(roffArgs(rest).join(" ")), "");
      continue;
    }
    if (SKIP_MACROS.has(name)) continue;
    let args = roffArgs(rest).map(roffInline);
    if (MDOC_NAME.test(name)) args = args.filter((a) => !MDOC_NAME.test(a));
    if (name === "TP" || name === "PP" || name === "LP" || name === "P" || name === "HP" || name === "Pp" || name === "It") {
      current.lines.push("");
      if (name === "It") current.lines.push(args.join(" "));
      continue;
    }
    if (name === "IP") {
      current.lines.push("", args[0] ?? "");
      continue;
    }
    current.lines.push(ALTERNATING.has(name) ? args.join("") : args.join(" "));
  }
  sections.push(current);
  const textOf = (ls: string[]) => collapse(ls.join("\n").replace(/([^\n])\n(?!\n)/gu, "$1 "));
  const named = sections.filter((s) => s.heading);
  const nameSection = named.find((s) => /^(name|名前|名称|名前 \(name\))$/iu.test(s.heading)) ?? named[0];
  const nameLine = nameSection ? textOf(nameSection.lines).replace(/\s+/gu, " ") : "";
  if (!nameLine && !th) return null;
  return {
    name: th.toLowerCase(),
    nameLine,
    sections: named.filter((s) => s !== nameSection).map((s) => ({ heading: s.heading, text: textOf(s.lines) })),
  };
}

function readGz(file: string): string | null {
  try {
    const buf = fs.readFileSync(file);
    return (file.endsWith(".gz") ? zlib.gunzipSync(buf) : buf).toString("utf8");
  } catch {
    return null;
  }
}

function manFiles(dir: string): string[] {
  const files: string[] = [];
  let sections: string[] = [];
  try {
    sections = fs.readdirSync(dir).filter((d) => /^man\d/u.test(d)).sort();
  } catch {
    return files;
  }
  for (const section of sections) {
    const sub = path.join(dir, section);
    for (const name of fs.readdirSync(sub).sort()) {
      const full = path.join(sub, name);
      try {
        // Aliases are symlinks to the same page.
        if (fs.lstatSync(full).isFile()) files.push(full);
      } catch {
        // vanished
      }
    }
  }
  return files;
}

function pageTitle(file: string): string {
  return path.basename(file).replace(/\.gz$/u, "");
}

/** English man pages, one document per section: "ls(1) — OPTIONS". */
function englishManDocs(counts: Record<string, number>): RawDoc[] {
  const docs: RawDoc[] = [];
  for (const file of manFiles("/usr/share/man")) {
    // The Google Cloud SDK ships every command three times (GA, alpha, beta) with near-identical text.
    if (/^gcloud_(alpha|beta)_/u.test(path.basename(file))) continue;
    const source = readGz(file);
    if (!source) continue;
    const page = parseRoff(source);
    if (!page) continue;
    counts.manPages = (counts.manPages ?? 0) + 1;
    const label = pageTitle(file).replace(/\.(\d\w*)$/u, "($1)");
    for (const section of page.sections) {
      const heading = section.heading.toLowerCase().replace(/(^|\s)\S/gu, (c) => c.toUpperCase());
      const body = /^description$/iu.test(section.heading) ? `${page.nameLine}\n\n${section.text}` : section.text;
      docs.push({ locale: "en", source: `man:${pageTitle(file)}#${section.heading}`, title: `${label} — ${heading}`, body: capBody(body) });
    }
  }
  return docs;
}

/** Japanese man pages, one document per page; the title is the page's one-line description. */
function japaneseManDocs(counts: Record<string, number>): RawDoc[] {
  const docs: RawDoc[] = [];
  for (const file of manFiles("/usr/share/man/ja")) {
    const source = readGz(file);
    if (!source) continue;
    const page = parseRoff(source);
    if (!page) continue;
    counts.japaneseManPages = (counts.japaneseManPages ?? 0) + 1;
    // "ls - ディレクトリの内容をリスト表示する": the description is what a user would search for.
    const dash = page.nameLine.search(/\s[-−–—]\s/u);
    const description = (dash >= 0 ? page.nameLine.slice(dash + 3) : page.nameLine).trim();
    if (!description || !(description.match(CJK)?.length ?? 0)) continue;
    const body = page.sections.map((s) => `${s.heading}\n${s.text}`).join("\n\n");
    docs.push({ locale: "ja", source: `man-ja:${pageTitle(file)}`, title: description.slice(0, 200), body: capBody(collapse(`${page.nameLine}\n\n${body}`), MAX_BODY_CHARS_JA) });
  }
  return docs;
}

// ---------------------------------------------------------------- assembly

export function ensureJapaneseManPages(log: (line: string) => void): void {
  if (manFiles("/usr/share/man/ja").length > 0) return;
  log("No Japanese man pages in /usr/share/man/ja: installing Debian's manpages-ja (apt-get install -y manpages-ja)…");
  const result = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "manpages-ja"], { stdio: ["ignore", "ignore", "inherit"] });
  if (result.status !== 0 || manFiles("/usr/share/man/ja").length === 0) {
    throw new Error("The Japanese part of the corpus needs Debian's manpages-ja: run `apt-get install -y manpages-ja` (as root) and try again.");
  }
}

/** Everything usable on this machine, deduplicated, in a stable order; cached in cacheFile. */
export function loadCorpus(cacheFile: string, options: { rebuild?: boolean; log: (line: string) => void }): Corpus {
  if (!options.rebuild && fs.existsSync(cacheFile)) {
    const cached = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as Corpus;
    if (cached.version === CORPUS_VERSION) return cached;
  }
  ensureJapaneseManPages(options.log);
  const started = performance.now();
  const counts: Record<string, number> = {};
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  options.log("Building the corpus (once): Markdown under node_modules…");
  const md = markdownDocs(path.resolve("node_modules"), "npm", counts);
  options.log(`  ${md.length} Markdown sections from ${counts.markdownFiles ?? 0} files (${elapsed()}); /usr/share/doc…`);
  md.push(...markdownDocs("/usr/share/doc", "doc", counts));
  options.log(`  ${md.length} Markdown sections from ${counts.markdownFiles ?? 0} files (${elapsed()}); English man pages…`);
  const dts = jsdocDocs(path.resolve("node_modules"), counts);
  options.log(`  ${dts.length} documented declarations from ${counts.declarationFiles ?? 0} .d.ts files (${elapsed()}); English man pages…`);
  const man = englishManDocs(counts);
  options.log(`  ${man.length} man page sections from ${counts.manPages ?? 0} pages (${elapsed()}); Japanese man pages…`);
  const ja = japaneseManDocs(counts);
  options.log(`  ${ja.length} Japanese man pages (${elapsed()})`);

  const seen = new Set<string>();
  const docs: CorpusDoc[] = [];
  for (const raw of [...md, ...dts, ...man, ...ja]) {
    // What a browser could post: no control characters, no lone surrogates (a cut can split a pair).
    const clean = (text: string) =>
      text
        // eslint-disable-next-line no-control-regex -- removing them is the point
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu, " ")
        .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu, " ");
    const doc = { ...raw, title: clean(raw.title), body: clean(raw.body) };
    const min = doc.locale === "ja" ? MIN_BODY_CHARS_JA : MIN_BODY_CHARS;
    if (doc.body.length < min) {
      counts.droppedTiny = (counts.droppedTiny ?? 0) + 1;
      continue;
    }
    const hash = crypto.createHash("sha1").update(doc.body.replace(/\s+/gu, " ")).digest("hex");
    if (seen.has(hash)) {
      counts.droppedDuplicate = (counts.droppedDuplicate ?? 0) + 1;
      continue;
    }
    seen.add(hash);
    docs.push({ id: docs.length + 1, ...doc });
  }
  counts.english = docs.filter((d) => d.locale === "en").length;
  counts.japanese = docs.filter((d) => d.locale === "ja").length;
  const corpus: Corpus = { version: CORPUS_VERSION, builtAt: new Date().toISOString(), counts, docs };
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  fs.writeFileSync(cacheFile, JSON.stringify(corpus));
  options.log(`Corpus: ${counts.english} English + ${counts.japanese} Japanese documents (${elapsed()}), cached in ${cacheFile}`);
  return corpus;
}

// ---------------------------------------------------------------- deterministic sampling

/** mulberry32: small, seeded, good enough to shuffle a sample the same way on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every Japanese document, and a seeded sample of English ones to make up `total`. Ids are renumbered 1..n. */
export function selectDocs(corpus: Corpus, total: number, seed: number): CorpusDoc[] {
  const ja = corpus.docs.filter((d) => d.locale === "ja");
  const en = shuffled(
    corpus.docs.filter((d) => d.locale === "en"),
    seededRandom(seed),
  ).slice(0, Math.max(0, total - ja.length));
  const chosen = [...en, ...ja].sort((a, b) => a.id - b.id);
  return chosen.map((d, i) => ({ ...d, id: i + 1 }));
}
