import { z } from "zod";
import { LOCALES } from "../../../db/schema/identity";
import { KB_ARTICLE_STATUSES, KB_FEEDBACK_REASONS, KB_VISIBILITIES } from "../../../db/schema/kb";

// Shared by the staff forms, the reader's feedback form and the kb commands (which parse their input
// again with the same schemas, so a caller that skipped the form still cannot store bad values).
// Every schema accepts both what a form submits (strings) and its own output, so parsing twice is safe.
// Messages are catalog keys (messages/kb.ts); the form renders them in the viewer's language.

export const KB_TITLE_MAX = 200;
export const KB_SLUG_MAX = 120;
export const KB_SUMMARY_MAX = 300;
export const KB_TAGS_MAX = 10;
export const KB_TAG_MAX_LENGTH = 50;
export const KB_NOTE_MAX = 200;
export const KB_FEEDBACK_COMMENT_MAX = 1000;
/**
 * Longest article body, in UTF-16 code units. Equal to MARKDOWN_MAX_LENGTH of the renderer (a unit test
 * keeps them equal); repeated here because the renderer is server-only and this file reaches the browser.
 */
export const KB_BODY_MAX_LENGTH = 100_000;

/** Lower-case ASCII words joined by single hyphens: "getting-started". */
export const KB_SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const MAX_INT4 = 2_147_483_647;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The URL slug a title suggests: accents folded, lower-case ASCII words, at most KB_SLUG_MAX characters
 * cut at a word boundary. Empty when the title is Japanese (or has no Latin letters or digits): a slug
 * made of the few Latin words in a Japanese title would mislead, so the caller falls back to
 * "article-<id>".
 */
export function slugFromTitle(title: string): string {
  if (CJK.test(title)) return "";
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['\u2019`]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > KB_SLUG_MAX) break;
    slug = next;
  }
  // A single word longer than the limit is cut rather than dropped.
  return slug || (words[0] ?? "").slice(0, KB_SLUG_MAX);
}

/** Splits a typed tag list on ASCII, Japanese and full-width commas; trims; drops empties. */
export function parseTagList(value: string): string[] {
  return value
    .split(/[,、，]/)
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/**
 * A tag's identity: NFKC, lower-case, runs of spaces as one hyphen, only letters, digits and hyphens
 * (Japanese tags keep their kana and kanji). "Single Sign-On" and "single  sign-on" are one tag.
 */
export function tagSlug(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s-]+/gu, "")
    .trim()
    .replace(/[\s-]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** An empty form field (or an absent one) means "not set". */
function blankToNull<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v), schema.nullable());
}

/** A row id from a form ("12") or from code (12); anything else fails with `message`. */
const idField = (message: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*[1-9]\d{0,9}\s*$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int(message).min(1, message).max(MAX_INT4, message),
  );

/** A submitted slug: trimmed and lower-cased, then held to KB_SLUG_PATTERN. */
export const kbSlugField = z
  .string({ error: "form.required" })
  .trim()
  .toLowerCase()
  .min(1, "form.required")
  .max(KB_SLUG_MAX, "form.tooLong")
  .regex(KB_SLUG_PATTERN, "kb.form.slugInvalid");

const tagsField = z
  .preprocess((v) => (v === undefined || v === null ? [] : typeof v === "string" ? parseTagList(v) : v), z.array(z.string().trim().min(1)))
  .transform((tags) => {
    // Two spellings of one tag ("SSO", "sso") count once; the first spelling is kept.
    const bySlug = new Map<string, string>();
    for (const tag of tags) if (!bySlug.has(tagSlug(tag))) bySlug.set(tagSlug(tag), tag);
    return [...bySlug.values()];
  })
  .pipe(
    z
      .array(z.string().max(KB_TAG_MAX_LENGTH, "kb.form.tagTooLong").refine((tag) => tagSlug(tag) !== "", "kb.form.tagInvalid"))
      .max(KB_TAGS_MAX, "kb.form.tooManyTags"),
  );

const articleFields = {
  title: z.string({ error: "form.required" }).trim().min(1, "form.required").max(KB_TITLE_MAX, "form.tooLong"),
  // Empty: derived from the title on create, kept as it is on save.
  slug: blankToNull(kbSlugField),
  collectionId: idField("kb.form.collectionMissing"),
  locale: z.enum(LOCALES, { error: "form.invalid" }),
  visibility: z.enum(KB_VISIBILITIES, { error: "form.invalid" }),
  summary: z.preprocess((v) => v ?? "", z.string().trim().max(KB_SUMMARY_MAX, "form.tooLong")),
  // Line ends normalized, so a browser's CRLF never shows up as a change in diffs.
  bodyMd: z
    .preprocess((v) => v ?? "", z.string().max(KB_BODY_MAX_LENGTH, "kb.form.bodyTooLong"))
    .transform((body) => body.replace(/\r\n?/g, "\n")),
  tags: tagsField,
  ownerId: blankToNull(idField("kb.form.ownerInvalid")),
  reviewBy: blankToNull(z.iso.date({ error: "kb.form.dateInvalid" })),
  // Optional note for this revision ("Fixed the SAML steps").
  note: blankToNull(z.string().trim().max(KB_NOTE_MAX, "form.tooLong")),
};

/** The new-article form. */
export const articleCreateSchema = z.object(articleFields);
export type ArticleCreateInput = z.output<typeof articleCreateSchema>;

/** The edit form: the same fields plus the revision the editor started from (stale-save detection). */
export const articleSaveSchema = z.object({
  ...articleFields,
  baseRevision: z.coerce.number({ error: "form.invalid" }).int("form.invalid").min(0, "form.invalid"),
});
export type ArticleSaveInput = z.output<typeof articleSaveSchema>;

/** "Publish at" on the schedule form: an ISO date-time with offset, or a JS Date from code. */
export const scheduleArticleSchema = z.object({
  scheduledFor: z.coerce.date({ error: "kb.form.dateInvalid" }),
});

/** "Was this helpful?": yes, or no with an optional reason and comment. */
export const feedbackSchema = z
  .object({
    articleId: idField("form.invalid"),
    helpful: z.preprocess((v) => (v === "yes" ? true : v === "no" ? false : v), z.boolean({ error: "form.required" })),
    reason: blankToNull(z.enum(KB_FEEDBACK_REASONS, { error: "kb.form.reasonInvalid" })),
    comment: blankToNull(z.string().trim().max(KB_FEEDBACK_COMMENT_MAX, "form.tooLong")),
  })
  // Reasons describe a "No"; a "Yes" never carries one.
  .transform((input) => (input.helpful ? { ...input, reason: null } : input));
export type FeedbackInput = z.output<typeof feedbackSchema>;

/** The staff form of a collection. */
export const collectionSchema = z.object({
  slug: kbSlugField,
  nameEn: z.string({ error: "form.required" }).trim().min(1, "form.required").max(100, "form.tooLong"),
  nameJa: z.string({ error: "form.required" }).trim().min(1, "form.required").max(100, "form.tooLong"),
  descriptionEn: z.preprocess((v) => v ?? "", z.string().trim().max(500, "form.tooLong")),
  descriptionJa: z.preprocess((v) => v ?? "", z.string().trim().max(500, "form.tooLong")),
  position: z.preprocess((v) => (v === undefined || v === null || v === "" ? 0 : v), z.coerce.number({ error: "form.invalid" }).int("form.invalid").min(0, "form.invalid").max(100_000, "form.invalid")),
});
export type CollectionInput = z.output<typeof collectionSchema>;

/** Sorts of the staff content report. */
export const KB_REPORT_SORTS = ["views30", "views90", "helpfulRatio", "reviewBy", "notHelpful"] as const;
export type KbReportSort = (typeof KB_REPORT_SORTS)[number];

export const contentReportQuerySchema = z.object({
  sort: z.enum(KB_REPORT_SORTS).catch("views30"),
  dir: z.enum(["asc", "desc"]).catch("desc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export { KB_ARTICLE_STATUSES, KB_FEEDBACK_REASONS, KB_VISIBILITIES, LOCALES };
export type { KbArticleStatus, KbFeedbackReason, KbVisibility } from "../../../db/schema/kb";
