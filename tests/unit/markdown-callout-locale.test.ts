import { describe, expect, it } from "vitest";
import { previewArticleBody } from "../../app/features/kb/articles.server";
import { renderMarkdown } from "../../app/features/markdown/render.server";

const titleOf = (html: string) => /<p class="callout-title">([^<]*)<\/p>/.exec(html)?.[1];

describe("callout titles in the document's language", () => {
  it.each([
    ["NOTE", "Note", "メモ"],
    ["TIP", "Tip", "ヒント"],
    ["IMPORTANT", "Important", "重要"],
    ["WARNING", "Warning", "警告"],
    ["CAUTION", "Caution", "注意"],
  ])("titles > [!%s] %s in English and %s in Japanese", (marker, english, japanese) => {
    const source = `> [!${marker}]\n> バックアップを取ってください。`;
    expect(titleOf(renderMarkdown(source).html)).toBe(english);
    expect(titleOf(renderMarkdown(source, { locale: "en" }).html)).toBe(english);
    expect(titleOf(renderMarkdown(source, { locale: "ja" }).html)).toBe(japanese);
  });

  it("changes only the title: the body, the plain text and the table of contents are the same in either language", () => {
    const source = "## 手順\n\n> [!WARNING]\n> 先に **バックアップ** を取ってください。\n\n本文です。";
    const en = renderMarkdown(source, { headingAnchors: true, locale: "en" });
    const ja = renderMarkdown(source, { headingAnchors: true, locale: "ja" });
    expect(ja.html.replace("警告", "Warning")).toBe(en.html);
    expect(ja.text).toBe(en.text);
    expect(ja.text).not.toContain("警告");
    expect(ja.toc).toEqual(en.toc);
    expect(ja.wordCount).toBe(en.wordCount);
  });

  it("leaves an ordinary quote alone in Japanese", () => {
    expect(renderMarkdown("> 引用です", { locale: "ja" }).html).toBe("<blockquote>\n<p>引用です</p>\n</blockquote>\n");
  });

  it("previews a knowledge-base article with the titles of the article's language (what saving stores)", () => {
    const body = "> [!TIP]\n> ショートカットが使えます。";
    const ja = previewArticleBody(body, "ja");
    const en = previewArticleBody(body);
    expect(ja.ok && titleOf(ja.html)).toBe("ヒント");
    expect(en.ok && titleOf(en.html)).toBe("Tip");
  });
});
