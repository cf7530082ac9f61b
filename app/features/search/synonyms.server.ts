import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { searchSynonyms, users } from "../../../db/schema";
import type { SearchEngine } from "../../../search/engine";
import type { SessionUser } from "../auth/permissions";

/**
 * Staff-managed synonym groups ("sso" = "single sign-on" = "シングルサインオン"). Postgres holds them; after
 * every change the whole list is handed to the engine (setSynonyms replaces, so the engine never drifts
 * from the table). created_by_id records who last changed a group.
 */

export interface SynonymGroup {
  id: number;
  terms: string[];
  changedBy: string | null;
  updatedAt: Date;
}

type Actor = Pick<SessionUser, "id">;

export async function listSynonymGroups(db: Db): Promise<SynonymGroup[]> {
  const rows = await db
    .select({ id: searchSynonyms.id, terms: searchSynonyms.terms, changedBy: users.displayName, updatedAt: searchSynonyms.updatedAt })
    .from(searchSynonyms)
    .leftJoin(users, eq(users.id, searchSynonyms.createdById))
    .orderBy(asc(searchSynonyms.id));
  return rows;
}

/** Hands every group to the engine. Called after each change and at start. */
export async function applySynonyms(db: Db, engine: SearchEngine): Promise<number> {
  const rows = await db.select({ terms: searchSynonyms.terms }).from(searchSynonyms).orderBy(asc(searchSynonyms.id));
  await engine.setSynonyms(rows.map((r) => r.terms));
  return rows.length;
}

/** Terms are already normalized and validated by synonymActionSchema. Side effect: one row. Staff only (search.manage). */
export async function createSynonymGroup(db: Db, actor: Actor, terms: readonly string[]): Promise<number> {
  const [row] = await db
    .insert(searchSynonyms)
    .values({ terms: [...terms], createdById: actor.id })
    .returning({ id: searchSynonyms.id });
  return row!.id;
}

/** False when the group no longer exists. Staff only (search.manage). */
export async function updateSynonymGroup(db: Db, actor: Actor, id: number, terms: readonly string[]): Promise<boolean> {
  const rows = await db
    .update(searchSynonyms)
    .set({ terms: [...terms], createdById: actor.id, updatedAt: sql`now()` })
    .where(eq(searchSynonyms.id, id))
    .returning({ id: searchSynonyms.id });
  return rows.length > 0;
}

/** False when the group no longer exists. Staff only (search.manage). */
export async function deleteSynonymGroup(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(searchSynonyms).where(eq(searchSynonyms.id, id)).returning({ id: searchSynonyms.id });
  return rows.length > 0;
}
