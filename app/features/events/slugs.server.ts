import { and, eq, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import type { events, userGroups } from "../../../db/schema";
import { EVENT_SLUG_MAX } from "./events.schema";

/** Events and groups each have their own URL namespace, with the same slug rules. */
type SlugTable = typeof events | typeof userGroups;

/** Whether another row of the table (not exceptId) already uses the slug. */
export async function isSlugTaken(tx: Db, table: SlugTable, slug: string, exceptId?: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: table.id })
    .from(table)
    .where(exceptId ? and(eq(table.slug, slug), ne(table.id, exceptId)) : eq(table.slug, slug));
  return Boolean(row);
}

/** `base`, else `base-2`, `base-3`…, whichever is free first (cut to leave room for the suffix). */
export async function firstFreeSlug(tx: Db, table: SlugTable, base: string, fallback: string): Promise<string> {
  const stem = base.slice(0, EVENT_SLUG_MAX - 7).replace(/-+$/, "") || fallback;
  const rows = await tx
    .select({ slug: table.slug })
    .from(table)
    .where(or(eq(table.slug, stem), sql`${table.slug} ~ ${`^${stem}-[0-9]+$`}`));
  const used = new Set(rows.map((r) => r.slug));
  if (!used.has(stem)) return stem;
  for (let n = 2; ; n++) if (!used.has(`${stem}-${n}`)) return `${stem}-${n}`;
}
