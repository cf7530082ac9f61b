import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { forumQuestionTags, forumTags } from "../../../db/schema";
import { can } from "../auth/permissions";
import { tagSlug } from "../kb/kb.schema";
import { getReputation } from "./member-stats.server";
import { hasPrivilege } from "./reputation";
import type { ForumActor } from "./result";

/**
 * Forum tags. A tag is identified by tagSlug(name) (the same rule as kb tags): "SSO" and "sso" are one tag.
 * Members pick existing tags; creating a new one needs PRIVILEGES.createTags reputation, or the
 * moderator role. forum_tags.question_count is changed only here, in the caller's transaction.
 */

export interface ForumTagRow {
  id: number;
  slug: string;
  name: string;
  questionCount: number;
}

const tagColumns = { id: forumTags.id, slug: forumTags.slug, name: forumTags.name, questionCount: forumTags.questionCount };

/** The most used tags (for the ask form's <datalist> and the list's tag filter). One indexed query. */
export async function listPopularTags(db: Db, limit = 50): Promise<ForumTagRow[]> {
  return db
    .select(tagColumns)
    .from(forumTags)
    .orderBy(desc(forumTags.questionCount), forumTags.id)
    .limit(limit);
}

export async function getTagBySlug(db: Db, slug: string): Promise<ForumTagRow | null> {
  const [tag] = await db
    .select(tagColumns)
    .from(forumTags)
    .where(eq(forumTags.slug, slug));
  return tag ?? null;
}

/** Whether the actor may create a tag that does not exist yet. */
export async function canCreateTags(db: Db, actor: ForumActor): Promise<boolean> {
  if (can(actor, "forum.moderate")) return true;
  return hasPrivilege(await getReputation(db, actor.id), "createTags");
}

/**
 * The tag ids for the typed names, creating missing tags when the actor may. Nothing is written when a
 * name is refused (the refusal names the missing tags so the form can say which).
 */
export async function resolveTags(
  db: Db,
  actor: ForumActor,
  names: readonly string[],
): Promise<{ ok: true; tags: ForumTagRow[] } | { ok: false; missing: string[] }> {
  if (names.length === 0) return { ok: true, tags: [] };
  const wanted = names.map((name) => ({ name, slug: tagSlug(name) }));
  const existing = await db
    .select(tagColumns)
    .from(forumTags)
    .where(
      inArray(
        forumTags.slug,
        wanted.map((w) => w.slug),
      ),
    );
  const bySlug = new Map(existing.map((t) => [t.slug, t]));
  const missing = wanted.filter((w) => !bySlug.has(w.slug));
  if (missing.length > 0) {
    if (!(await canCreateTags(db, actor))) return { ok: false, missing: missing.map((m) => m.name) };
    // Two askers creating one new tag at once: the unique slug index lets one insert win, both read it back.
    await db
      .insert(forumTags)
      .values(missing.map((m) => ({ slug: m.slug, name: m.name, createdById: actor.id })))
      .onConflictDoNothing({ target: forumTags.slug });
    const created = await db
      .select(tagColumns)
      .from(forumTags)
      .where(
        inArray(
          forumTags.slug,
          missing.map((m) => m.slug),
        ),
      );
    for (const tag of created) bySlug.set(tag.slug, tag);
  }
  return { ok: true, tags: wanted.map((w) => bySlug.get(w.slug)!).filter(Boolean) };
}

/**
 * Sets a question's tags to `tagIds` and moves question_count by the difference (UPDATE … SET x = x ± 1,
 * so concurrent askers never lose a count). Call inside the transaction that writes the question.
 */
export async function setQuestionTags(
  db: Db,
  questionId: number,
  tagIds: readonly number[],
  // A deleted question is not counted (forum_tags.question_count), so retagging it moves no count.
  options: { counted: boolean } = { counted: true },
): Promise<{ added: number[]; removed: number[] }> {
  const current = (await db.select({ tagId: forumQuestionTags.tagId }).from(forumQuestionTags).where(eq(forumQuestionTags.questionId, questionId))).map(
    (r) => r.tagId,
  );
  const added = tagIds.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !tagIds.includes(id));
  if (added.length) {
    await db.insert(forumQuestionTags).values(added.map((tagId) => ({ questionId, tagId })));
    if (options.counted)
      await db
      .update(forumTags)
      .set({ questionCount: sql`${forumTags.questionCount} + 1` })
      .where(inArray(forumTags.id, added));
  }
  if (removed.length) {
    await db.delete(forumQuestionTags).where(and(eq(forumQuestionTags.questionId, questionId), inArray(forumQuestionTags.tagId, removed)));
    if (options.counted)
      await db
      .update(forumTags)
      .set({ questionCount: sql`greatest(${forumTags.questionCount} - 1, 0)` })
      .where(inArray(forumTags.id, removed));
  }
  return { added, removed };
}
