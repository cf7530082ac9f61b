import { and, eq, isNull, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client";
import {
  accountMembers,
  forumAnswers,
  forumComments,
  forumPostRevisions,
  forumQuestions,
  forumQuestionTags,
  forumTags,
  kbArticles,
  type Locale,
} from "../../../db/schema";
import { can } from "../auth/permissions";
import { recordActivity } from "../engagement/activities.server";
import { promoteAnswerToDraft } from "../kb/articles.server";
import { issuesToFieldErrors, type FieldErrors } from "../forms/parse";
import { MarkdownRejectedError, MarkdownTooLongError, renderMarkdown } from "../markdown/render.server";
import { forumActivity } from "./activity";
import {
  answerSchema,
  askQuestionSchema,
  commentSchema,
  editAnswerSchema,
  editQuestionSchema,
  questionSlug,
  type AskQuestionInput,
  type CommentInput,
  type EditAnswerInput,
  type EditQuestionInput,
} from "./forum.schema";
import { getReputation, queueMemberStatsRefresh } from "./member-stats.server";
import { followAsParticipant } from "./follows.server";
import { notifyForumEvent } from "./notify.server";
import { hasPrivilege } from "./reputation";
import { fieldError, refuse, type ForumActor, type ForumResult } from "./result";
import { resolveTags, setQuestionTags } from "./tags.server";
import { checkPostingAllowed, type PostingKind } from "./trust.server";

/**
 * Posting in the forum: ask, answer, comment, edit. Each command: parse its input again with the form's
 * schema → load → authorize → one transaction { checkPostingAllowed; write; counters with
 * `SET x = x + 1` under the question's row lock; revision; ledger entry; notifications; member stats }.
 * `db` may itself be a transaction (commands compose; nested ones become savepoints).
 *
 * Invariants kept here: forum_questions.answer_count counts visible answers, comment_count counts
 * comments, last_activity_at moves on every answer, comment and edit; revision 1 of a post is the
 * original; forum_tags.question_count (tags.server.ts).
 */

function parseWith<S extends z.ZodType>(schema: S, input: unknown): { ok: true; data: z.output<S> } | { ok: false; fieldErrors: FieldErrors } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
}

type Rendered = { html: string; text: string };

/** Rendered once at write time (never per request); a body the renderer refuses is a field error. */
function renderPost(source: string, field: string, locale: Locale): { ok: true; rendered: Rendered } | { ok: false; fieldErrors: FieldErrors } {
  try {
    const result = renderMarkdown(source, { locale });
    return { ok: true, rendered: { html: result.html, text: result.text } };
  } catch (error) {
    if (error instanceof MarkdownTooLongError) return fieldError(field, "forum.form.bodyTooLong");
    if (error instanceof MarkdownRejectedError) return fieldError(field, "forum.form.bodyTooDeep");
    throw error;
  }
}

/** The member-write gate (trust.server.ts): suspended → refusal; posting limits → field errors on `field`. */
async function postingGate(db: Db, actor: ForumActor, kind: PostingKind, bodyMd: string | undefined, field: string) {
  const check = await checkPostingAllowed(db, actor, { kind, bodyMd });
  if (check.ok) return null;
  if ("reason" in check) return refuse("suspended");
  // Limits that are not about one field ("too many posts this hour") are shown beside the body.
  const fieldErrors: FieldErrors = {};
  for (const [key, messages] of Object.entries(check.fieldErrors)) (fieldErrors[key === "_form" || key === "bodyMd" ? field : key] ??= []).push(...messages);
  return { ok: false as const, fieldErrors };
}

/** The actor's account now, copied onto the post ("my account's questions" survives moving on). */
const accountOf = (userId: number) => sql<number | null>`(select ${accountMembers.accountId} from ${accountMembers} where ${accountMembers.userId} = ${userId})`;

const isModerator = (actor: ForumActor) => can(actor, "forum.moderate");

/** Whether `actor` may edit a post written by `authorId` (own posts; others' by reputation or role). */
export async function canEditPost(db: Db, actor: ForumActor, authorId: number): Promise<boolean> {
  if (actor.id === authorId || isModerator(actor)) return true;
  return hasPrivilege(await getReputation(db, actor.id), "editOthersPosts");
}

/**
 * A member asks a question: the question, its tags (new ones only with PRIVILEGES.createTags or as a
 * moderator), revision 1, the ledger entry forum.question.asked, notifications to the tags' followers and
 * @mentioned members, and the asker's stats. Any signed-in member who is not suspended.
 */
export async function askQuestion(
  db: Db,
  actor: ForumActor,
  rawInput: AskQuestionInput,
  options: { locale?: Locale } = {},
): Promise<ForumResult<{ questionId: number; slug: string }>> {
  const parsed = parseWith(askQuestionSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  const locale = options.locale ?? "en";
  const rendered = renderPost(input.bodyMd, "bodyMd", locale);
  if (!rendered.ok) return rendered;
  if (input.kbArticleId !== null) {
    const [article] = await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.id, input.kbArticleId));
    // A stale or made-up link is dropped rather than refused: it is a hint, not the question.
    if (!article) input.kbArticleId = null;
  }
  const slug = questionSlug(input.title);

  return db.transaction(async (tx) => {
    const gate = await postingGate(tx, actor, "question", `${input.title}\n\n${input.bodyMd}`, "bodyMd");
    if (gate) return gate;
    const tags = await resolveTags(tx, actor, input.tags);
    if (!tags.ok) return fieldError("tags", "forum.form.tagCreateNotAllowed");

    const [question] = await tx
      .insert(forumQuestions)
      .values({
        authorId: actor.id,
        accountId: accountOf(actor.id) as unknown as number,
        title: input.title,
        slug,
        bodyMd: input.bodyMd,
        bodyHtml: rendered.rendered.html,
        bodyText: rendered.rendered.text,
        locale,
        kbArticleId: input.kbArticleId,
      })
      .returning({ id: forumQuestions.id });
    const questionId = question!.id;
    const tagIds = tags.tags.map((t) => t.id);
    await setQuestionTags(tx, questionId, tagIds);
    await tx.insert(forumPostRevisions).values({
      postType: "question",
      postId: questionId,
      number: 1,
      title: input.title,
      tags: tags.tags.map((t) => t.name),
      bodyMd: input.bodyMd,
      authorId: actor.id,
    });
    await recordActivity(tx, forumActivity.questionAsked(questionId, actor.id));
    // Askers and answerers hear about what happens next on the question (they can unfollow).
    await followAsParticipant(tx, actor.id, questionId);
    await notifyForumEvent(tx, { type: "question_asked", questionId, actorId: actor.id, tagIds, text: rendered.rendered.text });
    await queueMemberStatsRefresh(tx, [actor.id]);
    return { ok: true as const, questionId, slug };
  });
}

/** The question row a write is aimed at, locked for the counters; refusals for what readers may not touch. */
async function lockQuestionForWrite(tx: Db, actor: ForumActor, questionId: number) {
  const [question] = await tx
    .select({
      id: forumQuestions.id,
      authorId: forumQuestions.authorId,
      slug: forumQuestions.slug,
      locale: forumQuestions.locale,
      closedAt: forumQuestions.closedAt,
      lockedAt: forumQuestions.lockedAt,
      hiddenAt: forumQuestions.hiddenAt,
      deletedAt: forumQuestions.deletedAt,
    })
    .from(forumQuestions)
    .where(eq(forumQuestions.id, questionId))
    .for("update");
  if (!question) return { ok: false as const, refusal: refuse("not_found") };
  const moderator = isModerator(actor);
  if ((question.hiddenAt || question.deletedAt) && !moderator) return { ok: false as const, refusal: refuse("not_found") };
  if (question.lockedAt && !moderator) return { ok: false as const, refusal: refuse("locked") };
  return { ok: true as const, question };
}

/**
 * A member answers a question: the answer, revision 1, answer_count + 1 and last_activity_at under the
 * question's row lock, forum.answer.posted, notifications (asker, followers, @mentions), member stats.
 * Refused on a closed question ("closed") and, except for moderators, a locked one ("locked").
 */
export async function postAnswer(db: Db, actor: ForumActor, input: { questionId: number; bodyMd: string }): Promise<ForumResult<{ answerId: number; slug: string }>> {
  const parsed = parseWith(answerSchema, { bodyMd: input.bodyMd });
  if (!parsed.ok) return parsed;
  const bodyMd = parsed.data.bodyMd;
  // Rendered before the transaction: it is the costliest step, and inside it would hold the question's
  // row lock (and, on the embedded database, every other writer) for its whole duration.
  const [target] = await db.select({ locale: forumQuestions.locale }).from(forumQuestions).where(eq(forumQuestions.id, input.questionId));
  if (!target) return refuse("not_found");
  const prerendered = renderPost(bodyMd, "bodyMd", target.locale);
  if (!prerendered.ok) return prerendered;

  return db.transaction(async (tx) => {
    const loaded = await lockQuestionForWrite(tx, actor, input.questionId);
    if (!loaded.ok) return loaded.refusal;
    const { question } = loaded;
    if (question.closedAt) return refuse("closed");
    const gate = await postingGate(tx, actor, "answer", bodyMd, "bodyMd");
    if (gate) return gate;
    // A question's language does not change today; re-render if that ever happens between the two reads.
    const rendered = question.locale === target.locale ? prerendered : renderPost(bodyMd, "bodyMd", question.locale);
    if (!rendered.ok) return rendered;

    const [answer] = await tx
      .insert(forumAnswers)
      .values({
        questionId: question.id,
        authorId: actor.id,
        accountId: accountOf(actor.id) as unknown as number,
        bodyMd,
        bodyHtml: rendered.rendered.html,
        bodyText: rendered.rendered.text,
      })
      .returning({ id: forumAnswers.id });
    const answerId = answer!.id;
    await tx
      .update(forumQuestions)
      .set({ answerCount: sql`${forumQuestions.answerCount} + 1`, lastActivityAt: sql`now()` })
      .where(eq(forumQuestions.id, question.id));
    await tx.insert(forumPostRevisions).values({ postType: "answer", postId: answerId, number: 1, bodyMd, authorId: actor.id });
    await recordActivity(tx, forumActivity.answerPosted(answerId, question.id, actor.id));
    await notifyForumEvent(tx, { type: "answer_posted", questionId: question.id, answerId, actorId: actor.id, text: rendered.rendered.text });
    await followAsParticipant(tx, actor.id, question.id);
    await queueMemberStatsRefresh(tx, [actor.id]);
    return { ok: true as const, answerId, slug: question.slug };
  });
}

/**
 * A member comments on a question or an answer: the comment (markdown, rendered without images),
 * comment_count + 1 on the post, the question's last_activity_at, forum.comment.posted, notifications.
 * Closed questions still take comments (clarifying why is useful); locked ones do not.
 */
export async function postComment(db: Db, actor: ForumActor, rawInput: CommentInput): Promise<ForumResult<{ commentId: number; questionId: number; slug: string }>> {
  const parsed = parseWith(commentSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;

  let questionId = input.postId;
  let answerId: number | null = null;
  if (input.postType === "answer") {
    const [answer] = await db
      .select({ questionId: forumAnswers.questionId, hiddenAt: forumAnswers.hiddenAt, deletedAt: forumAnswers.deletedAt })
      .from(forumAnswers)
      .where(eq(forumAnswers.id, input.postId));
    if (!answer || ((answer.hiddenAt || answer.deletedAt) && !isModerator(actor))) return refuse("not_found");
    questionId = answer.questionId;
    answerId = input.postId;
  }

  return db.transaction(async (tx) => {
    const loaded = await lockQuestionForWrite(tx, actor, questionId);
    if (!loaded.ok) return loaded.refusal;
    const gate = await postingGate(tx, actor, "comment", input.body, "body");
    if (gate) return gate;
    let html: string;
    try {
      html = renderMarkdown(input.body, { allowImages: false, locale: loaded.question.locale }).html;
    } catch (error) {
      if (error instanceof MarkdownRejectedError) return fieldError("body", "forum.form.bodyTooDeep");
      throw error;
    }
    const [comment] = await tx
      .insert(forumComments)
      .values({ postType: input.postType, postId: input.postId, questionId, authorId: actor.id, body: input.body, bodyHtml: html })
      .returning({ id: forumComments.id });
    const commentId = comment!.id;
    if (answerId !== null) {
      await tx
        .update(forumAnswers)
        .set({ commentCount: sql`${forumAnswers.commentCount} + 1` })
        .where(eq(forumAnswers.id, answerId));
      await tx.update(forumQuestions).set({ lastActivityAt: sql`now()` }).where(eq(forumQuestions.id, questionId));
    } else {
      await tx
        .update(forumQuestions)
        .set({ commentCount: sql`${forumQuestions.commentCount} + 1`, lastActivityAt: sql`now()` })
        .where(eq(forumQuestions.id, questionId));
    }
    await recordActivity(tx, forumActivity.commentPosted(commentId, questionId, actor.id));
    await notifyForumEvent(tx, { type: "comment_posted", questionId, answerId, commentId, actorId: actor.id, text: input.body });
    return { ok: true as const, commentId, questionId, slug: loaded.question.slug };
  });
}

/**
 * Edits a question (title, body, tags) and records the new revision. The author edits their own; others
 * need PRIVILEGES.editOthersPosts or forum.moderate. Locked questions: moderators only. An edit that
 * changes nothing writes nothing ({ changed: false }). New tags follow the asking rule.
 */
export async function editQuestion(
  db: Db,
  actor: ForumActor,
  questionId: number,
  rawInput: EditQuestionInput,
): Promise<ForumResult<{ changed: boolean; slug: string; revisionNumber: number }>> {
  const parsed = parseWith(editQuestionSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;

  return db.transaction(async (tx) => {
    const loaded = await lockQuestionForWrite(tx, actor, questionId);
    if (!loaded.ok) return loaded.refusal;
    const [current] = await tx
      .select({ title: forumQuestions.title, bodyMd: forumQuestions.bodyMd, revisionNumber: forumQuestions.revisionNumber, deletedAt: forumQuestions.deletedAt })
      .from(forumQuestions)
      .where(eq(forumQuestions.id, questionId));
    if (!(await canEditPost(tx, actor, loaded.question.authorId))) return refuse("forbidden");
    const currentTags = await tx
      .select({ id: forumTags.id, name: forumTags.name })
      .from(forumQuestionTags)
      .innerJoin(forumTags, eq(forumTags.id, forumQuestionTags.tagId))
      .where(eq(forumQuestionTags.questionId, questionId));
    const gate = await postingGate(tx, actor, "edit", input.bodyMd, "bodyMd");
    if (gate) return gate;
    const tags = await resolveTags(tx, actor, input.tags);
    if (!tags.ok) return fieldError("tags", "forum.form.tagCreateNotAllowed");

    const sameTags =
      tags.tags.length === currentTags.length && tags.tags.every((t) => currentTags.some((c) => c.id === t.id));
    if (current!.title === input.title && current!.bodyMd === input.bodyMd && sameTags) {
      return { ok: true as const, changed: false, slug: loaded.question.slug, revisionNumber: current!.revisionNumber };
    }
    const rendered = renderPost(input.bodyMd, "bodyMd", loaded.question.locale);
    if (!rendered.ok) return rendered;
    const revisionNumber = current!.revisionNumber + 1;
    const slug = questionSlug(input.title);
    await tx
      .update(forumQuestions)
      .set({
        title: input.title,
        slug,
        bodyMd: input.bodyMd,
        bodyHtml: rendered.rendered.html,
        bodyText: rendered.rendered.text,
        revisionNumber,
        editedAt: sql`now()`,
        lastActivityAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(forumQuestions.id, questionId));
    await setQuestionTags(
      tx,
      questionId,
      tags.tags.map((t) => t.id),
      { counted: current!.deletedAt === null },
    );
    const [revision] = await tx
      .insert(forumPostRevisions)
      .values({
        postType: "question",
        postId: questionId,
        number: revisionNumber,
        title: input.title,
        tags: tags.tags.map((t) => t.name),
        bodyMd: input.bodyMd,
        authorId: actor.id,
        note: input.note,
      })
      .returning({ id: forumPostRevisions.id });
    await notifyForumEvent(tx, { type: "post_edited", revisionId: revision!.id, questionId, answerId: null, actorId: actor.id, authorId: loaded.question.authorId });
    return { ok: true as const, changed: true, slug, revisionNumber };
  });
}

/** Edits an answer and records the new revision; same rules as editQuestion. */
export async function editAnswer(
  db: Db,
  actor: ForumActor,
  answerId: number,
  rawInput: EditAnswerInput,
): Promise<ForumResult<{ changed: boolean; questionId: number; slug: string; revisionNumber: number }>> {
  const parsed = parseWith(editAnswerSchema, rawInput);
  if (!parsed.ok) return parsed;
  const input = parsed.data;
  const [answer] = await db
    .select({ questionId: forumAnswers.questionId })
    .from(forumAnswers)
    .where(eq(forumAnswers.id, answerId));
  if (!answer) return refuse("not_found");

  return db.transaction(async (tx) => {
    const loaded = await lockQuestionForWrite(tx, actor, answer.questionId);
    if (!loaded.ok) return loaded.refusal;
    const [current] = await tx
      .select({
        authorId: forumAnswers.authorId,
        bodyMd: forumAnswers.bodyMd,
        revisionNumber: forumAnswers.revisionNumber,
        hiddenAt: forumAnswers.hiddenAt,
        deletedAt: forumAnswers.deletedAt,
      })
      .from(forumAnswers)
      .where(eq(forumAnswers.id, answerId))
      .for("update");
    if (!current || ((current.hiddenAt || current.deletedAt) && !isModerator(actor))) return refuse("not_found");
    if (!(await canEditPost(tx, actor, current.authorId))) return refuse("forbidden");
    const gate = await postingGate(tx, actor, "edit", input.bodyMd, "bodyMd");
    if (gate) return gate;
    const base = { questionId: answer.questionId, slug: loaded.question.slug };
    if (current.bodyMd === input.bodyMd) return { ok: true as const, changed: false, revisionNumber: current.revisionNumber, ...base };
    const rendered = renderPost(input.bodyMd, "bodyMd", loaded.question.locale);
    if (!rendered.ok) return rendered;
    const revisionNumber = current.revisionNumber + 1;
    await tx
      .update(forumAnswers)
      .set({
        bodyMd: input.bodyMd,
        bodyHtml: rendered.rendered.html,
        bodyText: rendered.rendered.text,
        revisionNumber,
        editedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(eq(forumAnswers.id, answerId));
    await tx.update(forumQuestions).set({ lastActivityAt: sql`now()` }).where(eq(forumQuestions.id, answer.questionId));
    const [revision] = await tx
      .insert(forumPostRevisions)
      .values({ postType: "answer", postId: answerId, number: revisionNumber, bodyMd: input.bodyMd, authorId: actor.id, note: input.note })
      .returning({ id: forumPostRevisions.id });
    await notifyForumEvent(tx, { type: "post_edited", revisionId: revision!.id, questionId: answer.questionId, answerId, actorId: actor.id, authorId: current.authorId });
    return { ok: true as const, changed: true, revisionNumber, ...base };
  });
}

/**
 * The editor's "Preview" (server-rendered, works without JavaScript): exactly what posting would store.
 * Writes nothing.
 */
export function previewPostBody(bodyMd: string, locale: Locale = "en"): { ok: true; html: string } | { ok: false; fieldErrors: FieldErrors } {
  const rendered = renderPost(bodyMd.replace(/\r\n?/g, "\n"), "bodyMd", locale);
  if (!rendered.ok) return rendered;
  return { ok: true, html: rendered.rendered.html };
}

/**
 * Staff turn an accepted answer into a KB draft ("Promote to article"); the answer remembers the draft
 * (forum_answers.promoted_article_id). Only an accepted, visible answer; promoting twice returns the
 * first draft. Staff only (forum.staff; promoteAnswerToDraft checks kb.manage too).
 */
export async function promoteAcceptedAnswer(
  db: Db,
  actor: ForumActor,
  answerId: number,
): Promise<ForumResult<{ articleId: number; created: boolean }>> {
  if (!can(actor, "forum.staff")) return refuse("forbidden");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        authorId: forumAnswers.authorId,
        bodyMd: forumAnswers.bodyMd,
        acceptedAt: forumAnswers.acceptedAt,
        promotedArticleId: forumAnswers.promotedArticleId,
        questionId: forumQuestions.id,
        title: forumQuestions.title,
        slug: forumQuestions.slug,
        locale: forumQuestions.locale,
      })
      .from(forumAnswers)
      .innerJoin(forumQuestions, eq(forumQuestions.id, forumAnswers.questionId))
      .where(and(eq(forumAnswers.id, answerId), isNull(forumAnswers.deletedAt)))
      .for("update", { of: forumAnswers });
    if (!row) return refuse("not_found");
    if (row.promotedArticleId) return { ok: true as const, articleId: row.promotedArticleId, created: false };
    if (!row.acceptedAt) return refuse("forbidden");
    const result = await promoteAnswerToDraft(tx, actor, {
      title: row.title,
      bodyMd: row.bodyMd,
      creditedUserId: row.authorId,
      sourceUrl: `/questions/${row.questionId}/${row.slug}#answer-${answerId}`,
      locale: row.locale,
    });
    if (!result.ok) return "reason" in result ? refuse(result.reason) : { ok: false as const, fieldErrors: result.fieldErrors };
    await tx.update(forumAnswers).set({ promotedArticleId: result.articleId }).where(eq(forumAnswers.id, answerId));
    return { ok: true as const, articleId: result.articleId, created: true };
  });
}
