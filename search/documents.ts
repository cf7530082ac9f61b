import { and, asc, eq, gt, isNotNull, isNull, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, forumAnswers, forumQuestions, forumQuestionTags, forumTags, kbArticles, kbArticleTags, kbTags, userGroups } from "../db/schema";
import { parseSearchDocKey, searchDocKey, type SearchDocType, type SearchDocument, type SearchLocale, type SearchVisibility } from "./engine";

/**
 * The one mapping from rows to search documents. What makes a row searchable here must agree with the
 * triggers of migration 0009 (which enqueue a document whenever this answer may change) and with the
 * readers' own visibility rules:
 * - article: a published kb_articles row; visibility is the article's own (public / customers / staff).
 * - question: a forum question neither hidden nor deleted, which anyone may read (the forum's question
 *   page refuses hidden or deleted ones to everyone but moderators), so its visibility is "public". Its
 *   body holds the visible answers too, accepted first and then by score, so a question is found by the
 *   words of its answers.
 * - webinar, event: a published webinar or group event (events.kind) that has not ended yet, or has a
 *   recording; visibility "public" (the pages are public). Body: summary, description, agenda, speakers
 *   and the group's name. Migration 0011's triggers enqueue them; an event ending without a recording is
 *   re-checked when its after-session job touches the row, and readers drop ended ones meanwhile.
 */

/** Question body plus answers is cut here: enough for every answer that matters, bounded per document. */
export const QUESTION_BODY_MAX_CHARS = 10_000;

/** Types that have a source table today, in the order a rebuild walks them. */
export const INDEXED_DOC_TYPES = ["article", "question", "webinar", "event"] as const satisfies readonly SearchDocType[];

/** Longest event body indexed (description and agenda are capped at 20,000 characters each). */
export const EVENT_BODY_MAX_CHARS = 10_000;

const articleSearchable = eq(kbArticles.status, "published");
const questionSearchable = and(isNull(forumQuestions.hiddenAt), isNull(forumQuestions.deletedAt));
/** Evaluated when a document is (re)built: "not ended" is as of that moment. */
const eventSearchable = (kind: "webinar" | "group_event") =>
  and(eq(events.kind, kind), eq(events.status, "published"), or(sql`${events.endsAt} > now()`, isNotNull(events.recordingUrl)));

/**
 * The current document for each key, read in a few batched queries; a key missing from the map is not
 * searchable now (unpublished, hidden, deleted, never existed, or a type with no source) and must be
 * removed from the index. `revisions` gives each document the revision of the queue row it answers
 * (a single number applies to all, e.g. 0 for a rebuild that must never override a queued change).
 */
export async function loadSearchDocuments(
  db: Db,
  keys: readonly string[],
  revisions: ReadonlyMap<string, number> | number = 0,
): Promise<Map<string, SearchDocument>> {
  const ids: Record<SearchDocType, number[]> = { article: [], question: [], webinar: [], event: [] };
  for (const key of new Set(keys)) {
    const parsed = parseSearchDocKey(key);
    if (parsed) ids[parsed.type].push(parsed.sourceId);
  }
  const revisionOf = (key: string) => (typeof revisions === "number" ? revisions : (revisions.get(key) ?? 0));
  const [articles, questions, webinars, groupEvents] = await Promise.all([
    loadArticles(db, ids.article, revisionOf),
    loadQuestions(db, ids.question, revisionOf),
    loadEvents(db, "webinar", ids.webinar, revisionOf),
    loadEvents(db, "event", ids.event, revisionOf),
  ]);
  const out = new Map<string, SearchDocument>();
  for (const doc of [...articles, ...questions, ...webinars, ...groupEvents]) out.set(doc.key, doc);
  return out;
}

async function loadArticles(db: Db, ids: number[], revisionOf: (key: string) => number): Promise<SearchDocument[]> {
  if (ids.length === 0) return [];
  const [rows, tags] = await Promise.all([
    db
      .select({
        id: kbArticles.id,
        locale: kbArticles.locale,
        visibility: kbArticles.visibility,
        title: kbArticles.title,
        body: kbArticles.bodyText,
        publishedAt: kbArticles.publishedAt,
      })
      .from(kbArticles)
      .where(and(anyOf(kbArticles.id, ids), articleSearchable)),
    db
      .select({ articleId: kbArticleTags.articleId, slug: kbTags.slug })
      .from(kbArticleTags)
      .innerJoin(kbTags, eq(kbTags.id, kbArticleTags.tagId))
      .where(anyOf(kbArticleTags.articleId, ids))
      .orderBy(asc(kbArticleTags.articleId), asc(kbTags.slug)),
  ]);
  const tagsOf = groupBy(tags, (t) => t.articleId, (t) => t.slug);
  return rows.map((r) => {
    const key = searchDocKey("article", r.id);
    return {
      key,
      type: "article",
      sourceId: r.id,
      locale: r.locale as SearchLocale,
      visibility: r.visibility as SearchVisibility,
      title: r.title,
      tags: tagsOf.get(r.id) ?? [],
      body: r.body,
      publishedAt: r.publishedAt,
      revision: revisionOf(key),
    };
  });
}

async function loadQuestions(db: Db, ids: number[], revisionOf: (key: string) => number): Promise<SearchDocument[]> {
  if (ids.length === 0) return [];
  const [rows, tags, answers] = await Promise.all([
    db
      .select({ id: forumQuestions.id, locale: forumQuestions.locale, title: forumQuestions.title, body: forumQuestions.bodyText, createdAt: forumQuestions.createdAt })
      .from(forumQuestions)
      .where(and(anyOf(forumQuestions.id, ids), questionSearchable)),
    db
      .select({ questionId: forumQuestionTags.questionId, slug: forumTags.slug })
      .from(forumQuestionTags)
      .innerJoin(forumTags, eq(forumTags.id, forumQuestionTags.tagId))
      .where(anyOf(forumQuestionTags.questionId, ids))
      .orderBy(asc(forumQuestionTags.questionId), asc(forumTags.slug)),
    // Joined and cut in the database, so a question with hundreds of long answers never crosses the wire whole.
    db
      .select({
        questionId: forumAnswers.questionId,
        text: sql<string>`left(string_agg(${forumAnswers.bodyText}, E'\n\n' order by ${forumAnswers.acceptedAt} is null, ${forumAnswers.score} desc, ${forumAnswers.id}), ${QUESTION_BODY_MAX_CHARS}::int)`,
      })
      .from(forumAnswers)
      .where(and(anyOf(forumAnswers.questionId, ids), isNull(forumAnswers.hiddenAt), isNull(forumAnswers.deletedAt)))
      .groupBy(forumAnswers.questionId),
  ]);
  const tagsOf = groupBy(tags, (t) => t.questionId, (t) => t.slug);
  const answersOf = new Map(answers.map((a) => [a.questionId, a.text]));
  return rows.map((r) => {
    const key = searchDocKey("question", r.id);
    const answerText = answersOf.get(r.id);
    const body = answerText ? `${r.body}\n\n${answerText}` : r.body;
    return {
      key,
      type: "question",
      sourceId: r.id,
      locale: r.locale,
      visibility: "public",
      title: r.title,
      tags: tagsOf.get(r.id) ?? [],
      body: truncate(body, QUESTION_BODY_MAX_CHARS),
      publishedAt: r.createdAt,
      revision: revisionOf(key),
    };
  });
}

const EVENT_KIND_OF = { webinar: "webinar", event: "group_event" } as const;

async function loadEvents(db: Db, type: "webinar" | "event", ids: number[], revisionOf: (key: string) => number): Promise<SearchDocument[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: events.id,
      language: events.language,
      title: events.title,
      summary: events.summary,
      descriptionHtml: events.descriptionHtml,
      agendaHtml: events.agendaHtml,
      speakers: events.speakers,
      tags: events.tags,
      startsAt: events.startsAt,
      groupName: userGroups.name,
    })
    .from(events)
    .leftJoin(userGroups, eq(userGroups.id, events.groupId))
    .where(and(anyOf(events.id, ids), eventSearchable(EVENT_KIND_OF[type])));
  return rows.map((r) => {
    const key = searchDocKey(type, r.id);
    const body = [r.summary, htmlToText(r.descriptionHtml), r.speakers.map((s) => (s.title ? `${s.name} ${s.title}` : s.name)).join("\n"), htmlToText(r.agendaHtml), r.groupName ?? ""]
      .filter(Boolean)
      .join("\n\n");
    return {
      key,
      type,
      sourceId: r.id,
      locale: r.language,
      visibility: "public",
      title: r.title,
      tags: [...r.tags].sort(),
      body: truncate(body, EVENT_BODY_MAX_CHARS),
      // An event's date is when it happens: the engines' recency order then favours what is coming up.
      publishedAt: r.startsAt,
      revision: revisionOf(key),
    };
  });
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

/** Plain text of sanitized HTML (tags become spaces or line breaks, the few entities the renderer emits decoded). */
function htmlToText(html: string): string {
  return html
    .replace(/<\/(p|li|h[1-6]|tr|pre|blockquote|div)>|<br\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

/**
 * Keys of searchable documents of one type after `afterId`, in id order: a rebuild walks the corpus by
 * keyset, never by OFFSET, so each page costs the same however deep it is.
 */
export async function listSearchableKeys(db: Db, type: (typeof INDEXED_DOC_TYPES)[number], afterId: number, limit: number): Promise<{ keys: string[]; lastId: number | null }> {
  const rows =
    type === "article"
      ? await db.select({ id: kbArticles.id }).from(kbArticles).where(and(articleSearchable, gt(kbArticles.id, afterId))).orderBy(asc(kbArticles.id)).limit(limit)
      : type === "question"
        ? await db
            .select({ id: forumQuestions.id })
            .from(forumQuestions)
            .where(and(questionSearchable, gt(forumQuestions.id, afterId)))
            .orderBy(asc(forumQuestions.id))
            .limit(limit)
        : await db
            .select({ id: events.id })
            .from(events)
            .where(and(eventSearchable(EVENT_KIND_OF[type]), gt(events.id, afterId)))
            .orderBy(asc(events.id))
            .limit(limit);
  return { keys: rows.map((r) => searchDocKey(type, r.id)), lastId: rows.at(-1)?.id ?? null };
}

/** How many documents the index should hold now (a rebuild's progress total). */
export async function countSearchableDocuments(db: Db): Promise<number> {
  const counts = await Promise.all([
    db.select({ n: sql<number>`count(*)::int` }).from(kbArticles).where(articleSearchable),
    db.select({ n: sql<number>`count(*)::int` }).from(forumQuestions).where(questionSearchable),
    db.select({ n: sql<number>`count(*)::int` }).from(events).where(or(eventSearchable("webinar"), eventSearchable("group_event"))),
  ]);
  return counts.reduce((sum, [row]) => sum + Number(row?.n ?? 0), 0);
}

/**
 * `column = any('{1,2,3}'::int[])`: one parameter however many ids. Measured on PGlite with 500 ids: 25 ms
 * instead of 120 ms for `in ($1, …, $500)`, most of it spent binding parameters.
 */
function anyOf(column: AnyColumn, ids: readonly number[]): SQL {
  return sql`${column} = any(${`{${ids.map((id) => Math.trunc(id)).join(",")}}`}::int[])`;
}

function groupBy<T, K, V>(rows: readonly T[], keyOf: (row: T) => K, valueOf: (row: T) => V): Map<K, V[]> {
  const out = new Map<K, V[]>();
  for (const row of rows) {
    const list = out.get(keyOf(row));
    if (list) list.push(valueOf(row));
    else out.set(keyOf(row), [valueOf(row)]);
  }
  return out;
}

/** Cuts at a code-point boundary (never half a surrogate pair) so Japanese text stays valid. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return text.slice(0, end);
}
