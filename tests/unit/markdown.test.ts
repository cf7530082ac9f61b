import { describe, expect, it } from "vitest";
import {
  MARKDOWN_MAX_LENGTH,
  MarkdownRejectedError,
  MarkdownTooDeeplyNestedError,
  MarkdownTooLongError,
  excerpt,
  readingTimeMinutes,
  renderMarkdown,
} from "../../app/features/markdown/render.server";

const REL = 'rel="nofollow ugc noopener noreferrer"';

describe("headings and table of contents", () => {
  const article = [
    "# Guide",
    "## Install & run",
    "### Requirements",
    "#### Too deep for the contents",
    "## Configure **the** server",
  ].join("\n\n");

  it("lists h2 and h3 in document order with plain text and the ids the headings carry", () => {
    const { html, toc } = renderMarkdown(article);
    expect(toc).toEqual([
      { depth: 2, id: "install-run", text: "Install & run" },
      { depth: 3, id: "requirements", text: "Requirements" },
      { depth: 2, id: "configure-the-server", text: "Configure the server" },
    ]);
    for (const { id } of toc) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<h4 id="too-deep-for-the-contents">');
  });

  it("gives Japanese headings ids made of their own kana and kanji", () => {
    const { html, toc } = renderMarkdown("## はじめに（概要）\n\n## インストール手順\n\n## Step 2: 設定ファイル");
    expect(toc.map((entry) => entry.id)).toEqual(["はじめに概要", "インストール手順", "step-2-設定ファイル"]);
    expect(toc[0]?.text).toBe("はじめに（概要）");
    expect(html).toContain('<h2 id="インストール手順">');
  });

  it("numbers repeated headings -2, -3 so every anchor stays unique", () => {
    const { toc } = renderMarkdown("## FAQ\n\n## FAQ\n\n## FAQ\n\n## FAQ 2");
    expect(toc.map((entry) => entry.id)).toEqual(["faq", "faq-2", "faq-3", "faq-2-2"]);
  });

  it("falls back to a usable id when a heading has no letters or digits", () => {
    const { toc } = renderMarkdown("## !!!\n\n## ???");
    expect(toc.map((entry) => entry.id)).toEqual(["section", "section-2"]);
  });

  it("adds a hidden # link to each heading only when asked", () => {
    expect(renderMarkdown("## Setup").html).not.toContain("anchor");
    const { html, text } = renderMarkdown("## Setup", { headingAnchors: true });
    expect(html).toContain('<a class="anchor" href="#setup" aria-hidden="true" tabindex="-1">#</a>');
    expect(text).toBe("Setup");
  });

  it("drops ids written in raw HTML, so a post cannot plant element ids on the page", () => {
    const { html } = renderMarkdown('<h2 id="__remixContext">x</h2>\n\n<h3 id="setup">y</h3>');
    expect(html).not.toContain("__remixContext");
    expect(html).not.toMatch(/id="setup"/);
  });
});

describe("code", () => {
  it("highlights fenced code at write time with hljs classes", () => {
    const { html } = renderMarkdown("```ts\nconst answer: number = 42;\n```");
    expect(html).toContain('<pre><code class="hljs language-ts">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-number">42</span>');
  });

  it.each(["js", "javascript", "typescript", "json", "bash", "sh", "shell", "python", "sql", "yaml", "yml", "xml", "html", "css", "go", "java", "ruby", "php", "diff", "plaintext"])(
    "knows the %s language",
    (language) => {
      const { html } = renderMarkdown(`\`\`\`${language}\nx = "y" # z\n\`\`\``);
      expect(html).toContain(`class="hljs language-${language}"`);
    },
  );

  it("escapes code in an unknown language and leaves it unhighlighted", () => {
    const { html } = renderMarkdown("```mermaid\ngraph TD; A-->B <b>\n```");
    expect(html).toBe('<pre><code class="hljs language-mermaid">graph TD; A--&gt;B &lt;b&gt;</code></pre>\n');
  });

  it("escapes code with no language and inline code", () => {
    expect(renderMarkdown("```\n<script>x</script> & y\n```").html).toBe(
      '<pre><code class="hljs">&lt;script&gt;x&lt;/script&gt; &amp; y</code></pre>\n',
    );
    expect(renderMarkdown("Use `a < b && c`.").html).toBe("<p>Use <code>a &lt; b &amp;&amp; c</code>.</p>\n");
  });

  it("keeps code in the plain text, so identifiers are searchable", () => {
    expect(renderMarkdown("```js\nfile.isNull()\n```").text).toBe("file.isNull()");
  });
});

describe("callouts", () => {
  it.each([
    ["NOTE", "note", "Note"],
    ["TIP", "tip", "Tip"],
    ["IMPORTANT", "important", "Important"],
    ["WARNING", "warning", "Warning"],
    ["CAUTION", "caution", "Caution"],
  ])("renders > [!%s] as a %s callout", (marker, kind, title) => {
    const { html } = renderMarkdown(`> [!${marker}]\n> Back up **first**.`);
    expect(html).toBe(
      `<div class="callout callout-${kind}" role="note"><p class="callout-title">${title}</p>\n<p>Back up <strong>first</strong>.</p>\n</div>\n`,
    );
  });

  it("accepts a lower-case marker and a blank line after it, and renders the body as markdown", () => {
    const { html } = renderMarkdown("> [!tip]\n>\n> - one\n> - two");
    expect(html).toContain('<div class="callout callout-tip" role="note">');
    expect(html).toContain("<li>one</li>");
  });

  it("leaves ordinary quotes, unknown markers and markers followed by text as quotes", () => {
    for (const source of ["> Just a quote", "> [!DANGER]\n> x", "> [!NOTE] inline text"]) {
      const { html } = renderMarkdown(source);
      expect(html).toMatch(/^<blockquote>/);
      expect(html).not.toContain("callout");
    }
  });

  it("keeps the callout title out of the plain text", () => {
    expect(renderMarkdown("> [!WARNING]\n> Back up first.").text).toBe("Back up first.");
  });
});

describe("GFM blocks", () => {
  it("wraps tables for horizontal scrolling and keeps column alignment", () => {
    const { html } = renderMarkdown("| Name | Count |\n|:-----|------:|\n| a | 1 |");
    expect(html).toMatch(/^<div class="table-wrap"><table>/);
    expect(html).toContain('<th align="left">Name</th>');
    expect(html).toContain('<td align="right">1</td>');
    expect(html).toMatch(/<\/table><\/div>\n$/);
  });

  it("renders task lists as read-only checkboxes", () => {
    const { html } = renderMarkdown("- [x] Done\n- [ ] Todo");
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" disabled checked /> Done</li>');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" disabled /> Todo</li>');
  });

  it("renders strikethrough and bare-URL autolinks, and does not turn single newlines into breaks", () => {
    const { html } = renderMarkdown("~~old~~ see www.example.com\nnext line");
    expect(html).toBe(`<p><del>old</del> see <a href="http://www.example.com" ${REL}>www.example.com</a>\nnext line</p>\n`);
  });

  it("keeps allowed raw HTML such as details, kbd and sup", () => {
    const { html } = renderMarkdown("<details><summary>More</summary>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup></details>");
    expect(html).toBe("<details><summary>More</summary>Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup></details>");
  });
});

describe("links and images", () => {
  it("marks external links nofollow ugc noopener noreferrer and never opens a new tab", () => {
    const { html } = renderMarkdown('[docs](https://example.com/docs "Docs") and <a href="https://x.example" target="_blank" rel="opener">x</a>');
    expect(html).toContain(`<a href="https://example.com/docs" title="Docs" ${REL}>docs</a>`);
    expect(html).toContain(`<a href="https://x.example" ${REL}>x</a>`);
    expect(html).not.toContain("target");
  });

  it("leaves same-site and same-page links without rel, and mailto links with it", () => {
    const { html } = renderMarkdown("[kb](/kb/setup) [top](#install) [mail](mailto:help@example.com)");
    expect(html).toContain('<a href="/kb/setup">kb</a>');
    expect(html).toContain('<a href="#install">top</a>');
    expect(html).toContain(`<a href="mailto:help@example.com" ${REL}>mail</a>`);
  });

  it("keeps the text of a link whose URL is refused", () => {
    expect(renderMarkdown("[click me](javascript:alert(1))").html).toBe("<p>click me</p>\n");
  });

  it("lazy-loads images from http and https URLs", () => {
    const { html } = renderMarkdown('![Diagram](https://cdn.example.com/d.png "Flow") ![old](http://example.com/o.gif)');
    expect(html).toContain('<img loading="lazy" src="https://cdn.example.com/d.png" alt="Diagram" title="Flow" />');
    expect(html).toContain('<img loading="lazy" src="http://example.com/o.gif" alt="old" />');
  });

  it("shows only the alt text for images from any other kind of URL", () => {
    expect(renderMarkdown("![a](/uploads/a.png) ![b](data:image/png;base64,AAAA) ![c](javascript:x)").html).toBe("<p>a b c</p>\n");
  });

  it("turns images into links, and drops raw <img>, when images are not allowed", () => {
    const { html } = renderMarkdown('![Diagram](https://cdn.example.com/d.png)\n\n<img src="https://cdn.example.com/e.png">', { allowImages: false });
    expect(html).toContain(`<a href="https://cdn.example.com/d.png" ${REL}>Diagram</a>`);
    expect(html).not.toContain("<img");
  });
});

describe("plain text, word count, excerpt and reading time", () => {
  it("extracts visible text with entities decoded and block boundaries as spaces", () => {
    const { text, wordCount } = renderMarkdown("# Title\n\nOne &amp; two.\n\n- three\n- four\n\n<script>hidden()</script>");
    expect(text).toBe("Title One & two. three four");
    expect(wordCount).toBe(5);
  });

  it("counts Japanese words with a dictionary, not by spaces", () => {
    expect(renderMarkdown("設定ファイルを開きます。").wordCount).toBeGreaterThanOrEqual(4);
  });

  it("returns short text unchanged and cuts long English text at a word boundary", () => {
    expect(excerpt("Short text.", 50)).toBe("Short text.");
    const cut = excerpt("The quick brown fox jumps over the lazy dog.", 20);
    expect(cut).toBe("The quick brown fox…");
    expect(Array.from(cut).length).toBeLessThanOrEqual(20);
  });

  it("cuts Japanese text between words and drops a dangling comma", () => {
    const cut = excerpt("インストール手順を説明します。まず、設定ファイルを開きます。", 12);
    expect(cut).toBe("インストール手順を説明…");
    expect(Array.from(cut).length).toBeLessThanOrEqual(12);
  });

  it("never splits a surrogate pair or an emoji sequence", () => {
    const cut = excerpt("𠮷𠮷𠮷𠮷𠮷👩‍💻👩‍💻👩‍💻", 4);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cut.endsWith("…")).toBe(true);
    expect(excerpt("👩‍💻".repeat(10), 3)).not.toContain("\u200D…");
  });

  it("estimates reading time at 230 English words or 500 Japanese characters a minute, at least 1", () => {
    expect(readingTimeMinutes("")).toBe(1);
    expect(readingTimeMinutes("word ".repeat(230))).toBe(1);
    expect(readingTimeMinutes("word ".repeat(2300))).toBe(10);
    expect(readingTimeMinutes("あ".repeat(5000))).toBe(10);
    expect(readingTimeMinutes(`${"word ".repeat(1150)}${"あ".repeat(2500)}`)).toBe(10);
  });
});

describe("limits", () => {
  it(`accepts ${MARKDOWN_MAX_LENGTH} characters and refuses one more with a typed error`, () => {
    expect(() => renderMarkdown("a".repeat(MARKDOWN_MAX_LENGTH))).not.toThrow();
    let caught: unknown;
    try {
      renderMarkdown("a".repeat(MARKDOWN_MAX_LENGTH + 1));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MarkdownTooLongError);
    expect(caught).toBeInstanceOf(MarkdownRejectedError);
    expect((caught as MarkdownTooLongError).actualLength).toBe(MARKDOWN_MAX_LENGTH + 1);
  });

  it("refuses absurdly deep nesting with a typed error instead of a stack overflow", () => {
    expect(() => renderMarkdown(`${">".repeat(5000)} x`)).toThrow(MarkdownTooDeeplyNestedError);
  });

  it("renders inputs that make a naive markdown lexer quadratic in reasonable time", () => {
    // Each took 2–19 s before the renderer bounded marked's look-ahead, the heading-id dedupe and word
    // segmentation; now a few hundred milliseconds.
    const sources = ["_a".repeat(25_000), `${"*".repeat(20_000)}x${"*".repeat(20_000)}`, "## h\n".repeat(10_000), "設定ファイルを開きます。".repeat(8_000)];
    for (const source of sources) {
      const started = performance.now();
      renderMarkdown(source);
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });

  it("is deterministic, so a re-render migration only changes documents whose output really changed", () => {
    const source = "## Setup\n\n> [!NOTE]\n> `npm ci` then **run**.\n\n| a |\n|---|\n| 1 |";
    expect(renderMarkdown(source, { headingAnchors: true })).toEqual(renderMarkdown(source, { headingAnchors: true }));
  });

  it("replaces NUL characters instead of storing them", () => {
    expect(renderMarkdown("a\u0000b").html).toBe("<p>a\uFFFDb</p>\n");
  });
});
