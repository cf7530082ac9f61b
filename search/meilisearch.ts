import type { SearchEngine } from "./engine";

// STUB: the Meilisearch adapter replaces this file.
export function createMeilisearchEngine(_options: { url: string; apiKey?: string; indexUid?: string }): SearchEngine {
  throw new Error("Meilisearch engine not built yet");
}
