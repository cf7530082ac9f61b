import crypto from "node:crypto";

/**
 * Memoized server rendering for signed-out readers. A page's HTML is a pure function of its URL and its
 * loaders' data (the CSP nonce aside), so when a signed-out reader asks for a URL whose loader data is
 * byte-for-byte what an earlier render used, that render's HTML is reused with the new nonce put in.
 * Loaders still run for every request (views are counted, cookies set, visibility applied); only React's
 * render is skipped, which was most of a knowledge-base article's server time (bench:kb).
 *
 * The rule this relies on, for every route: components render from loader data and the URL only. Anything
 * that depends on the clock or the viewer belongs in a loader. MAX_AGE_MS bounds the damage if one forgets.
 * Signed-in pages are never cached (memory would grow with users, for little gain).
 */
const MAX_AGE_MS = 60_000;
const MAX_BYTES = 64 * 1024 * 1024;
const NONCE_PLACEHOLDER = "\u0000hearth-nonce\u0000";

interface Entry {
  html: string;
  storedAt: number;
}

const entries = new Map<string, Entry>();
let bytes = 0;

export function renderCacheKey(url: string, loaderData: unknown): string {
  return crypto.createHash("sha256").update(url).update("\u0000").update(JSON.stringify(loaderData)).digest("base64url");
}

/** The cached HTML for `key` with `nonce` in place of the one it was rendered with, or null. */
export function cachedRender(key: string, nonce: string): string | null {
  const entry = entries.get(key);
  if (!entry) return null;
  if (Date.now() - entry.storedAt > MAX_AGE_MS) {
    forget(key, entry);
    return null;
  }
  return entry.html.replaceAll(NONCE_PLACEHOLDER, nonce);
}

export function storeRender(key: string, html: string, nonce: string): void {
  // Without a nonce to find, the placeholder could not be put back: do not cache.
  if (!nonce || html.length * 2 > MAX_BYTES / 16) return;
  const previous = entries.get(key);
  if (previous) forget(key, previous);
  const entry = { html: html.replaceAll(nonce, NONCE_PLACEHOLDER), storedAt: Date.now() };
  entries.set(key, entry);
  bytes += entry.html.length * 2;
  // Oldest first: a Map iterates in insertion order.
  for (const [oldKey, oldEntry] of entries) {
    if (bytes <= MAX_BYTES) break;
    forget(oldKey, oldEntry);
  }
}

function forget(key: string, entry: Entry): void {
  entries.delete(key);
  bytes -= entry.html.length * 2;
}
