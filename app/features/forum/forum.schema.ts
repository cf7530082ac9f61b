import { z } from "zod";
import { FLAG_REASONS, QUESTION_CLOSE_REASONS } from "../../../db/schema/forum";
import { parseTagList, slugFromTitle, tagSlug } from "../kb/kb.schema";

// The schema's enums, for forms (routes and components do not import db/).
export { FLAG_REASONS, QUESTION_CLOSE_REASONS };

// The forum's forms and queries, shared by the routes (form validation) and the commands (which parse
// their input again, so a caller that skipped the form still cannot store bad values). Every schema accepts
// both what a form submits (strings) and its own output. Messages are catalog keys (messages/forum.ts).

export const QUESTION_TITLE_MIN = 15;
export const QUESTION_TITLE_MAX = 150;
/** Longest question or answer body, in UTF-16 code units (what a textarea's maxlength counts). */
export const POST_BODY_MAX = 30_000;
export const COMMENT_MAX = 600;
export const QUESTION_TAGS_MAX = 5;
export const FORUM_TAG_MAX_LENGTH = 35;
export const EDIT_NOTE_MAX = 200;
/** Questions per list page. */
export const QUESTION_PAGE_SIZE = 20;

const MAX_INT4 = 2_147_483_647;

/** A row id from a form ("12") or from code (12); anything else fails with `message`. */
export const idField = (message = "form.invalid") =>
  z.preprocess(
    (v) => (typeof v === "string" && /^\s*[1-9]\d{0,9}\s*$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int(message).min(1, message).max(MAX_INT4, message),
  );

/** A URL id segment: a malformed one is a page that does not exist (the route answers 404). */
export const routeIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .refine((n) => n <= MAX_INT4);

/** The URL slug of a question: its title's Latin words, or "question" for a title without any (Japanese). */
export function questionSlug(title: string): string {
  return slugFromTitle(title) || "question";
}

/** The canonical URL path of a question: /questions/<id>/<slug>. */
export function questionPath(id: number, slug: string): string {
  return `/questions/${id}/${slug}`;
}

/** An empty form field (or an absent one) means "not set". */
function blankToNull<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? null : v), schema.nullable());
}

/**
 * CRLF from a textarea is stored as LF, so revisions diff cleanly; NUL becomes U+FFFD as CommonMark
 * says (Postgres text cannot hold NUL: it would be a database error instead of a post).
 */
const normalizeText = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n").replaceAll("\u0000", "\uFFFD") : v);

export const titleField = z.preprocess(
  normalizeText,
  z
    .string({ error: "form.required" })
    .trim()
    .min(1, "form.required")
    .min(QUESTION_TITLE_MIN, "forum.form.titleTooShort")
    .max(QUESTION_TITLE_MAX, "forum.form.titleTooLong"),
);

export const postBodyField = z.preprocess(
  normalizeText,
  z
    .string({ error: "form.required" })
    .max(POST_BODY_MAX, "forum.form.bodyTooLong")
    .refine((v) => v.trim().length > 0, "form.required"),
);

export const commentBodyField = z.preprocess(
  normalizeText,
  z.string({ error: "form.required" }).trim().min(1, "form.required").max(COMMENT_MAX, "forum.form.commentTooLong"),
);

/** Tags typed as "sso, billing" (or given as an array): one per slug, at most QUESTION_TAGS_MAX. */
export const tagsField = z
  .preprocess((v) => (v === undefined || v === null ? [] : typeof v === "string" ? parseTagList(v.replaceAll("\u0000", "")) : v), z.array(z.string().trim().min(1)))
  .transform((tags) => {
    // Two spellings of one tag ("SSO", "sso") count once; the first spelling is kept.
    const bySlug = new Map<string, string>();
    for (const tag of tags) if (!bySlug.has(tagSlug(tag))) bySlug.set(tagSlug(tag), tag);
    return [...bySlug.values()];
  })
  .pipe(
    z
      .array(z.string().max(FORUM_TAG_MAX_LENGTH, "forum.form.tagTooLong").refine((tag) => tagSlug(tag) !== "", "forum.form.tagInvalid"))
      .max(QUESTION_TAGS_MAX, "forum.form.tooManyTags"),
  );

const noteField = z.preprocess(normalizeText, blankToNull(z.string().trim().max(EDIT_NOTE_MAX, "form.tooLong")));
const reasonField = z.preprocess(normalizeText, z.string({ error: "form.required" }).trim().min(1, "form.required").max(EDIT_NOTE_MAX, "form.tooLong"));

export const askQuestionSchema = z.object({
  title: titleField,
  bodyMd: postBodyField,
  tags: tagsField,
  kbArticleId: blankToNull(idField()).optional().transform((v) => v ?? null),
});
export type AskQuestionInput = z.input<typeof askQuestionSchema>;

export const editQuestionSchema = z.object({
  title: titleField,
  bodyMd: postBodyField,
  tags: tagsField,
  note: noteField.optional().transform((v) => v ?? null),
});
export type EditQuestionInput = z.input<typeof editQuestionSchema>;

export const answerSchema = z.object({ bodyMd: postBodyField });

export const editAnswerSchema = z.object({
  bodyMd: postBodyField,
  note: noteField.optional().transform((v) => v ?? null),
});
export type EditAnswerInput = z.input<typeof editAnswerSchema>;

export const postTypeField = z.enum(["question", "answer"], { error: "form.invalid" });

export const commentSchema = z.object({
  postType: postTypeField,
  postId: idField(),
  body: commentBodyField,
});
export type CommentInput = z.input<typeof commentSchema>;

const previewSchema = z.object({
  intent: z.literal("preview"),
  bodyMd: z.preprocess((v) => v ?? "", z.string().max(POST_BODY_MAX, "forum.form.bodyTooLong")),
});

/** The ask form: "Preview" or "Post your question". */
export const askActionSchema = z.discriminatedUnion("intent", [previewSchema, askQuestionSchema.extend({ intent: z.literal("ask") })]);
export const editQuestionActionSchema = z.discriminatedUnion("intent", [previewSchema, editQuestionSchema.extend({ intent: z.literal("save") })]);
export const editAnswerActionSchema = z.discriminatedUnion("intent", [previewSchema, editAnswerSchema.extend({ intent: z.literal("save") })]);

/** The forms of the question page, told apart by a hidden `intent`. */
export const questionPageActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("answer"), bodyMd: postBodyField }),
  previewSchema,
  commentSchema.extend({ intent: z.literal("comment") }),
  z.object({
    intent: z.literal("vote"),
    postType: postTypeField,
    postId: idField(),
    value: z.enum(["1", "-1", "0"], { error: "form.invalid" }).transform((v) => Number(v) as 1 | -1 | 0),
  }),
  z.object({ intent: z.literal("accept"), answerId: idField() }),
  z.object({ intent: z.literal("unaccept") }),
  z.object({ intent: z.literal("follow"), follow: z.enum(["1", "0"]).transform((v) => v === "1") }),
  z.object({
    intent: z.literal("flag"),
    targetType: z.enum(["question", "answer", "comment"], { error: "form.invalid" }),
    targetId: idField(),
    reason: z.enum(FLAG_REASONS, { error: "forum.form.flagReason" }),
  }),
  z.object({
    intent: z.literal("moderate"),
    targetType: z.enum(["question", "answer", "comment"], { error: "form.invalid" }),
    targetId: idField(),
    action: z.enum(["hide", "unhide", "lock", "unlock", "delete", "restore"], { error: "form.invalid" }),
    reason: reasonField,
  }),
  z.object({
    intent: z.literal("close"),
    reason: z.enum(QUESTION_CLOSE_REASONS, { error: "form.invalid" }),
    // "/questions/12/…", "12", or a KB article URL (closing as a duplicate).
    duplicateOf: z.preprocess(normalizeText, blankToNull(z.string().trim().max(300, "form.tooLong"))).optional().transform((v) => v ?? null),
    note: noteField.optional().transform((v) => v ?? null),
  }),
  z.object({ intent: z.literal("reopen"), note: reasonField }),
  z.object({ intent: z.literal("promote"), answerId: idField() }),
]);
export type QuestionPageAction = z.output<typeof questionPageActionSchema>;

export const QUESTION_SORTS = ["newest", "votes", "activity"] as const;
export type QuestionSort = (typeof QUESTION_SORTS)[number];
export const QUESTION_FILTERS = ["all", "unanswered", "unaccepted", "mine", "account"] as const;
export type QuestionFilter = (typeof QUESTION_FILTERS)[number];

/**
 * The list's query string. `after` is the keyset cursor of the last question on the previous page
 * ("<sort value>~<id>"); anything odd means "the first page", never an error.
 */
export const questionListQuerySchema = z.object({
  sort: z.enum(QUESTION_SORTS).catch("newest"),
  filter: z.enum(QUESTION_FILTERS).catch("all"),
  tag: z
    .string()
    .trim()
    .max(FORUM_TAG_MAX_LENGTH * 4)
    .transform((v) => tagSlug(v) || undefined)
    .optional()
    .catch(undefined),
  after: z
    .string()
    .regex(/^-?[0-9TZ:.+-]{1,40}~[1-9]\d{0,9}$/)
    .optional()
    .catch(undefined),
});
export type QuestionListQuery = z.output<typeof questionListQuerySchema>;

/** ?from=&to= on the revision pages; anything odd means "no comparison". */
export const revisionQuerySchema = z.object({
  from: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
  to: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

/** ?article=<id> or ?articleId=<id> (the KB's "Ask the community" link) and ?title= on the ask page. */
export const askQuerySchema = z.object({
  articleId: routeIdSchema.optional().catch(undefined),
  title: z.string().max(QUESTION_TITLE_MAX).optional().catch(undefined),
});
