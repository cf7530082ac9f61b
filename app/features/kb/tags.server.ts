import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { kbArticles, kbArticleTags, kbTags } from "../../../db/schema";
import { can } from "../auth/permissions";
import type { FieldErrors } from "../forms/parse";
import { tagRenameSchema, type TagRenameInput } from "./admin-forms.schema";
import { fieldError, FORBIDDEN, NOT_FOUND, parseWith, violatedUniqueConstraint, type Actor, type KbCommandResult } from "./articles.server";
import { tagSlug } from "./kb.schema";
import { enqueueRelatedRefresh } from "./related.server";

/**
 * Tag housekeeping for the CS team (/admin/kb/tags). Same shape as the other kb commands: parse the input
 * again with the form's schema → authorize (can(actor, "kb.manage")) → one transaction.
 *
 * Invariant: a tag's slug is always tagSlug(its name). The article editor identifies tags that way
 * (setArticleTags looks tags up by tagSlug of the typed name), so a tag whose slug drifted from its name
 * would be swapped for a new tag the next time any of its articles is saved. Renaming therefore derives
 * the slug from the new name; a name whose slug another tag already has is a collision (merge instead).
 *
 * Article pages, lists and JSON-LD read tag names through joins on kb_article_tags; nothing copies a
 * tag name into an article row, a revision or a job, so a rename leaves nothing stale behind. Merging and
 * deleting change which articles share tags, which the stored related-article lists are computed from,
 * so those two queue a related refresh for each affected published article (as saveArticle does when an
 * article's tags change), in the same transaction.
 */

/** Queues related-list refreshes for the published articles among `articleIds` (and their neighbours). */
async function refreshRelatedOf(tx: Db, articleIds: number[]): Promise<void> {
  if (articleIds.length === 0) return;
  const published = await tx
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(and(inArray(kbArticles.id, articleIds), eq(kbArticles.status, "published")));
  for (const { id } of published) await enqueueRelatedRefresh(tx, id, { neighbours: true });
}


/**
 * Renames a tag everywhere it is shown (its articles read the name through a join). The slug follows the
 * name. A name belonging to another tag is refused on `name` with `collidingTagId`, so the page can offer
 * to merge into that tag. Staff only (kb.manage). No side effects beyond the tag row.
 */
export async function renameTag(
  db: Db,
  actor: Actor,
  tagId: number,
  rawInput: TagRenameInput
): Promise<KbCommandResult<{ changed: boolean; slug: string }> | { ok: false; fieldErrors: FieldErrors; collidingTagId: number }> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  const parsed = parseWith(tagRenameSchema, rawInput);
  if (!parsed.ok) return parsed;
  const { name } = parsed.data;
  const slug = tagSlug(name);
  try {
    return await db.transaction(async (tx) => {
      const [tag] = await tx.select().from(kbTags).where(eq(kbTags.id, tagId)).for("update");
      if (!tag) return NOT_FOUND;
      if (tag.name === name && tag.slug === slug) return { ok: true as const, changed: false, slug };
      const [other] = await tx
        .select({ id: kbTags.id })
        .from(kbTags)
        .where(and(eq(kbTags.slug, slug), ne(kbTags.id, tagId)));
      if (other)
        return {
          ...fieldError("name", "adminKb.tags.error.nameTaken"),
          collidingTagId: other.id,
        };
      await tx.update(kbTags).set({ name, slug }).where(eq(kbTags.id, tagId));
      return { ok: true as const, changed: true, slug };
    });
  } catch (error) {
    // Two staff renaming onto one name at once: the unique index catches what the check could not.
    if (violatedUniqueConstraint(error) === "kb_tags_slug_key") return fieldError("name", "adminKb.tags.error.nameTaken");
    throw error;
  }
}

/**
 * Merges tag `tagId` into `targetId`: every article tagged with the source gets the target (articles that
 * already had both keep one link), then the source tag is deleted. Staff only (kb.manage).
 * Side effects: a related-articles refresh job per affected published article.
 */
export async function mergeTags(db: Db, actor: Actor, tagId: number, targetId: number): Promise<KbCommandResult<{ moved: number }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  if (tagId === targetId) return fieldError("targetId", "adminKb.tags.error.mergeSelf");
  return db.transaction(async (tx): Promise<KbCommandResult<{ moved: number }>> => {
    // Both rows locked in id order, so two merges in opposite directions cannot deadlock.
    const rows = await tx
      .select({ id: kbTags.id })
      .from(kbTags)
      .where(inArray(kbTags.id, [tagId, targetId]))
      .orderBy(asc(kbTags.id))
      .for("update");
    if (!rows.some((r) => r.id === tagId)) return NOT_FOUND;
    if (!rows.some((r) => r.id === targetId)) return fieldError("targetId", "adminKb.tags.error.targetMissing");
    const moved = await tx
      .insert(kbArticleTags)
      .select(
        tx
          .select({
            articleId: kbArticleTags.articleId,
            tagId: sql<number>`${targetId}::int`.as("tag_id"),
          })
          .from(kbArticleTags)
          .where(eq(kbArticleTags.tagId, tagId))
      )
      .onConflictDoNothing()
      .returning({ articleId: kbArticleTags.articleId });
    const sourceLinks = await tx.delete(kbArticleTags).where(eq(kbArticleTags.tagId, tagId)).returning({ articleId: kbArticleTags.articleId });
    await tx.delete(kbTags).where(eq(kbTags.id, tagId));
    await refreshRelatedOf(
      tx,
      sourceLinks.map((l) => l.articleId)
    );
    return { ok: true, moved: moved.length };
  });
}

/**
 * Deletes a tag: it disappears from every article that had it; the articles themselves are untouched.
 * Staff only (kb.manage). Side effects: a related-articles refresh job per affected published article.
 */
export async function deleteTag(db: Db, actor: Actor, tagId: number): Promise<KbCommandResult<{ articleCount: number }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<KbCommandResult<{ articleCount: number }>> => {
    const [tag] = await tx.select({ id: kbTags.id }).from(kbTags).where(eq(kbTags.id, tagId)).for("update");
    if (!tag) return NOT_FOUND;
    const links = await tx.delete(kbArticleTags).where(eq(kbArticleTags.tagId, tagId)).returning({ articleId: kbArticleTags.articleId });
    await tx.delete(kbTags).where(eq(kbTags.id, tagId));
    await refreshRelatedOf(
      tx,
      links.map((l) => l.articleId)
    );
    return { ok: true, articleCount: links.length };
  });
}
