import { and, asc, desc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { kbArticleTags, kbArticles, kbCollections, type Locale } from "../../../db/schema";
import { enqueueJob } from "../jobs/queue.server";
import { PermanentJobError, type JobHandler } from "../jobs/registry.server";
import { articleListColumns, toArticleListItem, visibleArticleFilter, type ArticleListRow, type KbArticleListItem, type Viewer } from "./reads.server";

/**
 * Related articles. Scoring neighbours (shared tags, collection order, title similarity) costs tens of
 * milliseconds, so it happens when articles change, not when they are read: refreshRelatedArticles stores
 * the best candidates on the article (kb_articles.related_article_ids), and the article page reads them
 * by primary key with the viewer's visibility applied, so a stale list can never show a hidden article.
 */

export const KB_RELATED_REFRESH_JOB = "kb.related_refresh";
export const KB_RELATED_BACKFILL_JOB = "kb.related_backfill";

/** Translation groups kept per article; readers see at most a handful, the rest absorbs articles hidden from them. */
const RELATED_CANDIDATE_GROUPS = 12;
/** Same-collection candidates for related articles: this many on each side in the curated order. */
const RELATED_COLLECTION_NEIGHBOURS = 25;
const RELATED_TAG_NEIGHBOURS = 60;
/** The backfill job refreshes this many of the oldest (or never computed) lists per run. */
const BACKFILL_BATCH = 200;
const BACKFILL_EVERY_SECONDS = 10 * 60;
/** Lists older than this are refreshed by the backfill, which bounds staleness from changes elsewhere (e.g. reordering). */
const RELATED_MAX_AGE_DAYS = 7;

/**
 * Candidates are computed over every published article, whatever its visibility; readers filter them.
 * An admin viewer is how visibleArticleFilter spells "every visibility".
 */
const EVERY_PUBLISHED_ARTICLE: Viewer = { id: 0, role: "admin" };

export interface RelatedSubject {
  id: number;
  collectionId: number;
  translationGroupId: string;
  title: string;
  locale: Locale;
  /** The stored candidates; null (not computed yet) scores them live. */
  relatedArticleIds: number[] | null;
}

/**
 * Related articles the viewer may read, best first, one version per translation group (in the article's
 * language where there is one), never a translation of the article itself. Reads the stored candidates:
 * one query by primary key. Until they are computed, scores live (the slow path, see scoreRelated).
 */
export async function listRelated(db: Db, viewer: Viewer, article: RelatedSubject, limit: number): Promise<KbArticleListItem[]> {
  if (!article.relatedArticleIds) return (await scoreRelated(db, viewer, article, limit)).map(toArticleListItem);
  if (article.relatedArticleIds.length === 0) return [];
  // Driven from the id list (unnest … with ordinality joined on the primary key) so the plan is a few
  // key lookups whatever the statistics say; `id = any(…)` alone let a stale plan scan a whole index.
  const ids = sql`unnest(${intArrayLiteral(article.relatedArticleIds)}::int[]) with ordinality as related(article_id, rank)`;
  const candidates = db
    .selectDistinctOn([kbArticles.translationGroupId], {
      ...articleListColumns,
      rank: sql<number>`related.rank`.as("rank"),
    })
    .from(ids)
    .innerJoin(kbArticles, sql`${kbArticles.id} = related.article_id`)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(and(visibleArticleFilter(viewer), ne(kbArticles.translationGroupId, article.translationGroupId)))
    .orderBy(kbArticles.translationGroupId, sql`(${kbArticles.locale} = ${article.locale}) desc`, kbArticles.id)
    .as("candidates");
  const rows = await db.select().from(candidates).orderBy(candidates.rank).limit(limit);
  return rows.map(toArticleListItem);
}

/** One text parameter rather than one per id: the statement stays the same whatever the list's length. */
function intArrayLiteral(ids: number[]): string {
  return `{${ids.map((id) => Math.trunc(id)).join(",")}}`;
}

/**
 * Recomputes and stores one article's related candidates: the best RELATED_CANDIDATE_GROUPS translation
 * groups, each expanded to all its published versions (so a reader who may not see one version can still
 * get another). An unpublished article gets an empty list. Returns the candidate ids before and after,
 * or null when the article does not exist. Idempotent ("make the state match").
 */
export async function refreshRelatedArticles(db: Db, articleId: number): Promise<{ before: number[]; after: number[] } | null> {
  const [article] = await db
    .select({
      id: kbArticles.id,
      collectionId: kbArticles.collectionId,
      translationGroupId: kbArticles.translationGroupId,
      title: kbArticles.title,
      locale: kbArticles.locale,
      status: kbArticles.status,
      relatedArticleIds: kbArticles.relatedArticleIds,
    })
    .from(kbArticles)
    .where(eq(kbArticles.id, articleId));
  if (!article) return null;
  let after: number[] = [];
  if (article.status === "published") {
    const scored = await scoreRelated(db, EVERY_PUBLISHED_ARTICLE, article, RELATED_CANDIDATE_GROUPS);
    const groups = scored.map((row) => row.translationGroupId);
    if (groups.length > 0) {
      const versions = await db
        .select({ id: kbArticles.id, translationGroupId: kbArticles.translationGroupId, locale: kbArticles.locale })
        .from(kbArticles)
        .where(and(inArray(kbArticles.translationGroupId, groups), eq(kbArticles.status, "published")));
      const rankOf = new Map(groups.map((group, index) => [group, index]));
      after = versions
        .sort(
          (a, b) =>
            rankOf.get(a.translationGroupId)! - rankOf.get(b.translationGroupId)! ||
            Number(b.locale === article.locale) - Number(a.locale === article.locale) ||
            a.id - b.id,
        )
        .map((v) => v.id);
    }
  }
  await db.update(kbArticles).set({ relatedArticleIds: after, relatedRefreshedAt: sql`now()` }).where(eq(kbArticles.id, articleId));
  return { before: article.relatedArticleIds ?? [], after };
}

/**
 * Queues a refresh of an article's related list, in the caller's transaction. With `neighbours`, the job
 * also queues refreshes for the articles in its old and new lists: related is roughly symmetric, so an
 * article that changed (published, retitled, retagged, moved, hidden) changes its neighbours' lists too.
 * Two dedupe keys so a waiting plain refresh never swallows a neighbour-spreading one.
 */
export async function enqueueRelatedRefresh(db: Db, articleId: number, options: { neighbours: boolean }): Promise<void> {
  await enqueueJob(db, {
    type: KB_RELATED_REFRESH_JOB,
    payload: { articleId, neighbours: options.neighbours },
    dedupeKey: `${KB_RELATED_REFRESH_JOB}:${options.neighbours ? "spread" : "self"}:${articleId}`,
  });
}

const refreshPayload = z.object({ articleId: z.number().int().positive(), neighbours: z.boolean() });

export const refreshRelatedArticlesJob: JobHandler = async ({ db, job }) => {
  const parsed = refreshPayload.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`Invalid ${KB_RELATED_REFRESH_JOB} payload: ${z.prettifyError(parsed.error)}`);
  const result = await refreshRelatedArticles(db, parsed.data.articleId);
  if (!result || !parsed.data.neighbours) return;
  const neighbours = new Set([...result.before, ...result.after]);
  neighbours.delete(parsed.data.articleId);
  for (const id of neighbours) await enqueueRelatedRefresh(db, id, { neighbours: false });
};

/**
 * Recurring: computes lists never computed (articles from before this feature) and refreshes the oldest,
 * a batch per run, so every list is at most about RELATED_MAX_AGE_DAYS old whatever changed around it.
 */
export async function backfillRelatedArticles(db: Db, limit = BACKFILL_BATCH): Promise<number> {
  const due = await db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .where(
      and(
        eq(kbArticles.status, "published"),
        or(isNull(kbArticles.relatedRefreshedAt), lt(kbArticles.relatedRefreshedAt, sql`now() - make_interval(days => ${RELATED_MAX_AGE_DAYS})`)),
      ),
    )
    .orderBy(sql`${kbArticles.relatedRefreshedAt} asc nulls first`, asc(kbArticles.id))
    .limit(limit);
  for (const { id } of due) await refreshRelatedArticles(db, id);
  return due.length;
}

export const backfillRelatedArticlesJob: JobHandler = async ({ db, logger }) => {
  const refreshed = await backfillRelatedArticles(db);
  if (refreshed > 0) logger.info({ refreshed }, "kb related lists refreshed");
};

export const KB_RELATED_BACKFILL_SCHEDULE = { name: KB_RELATED_BACKFILL_JOB, type: KB_RELATED_BACKFILL_JOB, everySeconds: BACKFILL_EVERY_SECONDS };

type ScoredRow = ArticleListRow & { translationGroupId: string };

/**
 * Scores related articles live: ones sharing tags or the collection first (more shared tags first;
 * same-collection ones among the nearest in the collection's order, by title similarity), then, only if
 * those do not fill `limit`, others by pg_trgm title similarity. Translations of the article itself are
 * left out; one version per translation group, in the article's language where there is one.
 * Cost: the first tier reads the collection's listing index and kb_article_tags, so only those rows are
 * scored. The trigram search is the fallback rather than a third candidate source because with many
 * loosely similar titles Postgres scores every row (measured: 100 ms of 160 on PGlite at 7,500 articles),
 * and a tag or collection match outranks any title match anyway. Still ~27 ms on PGlite at 10,000
 * articles: too slow per page view, hence the stored lists.
 */
async function scoreRelated(db: Db, viewer: Viewer, article: Omit<RelatedSubject, "relatedArticleIds">, limit: number): Promise<ScoredRow[]> {
  const shared = sharedTagsSubquery(db, article.id);
  // Candidate ids straight from indexes (a UNION, not an OR, so Postgres never scans the whole table):
  // the articles nearest to this one in the collection's curated order, read from the listing index in
  // both directions, so the cost does not grow with the collection; and every article sharing a tag.
  // Inside each branch kb_articles names that branch's own FROM item.
  const sameCollection = (direction: "before" | "after") => sql`(select ${kbArticles.id} from ${kbArticles}
      where ${kbArticles.collectionId} = ${article.collectionId} and ${kbArticles.status} = 'published'
        and ${kbArticles.position} ${direction === "after" ? sql`>=` : sql`<`} (select ${kbArticles.position} from ${kbArticles} where ${kbArticles.id} = ${article.id})
      order by ${kbArticles.position} ${direction === "after" ? sql`asc` : sql`desc`}
      limit ${RELATED_COLLECTION_NEIGHBOURS})`;
  // `= any(array(...))` rather than `in (...)`: the ids become one array probed against the primary key;
  // with `in`, Postgres misjudges the count and scans the whole table to hash-join a few hundred ids.
  const sameCollectionOrTags = sql`${kbArticles.id} = any(array(
      ${sameCollection("before")}
      union
      ${sameCollection("after")}
      union
      ${sharedTagNeighbours(article.id)}))`;
  const closest = await scoredTier(db, viewer, article, shared, sameCollectionOrTags, limit);
  if (closest.length >= limit) return closest;
  const similar = await scoredTier(
    db,
    viewer,
    article,
    shared,
    and(sql`${kbArticles.title} % ${article.title}`, ne(kbArticles.collectionId, article.collectionId), sql`${shared.count} is null`)!,
    limit - closest.length,
  );
  return [...closest, ...similar];
}

/** One tier of scoreRelated: visible articles matching `condition`, best first, one per translation group. */
async function scoredTier(
  db: Db,
  viewer: Viewer,
  article: Omit<RelatedSubject, "relatedArticleIds">,
  shared: ReturnType<typeof sharedTagsSubquery>,
  condition: SQL,
  limit: number,
): Promise<ScoredRow[]> {
  const candidates = db
    .selectDistinctOn([kbArticles.translationGroupId], {
      ...articleListColumns,
      sameCollection: sql<number>`(${kbArticles.collectionId} = ${article.collectionId})::int`.mapWith(Number).as("same_collection"),
      sharedTags: sql<number>`coalesce(${shared.count}, 0)`.mapWith(Number).as("shared_tags"),
      similarity: sql<number>`similarity(${kbArticles.title}, ${article.title})`.mapWith(Number).as("similarity"),
    })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .leftJoin(shared, eq(shared.articleId, kbArticles.id))
    .where(and(condition, visibleArticleFilter(viewer), ne(kbArticles.translationGroupId, article.translationGroupId)))
    .orderBy(kbArticles.translationGroupId, sql`(${kbArticles.locale} = ${article.locale}) desc`, kbArticles.id)
    .as("candidates");
  return db
    .select()
    .from(candidates)
    .orderBy(desc(candidates.sharedTags), desc(candidates.sameCollection), desc(candidates.similarity), candidates.position, candidates.id)
    .limit(limit);
}

/**
 * The articles sharing the most tags with `articleId`, newest first among equals, at most
 * RELATED_TAG_NEIGHBOURS: a popular tag can be on thousands of articles, and scoring every one of them
 * (similarity, sort) made the article page take a second on the 10,000-article benchmark.
 */
function sharedTagNeighbours(articleId: number): SQL {
  return sql`(select theirs.article_id from ${kbArticleTags} mine
      join ${kbArticleTags} theirs on theirs.tag_id = mine.tag_id
      where mine.article_id = ${articleId} and theirs.article_id <> ${articleId}
      group by theirs.article_id
      order by count(*) desc, theirs.article_id desc
      limit ${RELATED_TAG_NEIGHBOURS})`;
}

/** For each article sharing a tag with `articleId`: how many tags it shares. */
function sharedTagsSubquery(db: Db, articleId: number) {
  const mine = alias(kbArticleTags, "mine");
  const theirs = alias(kbArticleTags, "theirs");
  return db
    .select({ articleId: theirs.articleId, count: sql<number>`count(*)`.as("shared_count") })
    .from(mine)
    .innerJoin(theirs, eq(theirs.tagId, mine.tagId))
    .where(eq(mine.articleId, articleId))
    .groupBy(theirs.articleId)
    .as("shared");
}
