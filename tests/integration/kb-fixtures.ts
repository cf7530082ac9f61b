import crypto from "node:crypto";
import { expect } from "vitest";
import type { Db } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import type { Locale } from "../../db/schema";
import { createArticle, createCollection, publishArticle, type Actor } from "../../app/features/kb/articles.server";
import type { ArticleCreateInput } from "../../app/features/kb/kb.schema";

// Shared by the kb integration tests: people in each role, and collections and articles made through the
// real commands (so every fixture has a revision, rendered HTML and a derived slug like real data).

export interface KbPeople {
  staff: UserRow;
  admin: UserRow;
  member: UserRow;
  moderator: UserRow;
}

export async function createKbPeople(db: Db): Promise<KbPeople> {
  return {
    staff: await createUser(db, { role: "staff" }),
    admin: await createUser(db, { role: "admin" }),
    member: await createUser(db, { role: "member" }),
    moderator: await createUser(db, { role: "moderator" }),
  };
}

export const asActor = (user: UserRow): Actor => ({ id: user.id, role: user.role });

/** A slug no other test in the file uses. */
export function uniqueSlug(prefix = "c"): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex")}`;
}

export async function makeCollection(db: Db, staff: UserRow, overrides: { slug?: string; position?: number; nameEn?: string; nameJa?: string } = {}) {
  const slug = overrides.slug ?? uniqueSlug("col");
  const result = await createCollection(db, asActor(staff), {
    slug,
    nameEn: overrides.nameEn ?? `Collection ${slug}`,
    nameJa: overrides.nameJa ?? `コレクション ${slug}`,
    descriptionEn: "",
    descriptionJa: "",
    position: overrides.position ?? 0,
  });
  if (!result.ok) throw new Error(`makeCollection failed: ${JSON.stringify(result)}`);
  return { id: result.collectionId, slug };
}

export function articleInput(collectionId: number, overrides: Partial<ArticleCreateInput> = {}): ArticleCreateInput {
  return {
    title: "Setting up single sign-on",
    slug: null,
    collectionId,
    locale: "en" as Locale,
    visibility: "public",
    summary: "",
    bodyMd: "## Steps\n\nOpen the admin console.\n",
    tags: [],
    ownerId: null,
    reviewBy: null,
    note: null,
    ...overrides,
  };
}

/** Creates an article through createArticle (and publishes it unless `publish: false`). */
export async function makeArticle(
  db: Db,
  staff: UserRow,
  collectionId: number,
  overrides: Partial<ArticleCreateInput> & { publish?: boolean; translationOfId?: number } = {},
) {
  const { publish = true, translationOfId, ...input } = overrides;
  const result = await createArticle(db, asActor(staff), articleInput(collectionId, input), { translationOfId });
  if (!result.ok) throw new Error(`makeArticle failed: ${JSON.stringify(result)}`);
  if (publish) expect(await publishArticle(db, asActor(staff), result.articleId)).toMatchObject({ ok: true });
  return { id: result.articleId, slug: result.slug };
}
