import { seededRandom, shuffled, type CorpusDoc } from "./search-corpus";

/**
 * Labelled queries for bench:search, derived from the corpus with a seeded generator, so every run
 * (and every engine in a run) gets the same queries. A query's answer is the document whose title it
 * was made from; only documents whose title words are unique in the corpus are used, so the right
 * answer is never ambiguous.
 */

export const QUERY_SETS = ["clean", "typo", "prefix", "japanese"] as const;
export type QuerySetName = (typeof QUERY_SETS)[number];

export interface LabelledQuery {
  set: QuerySetName;
  /** For Japanese queries: "particles" (the title as written), "keywords" (particles dropped), "halfwidth". */
  form?: string;
  q: string;
  /** The document the query was made for. */
  target: number;
  /** For the report: the title the query came from. */
  title: string;
}

/** Words of at most this many in a query: a user types a few words, not a whole long heading. */
const MAX_QUERY_WORDS = 8;

/** The words of an English title a user would type: punctuation dropped, case kept. */
export function titleWords(title: string): string[] {
  return title
    .normalize("NFKC")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => /\p{L}/u.test(w))
    .slice(0, MAX_QUERY_WORDS);
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return items.filter((item) => counts.get(key(item)) === 1);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** One edit (substitution, deletion, insertion or transposition) in a word of at least 5 letters. */
export function withTypo(words: string[], random: () => number): string[] | null {
  const eligible = words.map((w, i) => ({ w, i })).filter(({ w }) => /^[A-Za-z]{5,}$/u.test(w));
  if (eligible.length === 0) return null;
  const { w, i } = eligible[Math.floor(random() * eligible.length)]!;
  const letter = () => LETTERS[Math.floor(random() * LETTERS.length)]!;
  for (let attempt = 0; attempt < 10; attempt++) {
    const pos = Math.floor(random() * w.length);
    let typo: string;
    switch (Math.floor(random() * 4)) {
      case 0:
        typo = w.slice(0, pos) + letter() + w.slice(pos + 1);
        break;
      case 1:
        typo = w.slice(0, pos) + w.slice(pos + 1);
        break;
      case 2:
        typo = w.slice(0, pos) + letter() + w.slice(pos);
        break;
      default: {
        const p = Math.min(pos, w.length - 2);
        typo = w.slice(0, p) + w[p + 1]! + w[p]! + w.slice(p + 2);
      }
    }
    if (typo.toLowerCase() !== w.toLowerCase()) {
      const out = [...words];
      out[i] = typo;
      return out;
    }
  }
  return null;
}

/** The last word cut as if the user were still typing it, at least 3 characters left. */
export function withPrefix(words: string[], random: () => number): string[] | null {
  const last = words.at(-1);
  if (!last || last.length < 4 || !/^\p{L}+$/u.test(last)) return null;
  const keep = 3 + Math.floor(random() * (last.length - 3));
  return [...words.slice(0, -1), last.slice(0, keep)];
}

// Half-width katakana from full-width: built from NFKC (which maps the other way) so no table is typed in.
const HALF_WIDTH = (() => {
  const map = new Map<string, string>();
  for (let code = 0xff66; code <= 0xff9d; code++) {
    const half = String.fromCharCode(code);
    const full = half.normalize("NFKC");
    map.set(full, half);
    const voiced = (full + "\u3099").normalize("NFC");
    if (voiced.length === 1) map.set(voiced, `${half}\uff9e`);
    const semi = (full + "\u309a").normalize("NFC");
    if (semi.length === 1) map.set(semi, `${half}\uff9f`);
  }
  map.set("ー", "ｰ");
  map.set("・", "･");
  return map;
})();

export function toHalfWidthKatakana(text: string): string {
  return Array.from(text, (c) => HALF_WIDTH.get(c) ?? c).join("");
}

const KATAKANA = /[\u30a1-\u30fa]/u;
const JA_SPLIT = /[\p{Script=Hiragana}\s、。，．・「」『』（）()［］[\],.:;!?！？/]+/u;

/** Kanji/katakana/Latin runs of a Japanese title, as a user types keywords without particles. */
export function japaneseKeywords(title: string): string {
  return title
    .split(JA_SPLIT)
    .filter((w) => Array.from(w).length >= 2)
    .join(" ");
}

export function buildQuerySets(docs: readonly CorpusDoc[], perSet: number, seed: number): Record<QuerySetName, LabelledQuery[]> {
  const random = seededRandom(seed ^ 0x5eed);
  const english = uniqueBy(
    docs.filter((d) => d.locale === "en"),
    (d) => titleWords(d.title).join(" ").toLowerCase(),
  ).filter((d) => titleWords(d.title).length >= 2);
  // Round-robin over the sources (README sections, JSDoc, man pages, …) so no one kind of title dominates.
  const kinds = new Map<string, CorpusDoc[]>();
  for (const doc of shuffled(english, random)) {
    const kind = doc.source.startsWith("man:gcloud") ? "gcloud" : doc.source.split(":")[0]!;
    if (!kinds.has(kind)) kinds.set(kind, []);
    kinds.get(kind)!.push(doc);
  }
  const queues = [...kinds.keys()].sort().map((k) => kinds.get(k)!);
  const order: CorpusDoc[] = [];
  for (let i = 0; queues.some((q) => i < q.length); i++) for (const q of queues) if (i < q.length) order.push(q[i]!);
  const sets: Record<QuerySetName, LabelledQuery[]> = { clean: [], typo: [], prefix: [], japanese: [] };
  for (const doc of order) {
    if (sets.clean.length >= perSet && sets.typo.length >= perSet && sets.prefix.length >= perSet) break;
    const words = titleWords(doc.title);
    if (sets.clean.length < perSet) sets.clean.push({ set: "clean", q: words.join(" "), target: doc.id, title: doc.title });
    const typo = sets.typo.length < perSet ? withTypo(words, random) : null;
    if (typo) sets.typo.push({ set: "typo", q: typo.join(" "), target: doc.id, title: doc.title });
    const prefix = sets.prefix.length < perSet ? withPrefix(words, random) : null;
    if (prefix) sets.prefix.push({ set: "prefix", q: prefix.join(" "), target: doc.id, title: doc.title });
  }

  const japanese = shuffled(
    uniqueBy(
      docs.filter((d) => d.locale === "ja"),
      (d) => d.title.normalize("NFKC"),
    ),
    random,
  );
  for (const doc of japanese) {
    if (sets.japanese.length >= perSet) break;
    const forms: Array<[string, string]> = [["particles", doc.title]];
    const keywords = japaneseKeywords(doc.title);
    if (keywords && keywords !== doc.title) forms.push(["keywords", keywords]);
    if (KATAKANA.test(doc.title)) forms.push(["halfwidth", toHalfWidthKatakana(keywords || doc.title)]);
    for (const [form, q] of forms) {
      if (sets.japanese.length < perSet) sets.japanese.push({ set: "japanese", form, q, target: doc.id, title: doc.title });
    }
  }
  return sets;
}
