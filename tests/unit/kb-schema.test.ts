import { describe, expect, it } from "vitest";
import { MARKDOWN_MAX_LENGTH } from "../../app/features/markdown/render.server";
import { catalogs } from "../../app/features/i18n/messages";
import {
  articleCreateSchema,
  articleSaveSchema,
  collectionSchema,
  feedbackSchema,
  KB_BODY_MAX_LENGTH,
  KB_SLUG_MAX,
  KB_SLUG_PATTERN,
  parseTagList,
  slugFromTitle,
  tagSlug,
} from "../../app/features/kb/kb.schema";

const form = {
  title: "  Getting started  ",
  slug: "",
  collectionId: "3",
  locale: "en",
  visibility: "customers",
  summary: "",
  bodyMd: "line one\r\nline two\r\n",
  tags: "SSO, Billing、sso，  ",
  ownerId: "",
  reviewBy: "2030-01-31",
  note: "",
};

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));
}

describe("slugFromTitle", () => {
  it.each([
    ["Getting Started with SSO", "getting-started-with-sso"],
    ["Café & Crème: billing FAQ", "cafe-creme-billing-faq"],
    ["Don't panic — it's only a 404!", "dont-panic-its-only-a-404"],
    ["  --Spaces   and---dashes--  ", "spaces-and-dashes"],
  ])("turns %j into %j", (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
    expect(slug).toMatch(KB_SLUG_PATTERN);
  });

  it("gives nothing for Japanese titles and titles without letters, so the caller falls back to article-<id>", () => {
    expect(slugFromTitle("請求書のダウンロード方法")).toBe("");
    expect(slugFromTitle("Slack 連携の設定")).toBe("");
    expect(slugFromTitle("!!!")).toBe("");
  });

  it("stays within the length limit, cutting at a word boundary", () => {
    const slug = slugFromTitle(Array.from({ length: 40 }, (_, i) => `word${i}`).join(" "));
    expect(slug.length).toBeLessThanOrEqual(KB_SLUG_MAX);
    expect(slug).toMatch(KB_SLUG_PATTERN);
    expect(slug.endsWith("-")).toBe(false);
    expect(slugFromTitle("x".repeat(300))).toHaveLength(KB_SLUG_MAX);
  });
});

describe("tags", () => {
  it("splits on ASCII, Japanese and full-width commas", () => {
    expect(parseTagList("a, b、c，d,, ")).toEqual(["a", "b", "c", "d"]);
  });

  it("treats spellings of one tag as one and keeps Japanese tags", () => {
    expect(tagSlug("Single  Sign-On")).toBe(tagSlug("single sign-on"));
    expect(tagSlug("請求書")).toBe("請求書");
    expect(tagSlug("C++")).toBe("c");
  });
});

describe("article schemas", () => {
  it("turns what the form submits into typed input, normalizing line ends and tags", () => {
    const parsed = articleCreateSchema.parse(form);
    expect(parsed).toEqual({
      title: "Getting started",
      slug: null,
      collectionId: 3,
      locale: "en",
      visibility: "customers",
      summary: "",
      bodyMd: "line one\nline two\n",
      tags: ["SSO", "Billing"],
      ownerId: null,
      reviewBy: "2030-01-31",
      note: null,
    });
    // Commands parse again: the output is valid input and comes out the same.
    expect(articleCreateSchema.parse(parsed)).toEqual(parsed);
  });

  it("reports every bad field with a catalog key", () => {
    const result = articleCreateSchema.safeParse({
      ...form,
      title: "",
      slug: "Not A Slug",
      collectionId: "abc",
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(","),
      reviewBy: "31/01/2030",
      bodyMd: "x".repeat(KB_BODY_MAX_LENGTH + 1),
    });
    expect(errorsOf(result)).toEqual({
      title: "form.required",
      slug: "kb.form.slugInvalid",
      collectionId: "kb.form.collectionMissing",
      tags: "kb.form.tooManyTags",
      reviewBy: "kb.form.dateInvalid",
      bodyMd: "kb.form.bodyTooLong",
    });
    for (const key of Object.values(errorsOf(result))) expect(catalogs.en).toHaveProperty(key);
  });

  it("lower-cases a typed slug and requires the base revision on save", () => {
    expect(articleCreateSchema.parse({ ...form, slug: " Getting-Started " }).slug).toBe("getting-started");
    expect(errorsOf(articleSaveSchema.safeParse({ ...form, baseRevision: "" }))).toEqual({});
    expect(articleSaveSchema.parse({ ...form, baseRevision: "4" }).baseRevision).toBe(4);
    expect(errorsOf(articleSaveSchema.safeParse({ ...form, baseRevision: "x" }))).toEqual({ baseRevision: "form.invalid" });
  });

  it("allows exactly the renderer's size limit", () => {
    expect(KB_BODY_MAX_LENGTH).toBe(MARKDOWN_MAX_LENGTH);
    expect(articleCreateSchema.safeParse({ ...form, bodyMd: "x".repeat(KB_BODY_MAX_LENGTH) }).success).toBe(true);
  });
});

describe("feedback and collection schemas", () => {
  it("reads yes/no and drops a reason given with a yes", () => {
    expect(feedbackSchema.parse({ articleId: "7", helpful: "yes", reason: "outdated", comment: " " })).toEqual({
      articleId: 7,
      helpful: true,
      reason: null,
      comment: null,
    });
    expect(feedbackSchema.parse({ articleId: "7", helpful: "no", reason: "didnt_solve", comment: "Still broken" })).toMatchObject({
      helpful: false,
      reason: "didnt_solve",
      comment: "Still broken",
    });
    expect(errorsOf(feedbackSchema.safeParse({ articleId: "7", helpful: "maybe" }))).toEqual({ helpful: "form.required" });
  });

  it("validates a collection form", () => {
    expect(collectionSchema.parse({ slug: "billing", nameEn: "Billing", nameJa: "請求", descriptionEn: "", descriptionJa: "", position: "" })).toMatchObject({
      slug: "billing",
      position: 0,
    });
    expect(errorsOf(collectionSchema.safeParse({ slug: "bad slug", nameEn: "", nameJa: "請求" }))).toEqual({
      slug: "kb.form.slugInvalid",
      nameEn: "form.required",
    });
  });
});
