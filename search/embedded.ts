import type { Db } from "../db/client";
import type { SearchEngine } from "./engine";

// STUB: the embedded engine work replaces this file.
export function createEmbeddedSearchEngine(_db: Db): SearchEngine {
  throw new Error("embedded search engine not built yet");
}
