import { describe, expect, it } from "vitest";
import { createHighlighter, escapeHtml } from "../../search/highlight";

const none = { words: [], prefixes: [], phrases: [], cjk: [] };

describe("highlighting", () => {
  it("escapes everything and marks whole words only, ignoring case", () => {
    const h = createHighlighter({ ...none, words: ["user"] });
    expect(h.full(`<b>User</b> & username "user's"`)).toBe(
      "&lt;b&gt;<mark>User</mark>&lt;/b&gt; &amp; username &quot;<mark>user</mark>&#39;s&quot;",
    );
  });

  it("marks the whole word an unfinished prefix belongs to", () => {
    const h = createHighlighter({ ...none, prefixes: ["conf"] });
    expect(h.full("Configure the config; reconfigure")).toBe("<mark>Configure</mark> the <mark>config</mark>; reconfigure");
  });

  it("marks phrases across punctuation (identifier parts, multi-word synonyms)", () => {
    const h = createHighlighter({ ...none, phrases: [["single", "sign", "on"]] });
    expect(h.full("Single sign-on and single sign on")).toBe("<mark>Single sign-on</mark> and <mark>single sign on</mark>");
  });

  it("marks CJK text inside a run, and a half-width form on its original characters", () => {
    const h = createHighlighter({ ...none, cjk: ["カスタマー"], words: ["sso"] });
    expect(h.full("新しいカスタマー向けSSOの設定")).toBe("新しい<mark>カスタマー</mark>向け<mark>SSO</mark>の設定");
    expect(h.full("ｶｽﾀﾏｰ担当")).toBe("<mark>ｶｽﾀﾏｰ</mark>担当");
  });

  it("picks the passage with the most matches and marks where it was cut", () => {
    const h = createHighlighter({ ...none, words: ["needle"] });
    const body = `${"filler words here. ".repeat(30)}A needle, another needle. ${"more filler text. ".repeat(30)}`;
    const snippet = h.snippet(body, 120);
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet.endsWith("…")).toBe(true);
    expect(snippet.match(/<mark>needle<\/mark>/gu)).toHaveLength(2);
    expect(snippet.replace(/<\/?mark>/gu, "").length).toBeLessThanOrEqual(122);
  });

  it("shows the start of the text when nothing matches, and short texts whole", () => {
    const h = createHighlighter({ ...none, words: ["absent"] });
    expect(h.snippet("Short <text>")).toBe("Short &lt;text&gt;");
    expect(h.snippet("word ".repeat(100), 50)).toMatch(/^word word .*…$/u);
  });

  it("never splits a surrogate pair at the edge of a snippet", () => {
    const h = createHighlighter({ ...none, words: ["x"] });
    const snippet = h.snippet("😀".repeat(200), 51);
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u);
  });

  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("treats regex syntax in terms literally", () => {
    const h = createHighlighter({ ...none, words: ["a.b"], cjk: ["(.*)"] });
    expect(h.full("axb a.b (.*)")).toBe("axb <mark>a.b</mark> <mark>(.*)</mark>");
  });
});
