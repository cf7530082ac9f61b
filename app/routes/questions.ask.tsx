import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import forumStyles from "../components/forum/forum.css";
import { MarkdownEditor, PostPreview } from "../components/forum/markdown-editor";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { askActionSchema, askQuerySchema, QUESTION_TAGS_MAX, QUESTION_TITLE_MAX, questionPath } from "../features/forum/forum.schema";
import { askQuestion } from "../features/forum/questions.server";
import { getLinkedArticle } from "../features/forum/reads.server";
import { failedResult, formValuesOf, previewResponse } from "../features/forum/responses.server";
import { canCreateTags, listPopularTags } from "../features/forum/tags.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { translate } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";
import markdownStyles from "../styles/markdown.css";
import searchStyles from "../components/search/search.css";
import { SimilarQuestions } from "../components/search/similar-questions";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: forumStyles },
  { rel: "stylesheet", href: searchStyles },
];

const SUGGESTED_TAGS = 100;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const url = new URL(request.url);
  // The KB's "Ask the community" link sends ?articleId=&title=; ?article= is accepted as well.
  const query = askQuerySchema.parse({ articleId: url.searchParams.get("articleId") ?? url.searchParams.get("article") ?? undefined, title: url.searchParams.get("title") ?? undefined });
  const db = await getDb();
  const viewer = { id: user.id, role: user.role };
  const [tags, article, mayCreateTags] = await Promise.all([
    listPopularTags(db, SUGGESTED_TAGS),
    query.articleId ? getLinkedArticle(db, viewer, query.articleId) : null,
    canCreateTags(db, viewer),
  ]);
  return json({
    tags: tags.map((t) => t.name),
    article,
    mayCreateTags,
    title: translate(context.locale, "forum.ask.title"),
    // The article's title is where the asker starts, not their question: they edit it.
    suggestedTitle: query.title ?? article?.title ?? "",
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} · Hearth` }, { name: "robots", content: "noindex" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  const submission = parseForm(formData, askActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values = formValuesOf(formData);
  if (submission.data.intent === "preview") return previewResponse(submission.data.bodyMd, context.locale, values);
  const { intent: _intent, ...input } = submission.data;
  const result = await askQuestion(await getDb(), { id: user.id, role: user.role }, input, { locale: context.locale });
  if (!result.ok) return failedResult(result, values);
  return redirect(questionPath(result.questionId, result.slug));
}

export default function AskQuestion() {
  const t = useT();
  const { tags, article, mayCreateTags, title, suggestedTitle } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state: FormState | undefined = actionData && "values" in actionData ? (actionData as FormState) : undefined;
  const preview = actionData && "preview" in actionData ? actionData.preview : undefined;
  return (
    <div className="page">
      <p>
        <Link to="/questions">{t("forum.backToList")}</Link>
      </p>
      <h1>{title}</h1>
      {article ? (
        <p className="notice notice-info">
          {t("forum.ask.fromArticle")} <Link to={article.path}>{article.title}</Link>
        </p>
      ) : null}
      <Form method="post" className="stack" noValidate>
        {preview ? null : <FormErrors state={state} />}
        {article ? <input type="hidden" name="kbArticleId" value={article.id} /> : null}
        <TextField
          name="title"
          label={t("forum.field.title")}
          hint={t("forum.field.titleHint")}
          defaultValue={suggestedTitle}
          maxLength={QUESTION_TITLE_MAX}
          autoComplete="off"
          required
          state={state}
        />
        {/* Deflection: similar questions and articles as the title is typed (JavaScript only). */}
        <SimilarQuestions inputId="title" />
        <MarkdownEditor label={t("forum.field.body")} state={state} />
        <TextField
          name="tags"
          label={t("forum.field.tags")}
          hint={t(mayCreateTags ? "forum.field.tagsHintCreate" : "forum.field.tagsHint", { max: QUESTION_TAGS_MAX })}
          list="forum-tag-suggestions"
          autoComplete="off"
          state={state}
        />
        <datalist id="forum-tag-suggestions">
          {tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <div className="post-actions">
          <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
            {t("forum.editor.previewButton")}
          </button>
          <button type="submit" name="intent" value="ask" className="button" disabled={busy}>
            {t("forum.ask.submit")}
          </button>
        </div>
      </Form>
      {preview ? <PostPreview html={preview} /> : null}
    </div>
  );
}
