import { z } from "zod";
import { recordIdSchema } from "../admin/admin.schema";
import { articleCreateSchema, articleSaveSchema, collectionSchema, KB_ARTICLE_STATUSES, KB_BODY_MAX_LENGTH, KB_TAG_MAX_LENGTH, LOCALES, tagSlug } from "./kb.schema";

// The forms and queries of the staff kb screens. Field rules come from the kb schemas; these only add
// the hidden `intent` that tells several forms on one page apart.

const previewBody = z.preprocess((v) => v ?? "", z.string().max(KB_BODY_MAX_LENGTH, "kb.form.bodyTooLong"));
// The preview renders callout titles in the article's language, as saving will; a bad value previews in English.
const previewLocale = z.enum(LOCALES).catch("en");
const formId = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(/^[1-9]\d{0,9}$/, message)
    .transform(Number)
    .refine((n) => n <= 2_147_483_647, message);

export const newArticleActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("preview"), bodyMd: previewBody, locale: previewLocale }),
  articleCreateSchema.extend({ intent: z.literal("create") }),
]);

export const editorActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("preview"), bodyMd: previewBody, locale: previewLocale }),
  articleSaveSchema.extend({ intent: z.literal("save") }),
  z.object({ intent: z.literal("publish") }),
  z.object({ intent: z.literal("unpublish") }),
  z.object({ intent: z.literal("schedule"), scheduledFor: z.string({ error: "form.required" }).trim().min(1, "form.required").max(40, "kb.form.dateInvalid") }),
  z.object({ intent: z.literal("linkTranslation"), translationId: formId("form.invalid") }),
]);
export type EditorAction = z.output<typeof editorActionSchema>;

export const restoreActionSchema = z.object({
  intent: z.literal("restore"),
  revision: z.coerce.number({ error: "form.invalid" }).int("form.invalid").min(1, "form.invalid").max(1_000_000, "form.invalid"),
});

/** ?from=&to= on the history page; anything odd means "no comparison". */
export const historyQuerySchema = z.object({
  from: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
  to: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

export const articleListQuerySchema = z.object({
  collection: recordIdSchema.optional().catch(undefined),
  status: z.enum(KB_ARTICLE_STATUSES).optional().catch(undefined),
  locale: z.enum(LOCALES).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export const collectionsQuerySchema = z.object({
  collection: recordIdSchema.optional().catch(undefined),
});

export const collectionsActionSchema = z.discriminatedUnion("intent", [
  collectionSchema.extend({ intent: z.literal("createCollection") }),
  collectionSchema.extend({ intent: z.literal("updateCollection"), collectionId: formId("form.invalid") }),
  z.object({
    intent: z.literal("order"),
    collectionId: formId("form.invalid"),
    // The whole new order, as the page showed it: "12,5,9".
    articleIds: z
      .string()
      .regex(/^\d{1,10}(,\d{1,10})*$/, "form.invalid")
      .transform((v) => v.split(",").map(Number))
      .refine((ids) => ids.length <= 500, "form.invalid"),
  }),
]);

/**
 * A tag's new name. Held to the same rules as a tag typed in the article editor; a comma is refused
 * because the editor splits its tag list on commas (the tag could never be typed again).
 */
export const tagRenameSchema = z.object({
  name: z
    .string({ error: "form.required" })
    .trim()
    .min(1, "form.required")
    .max(KB_TAG_MAX_LENGTH, "kb.form.tagTooLong")
    .refine((name) => !/[,、，]/.test(name), "adminKb.tags.error.comma")
    // An empty name already has its error.
    .refine((name) => name === "" || tagSlug(name) !== "", "kb.form.tagInvalid"),
});
export type TagRenameInput = z.output<typeof tagRenameSchema>;

export const tagsQuerySchema = z.object({
  tag: recordIdSchema.optional().catch(undefined),
});

export const tagsActionSchema = z.discriminatedUnion("intent", [
  tagRenameSchema.extend({ intent: z.literal("rename"), tagId: formId("form.invalid") }),
  z.object({
    intent: z.literal("merge"),
    tagId: formId("form.invalid"),
    targetId: formId("adminKb.tags.error.pickTarget"),
  }),
  z.object({ intent: z.literal("delete"), tagId: formId("form.invalid") }),
]);

export const reviewQuerySchema = z.object({
  mine: z.enum(["1"]).optional().catch(undefined),
});
