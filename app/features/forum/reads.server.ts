import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  accountMembers,
  forumAnswers,
  forumComments,
  forumPostRevisions,
  forumQuestions,
  forumQuestionTags,
  forumTags,
  forumVotes,
  kbArticles,
  kbCollections,
  memberReputation,
  users,
  type Locale,
  type QuestionCloseReason,
} from "../../../db/schema";
import { can, type SessionUser } from "../auth/permissions";
import { visibleArticleFilter } from "../kb/reads.server";
import { kbArticlePath } from "../kb/paths";
import { excerpt } from "../markdown/render.server";
import { isFollowing } from "./follows.server";
import { QUESTION_PAGE_SIZE, questionPath, type QuestionListQuery } from "./forum.schema";
import { getReputation } from "./member-stats.server";
import { MINIMUM_REPUTATION } from "./reputation";

/**
 * What readers see of the forum. Visibility is applied here: deleted and hidden questions, answers and
 * comments are for moderators (forum.moderate) only, everywhere. Every read is one or two indexed queries;
 * the question page reads its answers, comments, votes and tags in one query each, never per answer.
 */

export type ForumViewer = Pick<SessionUser, "id" | "role"> | null;

const isModerator = (viewer: ForumViewer) => can(viewer, "forum.moderate");

/** A post's author as every page shows them: name, handle, champion mark, reputation. */
export interface PostAuthor {
  id: number;
  displayName: string;
  handle: string;
  champion: boolean;
  reputation: number;
}

const authorColumns = {
  authorId: users.id,
  authorName: users.displayName,
  authorHandle: users.handle,
  authorChampion: sql<boolean>`${users.championAt} is not null`,
  authorReputation: sql<number>`coalesce(${memberReputation.reputation}, ${MINIMUM_REPUTATION})`,
};

function toAuthor(row: { authorId: number; authorName: string; authorHandle: string; authorChampion: boolean; authorReputation: number }): PostAuthor {
  return { id: row.authorId, displayName: row.authorName, handle: row.authorHandle, champion: !!row.authorChampion, reputation: Number(row.authorReputation) };
}

// ---------------------------------------------------------------------------------------------------------
// The list

export interface QuestionListItem {
  id: number;
  path: string;
  title: string;
  excerpt: string;
  locale: Locale;
  score: number;
  answerCount: number;
  viewCount: number;
  hasAccepted: boolean;
  closed: boolean;
  createdAt: Date;
  lastActivityAt: Date;
  author: Omit<PostAuthor, "reputation" | "id">;
  tags: { slug: string; name: string }[];
}

export interface QuestionListPage {
  questions: QuestionListItem[];
  /** The `after` of the next page; null on the last one. */
  nextCursor: string | null;
  /** The tag filtered on, if it exists. */
  tag: { id: number; slug: string; name: string } | null;
}

const EXCERPT_CHARS = 200;

/** Keyset column of each sort, and its cursor text (full microseconds for times, so no row is skipped). */
function sortKey(sort: QuestionListQuery["sort"]): { column: SQL; cursorText: SQL<string>; cast: SQL } {
  switch (sort) {
    case "votes":
      return { column: sql`${forumQuestions.score}`, cursorText: sql<string>`${forumQuestions.score}::text`, cast: sql`::integer` };
    case "activity":
      return {
        column: sql`${forumQuestions.lastActivityAt}`,
        cursorText: sql<string>`to_char(${forumQuestions.lastActivityAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        cast: sql`::timestamptz`,
      };
    case "newest":
      return {
        column: sql`${forumQuestions.createdAt}`,
        cursorText: sql<string>`to_char(${forumQuestions.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        cast: sql`::timestamptz`,
      };
  }
}

/**
 * One page of the question list: sorted newest / most votes / recent activity, filtered, with keyset
 * pagination (`after`), so page 500 costs what page 1 costs. The filters always include "not deleted and
 * not hidden", which is the predicate of the list's partial indexes. "mine" and "account" need a viewer
 * (empty otherwise). Two queries: the page, then the tags of its questions.
 */
export async function listQuestions(db: Db, viewer: ForumViewer, query: QuestionListQuery, pageSize = QUESTION_PAGE_SIZE): Promise<QuestionListPage> {
  const conditions: SQL[] = [isNull(forumQuestions.deletedAt), isNull(forumQuestions.hiddenAt)];
  let tag: QuestionListPage["tag"] = null;
  if (query.tag) {
    const [row] = await db.select({ id: forumTags.id, slug: forumTags.slug, name: forumTags.name }).from(forumTags).where(eq(forumTags.slug, query.tag));
    if (!row) return { questions: [], nextCursor: null, tag: null };
    tag = row;
    conditions.push(
      sql`exists (select 1 from ${forumQuestionTags} where ${forumQuestionTags.questionId} = ${forumQuestions.id} and ${forumQuestionTags.tagId} = ${row.id})`,
    );
  }
  switch (query.filter) {
    case "unanswered":
      conditions.push(eq(forumQuestions.answerCount, 0));
      break;
    case "unaccepted":
      conditions.push(isNull(forumQuestions.acceptedAnswerId));
      break;
    case "mine":
      if (!viewer) return { questions: [], nextCursor: null, tag };
      conditions.push(eq(forumQuestions.authorId, viewer.id));
      break;
    case "account":
      if (!viewer) return { questions: [], nextCursor: null, tag };
      conditions.push(
        sql`${forumQuestions.accountId} = (select ${accountMembers.accountId} from ${accountMembers} where ${accountMembers.userId} = ${viewer.id})`,
      );
      break;
    case "all":
      break;
  }
  const key = sortKey(query.sort);
  if (query.after) {
    const cut = query.after.lastIndexOf("~");
    const value = query.after.slice(0, cut);
    const id = Number(query.after.slice(cut + 1));
    // A cursor that does not fit the sort (hand-edited URL) would be a database error: treat it as page 1.
    const valid = query.sort === "votes" ? /^-?\d{1,10}$/.test(value) : !Number.isNaN(Date.parse(value));
    if (valid) conditions.push(sql`(${key.column}, ${forumQuestions.id}) < (${value}${key.cast}, ${id})`);
  }

  // `desc nulls last` to match the indexes (drizzle's .desc() builds them NULLS LAST; a plain DESC sort is
  // NULLS FIRST and made Postgres read the whole index and sort: 1.4 s at 100,000 questions). The columns
  // are NOT NULL, so the order is the same. Authors are joined after the page is chosen, so the join
  // touches 21 users, not every asker.
  const pageOfQuestions = db
    .select({
      id: forumQuestions.id,
      authorId: forumQuestions.authorId,
      slug: forumQuestions.slug,
      title: forumQuestions.title,
      bodyStart: sql<string>`left(${forumQuestions.bodyText}, ${EXCERPT_CHARS + 40})`.as("body_start"),
      locale: forumQuestions.locale,
      score: forumQuestions.score,
      answerCount: forumQuestions.answerCount,
      viewCount: forumQuestions.viewCount,
      acceptedAnswerId: forumQuestions.acceptedAnswerId,
      closedAt: forumQuestions.closedAt,
      createdAt: forumQuestions.createdAt,
      lastActivityAt: forumQuestions.lastActivityAt,
      cursor: sql<string>`${key.cursorText}`.as("cursor"),
      sortValue: sql`${key.column}`.as("sort_value"),
    })
    .from(forumQuestions)
    .where(and(...conditions))
    .orderBy(sql`${key.column} desc nulls last`, sql`${forumQuestions.id} desc nulls last`)
    .limit(pageSize + 1)
    .as("page");
  const rows = await db
    .select({
      id: pageOfQuestions.id,
      slug: pageOfQuestions.slug,
      title: pageOfQuestions.title,
      bodyStart: pageOfQuestions.bodyStart,
      locale: pageOfQuestions.locale,
      score: pageOfQuestions.score,
      answerCount: pageOfQuestions.answerCount,
      viewCount: pageOfQuestions.viewCount,
      acceptedAnswerId: pageOfQuestions.acceptedAnswerId,
      closedAt: pageOfQuestions.closedAt,
      createdAt: pageOfQuestions.createdAt,
      lastActivityAt: pageOfQuestions.lastActivityAt,
      cursor: pageOfQuestions.cursor,
      authorName: users.displayName,
      authorHandle: users.handle,
      authorChampion: sql<boolean>`${users.championAt} is not null`,
    })
    .from(pageOfQuestions)
    .innerJoin(users, eq(users.id, pageOfQuestions.authorId))
    .orderBy(sql`${pageOfQuestions.sortValue} desc`, desc(pageOfQuestions.id));

  const page = rows.slice(0, pageSize);
  const tagsByQuestion = await tagsOf(
    db,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    tag,
    nextCursor: rows.length > pageSize && last ? `${last.cursor}~${last.id}` : null,
    questions: page.map((r) => ({
      id: r.id,
      path: questionPath(r.id, r.slug),
      title: r.title,
      excerpt: excerpt(r.bodyStart, EXCERPT_CHARS),
      locale: r.locale,
      score: r.score,
      answerCount: r.answerCount,
      viewCount: r.viewCount,
      hasAccepted: r.acceptedAnswerId !== null,
      closed: r.closedAt !== null,
      createdAt: r.createdAt,
      lastActivityAt: r.lastActivityAt,
      author: { displayName: r.authorName, handle: r.authorHandle, champion: !!r.authorChampion },
      tags: tagsByQuestion.get(r.id) ?? [],
    })),
  };
}

/** The tags of many questions in one query, in name order. */
async function tagsOf(db: Db, questionIds: number[]): Promise<Map<number, { id: number; slug: string; name: string }[]>> {
  const map = new Map<number, { id: number; slug: string; name: string }[]>();
  if (questionIds.length === 0) return map;
  const rows = await db
    .select({ questionId: forumQuestionTags.questionId, id: forumTags.id, slug: forumTags.slug, name: forumTags.name })
    .from(forumQuestionTags)
    .innerJoin(forumTags, eq(forumTags.id, forumQuestionTags.tagId))
    .where(inArray(forumQuestionTags.questionId, questionIds))
    .orderBy(asc(forumTags.name));
  for (const row of rows) {
    const list = map.get(row.questionId) ?? [];
    list.push({ id: row.id, slug: row.slug, name: row.name });
    map.set(row.questionId, list);
  }
  return map;
}

// ---------------------------------------------------------------------------------------------------------
// The question page

export interface CommentView {
  id: number;
  postType: "question" | "answer";
  postId: number;
  bodyHtml: string;
  createdAt: Date;
  author: Omit<PostAuthor, "reputation">;
  hidden: boolean;
  deleted: boolean;
}

export interface AnswerView {
  id: number;
  bodyHtml: string;
  /** The start of the plain text (for JSON-LD), not the whole answer. */
  textStart: string;
  score: number;
  accepted: boolean;
  createdAt: Date;
  editedAt: Date | null;
  revisionNumber: number;
  hidden: boolean;
  deleted: boolean;
  promotedArticleId: number | null;
  author: PostAuthor;
  myVote: -1 | 0 | 1;
  comments: CommentView[];
}

export interface LinkedArticle {
  id: number;
  title: string;
  path: string;
}

export interface QuestionPage {
  question: {
    id: number;
    slug: string;
    path: string;
    title: string;
    bodyHtml: string;
    bodyText: string;
    locale: Locale;
    score: number;
    answerCount: number;
    viewCount: number;
    followerCount: number;
    acceptedAnswerId: number | null;
    createdAt: Date;
    editedAt: Date | null;
    lastActivityAt: Date;
    revisionNumber: number;
    closedAt: Date | null;
    closeReason: QuestionCloseReason | null;
    lockedAt: Date | null;
    hidden: boolean;
    hiddenReason: string | null;
    deleted: boolean;
    author: PostAuthor;
    tags: { id: number; slug: string; name: string }[];
    myVote: -1 | 0 | 1;
    comments: CommentView[];
  };
  /** Accepted answer first, then by score, then oldest first. */
  answers: AnswerView[];
  duplicateOf: { kind: "question"; id: number; title: string; path: string } | { kind: "article"; title: string; path: string } | null;
  /** The KB article the asker read before asking (visible to this viewer only). */
  kbArticle: LinkedArticle | null;
  viewer: { id: number; reputation: number; following: boolean } | null;
}

/**
 * Everything the question page shows, for this viewer, or null when the question does not exist or is
 * not theirs to see (deleted/hidden: moderators only). Queries: the question, then side by side its
 * answers, comments, tags, the viewer's votes, follow state and reputation; each indexed, none per answer.
 */
export async function getQuestionPage(db: Db, viewer: ForumViewer, questionId: number): Promise<QuestionPage | null> {
  const moderator = isModerator(viewer);
  const [q] = await db
    .select({
      id: forumQuestions.id,
      slug: forumQuestions.slug,
      title: forumQuestions.title,
      bodyHtml: forumQuestions.bodyHtml,
      bodyText: forumQuestions.bodyText,
      locale: forumQuestions.locale,
      score: forumQuestions.score,
      answerCount: forumQuestions.answerCount,
      viewCount: forumQuestions.viewCount,
      followerCount: forumQuestions.followerCount,
      acceptedAnswerId: forumQuestions.acceptedAnswerId,
      createdAt: forumQuestions.createdAt,
      editedAt: forumQuestions.editedAt,
      lastActivityAt: forumQuestions.lastActivityAt,
      revisionNumber: forumQuestions.revisionNumber,
      closedAt: forumQuestions.closedAt,
      closeReason: forumQuestions.closeReason,
      duplicateOfQuestionId: forumQuestions.duplicateOfQuestionId,
      duplicateOfArticleId: forumQuestions.duplicateOfArticleId,
      kbArticleId: forumQuestions.kbArticleId,
      lockedAt: forumQuestions.lockedAt,
      hiddenAt: forumQuestions.hiddenAt,
      hiddenReason: forumQuestions.hiddenReason,
      deletedAt: forumQuestions.deletedAt,
      ...authorColumns,
    })
    .from(forumQuestions)
    .innerJoin(users, eq(users.id, forumQuestions.authorId))
    .leftJoin(memberReputation, eq(memberReputation.userId, forumQuestions.authorId))
    .where(eq(forumQuestions.id, questionId));
  if (!q) return null;
  if ((q.hiddenAt || q.deletedAt) && !moderator) return null;

  const visibleAnswer = moderator ? undefined : and(isNull(forumAnswers.deletedAt), isNull(forumAnswers.hiddenAt));
  const [answerRows, commentRows, tagMap, votes, following, reputation, duplicateOf, kbArticle] = await Promise.all([
    db
      .select({
        id: forumAnswers.id,
        bodyHtml: forumAnswers.bodyHtml,
        textStart: sql<string>`left(${forumAnswers.bodyText}, 2000)`,
        score: forumAnswers.score,
        acceptedAt: forumAnswers.acceptedAt,
        createdAt: forumAnswers.createdAt,
        editedAt: forumAnswers.editedAt,
        revisionNumber: forumAnswers.revisionNumber,
        hiddenAt: forumAnswers.hiddenAt,
        deletedAt: forumAnswers.deletedAt,
        promotedArticleId: forumAnswers.promotedArticleId,
        ...authorColumns,
      })
      .from(forumAnswers)
      .innerJoin(users, eq(users.id, forumAnswers.authorId))
      .leftJoin(memberReputation, eq(memberReputation.userId, forumAnswers.authorId))
      .where(visibleAnswer ? and(eq(forumAnswers.questionId, questionId), visibleAnswer) : eq(forumAnswers.questionId, questionId))
      .orderBy(sql`${forumAnswers.acceptedAt} is null`, desc(forumAnswers.score), asc(forumAnswers.id)),
    db
      .select({
        id: forumComments.id,
        postType: forumComments.postType,
        postId: forumComments.postId,
        bodyHtml: forumComments.bodyHtml,
        createdAt: forumComments.createdAt,
        hiddenAt: forumComments.hiddenAt,
        deletedAt: forumComments.deletedAt,
        authorId: users.id,
        authorName: users.displayName,
        authorHandle: users.handle,
        authorChampion: sql<boolean>`${users.championAt} is not null`,
      })
      .from(forumComments)
      .innerJoin(users, eq(users.id, forumComments.authorId))
      .where(
        moderator
          ? eq(forumComments.questionId, questionId)
          : and(eq(forumComments.questionId, questionId), isNull(forumComments.deletedAt), isNull(forumComments.hiddenAt)),
      )
      .orderBy(asc(forumComments.id)),
    tagsOf(db, [questionId]),
    viewer
      ? db
          .select({ postType: forumVotes.postType, postId: forumVotes.postId, value: forumVotes.value })
          .from(forumVotes)
          .where(
            and(
              eq(forumVotes.voterId, viewer.id),
              or(
                and(eq(forumVotes.postType, "question"), eq(forumVotes.postId, questionId)),
                and(
                  eq(forumVotes.postType, "answer"),
                  inArray(forumVotes.postId, db.select({ id: forumAnswers.id }).from(forumAnswers).where(eq(forumAnswers.questionId, questionId))),
                ),
              ),
            ),
          )
      : Promise.resolve([]),
    viewer ? isFollowing(db, viewer.id, "question", questionId) : Promise.resolve(false),
    viewer ? getReputation(db, viewer.id) : Promise.resolve(MINIMUM_REPUTATION),
    getDuplicateTarget(db, viewer, q.duplicateOfQuestionId, q.duplicateOfArticleId),
    q.kbArticleId ? getLinkedArticle(db, viewer, q.kbArticleId) : Promise.resolve(null),
  ]);

  const myVote = (postType: "question" | "answer", postId: number): -1 | 0 | 1 => {
    const vote = votes.find((v) => v.postType === postType && v.postId === postId);
    return vote ? (vote.value as -1 | 1) : 0;
  };
  const comments: CommentView[] = commentRows.map((c) => ({
    id: c.id,
    postType: c.postType,
    postId: c.postId,
    bodyHtml: c.bodyHtml,
    createdAt: c.createdAt,
    hidden: c.hiddenAt !== null,
    deleted: c.deletedAt !== null,
    author: { id: c.authorId, displayName: c.authorName, handle: c.authorHandle, champion: !!c.authorChampion },
  }));
  const commentsOf = (postType: "question" | "answer", postId: number) => comments.filter((c) => c.postType === postType && c.postId === postId);

  return {
    question: {
      id: q.id,
      slug: q.slug,
      path: questionPath(q.id, q.slug),
      title: q.title,
      bodyHtml: q.bodyHtml,
      bodyText: q.bodyText,
      locale: q.locale,
      score: q.score,
      answerCount: q.answerCount,
      viewCount: q.viewCount,
      followerCount: q.followerCount,
      acceptedAnswerId: q.acceptedAnswerId,
      createdAt: q.createdAt,
      editedAt: q.editedAt,
      lastActivityAt: q.lastActivityAt,
      revisionNumber: q.revisionNumber,
      closedAt: q.closedAt,
      closeReason: q.closeReason,
      lockedAt: q.lockedAt,
      hidden: q.hiddenAt !== null,
      hiddenReason: q.hiddenReason,
      deleted: q.deletedAt !== null,
      author: toAuthor(q),
      tags: tagMap.get(q.id) ?? [],
      myVote: myVote("question", q.id),
      comments: commentsOf("question", q.id),
    },
    answers: answerRows.map((a) => ({
      id: a.id,
      bodyHtml: a.bodyHtml,
      textStart: a.textStart,
      score: a.score,
      accepted: a.acceptedAt !== null,
      createdAt: a.createdAt,
      editedAt: a.editedAt,
      revisionNumber: a.revisionNumber,
      hidden: a.hiddenAt !== null,
      deleted: a.deletedAt !== null,
      promotedArticleId: a.promotedArticleId,
      author: toAuthor(a),
      myVote: myVote("answer", a.id),
      comments: commentsOf("answer", a.id),
    })),
    duplicateOf,
    kbArticle,
    viewer: viewer ? { id: viewer.id, reputation, following } : null,
  };
}

/** A KB article this viewer may read, with its path; null otherwise (a staff-only article stays unnamed). */
export async function getLinkedArticle(db: Db, viewer: ForumViewer, articleId: number): Promise<LinkedArticle | null> {
  const [row] = await db
    .select({ id: kbArticles.id, title: kbArticles.title, slug: kbArticles.slug, collectionSlug: kbCollections.slug })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(and(eq(kbArticles.id, articleId), visibleArticleFilter(viewer)));
  return row ? { id: row.id, title: row.title, path: kbArticlePath(row.collectionSlug, row.slug) } : null;
}

async function getDuplicateTarget(db: Db, viewer: ForumViewer, questionId: number | null, articleId: number | null): Promise<QuestionPage["duplicateOf"]> {
  if (questionId) {
    const [row] = await db
      .select({ id: forumQuestions.id, title: forumQuestions.title, slug: forumQuestions.slug })
      .from(forumQuestions)
      .where(and(eq(forumQuestions.id, questionId), isNull(forumQuestions.deletedAt), isNull(forumQuestions.hiddenAt)));
    if (row) return { kind: "question", id: row.id, title: row.title, path: questionPath(row.id, row.slug) };
  }
  if (articleId) {
    const article = await getLinkedArticle(db, viewer, articleId);
    if (article) return { kind: "article", title: article.title, path: article.path };
  }
  return null;
}

/** Just enough to redirect /questions/<id> to its canonical URL (no visibility beyond the page's own). */
export async function getQuestionPathById(db: Db, viewer: ForumViewer, questionId: number): Promise<string | null> {
  const [row] = await db
    .select({ slug: forumQuestions.slug, hiddenAt: forumQuestions.hiddenAt, deletedAt: forumQuestions.deletedAt })
    .from(forumQuestions)
    .where(eq(forumQuestions.id, questionId));
  if (!row || ((row.hiddenAt || row.deletedAt) && !isModerator(viewer))) return null;
  return questionPath(questionId, row.slug);
}

/** The public questions for /sitemap.xml, most recently active first (the activity index). */
export async function listPublicQuestionsForSitemap(db: Db, limit = 40_000): Promise<{ path: string; lastmod: Date }[]> {
  const rows = await db
    .select({ id: forumQuestions.id, slug: forumQuestions.slug, lastActivityAt: forumQuestions.lastActivityAt })
    .from(forumQuestions)
    .where(and(isNull(forumQuestions.deletedAt), isNull(forumQuestions.hiddenAt)))
    .orderBy(desc(forumQuestions.lastActivityAt), desc(forumQuestions.id))
    .limit(limit);
  return rows.map((r) => ({ path: questionPath(r.id, r.slug), lastmod: r.lastActivityAt }));
}

// ---------------------------------------------------------------------------------------------------------
// Editing and revisions

/** A question as its edit form needs it, or null when the viewer may not see it. */
export async function getQuestionForEditing(db: Db, viewer: ForumViewer, questionId: number) {
  const [row] = await db
    .select({
      id: forumQuestions.id,
      slug: forumQuestions.slug,
      title: forumQuestions.title,
      bodyMd: forumQuestions.bodyMd,
      authorId: forumQuestions.authorId,
      locale: forumQuestions.locale,
      lockedAt: forumQuestions.lockedAt,
      revisionNumber: forumQuestions.revisionNumber,
      hiddenAt: forumQuestions.hiddenAt,
      deletedAt: forumQuestions.deletedAt,
    })
    .from(forumQuestions)
    .where(eq(forumQuestions.id, questionId));
  if (!row || ((row.hiddenAt || row.deletedAt) && !isModerator(viewer))) return null;
  const tags = (await tagsOf(db, [questionId])).get(questionId) ?? [];
  return { ...row, path: questionPath(row.id, row.slug), tags: tags.map((t) => t.name) };
}

/** An answer as its edit form needs it (with its question's title and path), or null. */
export async function getAnswerForEditing(db: Db, viewer: ForumViewer, answerId: number) {
  const [row] = await db
    .select({
      id: forumAnswers.id,
      bodyMd: forumAnswers.bodyMd,
      authorId: forumAnswers.authorId,
      revisionNumber: forumAnswers.revisionNumber,
      hiddenAt: forumAnswers.hiddenAt,
      deletedAt: forumAnswers.deletedAt,
      questionId: forumQuestions.id,
      questionSlug: forumQuestions.slug,
      questionTitle: forumQuestions.title,
      locale: forumQuestions.locale,
      lockedAt: forumQuestions.lockedAt,
      questionHiddenAt: forumQuestions.hiddenAt,
      questionDeletedAt: forumQuestions.deletedAt,
    })
    .from(forumAnswers)
    .innerJoin(forumQuestions, eq(forumQuestions.id, forumAnswers.questionId))
    .where(eq(forumAnswers.id, answerId));
  if (!row) return null;
  const hidden = row.hiddenAt || row.deletedAt || row.questionHiddenAt || row.questionDeletedAt;
  if (hidden && !isModerator(viewer)) return null;
  return { ...row, questionPath: questionPath(row.questionId, row.questionSlug) };
}

export interface PostRevision {
  number: number;
  title: string | null;
  tags: string[] | null;
  bodyMd: string;
  note: string | null;
  createdAt: Date;
  authorName: string | null;
}

/** Every revision of a post, newest first (one indexed query). Visibility is the caller's (the edit reads above). */
export async function listPostRevisions(db: Db, postType: "question" | "answer", postId: number): Promise<PostRevision[]> {
  return db
    .select({
      number: forumPostRevisions.number,
      title: forumPostRevisions.title,
      tags: forumPostRevisions.tags,
      bodyMd: forumPostRevisions.bodyMd,
      note: forumPostRevisions.note,
      createdAt: forumPostRevisions.createdAt,
      authorName: users.displayName,
    })
    .from(forumPostRevisions)
    .leftJoin(users, eq(users.id, forumPostRevisions.authorId))
    .where(and(eq(forumPostRevisions.postType, postType), eq(forumPostRevisions.postId, postId)))
    .orderBy(desc(forumPostRevisions.number));
}

/** The text a question revision is compared by: title, tags and body, so a diff shows all three. */
export function revisionText(revision: Pick<PostRevision, "title" | "tags" | "bodyMd">): string {
  if (revision.title === null) return revision.bodyMd;
  return `# ${revision.title}\n[${(revision.tags ?? []).join(", ")}]\n\n${revision.bodyMd}`;
}

/**
 * What a moderator typed as "duplicate of": a question URL or id, or a KB article URL. Null when it
 * names nothing this viewer can see.
 */
export async function resolveDuplicateTarget(
  db: Db,
  viewer: ForumViewer,
  text: string,
): Promise<{ questionId: number } | { articleId: number } | null> {
  const trimmed = text.trim();
  let path: string;
  try {
    path = new URL(trimmed, "http://localhost").pathname;
  } catch {
    return null;
  }
  const question = /^([1-9]\d{0,9})$/.exec(trimmed) ?? /^\/questions\/([1-9]\d{0,9})(?:\/|$)/.exec(path);
  if (question) {
    const id = Number(question[1]);
    if (id > 2_147_483_647) return null;
    return (await getQuestionPathById(db, viewer, id)) ? { questionId: id } : null;
  }
  const article = /^\/kb\/([a-z0-9-]{1,120})\/([a-z0-9-]{1,120})\/?$/.exec(path);
  if (!article) return null;
  const [row] = await db
    .select({ id: kbArticles.id })
    .from(kbArticles)
    .innerJoin(kbCollections, eq(kbCollections.id, kbArticles.collectionId))
    .where(and(eq(kbCollections.slug, article[1]!), eq(kbArticles.slug, article[2]!), visibleArticleFilter(viewer)));
  return row ? { articleId: row.id } : null;
}
