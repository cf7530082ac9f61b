/**
 * Text analysis shared by indexing and querying (owned by the embedded engine's work; see engine.ts).
 * STUB: the real analyzer replaces this file.
 */

/** NFKC, lower case, whitespace collapsed and trimmed: how queries are stored for analytics. */
export function normalizeQueryText(q: string): string {
  return q.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}
