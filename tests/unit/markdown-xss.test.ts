import { Parser } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../app/features/markdown/render.server";
import { xssPayloads } from "../support/xss-payloads";

// The contract, written out independently of the renderer's own configuration so a loosened sanitizer
// option cannot quietly loosen the test with it.
const ALLOWED_ATTRIBUTES: Record<string, readonly string[]> = {
  p: ["class"],
  h1: ["id"],
  h2: ["id"],
  h3: ["id"],
  h4: ["id"],
  h5: ["id"],
  h6: ["id"],
  a: ["href", "title", "rel", "class", "aria-hidden", "tabindex"],
  img: ["src", "alt", "title", "loading", "width", "height"],
  ul: [],
  ol: ["start"],
  li: ["class"],
  blockquote: [],
  pre: [],
  code: ["class"],
  span: ["class"],
  em: [],
  strong: [],
  del: [],
  s: [],
  hr: [],
  br: [],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ["align"],
  td: ["align"],
  div: ["class", "role"],
  input: ["type", "disabled", "checked"],
  sup: [],
  sub: [],
  kbd: [],
  details: ["open"],
  summary: [],
};

const NEVER_SURVIVES = ["script", "style", "iframe", "svg", "math", "object", "embed", "base", "meta", "form", "link", "template", "noscript", "textarea", "frame", "frameset", "button", "select"];

type Element = { name: string; attributes: Record<string, string> };

function parseElements(html: string): Element[] {
  const elements: Element[] = [];
  const parser = new Parser({ onopentag: (name, attributes) => elements.push({ name, attributes }) }, { decodeEntities: true });
  parser.write(html);
  parser.end();
  return elements;
}

/** The URL as a browser would resolve its scheme: entities already decoded by the parser. */
function normalizedUrl(value: string): string {
  // eslint-disable-next-line no-control-regex -- browsers ignore these inside a scheme ("java\u0000script:")
  return value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, "").toLowerCase();
}

function isAcceptableUrl(value: string, attribute: "href" | "src"): boolean {
  const url = normalizedUrl(value);
  if (url.startsWith("http:") || url.startsWith("https:")) return true;
  if (attribute === "href" && (url.startsWith("mailto:") || url.startsWith("#"))) return true;
  if (/^[/\\]{2}/.test(url)) return false;
  return !/^[a-z][a-z0-9+.-]*:/.test(url) && !url.includes(":");
}

/** Every way the rendered HTML breaks the contract; empty when it is safe. */
function contractViolations(html: string): string[] {
  const problems: string[] = [];
  for (const { name, attributes } of parseElements(html)) {
    if (NEVER_SURVIVES.includes(name)) problems.push(`forbidden element <${name}>`);
    const allowed = ALLOWED_ATTRIBUTES[name];
    if (!allowed) {
      problems.push(`element outside the allow-list <${name}>`);
      continue;
    }
    for (const [attribute, value] of Object.entries(attributes)) {
      if (attribute.startsWith("on")) problems.push(`event handler ${attribute} on <${name}>`);
      if (attribute === "style") problems.push(`style attribute on <${name}>`);
      if (!allowed.includes(attribute)) problems.push(`attribute ${attribute} not allowed on <${name}>`);
      if ((attribute === "href" || attribute === "src") && !isAcceptableUrl(value, attribute)) {
        problems.push(`unsafe ${attribute}=${JSON.stringify(value)} on <${name}>`);
      }
    }
    if (name === "img" && attributes.src !== undefined && !/^https?:/.test(normalizedUrl(attributes.src))) {
      problems.push(`image from a non-http source ${JSON.stringify(attributes.src)}`);
    }
    if (name === "a" && attributes.href !== undefined && /^(https?|mailto):/.test(normalizedUrl(attributes.href))) {
      if (attributes.rel !== "nofollow ugc noopener noreferrer") problems.push(`external link without the enforced rel: ${attributes.rel ?? "none"}`);
    }
    if (name === "input" && (attributes.type !== "checkbox" || attributes.disabled === undefined)) {
      problems.push("an input that is not a disabled checkbox");
    }
    if (name === "span" && attributes.class !== undefined && !attributes.class.split(/\s+/).every((c) => c.startsWith("hljs-"))) {
      problems.push(`span class outside hljs-*: ${attributes.class}`);
    }
  }
  return problems;
}

const cases = xssPayloads.map((payload, index) => ({ ...payload, index }));

describe("markdown sanitizer against known XSS payloads", () => {
  it("has a corpus of at least 150 distinct payloads", () => {
    expect(new Set(xssPayloads.map((payload) => payload.source)).size).toBe(xssPayloads.length);
    expect(xssPayloads.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases)("payload #$index ($category) renders within the allow-list", ({ source }) => {
    for (const options of [{}, { headingAnchors: true, allowImages: false }]) {
      const { html } = renderMarkdown(source, options);
      expect(contractViolations(html), html).toEqual([]);
    }
  });

  it("catches what it claims to catch (the checker itself)", () => {
    expect(contractViolations('<img src=x onerror="alert(1)">')).toContain("event handler onerror on <img>");
    expect(contractViolations('<a href="java&#x09;script:alert(1)">x</a>')).toContainEqual(expect.stringContaining("unsafe href"));
    expect(contractViolations("<svg></svg>")).toContain("forbidden element <svg>");
    expect(contractViolations('<p style="color:red">x</p>')).toContain("style attribute on <p>");
    expect(contractViolations('<img src="//evil.example/x.png">')).toContainEqual(expect.stringContaining("unsafe src"));
    expect(contractViolations('<a href="https://example.com" rel="nofollow ugc noopener noreferrer">x</a> <a href="#top">top</a> <a href="/kb/x">kb</a>')).toEqual([]);
  });
});
