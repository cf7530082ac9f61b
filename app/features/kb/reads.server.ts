import { and, asc, desc, eq, ilike, inArray, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../../db/client";
import {
  kbArticleDailyViews,
  kbArticleRevisions,
  kbArticleTags,
  kbArticles,
  kbCollections,
  kbFeedback,
  kbSlugRedirects,
  kbTags,
  users,
  type KbArticleStatus,
  type KbFeedbackReason,
  type KbTocEntry,
  type KbVisibility,
  type Locale,
} from "../../../db/schema";
import { containsPattern, pageOf, windowedTotal, type Page } from "../admin/listing";
import { can, type SessionUser } from "../auth/permissions";
import { excerpt } from "../markdown/render.server";
import { diffLines, type LineDiff } from "./diff";
import type { KbReportSort } from "./kb.schema";
import { kbArticlePath } from "./paths";

/** Who is reading: null when signed out. Only id and role matter for visibility. */
export type Viewer = Pick<SessionUser, "id" | "role"> | null;

/** The visibilities a viewer may read: anonymous → public; signed in → + customers; staff → + staff. */
export function readableVisibilities(viewer: Viewer): KbVisibility[] {
  if (!viewer) return ["public"];
  if (can(viewer, "kb.readStaffOnly")) return ["public", "customers", "staff"];
  return ["public", "customers"];
}

/**
 * THE reader visibility rule, as a condition on kb_articles: published, and of a visibility the viewer
 * may read. Every reader-facing query includes it, so an article a viewer may not see never shows up in a
 * page, a list, related articles, the sitemap or the feed (the route answers 404 for it, not 403).
 * Staff see drafts only through the staff reads further down, never through reader pages.
 */
export function visibleArticleFilter(viewer: Viewer): SQL {
  return and(eq(kbArticles.status, "published"), inArray(kbArticles.visibility, readableVisibilities(viewer)))!;
}

/** An article in a reader-facing list. */
export interface KbArticleListItem {
  id: number;
  collectionId: number;
  collectionSlug: string;
  slug: string;
  path: string;
  locale: Locale;
  title: string;
  summary: string;
  readingMinutes: number;
  updatedAt: Date;
}

export const articleListColumns = {
  id: kbArticles.id,
  collectionId: kbArticles.collectionId,
  // Aliased: these columns are also selected through subqueries, where two "slug" columns would clash.
  collectionSlug: sql<string>`${kbCollections.slug}`.as("collection_slug"),
  slug: kbArticles.slug,
  locale: kbArticles.locale,
  title: kbArticles.title,
  summary: kbArticles.summary,
  readingMinutes: kbArticles.readingMinutes,
  updatedAt: kbArticles.updatedAt,
  position: kbArticles.position,
  translationGroupId: kbArticles.translationGroupId,
  viewCountTotal: kbArticles.viewCountTotal,
};

/**
 * One visible article per translation group, in `locale` when the group has a visible version in it and
 * in the other language otherwise ("lists prefer the reader's language"). A subquery for the list reads.
 */
function preferredArticles(db: Db, viewer: Viewer, locale: Locale, extra?: SQL) {
  return db
    .selectDistinctOn([kbArticles.translationGroupId], articleListColumns)
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(extra ? and(visibleArticleFilter(viewer), extra) : visibleArticleFilter(viewer))
    .orderBy(kbArticles.translationGroupId, sql`(${kbArticles.locale} = ${locale}) desc`, kbArticles.id)
    .as("preferred");
}

export type ArticleListRow = { id: number; collectionId: number; collectionSlug: string; slug: string; locale: Locale; title: string; summary: string; readingMinutes: number; updatedAt: Date };

export function toArticleListItem(row: ArticleListRow): KbArticleListItem {
  return {
    id: row.id,
    collectionId: row.collectionId,
    collectionSlug: row.collectionSlug,
    slug: row.slug,
    path: kbArticlePath(row.collectionSlug, row.slug),
    locale: row.locale,
    title: row.title,
    summary: row.summary,
    readingMinutes: row.readingMinutes,
    updatedAt: row.updatedAt,
  };
}

export interface KbCollectionWithArticles {
  id: number;
  slug: string;
  /** In the requested locale. */
  name: string;
  description: string;
  /** The first `perCollection` articles in the staff-chosen order. */
  articles: KbArticleListItem[];
  /** All articles the viewer can read in the collection (one per translation group). */
  articleCount: number;
}

/**
 * /kb: collections in order, each with its first articles in order, in the reader's language where a
 * translation exists. Collections without an article the viewer may read are left out.
 */
export async function listCollectionsWithArticles(
  db: Db,
  viewer: Viewer,
  locale: Locale,
  options: { perCollection?: number; collectionId?: number } = {},
): Promise<KbCollectionWithArticles[]> {
  const perCollection = options.perCollection ?? 50;
  const preferred = preferredArticles(db, viewer, locale, options.collectionId ? eq(kbArticles.collectionId, options.collectionId) : undefined);
  const ranked = db
    .select({
      id: preferred.id,
      collectionId: preferred.collectionId,
      collectionSlug: preferred.collectionSlug,
      slug: preferred.slug,
      locale: preferred.locale,
      title: preferred.title,
      summary: preferred.summary,
      readingMinutes: preferred.readingMinutes,
      updatedAt: preferred.updatedAt,
      rank: sql<number>`row_number() over (partition by ${preferred.collectionId} order by ${preferred.position}, ${preferred.id})`.mapWith(Number).as("rank"),
      total: sql<number>`count(*) over (partition by ${preferred.collectionId})`.mapWith(Number).as("total"),
    })
    .from(preferred)
    .as("ranked");
  const [collections, rows] = await Promise.all([
    db
      .select()
      .from(kbCollections)
      .where(options.collectionId ? eq(kbCollections.id, options.collectionId) : undefined)
      .orderBy(kbCollections.position, kbCollections.id),
    db.select().from(ranked).where(lte(ranked.rank, perCollection)).orderBy(ranked.collectionId, ranked.rank),
  ]);

  const byCollection = new Map<number, { articles: KbArticleListItem[]; total: number }>();
  for (const row of rows) {
    const entry = byCollection.get(row.collectionId) ?? { articles: [], total: row.total };
    entry.articles.push(toArticleListItem(row));
    byCollection.set(row.collectionId, entry);
  }
  return collections.flatMap((collection) => {
    const entry = byCollection.get(collection.id);
    if (!entry) return [];
    return [
      {
        id: collection.id,
        slug: collection.slug,
        name: locale === "ja" ? collection.nameJa : collection.nameEn,
        description: locale === "ja" ? collection.descriptionJa : collection.descriptionEn,
        articles: entry.articles,
        articleCount: entry.total,
      },
    ];
  });
}

/** One collection page (/kb/<collection>): like listCollectionsWithArticles for one slug; null when it has nothing to show. */
export async function getCollectionBySlug(db: Db, viewer: Viewer, locale: Locale, collectionSlug: string, perCollection = 500) {
  const [collection] = await db.select({ id: kbCollections.id }).from(kbCollections).where(eq(kbCollections.slug, collectionSlug));
  if (!collection) return null;
  const [result] = await listCollectionsWithArticles(db, viewer, locale, { perCollection, collectionId: collection.id });
  return result ?? null;
}

/** Most-read articles (all-time views of the group's most-read version), one per translation group, in the reader's language where possible. */
export async function listMostRead(db: Db, viewer: Viewer, locale: Locale, limit: number): Promise<KbArticleListItem[]> {
  return listTopGroups(db, viewer, locale, kbArticles.viewCountTotal, limit);
}

/** Most recently updated articles, one per translation group, in the reader's language where possible. */
export async function listRecentlyUpdated(db: Db, viewer: Viewer, locale: Locale, limit: number): Promise<KbArticleListItem[]> {
  return listTopGroups(db, viewer, locale, kbArticles.updatedAt, limit);
}

/**
 * The `limit` translation groups whose best visible version ranks highest by `column`, each shown in the
 * reader's language where possible. Reads only the top 2·limit rows of the column's partial index: a
 * group has at most two versions, so those rows hold at least `limit` groups, and any group outside
 * them ranks below all of those (its best version is below the last row read).
 */
async function listTopGroups(
  db: Db,
  viewer: Viewer,
  locale: Locale,
  column: typeof kbArticles.viewCountTotal | typeof kbArticles.updatedAt,
  limit: number,
): Promise<KbArticleListItem[]> {
  if (limit <= 0) return [];
  const top = db
    .select({ groupId: kbArticles.translationGroupId, value: sql`${column}`.as("value") })
    .from(kbArticles)
    .where(visibleArticleFilter(viewer))
    // Exactly the partial indexes' order (drizzle declares them DESC NULLS LAST), so this is an index
    // scan that stops after 2·limit rows.
    .orderBy(sql`${column} desc nulls last`, kbArticles.id)
    .limit(limit * 2)
    .as("top");
  const groups = db
    .select({ groupId: top.groupId, best: sql`max(${top.value})`.as("best") })
    .from(top)
    .groupBy(top.groupId)
    .as("groups");
  const preferred = db
    .selectDistinctOn([kbArticles.translationGroupId], { ...articleListColumns, best: groups.best })
    .from(kbArticles)
    .innerJoin(groups, eq(groups.groupId, kbArticles.translationGroupId))
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(visibleArticleFilter(viewer))
    .orderBy(kbArticles.translationGroupId, sql`(${kbArticles.locale} = ${locale}) desc`, kbArticles.id)
    .as("preferred");
  const rows = await db.select().from(preferred).orderBy(sql`${preferred.best} desc`, preferred.id).limit(limit);
  return rows.map(toArticleListItem);
}

/** An article as its reader page shows it. */
export interface KbArticleView {
  id: number;
  collection: { id: number; slug: string; nameEn: string; nameJa: string };
  locale: Locale;
  translationGroupId: string;
  slug: string;
  path: string;
  title: string;
  summary: string;
  /** summary, or the start of the text: for meta description and Open Graph. */
  description: string;
  bodyHtml: string;
  toc: KbTocEntry[];
  readingMinutes: number;
  wordCount: number;
  visibility: KbVisibility;
  publishedAt: Date | null;
  updatedAt: Date;
  tags: { slug: string; name: string }[];
  /** The member whose community answer this article was promoted from. */
  credit: { userId: number; displayName: string; handle: string } | null;
  sourceUrl: string | null;
  helpfulYes: number;
  helpfulNo: number;
  relatedArticleIds: number[] | null;
}

const DESCRIPTION_LENGTH = 160;

/**
 * The article at /kb/<collectionSlug>/<slug> if the viewer may read it; `{ redirectTo }` when that is an
 * old URL of an article the viewer may read (answer 301); otherwise null (answer 404) whether the article
 * is missing, unpublished or not for this viewer: the three are never told apart.
 */
export async function getArticleBySlug(db: Db, viewer: Viewer, collectionSlug: string, slug: string): Promise<KbArticleView | { redirectTo: string } | null> {
  const credited = alias(users, "credited");
  const tags = sql<{ slug: string; name: string }[]>`coalesce((
      select json_agg(json_build_object('slug', ${kbTags.slug}, 'name', ${kbTags.name}) order by ${kbTags.name})
      from ${kbArticleTags} join ${kbTags} on ${kbTags.id} = ${kbArticleTags.tagId}
      where ${kbArticleTags.articleId} = ${kbArticles.id}), '[]'::json)`.mapWith(parseJson<{ slug: string; name: string }[]>);
  const [row] = await db
    .select({
      id: kbArticles.id,
      collectionId: kbCollections.id,
      collectionSlug: kbCollections.slug,
      collectionNameEn: kbCollections.nameEn,
      collectionNameJa: kbCollections.nameJa,
      locale: kbArticles.locale,
      translationGroupId: kbArticles.translationGroupId,
      slug: kbArticles.slug,
      title: kbArticles.title,
      summary: kbArticles.summary,
      // The start is enough for a description; never ship 100,000 characters to build 160.
      textStart: sql<string>`left(${kbArticles.bodyText}, ${DESCRIPTION_LENGTH * 4})`,
      bodyHtml: kbArticles.bodyHtml,
      toc: kbArticles.toc,
      readingMinutes: kbArticles.readingMinutes,
      wordCount: kbArticles.wordCount,
      visibility: kbArticles.visibility,
      publishedAt: kbArticles.publishedAt,
      updatedAt: kbArticles.updatedAt,
      tags,
      creditUserId: credited.id,
      creditName: credited.displayName,
      creditHandle: credited.handle,
      sourceUrl: kbArticles.sourceUrl,
      helpfulYes: kbArticles.helpfulYes,
      helpfulNo: kbArticles.helpfulNo,
      relatedArticleIds: kbArticles.relatedArticleIds,
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .leftJoin(credited, eq(credited.id, kbArticles.creditedUserId))
    .where(and(eq(kbCollections.slug, collectionSlug), eq(kbArticles.slug, slug), visibleArticleFilter(viewer)));

  if (row) {
    return {
      id: row.id,
      collection: { id: row.collectionId, slug: row.collectionSlug, nameEn: row.collectionNameEn, nameJa: row.collectionNameJa },
      locale: row.locale,
      translationGroupId: row.translationGroupId,
      slug: row.slug,
      path: kbArticlePath(row.collectionSlug, row.slug),
      title: row.title,
      summary: row.summary,
      description: row.summary || excerpt(row.textStart, DESCRIPTION_LENGTH),
      bodyHtml: row.bodyHtml,
      toc: row.toc,
      readingMinutes: row.readingMinutes,
      wordCount: row.wordCount,
      visibility: row.visibility,
      publishedAt: row.publishedAt,
      updatedAt: row.updatedAt,
      tags: row.tags,
      credit: row.creditUserId !== null && row.creditName !== null && row.creditHandle !== null ? { userId: row.creditUserId, displayName: row.creditName, handle: row.creditHandle } : null,
      sourceUrl: row.sourceUrl,
      helpfulYes: row.helpfulYes,
      helpfulNo: row.helpfulNo,
      relatedArticleIds: row.relatedArticleIds,
    };
  }

  // Not a live article the viewer may read: maybe an old URL. A live article at the path always wins
  // (writers delete a redirect a live article takes over), so this runs only on a miss.
  const [redirect] = await db
    .select({ collectionSlug: kbCollections.slug, slug: kbArticles.slug })
    .from(kbSlugRedirects)
    .innerJoin(kbArticles, eq(kbArticles.id, kbSlugRedirects.articleId))
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(and(eq(kbSlugRedirects.collectionSlug, collectionSlug), eq(kbSlugRedirects.slug, slug), visibleArticleFilter(viewer)));
  if (redirect) return { redirectTo: kbArticlePath(redirect.collectionSlug, redirect.slug) };
  return null;
}

export interface KbTranslationLink {
  id: number;
  locale: Locale;
  title: string;
  path: string;
}

/** The other language versions of an article that the viewer may read ("Read this in 日本語"). */
export async function getTranslations(db: Db, viewer: Viewer, article: { id: number; translationGroupId: string }): Promise<KbTranslationLink[]> {
  const rows = await db
    .select({ id: kbArticles.id, locale: kbArticles.locale, title: kbArticles.title, collectionSlug: kbCollections.slug, slug: kbArticles.slug })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(and(eq(kbArticles.translationGroupId, article.translationGroupId), ne(kbArticles.id, article.id), visibleArticleFilter(viewer)))
    .orderBy(kbArticles.locale);
  return rows.map((r) => ({ id: r.id, locale: r.locale, title: r.title, path: kbArticlePath(r.collectionSlug, r.slug) }));
}

export interface KbSitemapEntry {
  path: string;
  locale: Locale;
  updatedAt: Date;
  /** Paths of the other public language versions (hreflang alternates). */
  alternates: { locale: Locale; path: string }[];
}

/** Every public, published article for /sitemap.xml; nothing that needs signing in. */
export async function listPublicArticlesForSitemap(db: Db): Promise<KbSitemapEntry[]> {
  const rows = await db
    .select({
      slug: kbArticles.slug,
      collectionSlug: kbCollections.slug,
      locale: kbArticles.locale,
      updatedAt: kbArticles.updatedAt,
      translationGroupId: kbArticles.translationGroupId,
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(visibleArticleFilter(null))
    .orderBy(kbCollections.position, kbCollections.id, kbArticles.position, kbArticles.id);
  const groups = new Map<string, { locale: Locale; path: string }[]>();
  for (const row of rows) {
    const list = groups.get(row.translationGroupId) ?? [];
    list.push({ locale: row.locale, path: kbArticlePath(row.collectionSlug, row.slug) });
    groups.set(row.translationGroupId, list);
  }
  return rows.map((row) => {
    const path = kbArticlePath(row.collectionSlug, row.slug);
    return { path, locale: row.locale, updatedAt: row.updatedAt, alternates: (groups.get(row.translationGroupId) ?? []).filter((a) => a.path !== path) };
  });
}

export interface KbFeedEntry {
  id: number;
  title: string;
  /** The summary, or the start of the text. */
  summary: string;
  path: string;
  locale: Locale;
  publishedAt: Date | null;
  updatedAt: Date;
}

const FEED_SUMMARY_LENGTH = 280;

/** New and updated public articles, newest change first, for the Atom feed. */
export async function listFeedEntries(db: Db, limit: number): Promise<KbFeedEntry[]> {
  const rows = await db
    .select({
      id: kbArticles.id,
      title: kbArticles.title,
      summary: kbArticles.summary,
      textStart: sql<string>`left(${kbArticles.bodyText}, ${FEED_SUMMARY_LENGTH * 4})`,
      collectionSlug: kbCollections.slug,
      slug: kbArticles.slug,
      locale: kbArticles.locale,
      publishedAt: kbArticles.publishedAt,
      updatedAt: kbArticles.updatedAt,
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(visibleArticleFilter(null))
    .orderBy(desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    summary: r.summary || excerpt(r.textStart, FEED_SUMMARY_LENGTH),
    path: kbArticlePath(r.collectionSlug, r.slug),
    locale: r.locale,
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
  }));
}

// ---------------------------------------------------------------------------------------------------
// Staff reads (/admin/kb). They do not filter by visibility: the route checks can(user, "kb.manage").
// ---------------------------------------------------------------------------------------------------

export interface KbCollectionAdminItem {
  id: number;
  slug: string;
  nameEn: string;
  nameJa: string;
  descriptionEn: string;
  descriptionJa: string;
  position: number;
  articleCount: number;
}

/** Every collection in order, with how many articles (any status) it holds; for selects and the collections screen. */
export async function listCollections(db: Db): Promise<KbCollectionAdminItem[]> {
  return db
    .select({
      id: kbCollections.id,
      slug: kbCollections.slug,
      nameEn: kbCollections.nameEn,
      nameJa: kbCollections.nameJa,
      descriptionEn: kbCollections.descriptionEn,
      descriptionJa: kbCollections.descriptionJa,
      position: kbCollections.position,
      articleCount: sql<number>`(select count(*) from ${kbArticles} where ${kbArticles.collectionId} = ${kbCollections.id})`.mapWith(Number),
    })
    .from(kbCollections)
    .orderBy(kbCollections.position, kbCollections.id);
}

/** Every tag, by name, with how many articles use it (for suggestions while typing tags). */
export async function listTags(db: Db): Promise<{ id: number; slug: string; name: string; articleCount: number }[]> {
  return db
    .select({
      id: kbTags.id,
      slug: kbTags.slug,
      name: kbTags.name,
      articleCount: sql<number>`(select count(*) from ${kbArticleTags} where ${kbArticleTags.tagId} = ${kbTags.id})`.mapWith(Number),
    })
    .from(kbTags)
    .orderBy(kbTags.name);
}

export interface KbArticleAdminItem {
  id: number;
  title: string;
  slug: string;
  path: string;
  locale: Locale;
  collectionId: number;
  collectionSlug: string;
  status: KbArticleStatus;
  visibility: KbVisibility;
  position: number;
  revisionNumber: number;
  scheduledFor: Date | null;
  reviewBy: string | null;
  ownerName: string | null;
  updatedAt: Date;
}

export const KB_ADMIN_PAGE_SIZE = 50;

/**
 * Articles of any status for the staff list. With a collection: in the reader order (for reordering);
 * without: most recently changed first. `q` matches the title or slug literally.
 */
export async function listArticlesForAdmin(
  db: Db,
  input: { collectionId?: number; status?: KbArticleStatus; locale?: Locale; q?: string; page: number; pageSize?: number },
): Promise<Page<KbArticleAdminItem>> {
  const pageSize = input.pageSize ?? KB_ADMIN_PAGE_SIZE;
  const conditions: SQL[] = [];
  if (input.collectionId) conditions.push(eq(kbArticles.collectionId, input.collectionId));
  if (input.status) conditions.push(eq(kbArticles.status, input.status));
  if (input.locale) conditions.push(eq(kbArticles.locale, input.locale));
  const q = input.q?.trim();
  if (q) conditions.push(or(ilike(kbArticles.title, containsPattern(q)), ilike(kbArticles.slug, containsPattern(q)))!);
  const where = conditions.length ? and(...conditions) : undefined;
  const owner = alias(users, "owner");
  const order = input.collectionId ? [asc(kbArticles.position), asc(kbArticles.id)] : [desc(kbArticles.updatedAt), desc(kbArticles.id)];
  const rows = await db
    .select({
      id: kbArticles.id,
      title: kbArticles.title,
      slug: kbArticles.slug,
      locale: kbArticles.locale,
      collectionId: kbArticles.collectionId,
      collectionSlug: kbCollections.slug,
      status: kbArticles.status,
      visibility: kbArticles.visibility,
      position: kbArticles.position,
      revisionNumber: kbArticles.revisionNumber,
      scheduledFor: kbArticles.scheduledFor,
      reviewBy: kbArticles.reviewBy,
      ownerName: owner.displayName,
      updatedAt: kbArticles.updatedAt,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .leftJoin(owner, eq(owner.id, kbArticles.ownerId))
    .where(where)
    .orderBy(...order)
    .limit(pageSize)
    .offset((input.page - 1) * pageSize);
  const total = await windowedTotal(rows, input.page, () => countArticles(db, where));
  return pageOf(
    rows.map(({ total: _total, ...row }) => ({ ...row, path: kbArticlePath(row.collectionSlug, row.slug) })),
    total,
    input.page,
    pageSize,
  );
}

export type KbArticleForEditing = NonNullable<Awaited<ReturnType<typeof getArticleForEditing>>>;

/** One article, any status, with what the edit form and its side panels need. */
export async function getArticleForEditing(db: Db, id: number) {
  const owner = alias(users, "owner");
  const credited = alias(users, "credited");
  const [article] = await db
    .select({
      id: kbArticles.id,
      collectionId: kbArticles.collectionId,
      collectionSlug: kbCollections.slug,
      locale: kbArticles.locale,
      translationGroupId: kbArticles.translationGroupId,
      slug: kbArticles.slug,
      title: kbArticles.title,
      summary: kbArticles.summary,
      bodyMd: kbArticles.bodyMd,
      visibility: kbArticles.visibility,
      status: kbArticles.status,
      publishedAt: kbArticles.publishedAt,
      scheduledFor: kbArticles.scheduledFor,
      position: kbArticles.position,
      ownerId: kbArticles.ownerId,
      ownerName: owner.displayName,
      reviewBy: kbArticles.reviewBy,
      revisionNumber: kbArticles.revisionNumber,
      creditedUserId: kbArticles.creditedUserId,
      creditedName: credited.displayName,
      sourceUrl: kbArticles.sourceUrl,
      viewCountTotal: kbArticles.viewCountTotal,
      helpfulYes: kbArticles.helpfulYes,
      helpfulNo: kbArticles.helpfulNo,
      createdAt: kbArticles.createdAt,
      updatedAt: kbArticles.updatedAt,
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .leftJoin(owner, eq(owner.id, kbArticles.ownerId))
    .leftJoin(credited, eq(credited.id, kbArticles.creditedUserId))
    .where(eq(kbArticles.id, id));
  if (!article) return null;
  const [tags, translations] = await Promise.all([
    db
      .select({ slug: kbTags.slug, name: kbTags.name })
      .from(kbArticleTags)
      .innerJoin(kbTags, eq(kbTags.id, kbArticleTags.tagId))
      .where(eq(kbArticleTags.articleId, id))
      .orderBy(kbTags.name),
    db
      .select({ id: kbArticles.id, locale: kbArticles.locale, title: kbArticles.title, status: kbArticles.status })
      .from(kbArticles)
      .where(and(eq(kbArticles.translationGroupId, article.translationGroupId), ne(kbArticles.id, id))),
  ]);
  return { ...article, path: kbArticlePath(article.collectionSlug, article.slug), tags, translations };
}

export interface KbRevisionSummary {
  number: number;
  title: string;
  note: string | null;
  restoredFromNumber: number | null;
  authorId: number | null;
  authorName: string | null;
  createdAt: Date;
  isCurrent: boolean;
}

/** Every revision of an article, newest first, with author and time. */
export async function getRevisionHistory(db: Db, articleId: number): Promise<KbRevisionSummary[]> {
  const rows = await db
    .select({
      number: kbArticleRevisions.number,
      title: kbArticleRevisions.title,
      note: kbArticleRevisions.note,
      restoredFromNumber: kbArticleRevisions.restoredFromNumber,
      authorId: kbArticleRevisions.authorId,
      authorName: users.displayName,
      createdAt: kbArticleRevisions.createdAt,
      isCurrent: sql<boolean>`${kbArticleRevisions.number} = ${kbArticles.revisionNumber}`,
    })
    .from(kbArticleRevisions)
    .innerJoin(kbArticles, eq(kbArticles.id, kbArticleRevisions.articleId))
    .leftJoin(users, eq(users.id, kbArticleRevisions.authorId))
    .where(eq(kbArticleRevisions.articleId, articleId))
    .orderBy(desc(kbArticleRevisions.number));
  return rows;
}

export interface KbRevisionDiff {
  from: Omit<KbRevisionSummary, "isCurrent">;
  to: Omit<KbRevisionSummary, "isCurrent">;
  title: { before: string; after: string; changed: boolean };
  summary: { before: string; after: string; changed: boolean };
  body: LineDiff;
}

/** The changes from revision `fromNumber` to `toNumber` of one article (either order); null if either is missing. */
export async function getRevisionDiff(db: Db, articleId: number, fromNumber: number, toNumber: number): Promise<KbRevisionDiff | null> {
  const rows = await db
    .select({
      number: kbArticleRevisions.number,
      title: kbArticleRevisions.title,
      summary: kbArticleRevisions.summary,
      bodyMd: kbArticleRevisions.bodyMd,
      note: kbArticleRevisions.note,
      restoredFromNumber: kbArticleRevisions.restoredFromNumber,
      authorId: kbArticleRevisions.authorId,
      authorName: users.displayName,
      createdAt: kbArticleRevisions.createdAt,
    })
    .from(kbArticleRevisions)
    .leftJoin(users, eq(users.id, kbArticleRevisions.authorId))
    .where(and(eq(kbArticleRevisions.articleId, articleId), inArray(kbArticleRevisions.number, [fromNumber, toNumber])));
  const from = rows.find((r) => r.number === fromNumber);
  const to = rows.find((r) => r.number === toNumber);
  if (!from || !to) return null;
  const meta = ({ title, summary: _summary, bodyMd: _body, ...rest }: typeof from) => ({ title, ...rest });
  return {
    from: meta(from),
    to: meta(to),
    title: { before: from.title, after: to.title, changed: from.title !== to.title },
    summary: { before: from.summary, after: to.summary, changed: from.summary !== to.summary },
    body: diffLines(from.bodyMd, to.bodyMd),
  };
}

export interface KbReviewQueueItem {
  id: number;
  title: string;
  locale: Locale;
  status: KbArticleStatus;
  path: string;
  reviewBy: string;
  ownerId: number | null;
  ownerName: string | null;
  updatedAt: Date;
}

/**
 * Articles readers see (published) or will see (scheduled) whose review date is on or before
 * `dueBefore` (YYYY-MM-DD), most overdue first; optionally only one owner's.
 */
export async function listReviewQueue(db: Db, input: { dueBefore: string; ownerId?: number; limit?: number }): Promise<KbReviewQueueItem[]> {
  const owner = alias(users, "owner");
  const rows = await db
    .select({
      id: kbArticles.id,
      title: kbArticles.title,
      locale: kbArticles.locale,
      status: kbArticles.status,
      collectionSlug: kbCollections.slug,
      slug: kbArticles.slug,
      reviewBy: sql<string>`${kbArticles.reviewBy}`,
      ownerId: kbArticles.ownerId,
      ownerName: owner.displayName,
      updatedAt: kbArticles.updatedAt,
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .leftJoin(owner, eq(owner.id, kbArticles.ownerId))
    .where(
      and(
        lte(kbArticles.reviewBy, input.dueBefore),
        inArray(kbArticles.status, ["published", "scheduled"]),
        input.ownerId ? eq(kbArticles.ownerId, input.ownerId) : undefined,
      ),
    )
    .orderBy(asc(kbArticles.reviewBy), asc(kbArticles.id))
    .limit(input.limit ?? 500);
  return rows.map(({ collectionSlug, slug, ...row }) => ({ ...row, path: kbArticlePath(collectionSlug, slug) }));
}

export interface KbContentReportRow {
  id: number;
  title: string;
  locale: Locale;
  path: string;
  visibility: KbVisibility;
  views30: number;
  views90: number;
  viewsTotal: number;
  helpfulYes: number;
  helpfulNo: number;
  /** Yes / (Yes + No); null before the first answer. */
  helpfulRatio: number | null;
  /** How many "No" answers gave each reason. */
  noReasons: Record<KbFeedbackReason, number>;
  /** The newest comments (up to 3). */
  latestComments: { helpful: boolean; reason: KbFeedbackReason | null; comment: string; createdAt: Date }[];
  reviewBy: string | null;
  ownerName: string | null;
  updatedAt: Date;
}

export const KB_REPORT_PAGE_SIZE = 50;
const REPORT_COMMENTS = 3;

/**
 * The staff content report over published articles, one page at a time: views in the last 30 and 90
 * UTC days (from kb_article_daily_views), helpful ratio, counts of "No" reasons and the latest comments,
 * review date. Sorted by `sort` in `dir`; articles without a value (no answers yet, no review date) come
 * last either way, and ties are broken by id so pages are stable.
 */
export async function getContentReport(
  db: Db,
  input: { sort: KbReportSort; dir: "asc" | "desc"; page?: number; pageSize?: number },
): Promise<Page<KbContentReportRow>> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? KB_REPORT_PAGE_SIZE;
  // Views are stored per UTC day; "the last 30 days" is today (UTC) and the 29 days before.
  const today = sql`(now() at time zone 'UTC')::date`;
  const views = db
    .select({
      articleId: kbArticleDailyViews.articleId,
      views30: sql<number>`sum(${kbArticleDailyViews.views}) filter (where ${kbArticleDailyViews.day} > ${today} - 30)`.as("views30"),
      views90: sql<number>`sum(${kbArticleDailyViews.views})`.as("views90"),
    })
    .from(kbArticleDailyViews)
    .where(sql`${kbArticleDailyViews.day} > ${today} - 90`)
    .groupBy(kbArticleDailyViews.articleId)
    .as("views");
  const owner = alias(users, "owner");
  const views30 = sql<number>`coalesce(${views.views30}, 0)`;
  const views90 = sql<number>`coalesce(${views.views90}, 0)`;
  const ratio = sql<number | null>`${kbArticles.helpfulYes}::float8 / nullif(${kbArticles.helpfulYes} + ${kbArticles.helpfulNo}, 0)`;
  const sortExpression: Record<KbReportSort, SQL> = {
    views30,
    views90,
    helpfulRatio: ratio,
    reviewBy: sql`${kbArticles.reviewBy}`,
    notHelpful: sql`${kbArticles.helpfulNo}`,
  };
  const direction = input.dir === "asc" ? sql`asc nulls last` : sql`desc nulls last`;

  const rows = await db
    .select({
      id: kbArticles.id,
      title: kbArticles.title,
      locale: kbArticles.locale,
      collectionSlug: kbCollections.slug,
      slug: kbArticles.slug,
      visibility: kbArticles.visibility,
      views30: views30.mapWith(Number),
      views90: views90.mapWith(Number),
      viewsTotal: kbArticles.viewCountTotal,
      helpfulYes: kbArticles.helpfulYes,
      helpfulNo: kbArticles.helpfulNo,
      helpfulRatio: ratio.mapWith((v: unknown) => (v === null ? null : Number(v))),
      reviewBy: kbArticles.reviewBy,
      ownerName: owner.displayName,
      updatedAt: kbArticles.updatedAt,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .leftJoin(views, eq(views.articleId, kbArticles.id))
    .leftJoin(owner, eq(owner.id, kbArticles.ownerId))
    .where(eq(kbArticles.status, "published"))
    .orderBy(sql`${sortExpression[input.sort]} ${direction}`, asc(kbArticles.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);

  const ids = rows.map((r) => r.id);
  const [reasonRows, commentRows] = ids.length
    ? await Promise.all([
        db
          .select({ articleId: kbFeedback.articleId, reason: kbFeedback.reason, n: sql<number>`count(*)`.mapWith(Number) })
          .from(kbFeedback)
          .where(and(inArray(kbFeedback.articleId, ids), eq(kbFeedback.helpful, false), sql`${kbFeedback.reason} is not null`))
          .groupBy(kbFeedback.articleId, kbFeedback.reason),
        latestComments(db, ids),
      ])
    : [[], []];

  return pageOf(
    rows.map(({ total: _total, collectionSlug, slug, ...row }) => {
      const noReasons: Record<KbFeedbackReason, number> = { outdated: 0, unclear: 0, didnt_solve: 0, other: 0 };
      for (const r of reasonRows) if (r.articleId === row.id && r.reason) noReasons[r.reason] = r.n;
      const latestComments = commentRows
        .filter((c) => c.articleId === row.id)
        .map(({ helpful, reason, comment, createdAt }) => ({ helpful, reason, comment, createdAt }));
      return { ...row, path: kbArticlePath(collectionSlug, slug), noReasons, latestComments };
    }),
    await windowedTotal(rows, page, () => countArticles(db, eq(kbArticles.status, "published"))),
    page,
    pageSize,
  );
}

async function countArticles(db: Db, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(kbArticles).where(where);
  return row?.n ?? 0;
}

/** The newest REPORT_COMMENTS comments of each article, newest first. */
async function latestComments(db: Db, articleIds: number[]) {
  const ranked = db
    .select({
      articleId: kbFeedback.articleId,
      helpful: kbFeedback.helpful,
      reason: kbFeedback.reason,
      comment: sql<string>`${kbFeedback.comment}`.as("comment"),
      createdAt: kbFeedback.updatedAt,
      rank: sql<number>`row_number() over (partition by ${kbFeedback.articleId} order by ${kbFeedback.updatedAt} desc, ${kbFeedback.id} desc)`
        .mapWith(Number)
        .as("rank"),
    })
    .from(kbFeedback)
    .where(and(inArray(kbFeedback.articleId, articleIds), sql`${kbFeedback.comment} is not null`))
    .as("ranked_comments");
  return db.select().from(ranked).where(lte(ranked.rank, REPORT_COMMENTS)).orderBy(ranked.articleId, ranked.rank);
}

/** json columns come back parsed from some drivers and as text from others. */
function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}
