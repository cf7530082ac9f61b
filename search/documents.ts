import type { Db } from "../db/client";
import type { SearchDocument } from "./engine";

// STUB: the index-queue work replaces this file.
/** The current document for each key; a key missing from the map is no longer searchable (remove it). */
export async function loadSearchDocuments(_db: Db, _keys: readonly string[]): Promise<Map<string, SearchDocument>> {
  return new Map();
}
