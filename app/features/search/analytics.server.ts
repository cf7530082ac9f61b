import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { accountMembers, accounts, activities, forumQuestions, searchClicks, searchQueries, type SearchSource } from "../../../db/schema";
import { normalizeQueryText } from "../../../search/text";
import { recordActivity } from "../engagement/activities.server";
import { ANALYTICS_LIST_LIMIT, type AnalyticsPeriod } from "./search.schema";

/**
 * Search analytics: the log written when people search (one row per search a person ran, never per
 * keystroke), the clicks on results, and the staff report read from them.
 */

export interface LogSearchInput {
  query: string;
  userId: number | null;
  source: SearchSource;
  typeFilter?: string | null;
  tagFilter?: string | null;
  resultCount: number;
}

/**
 * Records one search: a search_queries row (the query normalized; the member's current account copied, as
 * the ledger does), and for a signed-in member a search.performed activity keyed by that row. Anonymous
 * searches are counted with no user or account. Returns the row id, or null for an empty query.
 * Side effects: inserts search_queries and activities rows. Called by the search pages and the click route.
 */
export async function logSearch(db: Db, input: LogSearchInput): Promise<number | null> {
  const query = normalizeQueryText(input.query);
  if (query === "") return null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(searchQueries)
      .values({
        query,
        userId: input.userId,
        accountId: (input.userId === null
          ? sql`null`
          : sql`(select ${accountMembers.accountId} from ${accountMembers} where ${accountMembers.userId} = ${input.userId})`) as unknown as number,
        source: input.source,
        typeFilter: input.typeFilter ?? null,
        tagFilter: input.tagFilter ?? null,
        resultCount: input.resultCount,
      })
      .returning({ id: searchQueries.id });
    const id = row!.id;
    if (input.userId !== null) {
      await recordActivity(tx, {
        type: "search.performed",
        userId: input.userId,
        subjectType: "search_query",
        subjectId: id,
        metadata: { query, source: input.source, resultCount: input.resultCount },
        idempotencyKey: `search.performed:${id}`,
      });
    }
    return id;
  });
}

/** The logged search a click names, if it is this viewer's (anonymous rows belong to any anonymous viewer). */
export async function findOwnSearch(db: Db, searchQueryId: number, userId: number | null): Promise<{ id: number; query: string } | null> {
  const [row] = await db
    .select({ id: searchQueries.id, query: searchQueries.query, userId: searchQueries.userId })
    .from(searchQueries)
    .where(eq(searchQueries.id, searchQueryId));
  if (!row || row.userId !== userId) return null;
  return { id: row.id, query: row.query };
}

/** Records that a result was opened (position 1-based on the page it was shown). */
export async function recordSearchClick(db: Db, input: { searchQueryId: number; docKey: string; position: number }): Promise<void> {
  await db.insert(searchClicks).values(input);
}

// ---------------------------------------------------------------------------------------------------------
// The staff report

export interface QueryStat {
  query: string;
  searches: number;
  avgResults: number;
  /** Searches of this query with at least one click, over its searches (0–1). */
  clickThrough: number;
}

export interface CountedQuery {
  query: string;
  searches: number;
}

export interface SearchAnalytics {
  days: AnalyticsPeriod;
  accountId: number | null;
  totals: {
    searches: number;
    distinctQueries: number;
    /** Searches with at least one click. */
    clickedSearches: number;
    zeroResultSearches: number;
    noClickSearches: number;
    /** Searches by a member followed by a new question from them within the hour. */
    followedByQuestion: number;
    deflections: number;
  };
  topQueries: QueryStat[];
  zeroResults: CountedQuery[];
  noClicks: CountedQuery[];
  followedByQuestion: CountedQuery[];
}

type JsonList<T> = T[] | string | null;
const list = <T>(value: JsonList<T>): T[] => (value === null ? [] : typeof value === "string" ? (JSON.parse(value) as T[]) : value);

/**
 * The /admin/search report for the last `days` days, optionally for one customer account. One statement:
 * the period's searches are read once (searched_at or account_id+searched_at index), each with whether it
 * had a click (search_clicks by query id) and whether its member asked a question within the hour
 * (forum_questions by author and time), then aggregated per query; each list is capped at
 * ANALYTICS_LIST_LIMIT with totals beside it. Deflections come from the ledger (type + time index).
 */
export async function getSearchAnalytics(db: Db, input: { days: AnalyticsPeriod; accountId?: number | null; now?: Date }): Promise<SearchAnalytics> {
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - input.days * 24 * 60 * 60 * 1000);
  const accountId = input.accountId ?? null;
  const inAccount: SQL = accountId === null ? sql`true` : sql`sq.account_id = ${accountId}`;
  const limit = ANALYTICS_LIST_LIMIT;
  const periodStart = sql`${since.toISOString()}::timestamptz`;
  const periodEnd = sql`${now.toISOString()}::timestamptz`;
  const [row] = await queryRows<{
    searches: number;
    distinct_queries: number;
    clicked: number;
    zero: number;
    no_click: number;
    followed: number;
    top: JsonList<{ query: string; searches: number; avg_results: number; clicked: number }>;
    zero_list: JsonList<CountedQuery>;
    no_click_list: JsonList<CountedQuery>;
    followed_list: JsonList<CountedQuery>;
  }>(
    db,
    // Clicks and follow-up questions are joined as sets, not probed per search: with correlated EXISTS
    // the planner's estimate (~1M for 100k searches) crossed the JIT threshold, and on the server
    // compiling the plan cost 2 of the report's 3 seconds (measured); as joins it is ~14k and ~0.3 s.
    sql`with s as materialized (
          select sq.query, sq.result_count, (c.search_query_id is not null) as clicked, (f.id is not null) as followed
          from ${searchQueries} sq
          -- A click comes after its search, so the period's clicks are all it needs.
          left join (select distinct search_query_id from ${searchClicks} where clicked_at >= ${periodStart}) c on c.search_query_id = sq.id
          left join (
            select distinct sq2.id from ${searchQueries} sq2
            join ${forumQuestions} fq on fq.author_id = sq2.user_id
              and fq.created_at >= sq2.searched_at and fq.created_at < sq2.searched_at + interval '1 hour'
            where sq2.searched_at >= ${periodStart} and sq2.searched_at <= ${periodEnd}
          ) f on f.id = sq.id
          where sq.searched_at >= ${periodStart} and sq.searched_at <= ${periodEnd} and ${inAccount}
        ),
        q as materialized (
          select query, count(*)::int as searches, avg(result_count)::float8 as avg_results,
                 (count(*) filter (where clicked))::int as clicked,
                 (count(*) filter (where result_count = 0))::int as zero,
                 (count(*) filter (where result_count > 0 and not clicked))::int as no_click,
                 (count(*) filter (where followed))::int as followed
          from s group by query
        )
        select
          (select count(*)::int from s) as searches,
          (select count(*)::int from q) as distinct_queries,
          (select coalesce(sum(clicked), 0)::int from q) as clicked,
          (select coalesce(sum(zero), 0)::int from q) as zero,
          (select coalesce(sum(no_click), 0)::int from q) as no_click,
          (select coalesce(sum(followed), 0)::int from q) as followed,
          (select coalesce(json_agg(t), '[]') from (select query, searches, avg_results, clicked from q order by searches desc, query limit ${limit}) t) as top,
          (select coalesce(json_agg(t), '[]') from (select query, zero as searches from q where zero > 0 order by zero desc, query limit ${limit}) t) as zero_list,
          (select coalesce(json_agg(t), '[]') from (select query, no_click as searches from q where no_click > 0 order by no_click desc, query limit ${limit}) t) as no_click_list,
          (select coalesce(json_agg(t), '[]') from (select query, followed as searches from q where followed > 0 order by followed desc, query limit ${limit}) t) as followed_list`,
  );
  const [deflected] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(activities)
    .where(
      and(
        eq(activities.type, "search.deflected"),
        sql`${activities.occurredAt} >= ${since.toISOString()}::timestamptz`,
        sql`${activities.occurredAt} <= ${now.toISOString()}::timestamptz`,
        sql`${activities.revokedAt} is null`,
        accountId === null ? undefined : eq(activities.accountId, accountId),
      ),
    );
  const r = row!;
  return {
    days: input.days,
    accountId,
    totals: {
      searches: Number(r.searches),
      distinctQueries: Number(r.distinct_queries),
      clickedSearches: Number(r.clicked),
      zeroResultSearches: Number(r.zero),
      noClickSearches: Number(r.no_click),
      followedByQuestion: Number(r.followed),
      deflections: Number(deflected?.count ?? 0),
    },
    topQueries: list(r.top).map((t) => ({
      query: t.query,
      searches: Number(t.searches),
      avgResults: Math.round(Number(t.avg_results) * 10) / 10,
      clickThrough: Number(t.searches) > 0 ? Number(t.clicked) / Number(t.searches) : 0,
    })),
    zeroResults: list(r.zero_list).map((t) => ({ query: t.query, searches: Number(t.searches) })),
    noClicks: list(r.no_click_list).map((t) => ({ query: t.query, searches: Number(t.searches) })),
    followedByQuestion: list(r.followed_list).map((t) => ({ query: t.query, searches: Number(t.searches) })),
  };
}

/** Customer accounts for the report's filter, by name. */
export async function listAccountsForFilter(db: Db, limit = 1000): Promise<Array<{ id: number; name: string }>> {
  return db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(asc(accounts.name), asc(accounts.id)).limit(limit);
}
