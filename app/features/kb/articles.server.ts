import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import {
  kbArticleRevisions,
  kbArticleTags,
  kbArticles,
  kbCollections,
  kbSlugRedirects,
  kbTags,
  users,
  type KbTocEntry,
  type Locale,
} from "../../../db/schema";
import { can, type SessionUser } from "../auth/permissions";
import { recordActivity } from "../engagement/activities.server";
import { issuesToFieldErrors, type FieldErrors } from "../forms/parse";
import { enqueueJob } from "../jobs/queue.server";
import { PermanentJobError, type JobHandler } from "../jobs/registry.server";
import {
  MarkdownRejectedError,
  MarkdownTooLongError,
  readingTimeMinutes,
  renderMarkdown,
  type RenderedMarkdown,
} from "../markdown/render.server";
import { diffLines, type LineDiff } from "./diff";
import { enqueueRelatedRefresh } from "./related.server";
import {
  articleCreateSchema,
  articleSaveSchema,
  collectionSchema,
  KB_SLUG_MAX,
  KB_TITLE_MAX,
  slugFromTitle,
  tagSlug,
  type ArticleCreateInput,
  type ArticleSaveInput,
  type CollectionInput,
} from "./kb.schema";

/**
 * Knowledge-base commands for the CS team. Each one: parse its input again with the form's schema →
 * load → authorize (can(actor, "kb.manage")) → one transaction { write; revision; activity; jobs }.
 * `db` may itself be a transaction (commands compose; nested ones become savepoints).
 * Expected refusals come back as values (field errors, not_found, forbidden); a save based on a stale
 * revision throws StaleRevisionError, because the route needs its payload to show the conflict.
 */

export type Actor = Pick<SessionUser, "id" | "role">;

/** What a kb command returns: success, errors to show beside form fields, or a refusal (404 / 403). */
export type KbCommandResult<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "forbidden" };

// Shared by the kb command modules (this one and tags.server.ts).
export const FORBIDDEN = { ok: false, reason: "forbidden" } as const;
export const NOT_FOUND = { ok: false, reason: "not_found" } as const;
export const fieldError = (field: string, message: string) => ({ ok: false as const, fieldErrors: { [field]: [message] } });

export const KB_PUBLISH_SCHEDULED_JOB = "kb.publish_scheduled";

/** A revision as the stale-save conflict shows it. */
export interface KbRevisionSnapshot {
  number: number;
  title: string;
  summary: string;
  bodyMd: string;
  authorId: number | null;
  authorName: string | null;
  createdAt: Date;
}

/**
 * A save was based on revision `baseRevision` but the article is at `current.number`: someone else saved
 * in between. Nothing was written. `diff` shows what the refused save would change in the current text;
 * `theirChanges` what the other saves changed since the editor's base (null if that revision is gone).
 */
export class StaleRevisionError extends Error {
  readonly messageKey = "kb.form.staleRevision";
  constructor(
    readonly articleId: number,
    readonly baseRevision: number,
    readonly current: KbRevisionSnapshot,
    readonly diff: LineDiff,
    readonly theirChanges: LineDiff | null,
  ) {
    super(`Article ${articleId} is at revision ${current.number}; the save was based on revision ${baseRevision}.`);
    this.name = "StaleRevisionError";
  }
}

type Rendered = Pick<typeof kbArticles.$inferInsert, "bodyHtml" | "toc" | "bodyText" | "wordCount" | "readingMinutes">;

/** Renders at write time (never per request); a body the renderer refuses becomes a field error. */
function renderArticleBody(bodyMd: string, locale: Locale): { ok: true; rendered: Rendered } | { ok: false; fieldErrors: FieldErrors } {
  let result: RenderedMarkdown;
  try {
    result = renderMarkdown(bodyMd, { headingAnchors: true, locale });
  } catch (error) {
    if (error instanceof MarkdownTooLongError) return fieldError("bodyMd", "kb.form.bodyTooLong");
    if (error instanceof MarkdownRejectedError) return fieldError("bodyMd", "kb.form.bodyTooDeep");
    throw error;
  }
  return {
    ok: true,
    rendered: {
      bodyHtml: result.html,
      toc: result.toc,
      bodyText: result.text,
      wordCount: result.wordCount,
      readingMinutes: readingTimeMinutes(result.text),
    },
  };
}

/**
 * The editor's "Preview" (server-rendered, works without JavaScript): exactly what saving would store.
 * Writes nothing; a body the renderer refuses comes back as the same field error a save would give.
 * `locale` is the article's (the form's) language: it picks the callout titles baked into the HTML.
 */
export function previewArticleBody(bodyMd: string, locale: Locale = "en"): { ok: true; html: string; toc: KbTocEntry[]; readingMinutes: number } | { ok: false; fieldErrors: FieldErrors } {
  const rendered = renderArticleBody(bodyMd.replace(/\r\n?/g, "\n"), locale);
  if (!rendered.ok) return rendered;
  return { ok: true, html: rendered.rendered.bodyHtml, toc: rendered.rendered.toc ?? [], readingMinutes: rendered.rendered.readingMinutes ?? 1 };
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | { ok: false; fieldErrors: FieldErrors } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
}

/** The unique constraint a write violated, whichever driver raised it; undefined for other errors. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const pgError = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown };
    if (pgError.code === "23505") return String(pgError.constraint_name ?? pgError.constraint ?? "");
  }
  return undefined;
}

/**
 * Maps a unique violation that slipped past a command's checks (two staff racing for one slug) to the
 * field error the check would have given; rethrows anything else.
 */
function uniqueViolationToFieldError(error: unknown): { ok: false; fieldErrors: FieldErrors } {
  const constraint = violatedUniqueConstraint(error);
  if (constraint === "kb_articles_collection_slug_key") return fieldError("slug", "kb.form.slugTaken");
  if (constraint === "kb_articles_translation_locale_key") return fieldError("locale", "kb.form.translationTaken");
  if (constraint === "kb_collections_slug_key") return fieldError("slug", "kb.form.collectionSlugTaken");
  throw error;
}

async function collectionSlugOf(db: Db, collectionId: number): Promise<string | undefined> {
  const [row] = await db.select({ slug: kbCollections.slug }).from(kbCollections).where(eq(kbCollections.id, collectionId));
  return row?.slug;
}

async function isStaffUser(db: Db, userId: number): Promise<boolean> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  return !!row && can({ id: userId, role: row.role }, "kb.manage");
}

async function slugTaken(db: Db, collectionId: number, slug: string, exceptArticleId?: number): Promise<boolean> {
  const [row] = await db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(and(eq(kbArticles.collectionId, collectionId), eq(kbArticles.slug, slug), exceptArticleId ? ne(kbArticles.id, exceptArticleId) : undefined));
  return !!row;
}

/** `base`, or `base-2`, `base-3`… whichever is free in the collection first (cut to fit KB_SLUG_MAX). */
async function freeSlug(db: Db, collectionId: number, base: string): Promise<string> {
  const rows = await db
    .select({ slug: kbArticles.slug })
    .from(kbArticles)
    .where(and(eq(kbArticles.collectionId, collectionId), sql`(${kbArticles.slug} = ${base} or ${kbArticles.slug} like ${`${base}-%`})`));
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, KB_SLUG_MAX - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Replaces an article's tags; new tags are created, the first spelling of a tag is kept. */
async function setArticleTags(db: Db, articleId: number, names: string[]): Promise<void> {
  await db.delete(kbArticleTags).where(eq(kbArticleTags.articleId, articleId));
  if (names.length === 0) return;
  const wanted = names.map((name) => ({ slug: tagSlug(name), name }));
  await db.insert(kbTags).values(wanted).onConflictDoNothing({ target: kbTags.slug });
  const tags = await db
    .select({ id: kbTags.id })
    .from(kbTags)
    .where(inArray(kbTags.slug, wanted.map((t) => t.slug)));
  await db.insert(kbArticleTags).values(tags.map((t) => ({ articleId, tagId: t.id })));
}

async function tagSlugsOf(db: Db, articleId: number): Promise<string[]> {
  const rows = await db
    .select({ slug: kbTags.slug })
    .from(kbArticleTags)
    .innerJoin(kbTags, eq(kbTags.id, kbArticleTags.tagId))
    .where(eq(kbArticleTags.articleId, articleId));
  return rows.map((r) => r.slug).sort();
}

/** A live article now answers at this path, so an old redirect there must not shadow or outlive it. */
async function dropRedirectAt(db: Db, collectionSlug: string, slug: string): Promise<void> {
  await db.delete(kbSlugRedirects).where(and(eq(kbSlugRedirects.collectionSlug, collectionSlug), eq(kbSlugRedirects.slug, slug)));
}

/** The article's old path keeps working: /kb/<old collection>/<old slug> → 301 to wherever it lives now. */
async function addRedirect(db: Db, collectionSlug: string, slug: string, articleId: number): Promise<void> {
  await db
    .insert(kbSlugRedirects)
    .values({ collectionSlug, slug, articleId })
    .onConflictDoUpdate({ target: [kbSlugRedirects.collectionSlug, kbSlugRedirects.slug], set: { articleId, createdAt: new Date() } });
}

async function insertRevision(
  db: Db,
  values: { articleId: number; number: number; title: string; summary: string; bodyMd: string; authorId: number | null; note: string | null; restoredFromNumber?: number },
): Promise<number> {
  const [revision] = await db.insert(kbArticleRevisions).values(values).returning({ id: kbArticleRevisions.id });
  return revision!.id;
}

async function lockArticle(db: Db, articleId: number) {
  const [article] = await db.select().from(kbArticles).where(eq(kbArticles.id, articleId)).for("update");
  return article;
}

async function revisionSnapshot(db: Db, articleId: number, number: number): Promise<KbRevisionSnapshot | undefined> {
  const [row] = await db
    .select({
      number: kbArticleRevisions.number,
      title: kbArticleRevisions.title,
      summary: kbArticleRevisions.summary,
      bodyMd: kbArticleRevisions.bodyMd,
      authorId: kbArticleRevisions.authorId,
      authorName: users.displayName,
      createdAt: kbArticleRevisions.createdAt,
    })
    .from(kbArticleRevisions)
    .leftJoin(users, eq(users.id, kbArticleRevisions.authorId))
    .where(and(eq(kbArticleRevisions.articleId, articleId), eq(kbArticleRevisions.number, number)));
  return row;
}

interface CreateExtras {
  /** Create the article as a translation of this one (same translation group). */
  translationOfId?: number;
  creditedUserId?: number | null;
  sourceUrl?: string | null;
}

/**
 * Creates a draft article with revision 1. An empty slug is derived from the title ("article-<id>" for
 * Japanese titles), made unique in the collection; a slug typed by staff must be free. The owner
 * defaults to the actor. Staff only (kb.manage). Side effects: tags created as needed.
 */
export async function createArticle(
  db: Db,
  actor: Actor,
  input: ArticleCreateInput,
  options: { translationOfId?: number } = {},
): Promise<KbCommandResult<{ articleId: number; slug: string; revisionNumber: number }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  return createArticleAs(db, actor, input, { translationOfId: options.translationOfId });
}

async function createArticleAs(
  db: Db,
  actor: Actor,
  rawInput: ArticleCreateInput,
  extras: CreateExtras,
): Promise<KbCommandResult<{ articleId: number; slug: string; revisionNumber: number }>> {
  const parsed = parseWith(articleCreateSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  const rendered = renderArticleBody(input.bodyMd, input.locale);
  if (!rendered.ok) return rendered;

  try {
    return await db.transaction(async (tx): Promise<KbCommandResult<{ articleId: number; slug: string; revisionNumber: number }>> => {
      const collectionSlug = await collectionSlugOf(tx, input.collectionId);
      if (collectionSlug === undefined) return fieldError("collectionId", "kb.form.collectionMissing");
      const ownerId = input.ownerId ?? actor.id;
      if (!(await isStaffUser(tx, ownerId))) return fieldError("ownerId", "kb.form.ownerInvalid");

      let translationGroupId: string | undefined;
      if (extras.translationOfId !== undefined) {
        const [original] = await tx
          .select({ locale: kbArticles.locale, translationGroupId: kbArticles.translationGroupId })
          .from(kbArticles)
          .where(eq(kbArticles.id, extras.translationOfId))
          .for("update");
        if (!original) return NOT_FOUND;
        if (original.locale === input.locale) return fieldError("locale", "kb.form.translationSameLocale");
        translationGroupId = original.translationGroupId;
      }

      if (input.slug !== null && (await slugTaken(tx, input.collectionId, input.slug))) return fieldError("slug", "kb.form.slugTaken");
      // The id is taken first so a Japanese title can get the slug "article-<id>".
      const [{ id } = { id: 0 }] = await queryRows<{ id: number }>(tx, sql`select nextval(pg_get_serial_sequence('kb_articles', 'id'))::int as id`);
      const slug = input.slug ?? (await freeSlug(tx, input.collectionId, slugFromTitle(input.title) || `article-${id}`));

      const now = new Date();
      await tx
        .insert(kbArticles)
        .overridingSystemValue()
        .values({
          id,
          collectionId: input.collectionId,
          locale: input.locale,
          ...(translationGroupId ? { translationGroupId } : {}),
          slug,
          title: input.title,
          summary: input.summary,
          bodyMd: input.bodyMd,
          ...rendered.rendered,
          visibility: input.visibility,
          status: "draft",
          // New articles go to the end of their collection.
          position: sql`(select coalesce(max(${kbArticles.position}), -1) + 1 from ${kbArticles} where ${kbArticles.collectionId} = ${input.collectionId})`,
          ownerId,
          reviewBy: input.reviewBy,
          revisionNumber: 1,
          creditedUserId: extras.creditedUserId ?? null,
          sourceUrl: extras.sourceUrl ?? null,
          createdAt: now,
          updatedAt: now,
        });
      const revisionId = await insertRevision(tx, {
        articleId: id,
        number: 1,
        title: input.title,
        summary: input.summary,
        bodyMd: input.bodyMd,
        authorId: actor.id,
        note: input.note,
      });
      await tx.update(kbArticles).set({ currentRevisionId: revisionId }).where(eq(kbArticles.id, id));
      await setArticleTags(tx, id, input.tags);
      await dropRedirectAt(tx, collectionSlug, slug);
      return { ok: true, articleId: id, slug, revisionNumber: 1 };
    });
  } catch (error) {
    return uniqueViolationToFieldError(error);
  }
}

/**
 * Saves an edit as a new revision. Refused with StaleRevisionError (nothing written) when
 * input.baseRevision is not the article's current revision. An empty slug or owner keeps the current
 * one. A new slug or collection keeps the old URL working (kb_slug_redirects). Saving with nothing
 * changed writes nothing. Staff only (kb.manage).
 */
export async function saveArticle(
  db: Db,
  actor: Actor,
  articleId: number,
  rawInput: ArticleSaveInput,
): Promise<KbCommandResult<{ changed: boolean; revisionNumber: number; slug: string }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  const parsed = parseWith(articleSaveSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  const rendered = renderArticleBody(input.bodyMd, input.locale);
  if (!rendered.ok) return rendered;

  try {
    return await db.transaction(async (tx): Promise<KbCommandResult<{ changed: boolean; revisionNumber: number; slug: string }>> => {
      // Locked: a concurrent save waits here and then sees the new revision number (and is refused).
      const article = await lockArticle(tx, articleId);
      if (!article) return NOT_FOUND;

      if (input.baseRevision !== article.revisionNumber) {
        const current = await revisionSnapshot(tx, articleId, article.revisionNumber);
        const base = await revisionSnapshot(tx, articleId, input.baseRevision);
        const currentSnapshot = current ?? {
          number: article.revisionNumber,
          title: article.title,
          summary: article.summary,
          bodyMd: article.bodyMd,
          authorId: null,
          authorName: null,
          createdAt: article.updatedAt,
        };
        throw new StaleRevisionError(
          articleId,
          input.baseRevision,
          currentSnapshot,
          diffLines(currentSnapshot.bodyMd, input.bodyMd),
          base ? diffLines(base.bodyMd, currentSnapshot.bodyMd) : null,
        );
      }

      const oldCollectionSlug = (await collectionSlugOf(tx, article.collectionId))!;
      const collectionSlug = input.collectionId === article.collectionId ? oldCollectionSlug : await collectionSlugOf(tx, input.collectionId);
      if (collectionSlug === undefined) return fieldError("collectionId", "kb.form.collectionMissing");
      const ownerId = input.ownerId ?? article.ownerId;
      if (ownerId !== article.ownerId && ownerId !== null && !(await isStaffUser(tx, ownerId))) return fieldError("ownerId", "kb.form.ownerInvalid");
      const slug = input.slug ?? article.slug;
      const pathChanged = slug !== article.slug || input.collectionId !== article.collectionId;
      if (pathChanged && (await slugTaken(tx, input.collectionId, slug, articleId))) return fieldError("slug", "kb.form.slugTaken");
      if (input.locale !== article.locale) {
        const [sibling] = await tx
          .select({ id: kbArticles.id })
          .from(kbArticles)
          .where(and(eq(kbArticles.translationGroupId, article.translationGroupId), eq(kbArticles.locale, input.locale), ne(kbArticles.id, articleId)));
        if (sibling) return fieldError("locale", "kb.form.translationTaken");
      }

      const newTagSlugs = input.tags.map(tagSlug).sort();
      const tagsChanged = newTagSlugs.join("\n") !== (await tagSlugsOf(tx, articleId)).join("\n");
      const contentChanged = input.title !== article.title || input.summary !== article.summary || input.bodyMd !== article.bodyMd;
      const metaChanged =
        pathChanged ||
        tagsChanged ||
        input.locale !== article.locale ||
        input.visibility !== article.visibility ||
        ownerId !== article.ownerId ||
        input.reviewBy !== article.reviewBy;
      if (!contentChanged && !metaChanged) return { ok: true, changed: false, revisionNumber: article.revisionNumber, slug: article.slug };

      const revisionNumber = article.revisionNumber + 1;
      const revisionId = await insertRevision(tx, {
        articleId,
        number: revisionNumber,
        title: input.title,
        summary: input.summary,
        bodyMd: input.bodyMd,
        authorId: actor.id,
        note: input.note,
      });
      await tx
        .update(kbArticles)
        .set({
          collectionId: input.collectionId,
          locale: input.locale,
          slug,
          title: input.title,
          summary: input.summary,
          bodyMd: input.bodyMd,
          ...rendered.rendered,
          visibility: input.visibility,
          ownerId,
          reviewBy: input.reviewBy,
          revisionNumber,
          currentRevisionId: revisionId,
          // Moving to another collection puts the article at its end.
          ...(input.collectionId !== article.collectionId
            ? { position: sql`(select coalesce(max(${kbArticles.position}), -1) + 1 from ${kbArticles} where ${kbArticles.collectionId} = ${input.collectionId})` }
            : {}),
          updatedAt: new Date(),
        })
        .where(eq(kbArticles.id, articleId));
      if (tagsChanged) await setArticleTags(tx, articleId, input.tags);
      if (pathChanged) {
        await addRedirect(tx, oldCollectionSlug, article.slug, articleId);
        await dropRedirectAt(tx, collectionSlug, slug);
      }
      // Title, tags, collection, language and visibility all feed related lists; the body does not.
      if (article.status === "published" && (input.title !== article.title || metaChanged)) {
        await enqueueRelatedRefresh(tx, articleId, { neighbours: true });
      }
      return { ok: true, changed: true, revisionNumber, slug };
    });
  } catch (error) {
    if (error instanceof StaleRevisionError) throw error;
    return uniqueViolationToFieldError(error);
  }
}

/**
 * Brings back the content (title, summary, body) of an old revision as a NEW revision, so history only
 * ever grows and the restore itself can be undone. No stale check: restoring is an absolute choice made
 * on the history page. Staff only (kb.manage).
 */
export async function restoreRevision(
  db: Db,
  actor: Actor,
  articleId: number,
  revisionNumber: number,
): Promise<KbCommandResult<{ changed: boolean; revisionNumber: number }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<KbCommandResult<{ changed: boolean; revisionNumber: number }>> => {
    const article = await lockArticle(tx, articleId);
    if (!article) return NOT_FOUND;
    const old = await revisionSnapshot(tx, articleId, revisionNumber);
    if (!old) return fieldError("revision", "kb.form.revisionMissing");
    if (old.title === article.title && old.summary === article.summary && old.bodyMd === article.bodyMd) {
      return { ok: true, changed: false, revisionNumber: article.revisionNumber };
    }
    const rendered = renderArticleBody(old.bodyMd, article.locale);
    if (!rendered.ok) return rendered;
    const number = article.revisionNumber + 1;
    const revisionId = await insertRevision(tx, {
      articleId,
      number,
      title: old.title,
      summary: old.summary,
      bodyMd: old.bodyMd,
      authorId: actor.id,
      note: null,
      restoredFromNumber: old.number,
    });
    await tx
      .update(kbArticles)
      .set({
        title: old.title,
        summary: old.summary,
        bodyMd: old.bodyMd,
        ...rendered.rendered,
        revisionNumber: number,
        currentRevisionId: revisionId,
        updatedAt: new Date(),
      })
      .where(eq(kbArticles.id, articleId));
    if (article.status === "published" && old.title !== article.title) await enqueueRelatedRefresh(tx, articleId, { neighbours: true });
    return { ok: true, changed: true, revisionNumber: number };
  });
}

/** Marks an article published inside the caller's transaction and records `kb.article.published`. */
async function markPublished(
  tx: Db,
  article: { id: number; revisionNumber: number; locale: Locale },
  by: { userId: number | null; via: "manual" | "schedule"; idempotencyKey: string },
): Promise<void> {
  await tx
    .update(kbArticles)
    .set({ status: "published", publishedAt: sql`coalesce(${kbArticles.publishedAt}, now())`, scheduledFor: null, updatedAt: new Date() })
    .where(eq(kbArticles.id, article.id));
  await enqueueRelatedRefresh(tx, article.id, { neighbours: true });
  await recordActivity(tx, {
    type: "kb.article.published",
    userId: by.userId,
    subjectType: "kb_article",
    subjectId: article.id,
    metadata: { revision: article.revisionNumber, locale: article.locale, via: by.via },
    idempotencyKey: by.idempotencyKey,
  });
}

/**
 * Publishes now (a pending schedule is dropped). Publishing a published article changes nothing. Keeps
 * the first publication date on re-publishing. Staff only (kb.manage).
 * Side effects: activity `kb.article.published`.
 */
export async function publishArticle(db: Db, actor: Actor, articleId: number): Promise<KbCommandResult<{ changed: boolean }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<KbCommandResult<{ changed: boolean }>> => {
    const article = await lockArticle(tx, articleId);
    if (!article) return NOT_FOUND;
    if (article.status === "published") return { ok: true, changed: false };
    const at = new Date();
    await markPublished(tx, article, { userId: actor.id, via: "manual", idempotencyKey: `kb.article.published:${articleId}:${at.toISOString()}` });
    return { ok: true, changed: true };
  });
}

/**
 * Takes an article off the site (readers get 404; old links too) or cancels its schedule. An article
 * that was never published goes back to draft; one that was becomes "unpublished". Staff only.
 */
export async function unpublishArticle(db: Db, actor: Actor, articleId: number): Promise<KbCommandResult<{ changed: boolean }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<KbCommandResult<{ changed: boolean }>> => {
    const article = await lockArticle(tx, articleId);
    if (!article) return NOT_FOUND;
    if (article.status === "draft" || article.status === "unpublished") return { ok: true, changed: false };
    // A pending kb.publish_scheduled job finds the article no longer scheduled and does nothing.
    await tx
      .update(kbArticles)
      .set({ status: article.publishedAt ? "unpublished" : "draft", scheduledFor: null, updatedAt: new Date() })
      .where(eq(kbArticles.id, articleId));
    // Readers never see it in a list (visibility is applied on read); this frees its neighbours' slots.
    if (article.status === "published") await enqueueRelatedRefresh(tx, articleId, { neighbours: true });
    return { ok: true, changed: true };
  });
}

/**
 * Schedules publication at `at` (must be in the future). Scheduling again moves the time. Staff only.
 * Side effects: one `kb.publish_scheduled` job per article (dedupe key), due at `at`.
 */
export async function scheduleArticle(db: Db, actor: Actor, articleId: number, at: Date): Promise<KbCommandResult<{ scheduledFor: Date }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  if (Number.isNaN(at.getTime())) return fieldError("scheduledFor", "kb.form.dateInvalid");
  if (at.getTime() <= Date.now()) return fieldError("scheduledFor", "kb.form.scheduleInPast");
  return db.transaction(async (tx): Promise<KbCommandResult<{ scheduledFor: Date }>> => {
    const article = await lockArticle(tx, articleId);
    if (!article) return NOT_FOUND;
    if (article.status === "published") return fieldError("scheduledFor", "kb.form.alreadyPublished");
    await tx.update(kbArticles).set({ status: "scheduled", scheduledFor: at, updatedAt: new Date() }).where(eq(kbArticles.id, articleId));
    await enqueueScheduledPublish(tx, articleId, actor.id, at);
    return { ok: true, scheduledFor: at };
  });
}

async function enqueueScheduledPublish(db: Db, articleId: number, scheduledBy: number | null, at: Date): Promise<void> {
  await enqueueJob(db, {
    type: KB_PUBLISH_SCHEDULED_JOB,
    payload: { articleId, scheduledBy },
    runAt: at,
    dedupeKey: `${KB_PUBLISH_SCHEDULED_JOB}:${articleId}`,
  });
}

const publishScheduledPayload = z.object({
  articleId: z.number().int().positive(),
  scheduledBy: z.number().int().positive().nullable().default(null),
});

/**
 * The `kb.publish_scheduled` handler: publishes the article if it is still scheduled and due. The row
 * is the truth, not the job: an article unpublished, published by hand or rescheduled meanwhile is left
 * alone, so reruns (at-least-once delivery) and leftover jobs are harmless. When the article was moved to
 * a later time, the waiting job kept the earlier run time (enqueueJob dedupe), so the handler queues
 * itself again for the new time.
 */
export const publishScheduledArticleJob: JobHandler = async ({ db, job, logger }) => {
  const parsed = publishScheduledPayload.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`Invalid ${KB_PUBLISH_SCHEDULED_JOB} payload: ${z.prettifyError(parsed.error)}`);
  const { articleId, scheduledBy } = parsed.data;
  await db.transaction(async (tx) => {
    const [article] = await tx
      .select({
        id: kbArticles.id,
        status: kbArticles.status,
        scheduledFor: kbArticles.scheduledFor,
        revisionNumber: kbArticles.revisionNumber,
        locale: kbArticles.locale,
        due: sql<boolean>`${kbArticles.scheduledFor} <= now()`,
      })
      .from(kbArticles)
      .where(eq(kbArticles.id, articleId))
      .for("update");
    if (!article || article.status !== "scheduled" || !article.scheduledFor) {
      logger.info({ articleId, status: article?.status ?? null }, "scheduled publish skipped: article no longer scheduled");
      return;
    }
    if (!article.due) {
      await enqueueScheduledPublish(tx, articleId, scheduledBy, article.scheduledFor);
      return;
    }
    // The scheduler may have left since; the ledger row then stays unattributed rather than failing.
    const userId = scheduledBy !== null && (await tx.select({ id: users.id }).from(users).where(eq(users.id, scheduledBy))).length > 0 ? scheduledBy : null;
    await markPublished(tx, article, {
      userId,
      via: "schedule",
      idempotencyKey: `kb.article.published:${articleId}:scheduled:${article.scheduledFor.toISOString()}`,
    });
  });
};

/**
 * Makes `otherId` a translation of `articleId` (they share a translation group; the page offers the
 * other language). The two must be in different languages and the group may hold one article per
 * language. `otherId` leaves its previous group. Staff only (kb.manage).
 */
export async function linkTranslation(db: Db, actor: Actor, articleId: number, otherId: number): Promise<KbCommandResult<{ changed: boolean }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  if (articleId === otherId) return fieldError("translationId", "kb.form.translationSameLocale");
  try {
    return await db.transaction(async (tx): Promise<KbCommandResult<{ changed: boolean }>> => {
      // Both rows locked in id order, so two links in opposite directions cannot deadlock.
      const rows = await tx
        .select({ id: kbArticles.id, locale: kbArticles.locale, translationGroupId: kbArticles.translationGroupId })
        .from(kbArticles)
        .where(inArray(kbArticles.id, [articleId, otherId]))
        .orderBy(asc(kbArticles.id))
        .for("update");
      const article = rows.find((r) => r.id === articleId);
      const other = rows.find((r) => r.id === otherId);
      if (!article || !other) return NOT_FOUND;
      if (article.locale === other.locale) return fieldError("translationId", "kb.form.translationSameLocale");
      if (article.translationGroupId === other.translationGroupId) return { ok: true, changed: false };
      const [occupant] = await tx
        .select({ id: kbArticles.id })
        .from(kbArticles)
        .where(and(eq(kbArticles.translationGroupId, article.translationGroupId), eq(kbArticles.locale, other.locale)));
      if (occupant) return fieldError("translationId", "kb.form.translationTaken");
      await tx.update(kbArticles).set({ translationGroupId: article.translationGroupId }).where(eq(kbArticles.id, otherId));
      return { ok: true, changed: true };
    });
  } catch (error) {
    const result = uniqueViolationToFieldError(error);
    return { ok: false, fieldErrors: { translationId: Object.values(result.fieldErrors).flat() } };
  }
}

/** Takes an article out of its translation group (it stands alone afterwards). Staff only (kb.manage). */
export async function unlinkTranslation(db: Db, actor: Actor, articleId: number): Promise<KbCommandResult> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  const updated = await db
    .update(kbArticles)
    .set({ translationGroupId: sql`gen_random_uuid()` })
    .where(eq(kbArticles.id, articleId))
    .returning({ id: kbArticles.id });
  return updated.length > 0 ? { ok: true } : NOT_FOUND;
}

/**
 * Orders a collection's articles: `articleIds` first in that order, articles not listed after them in
 * their previous order. Every listed id must belong to the collection (a stale page is refused rather
 * than half-applied). Staff only (kb.manage).
 */
export async function setArticleOrder(db: Db, actor: Actor, collectionId: number, articleIds: number[]): Promise<KbCommandResult> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<KbCommandResult> => {
    const [collection] = await tx.select({ id: kbCollections.id }).from(kbCollections).where(eq(kbCollections.id, collectionId)).for("update");
    if (!collection) return NOT_FOUND;
    const current = await tx
      .select({ id: kbArticles.id })
      .from(kbArticles)
      .where(eq(kbArticles.collectionId, collectionId))
      .orderBy(kbArticles.position, kbArticles.id);
    const inCollection = new Set(current.map((r) => r.id));
    if (new Set(articleIds).size !== articleIds.length || articleIds.some((id) => !inCollection.has(id))) {
      return fieldError("order", "kb.form.orderMismatch");
    }
    const listed = new Set(articleIds);
    const ordered = [...articleIds, ...current.map((r) => r.id).filter((id) => !listed.has(id))];
    if (ordered.length === 0) return { ok: true };
    const idArray = sql`array[${sql.join(
      ordered.map((id) => sql`${id}`),
      sql`, `,
    )}]::int[]`;
    // One statement; updated_at is untouched because order is not content.
    await tx.execute(sql`update ${kbArticles} set position = o.ordinality - 1
      from unnest(${idArray}) with ordinality as o(id, ordinality)
      where ${kbArticles.id} = o.id`);
    return { ok: true };
  });
}

export interface PromoteAnswerInput {
  title: string;
  bodyMd: string;
  /** The member who wrote the answer; credited on the article page. */
  creditedUserId: number;
  /** Where the answer lives (a path on this site or an http(s) URL). */
  sourceUrl: string;
  /** Defaults to the first collection. */
  collectionId?: number;
  locale?: Locale;
}

/**
 * "Promote to article": turns a community answer into a draft article crediting the answerer, for staff
 * to edit and publish. The draft is visible to signed-in customers by default (an answer from the
 * community was written for them). Staff only (kb.manage). Called by the Q&A feature.
 */
export async function promoteAnswerToDraft(
  db: Db,
  actor: Actor,
  input: PromoteAnswerInput,
): Promise<KbCommandResult<{ articleId: number; slug: string; revisionNumber: number }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  const sourceUrl = input.sourceUrl.trim();
  if (!/^\/(?!\/)/.test(sourceUrl) && !/^https?:\/\/[^\s]+$/i.test(sourceUrl)) return fieldError("sourceUrl", "form.invalid");
  const [credited] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.creditedUserId));
  if (!credited) return fieldError("creditedUserId", "form.invalid");
  let collectionId = input.collectionId;
  if (collectionId === undefined) {
    const [first] = await db.select({ id: kbCollections.id }).from(kbCollections).orderBy(kbCollections.position, kbCollections.id).limit(1);
    if (!first) return fieldError("collectionId", "kb.form.noCollections");
    collectionId = first.id;
  }
  // Question titles may run longer than article titles; cut on a code point boundary.
  const title = Array.from(input.title.trim()).slice(0, KB_TITLE_MAX).join("");
  return createArticleAs(
    db,
    actor,
    {
      title,
      slug: null,
      collectionId,
      locale: input.locale ?? "en",
      visibility: "customers",
      summary: "",
      bodyMd: input.bodyMd,
      tags: [],
      ownerId: null,
      reviewBy: null,
      note: null,
    },
    { creditedUserId: input.creditedUserId, sourceUrl },
  );
}

/** Creates a collection. Staff only (kb.manage). */
export async function createCollection(db: Db, actor: Actor, rawInput: CollectionInput): Promise<KbCommandResult<{ collectionId: number }>> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  const parsed = parseWith(collectionSchema, rawInput);
  if (!parsed.ok) return parsed;
  try {
    const [row] = await db.insert(kbCollections).values(parsed.data).returning({ id: kbCollections.id });
    return { ok: true, collectionId: row!.id };
  } catch (error) {
    return uniqueViolationToFieldError(error);
  }
}

/**
 * Updates a collection. A new slug keeps every article's old URL working (a redirect per article).
 * Staff only (kb.manage).
 */
export async function updateCollection(db: Db, actor: Actor, collectionId: number, rawInput: CollectionInput): Promise<KbCommandResult> {
  if (!can(actor, "kb.manage")) return FORBIDDEN;
  const parsed = parseWith(collectionSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  try {
    return await db.transaction(async (tx): Promise<KbCommandResult> => {
      const [collection] = await tx.select().from(kbCollections).where(eq(kbCollections.id, collectionId)).for("update");
      if (!collection) return NOT_FOUND;
      await tx
        .update(kbCollections)
        .set({ ...input, updatedAt: new Date() })
        .where(eq(kbCollections.id, collectionId));
      if (input.slug !== collection.slug) {
        await tx.execute(sql`insert into ${kbSlugRedirects} (collection_slug, slug, article_id)
          select ${collection.slug}, ${kbArticles.slug}, ${kbArticles.id} from ${kbArticles} where ${kbArticles.collectionId} = ${collectionId}
          on conflict (collection_slug, slug) do update set article_id = excluded.article_id, created_at = now()`);
        await tx.execute(sql`delete from ${kbSlugRedirects} where ${kbSlugRedirects.collectionSlug} = ${input.slug}
          and ${kbSlugRedirects.slug} in (select ${kbArticles.slug} from ${kbArticles} where ${kbArticles.collectionId} = ${collectionId})`);
      }
      return { ok: true };
    });
  } catch (error) {
    return uniqueViolationToFieldError(error);
  }
}
