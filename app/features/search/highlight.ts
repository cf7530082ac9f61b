/**
 * Engines return titles and snippets as escaped HTML whose only tags are <mark> and </mark>. The pages
 * render them as HTML, so this is the one gate between an engine and dangerouslySetInnerHTML: anything that
 * is not plain escaped text with balanced, unnested marks is refused, and the caller shows its own escaped
 * text instead. An engine bug (or a compromised Meilisearch) can then cost a highlight, never an injection.
 */

import { escapeHtml } from "../../../search/highlight";

export { escapeHtml };

const TOKEN = /<mark>|<\/mark>|&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});|[^<&]+|./gsu;

export function isSafeHighlight(html: string): boolean {
  let open = false;
  for (const match of html.matchAll(TOKEN)) {
    const token = match[0];
    if (token === "<mark>") {
      if (open) return false;
      open = true;
    } else if (token === "</mark>") {
      if (!open) return false;
      open = false;
    } else if (token === "<" || token === "&") {
      return false;
    }
  }
  return !open;
}



/** The engine's highlight when it passes the gate, else the fallback text escaped (no highlight). */
export function safeHighlight(html: string, fallbackText: string): string {
  return html && isSafeHighlight(html) ? html : escapeHtml(fallbackText);
}
