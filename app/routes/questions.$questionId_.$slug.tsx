import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AuthorChip, type AuthorChipData } from "../components/forum/author-chip";
import { CommentForm, CommentList, type CommentData } from "../components/forum/comments";
import forumStyles from "../components/forum/forum.css";
import { MarkdownEditor, PostPreview } from "../components/forum/markdown-editor";
import { PostBody } from "../components/forum/post-body";
import { TagChips } from "../components/forum/tag-chips";
import { VoteButtons } from "../components/forum/vote-buttons";
import { FormErrors, type FormState } from "../components/forms";
import { useNonce } from "../components/nonce";
import { getDb } from "../db.server";
import { cachedRead } from "../features/cache/content-cache.server";
import { getEnv } from "../env.server";
import { can } from "../features/auth/permissions";
import { requireUser } from "../features/auth/guards.server";
import { acceptAnswer, unacceptAnswer } from "../features/forum/accept.server";
import { setFollow } from "../features/forum/follows.server";
import { FLAG_REASONS, QUESTION_CLOSE_REASONS, questionPageActionSchema } from "../features/forum/forum.schema";
import { closeQuestion, flagPost, moderatePost, reopenQuestion } from "../features/forum/moderation.server";
import { postAnswer, postComment, promoteAcceptedAnswer } from "../features/forum/questions.server";
import { getQuestionPage, resolveDuplicateTarget } from "../features/forum/reads.server";
import { PRIVILEGES } from "../features/forum/reputation";
import { failedResult, formValuesOf, parseRouteId, previewResponse } from "../features/forum/responses.server";
import type { ForumResult } from "../features/forum/result";
import { qaPageJsonLd } from "../features/forum/seo";
import { countQuestionView } from "../features/forum/views.server";
import { castVote } from "../features/forum/votes.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { absoluteUrl, jsonForScript } from "../features/kb/seo";
import markdownStyles from "../styles/markdown.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: forumStyles },
];

/** Crawlers and link unfurlers are not readers: their requests are not counted as views. */
const BOT_USER_AGENT = /bot|crawler|spider|preview/i;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const questionId = parseRouteId(params.questionId);
  const user = context.user;
  const viewer = user ? { id: user.id, role: user.role } : null;
  const db = await getDb();
  // Signed-out readers all see the same page until the forum changes (content-cache.server.ts); a signed-in
  // page carries the reader's own votes and follows, so it is read fresh.
  const page = viewer ? await getQuestionPage(db, viewer, questionId) : await cachedRead(db, "forum", `question:${questionId}`, () => getQuestionPage(db, null, questionId));
  if (!page) throw new Response("Not found", { status: 404 });
  const { question, answers } = page;
  // One URL per question: an old or mistyped slug moves to the current one.
  if (params.slug !== question.slug) throw redirect(question.path, 301);
  if (!BOT_USER_AGENT.test(request.headers.get("User-Agent") ?? "")) countQuestionView(db, questionId);

  const canonical = absoluteUrl(getEnv().APP_URL, question.path);
  const visibleAnswers = answers.filter((a) => !a.hidden && !a.deleted);
  const accepted = visibleAnswers.find((a) => a.accepted) ?? null;
  const toLd = (a: (typeof answers)[number]) => ({ id: a.id, text: a.textStart, createdAt: a.createdAt, score: a.score, authorName: a.author.displayName });
  const publicPage = !question.hidden && !question.deleted;
  const jsonLd = publicPage
    ? jsonForScript(
        qaPageJsonLd({
          url: canonical,
          title: question.title,
          text: question.bodyText.slice(0, 2000),
          locale: question.locale,
          createdAt: question.createdAt,
          score: question.score,
          authorName: question.author.displayName,
          answerCount: visibleAnswers.length,
          accepted: accepted ? toLd(accepted) : null,
          suggested: visibleAnswers.filter((a) => !a.accepted).map(toLd),
        }),
      )
    : null;

  const moderator = can(viewer, "forum.moderate");
  const reputation = page.viewer?.reputation ?? 0;
  const { bodyText: _text, ...questionData } = question;
  return json({
    question: questionData,
    // The plain-text starts are for JSON-LD only; not sent again for hydration.
    answers: answers.map(({ textStart: _t, ...a }) => a),
    duplicateOf: page.duplicateOf,
    kbArticle: page.kbArticle,
    canonical,
    jsonLd,
    publicPage,
    viewer: page.viewer
      ? {
          id: page.viewer.id,
          following: page.viewer.following,
          moderator,
          staff: can(viewer, "forum.staff"),
          canDownvote: moderator || reputation >= PRIVILEGES.downvote,
          canEditOthers: moderator || reputation >= PRIVILEGES.editOthersPosts,
          canAccept: moderator || can(viewer, "forum.staff") || page.viewer.id === question.author.id,
        }
      : null,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Hearth" }];
  const { question, canonical } = data;
  return [
    { title: `${question.title} · Hearth` },
    { tagName: "link", rel: "canonical", href: canonical },
    ...(data.publicPage ? [] : [{ name: "robots", content: "noindex" }]),
    { property: "og:type", content: "website" },
    { property: "og:title", content: question.title },
    { property: "og:url", content: canonical },
    { property: "og:site_name", content: "Hearth" },
  ];
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const actor = { id: user.id, role: user.role };
  const questionId = parseRouteId(params.questionId);
  const here = new URL(request.url).pathname;
  const formData = await request.formData();
  const submission = parseForm(formData, questionPageActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values = formValuesOf(formData);
  const command = submission.data;
  const db = await getDb();
  // Each intent is one command; on success the page is shown again at the post it changed.
  let result: ForumResult;
  let anchor = "";
  switch (command.intent) {
    case "preview":
      return previewResponse(command.bodyMd, context.locale, values);
    case "answer": {
      const posted = await postAnswer(db, actor, { questionId, bodyMd: command.bodyMd });
      if (posted.ok) return redirect(`/questions/${questionId}/${posted.slug}#answer-${posted.answerId}`);
      result = posted;
      break;
    }
    case "comment": {
      const posted = await postComment(db, actor, { postType: command.postType, postId: command.postId, body: command.body });
      if (posted.ok) return redirect(`/questions/${posted.questionId}/${posted.slug}#comment-${posted.commentId}`);
      result = posted;
      break;
    }
    case "vote":
      result = await castVote(db, actor, { postType: command.postType, postId: command.postId, value: command.value });
      anchor = command.postType === "answer" ? `#answer-${command.postId}` : "";
      break;
    case "accept":
      result = await acceptAnswer(db, actor, command.answerId);
      anchor = `#answer-${command.answerId}`;
      break;
    case "unaccept":
      result = await unacceptAnswer(db, actor, questionId);
      break;
    case "follow":
      result = await setFollow(db, actor, { targetType: "question", targetId: questionId, follow: command.follow });
      break;
    case "flag":
      result = await flagPost(db, actor, { targetType: command.targetType, targetId: command.targetId, reason: command.reason });
      if (result.ok) return redirect(`${here}?flagged=1`);
      break;
    case "moderate":
      result = await moderatePost(db, actor, { targetType: command.targetType, targetId: command.targetId, action: command.action, reason: command.reason });
      break;
    case "close": {
      let duplicate: Awaited<ReturnType<typeof resolveDuplicateTarget>> = null;
      if (command.reason === "duplicate") {
        duplicate = command.duplicateOf ? await resolveDuplicateTarget(db, actor, command.duplicateOf) : null;
        if (!duplicate || ("questionId" in duplicate && duplicate.questionId === questionId)) return invalidForm({ duplicateOf: ["forum.form.duplicateInvalid"] }, values);
      }
      result = await closeQuestion(db, actor, {
        questionId,
        reason: command.reason,
        duplicateOfQuestionId: duplicate && "questionId" in duplicate ? duplicate.questionId : null,
        duplicateOfArticleId: duplicate && "articleId" in duplicate ? duplicate.articleId : null,
        note: command.note ?? undefined,
      });
      break;
    }
    case "reopen":
      result = await reopenQuestion(db, actor, { questionId, note: command.note });
      break;
    case "promote": {
      const promoted = await promoteAcceptedAnswer(db, actor, command.answerId);
      if (promoted.ok) return redirect(`/admin/kb/${promoted.articleId}`);
      result = promoted;
      break;
    }
  }
  if (!result.ok) return failedResult(result, values);
  return redirect(`${here}${anchor}`);
}

/** The state of the form that was submitted, for the form it belongs to. */
function useFormStateFor() {
  const actionData = useActionData<typeof action>();
  const state = actionData && "values" in actionData ? (actionData as FormState) : undefined;
  return (match: (values: Record<string, string>) => boolean): FormState | undefined => (state?.values && match(state.values) ? state : undefined);
}

type Viewer = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["viewer"]>;

export default function QuestionPage() {
  const t = useT();
  const nonce = useNonce();
  const { dateTime } = useFormatDateTime();
  const { question, answers, duplicateOf, kbArticle, jsonLd, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const stateFor = useFormStateFor();
  const busy = useNavigation().state === "submitting";
  const preview = actionData && "preview" in actionData ? actionData.preview : undefined;
  const answerState = stateFor((v) => v.intent === "answer" || v.intent === "preview");
  const otherError = stateFor((v) => !["answer", "preview", "comment"].includes(v.intent ?? ""));
  const locked = !!question.lockedAt;
  const closed = !!question.closedAt;
  const mayWrite = !!viewer && (!locked || viewer.moderator);
  const mayAnswer = mayWrite && !closed;
  const askerId = question.author.id;

  return (
    <div className="page">
      {jsonLd ? (
        <script
          type="application/ld+json"
          nonce={nonce}
          // The browser drops the nonce attribute after parsing, so the client never matches it.
          suppressHydrationWarning
          dangerouslySetInnerHTML={{ __html: jsonLd }}
        />
      ) : null}
      <p>
        <Link to="/questions">{t("forum.backToList")}</Link>
      </p>
      <article aria-labelledby="question-title">
        <header className="forum-header">
          <h1 id="question-title" lang={question.locale}>
            {question.title}
          </h1>
          <Link to="/questions/ask" className="button button-secondary">
            {t("forum.ask.button")}
          </Link>
        </header>
        <p className="question-meta muted">
          <span>{t("forum.asked", { time: dateTime(question.createdAt) })}</span>
          {question.editedAt ? <span>· {t("forum.edited", { time: dateTime(question.editedAt) })}</span> : null}
          <span>· {t("forum.list.views", { count: question.viewCount })}</span>
        </p>
        {question.deleted ? <p className="notice notice-error forum-notice">{t("forum.notice.deleted")}</p> : null}
        {question.hidden ? (
          <p className="notice notice-error forum-notice">
            {t("forum.notice.hidden")} {question.hiddenReason ? `(${question.hiddenReason})` : null}
          </p>
        ) : null}
        {closed ? (
          <div className="notice notice-info forum-notice" role="status">
            {duplicateOf ? (
              <p>
                {t("forum.notice.duplicateOf")} <Link to={duplicateOf.path}>{duplicateOf.title}</Link>
              </p>
            ) : (
              <p>{t("forum.notice.closed", { reason: t(`forum.closeReason.${question.closeReason ?? "other"}`) })}</p>
            )}
          </div>
        ) : null}
        {locked ? <p className="notice notice-info forum-notice">{t("forum.notice.locked")}</p> : null}
        {kbArticle ? (
          <p className="muted">
            {t("forum.fromArticle")} <Link to={kbArticle.path}>{kbArticle.title}</Link>
          </p>
        ) : null}
        <FormErrors state={otherError} />
        <div className="post" id="question">
          <VoteButtons
            postType="question"
            postId={question.id}
            score={question.score}
            myVote={question.myVote}
            canUpvote={!!viewer && viewer.id !== askerId && mayWrite}
            canDownvote={!!viewer && viewer.id !== askerId && mayWrite && viewer.canDownvote}
            disabledReason={voteDisabledReason(t, viewer, askerId)}
          />
          <div>
            <PostBody html={question.bodyHtml} locale={question.locale} />
            <TagChips tags={question.tags} />
            <div className="post-footer">
              <div className="post-actions">
                {viewer && (viewer.id === askerId || viewer.canEditOthers) && mayWrite ? <Link to={`/questions/${question.id}/edit`}>{t("forum.action.edit")}</Link> : null}
                {question.revisionNumber > 1 ? <Link to={`/questions/${question.id}/revisions`}>{t("forum.action.history")}</Link> : null}
                {viewer ? (
                  <Form method="post" className="inline-form" preventScrollReset>
                    <input type="hidden" name="intent" value="follow" />
                    <button type="submit" name="follow" value={viewer.following ? "0" : "1"} className="link-button" aria-pressed={viewer.following}>
                      {t(viewer.following ? "forum.action.unfollow" : "forum.action.follow")}
                    </button>
                  </Form>
                ) : null}
                {viewer && viewer.id !== askerId ? <FlagForm targetType="question" targetId={question.id} /> : null}
              </div>
              <AuthorChip author={question.author} />
            </div>
            <CommentList comments={question.comments as CommentData[]} />
            {mayWrite ? <CommentForm postType="question" postId={question.id} state={stateFor((v) => v.intent === "comment" && v.postType === "question")} /> : null}
          </div>
        </div>
        {viewer?.moderator ? <ModeratorTools questionId={question.id} locked={locked} closed={closed} hidden={question.hidden} deleted={question.deleted} /> : null}
      </article>

      <section aria-labelledby="answers-title">
        <h2 id="answers-title">{t("forum.answers", { count: answers.filter((a) => !a.hidden && !a.deleted).length })}</h2>
        {answers.map((answer) => (
          <article
            key={answer.id}
            id={`answer-${answer.id}`}
            className={["post", answer.accepted ? "post-accepted" : "", answer.hidden || answer.deleted ? "post-muted" : ""].join(" ").trim()}
            aria-label={t("forum.answerBy", { name: answer.author.displayName })}
          >
            <VoteButtons
              postType="answer"
              postId={answer.id}
              score={answer.score}
              myVote={answer.myVote}
              canUpvote={!!viewer && viewer.id !== answer.author.id && mayWrite}
              canDownvote={!!viewer && viewer.id !== answer.author.id && mayWrite && viewer.canDownvote}
              disabledReason={voteDisabledReason(t, viewer, answer.author.id)}
            />
            <div>
              {answer.accepted ? (
                <p className="badge badge-ok">
                  <span aria-hidden="true">✓ </span>
                  {t("forum.accepted")}
                </p>
              ) : null}
              {answer.deleted ? <p className="badge badge-danger">{t("forum.deleted")}</p> : null}
              {answer.hidden ? <p className="badge badge-warn">{t("forum.hidden")}</p> : null}
              <PostBody html={answer.bodyHtml} locale={question.locale} />
              <div className="post-footer">
                <div className="post-actions">
                  {viewer?.canAccept && !answer.hidden && !answer.deleted ? (
                    <Form method="post" className="inline-form" preventScrollReset>
                      {answer.accepted ? (
                        <>
                          <input type="hidden" name="intent" value="unaccept" />
                          <button type="submit" className="button button-small button-secondary" disabled={busy}>
                            {t("forum.action.unaccept")}
                          </button>
                        </>
                      ) : (
                        <>
                          <input type="hidden" name="intent" value="accept" />
                          <input type="hidden" name="answerId" value={answer.id} />
                          <button type="submit" className="button button-small" disabled={busy}>
                            {t("forum.action.accept")}
                          </button>
                        </>
                      )}
                    </Form>
                  ) : null}
                  {viewer && (viewer.id === answer.author.id || viewer.canEditOthers) && mayWrite ? (
                    <Link to={`/answers/${answer.id}/edit`}>{t("forum.action.edit")}</Link>
                  ) : null}
                  {answer.revisionNumber > 1 ? <Link to={`/answers/${answer.id}/revisions`}>{t("forum.action.history")}</Link> : null}
                  {viewer && viewer.id !== answer.author.id ? <FlagForm targetType="answer" targetId={answer.id} /> : null}
                  {viewer?.staff && answer.accepted ? (
                    answer.promotedArticleId ? (
                      <Link to={`/admin/kb/${answer.promotedArticleId}`}>{t("forum.action.promoted")}</Link>
                    ) : (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="promote" />
                        <input type="hidden" name="answerId" value={answer.id} />
                        <button type="submit" className="link-button">
                          {t("forum.action.promote")}
                        </button>
                      </Form>
                    )
                  ) : null}
                  {viewer?.moderator ? <ModerateForm targetType="answer" targetId={answer.id} hidden={answer.hidden} deleted={answer.deleted} /> : null}
                </div>
                <span>
                  <AuthorChip author={answer.author as AuthorChipData} />{" "}
                  <time className="muted" dateTime={new Date(answer.createdAt).toISOString()}>
                    {dateTime(answer.createdAt)}
                  </time>
                </span>
              </div>
              <CommentList comments={answer.comments as CommentData[]} />
              {mayWrite ? <CommentForm postType="answer" postId={answer.id} state={stateFor((v) => v.intent === "comment" && v.postId === String(answer.id))} /> : null}
            </div>
          </article>
        ))}
      </section>

      <section aria-labelledby="your-answer" className="section">
        <h2 id="your-answer">{t("forum.yourAnswer")}</h2>
        {!viewer ? (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(question.path)}`}>{t("forum.signInToAnswer")}</Link>
          </p>
        ) : !mayAnswer ? (
          <p className="muted">{t(closed ? "forum.notice.noAnswersClosed" : "forum.notice.locked")}</p>
        ) : (
          <Form method="post" className="stack" noValidate preventScrollReset>
            {preview ? null : <FormErrors state={answerState} />}
            <MarkdownEditor label={t("forum.field.answer")} state={answerState} />
            <div className="post-actions">
              <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
                {t("forum.editor.previewButton")}
              </button>
              <button type="submit" name="intent" value="answer" className="button" disabled={busy}>
                {t("forum.answer.submit")}
              </button>
            </div>
          </Form>
        )}
        {preview ? <PostPreview html={preview} /> : null}
      </section>
    </div>
  );
}

function voteDisabledReason(t: ReturnType<typeof useT>, viewer: Viewer | null, authorId: number): string | undefined {
  if (!viewer) return t("forum.vote.signIn");
  if (viewer.id === authorId) return t("forum.vote.own");
  return undefined;
}

function FlagForm({ targetType, targetId }: { targetType: "question" | "answer" | "comment"; targetId: number }) {
  const t = useT();
  return (
    <details>
      <summary className="link-button">{t("forum.action.flag")}</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="flag" />
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        <fieldset>
          <legend>{t("forum.flag.legend")}</legend>
          {FLAG_REASONS.map((reason) => (
            <label key={reason} className="choice">
              <input type="radio" name="reason" value={reason} required /> {t(`forum.flag.${reason}`)}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button-small button-secondary">
          {t("forum.flag.submit")}
        </button>
      </Form>
    </details>
  );
}

function ModerateForm({ targetType, targetId, hidden, deleted }: { targetType: "question" | "answer" | "comment"; targetId: number; hidden: boolean; deleted: boolean }) {
  const t = useT();
  const actions = [hidden ? "unhide" : "hide", deleted ? "restore" : "delete"] as const;
  const fieldId = `moderate-${targetType}-${targetId}`;
  return (
    <details>
      <summary className="link-button">{t("forum.action.moderate")}</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="moderate" />
        <input type="hidden" name="targetType" value={targetType} />
        <input type="hidden" name="targetId" value={targetId} />
        <div className="field">
          <label htmlFor={`${fieldId}-reason`}>{t("forum.moderate.reason")}</label>
          <input id={`${fieldId}-reason`} name="reason" required maxLength={200} />
        </div>
        <div className="post-actions">
          {actions.map((action) => (
            <button key={action} type="submit" name="action" value={action} className="button button-small button-secondary">
              {t(`forum.moderate.${action}`)}
            </button>
          ))}
        </div>
      </Form>
    </details>
  );
}

function ModeratorTools({ questionId, locked, closed, hidden, deleted }: { questionId: number; locked: boolean; closed: boolean; hidden: boolean; deleted: boolean }) {
  const t = useT();
  const stateFor = useFormStateFor();
  const closeState = stateFor((v) => v.intent === "close");
  return (
    <section className="section forum-tools" aria-label={t("forum.moderate.tools")}>
      <ModerateForm targetType="question" targetId={questionId} hidden={hidden} deleted={deleted} />
      <details>
        <summary className="link-button">{t(locked ? "forum.moderate.unlock" : "forum.moderate.lock")}</summary>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="moderate" />
          <input type="hidden" name="targetType" value="question" />
          <input type="hidden" name="targetId" value={questionId} />
          <input type="hidden" name="action" value={locked ? "unlock" : "lock"} />
          <div className="field">
            <label htmlFor="lock-reason">{t("forum.moderate.reason")}</label>
            <input id="lock-reason" name="reason" required maxLength={200} />
          </div>
          <button type="submit" className="button button-small button-secondary">
            {t(locked ? "forum.moderate.unlock" : "forum.moderate.lock")}
          </button>
        </Form>
      </details>
      {closed ? (
        <details>
          <summary className="link-button">{t("forum.moderate.reopen")}</summary>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="reopen" />
            <div className="field">
              <label htmlFor="reopen-note">{t("forum.moderate.reason")}</label>
              <input id="reopen-note" name="note" required maxLength={200} />
            </div>
            <button type="submit" className="button button-small button-secondary">
              {t("forum.moderate.reopen")}
            </button>
          </Form>
        </details>
      ) : (
        <details open={!!closeState}>
          <summary className="link-button">{t("forum.moderate.close")}</summary>
          <Form method="post" className="stack">
            <FormErrors state={closeState} />
            <input type="hidden" name="intent" value="close" />
            <div className="field">
              <label htmlFor="close-reason">{t("forum.moderate.closeReason")}</label>
              <select id="close-reason" name="reason" defaultValue={closeState?.values?.reason ?? "duplicate"}>
                {QUESTION_CLOSE_REASONS.map((reason) => (
                  <option key={reason} value={reason}>
                    {t(`forum.closeReason.${reason}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className={closeState?.errors?.duplicateOf ? "field field-invalid" : "field"}>
              <label htmlFor="duplicateOf">{t("forum.moderate.duplicateOf")}</label>
              <p className="field-hint">{t("forum.moderate.duplicateOfHint")}</p>
              <input id="duplicateOf" name="duplicateOf" defaultValue={closeState?.values?.duplicateOf} maxLength={300} />
              {closeState?.errors?.duplicateOf ? (
                <p className="field-error" role="alert">
                  {t("forum.form.duplicateInvalid")}
                </p>
              ) : null}
            </div>
            <div className="field">
              <label htmlFor="close-note">{t("forum.moderate.note")}</label>
              <input id="close-note" name="note" maxLength={200} defaultValue={closeState?.values?.note} />
            </div>
            <button type="submit" className="button button-small button-secondary">
              {t("forum.moderate.close")}
            </button>
          </Form>
        </details>
      )}
    </section>
  );
}
