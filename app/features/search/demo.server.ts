import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { searchSynonyms, users } from "../../../db/schema";
import { DEMO_LOGINS } from "../../../db/seed";
import { parseSynonymTerms } from "./search.schema";

// Demo search settings for the zero-setup server and the e2e suite: one synonym group, so "SSO" finds the
// single sign-on article in both languages. Called after the knowledge base and forum demos.

const DEMO_GROUPS = ["sso, single sign-on, シングルサインオン"];

/** Adds the demo synonym groups when there are none yet; returns how many were added. */
export async function seedDemoSearch(db: Db): Promise<number> {
  const [existing] = await db.select({ count: sql<number>`count(*)::int` }).from(searchSynonyms);
  if (Number(existing?.count ?? 0) > 0) return 0;
  const staffEmail = DEMO_LOGINS.find((l) => l.role === "staff")?.email;
  const [staff] = staffEmail ? await db.select({ id: users.id }).from(users).where(eq(users.email, staffEmail)) : [];
  await db.insert(searchSynonyms).values(DEMO_GROUPS.map((group) => ({ terms: parseSynonymTerms(group), createdById: staff?.id ?? null })));
  return DEMO_GROUPS.length;
}
