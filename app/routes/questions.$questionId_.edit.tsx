import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import forumStyles from "../components/forum/forum.css";
import { MarkdownEditor, PostPreview } from "../components/forum/markdown-editor";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { EDIT_NOTE_MAX, editQuestionActionSchema, QUESTION_TAGS_MAX, QUESTION_TITLE_MAX, questionPath } from "../features/forum/forum.schema";
import { canEditPost, editQuestion } from "../features/forum/questions.server";
import { getQuestionForEditing } from "../features/forum/reads.server";
import { failedResult, formValuesOf, previewResponse, parseRouteId } from "../features/forum/responses.server";
import { listPopularTags } from "../features/forum/tags.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { translate } from "../features/i18n/messages";
import { useT } from "../features/i18n/use-i18n";
import markdownStyles from "../styles/markdown.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: forumStyles },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const questionId = parseRouteId(params.questionId);
  const db = await getDb();
  const actor = { id: user.id, role: user.role };
  const question = await getQuestionForEditing(db, actor, questionId);
  if (!question) throw new Response("Not found", { status: 404 });
  if (!(await canEditPost(db, actor, question.authorId))) throw new Response("Forbidden", { status: 403 });
  const tags = await listPopularTags(db, 100);
  return json({
    question: { id: question.id, path: question.path, title: question.title, bodyMd: question.bodyMd, tags: question.tags.join(", ") },
    tags: tags.map((t) => t.name),
    pageTitle: translate(context.locale, "forum.edit.questionTitle"),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.pageTitle ?? ""} · Hearth` }, { name: "robots", content: "noindex" }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const questionId = parseRouteId(params.questionId);
  const formData = await request.formData();
  const submission = parseForm(formData, editQuestionActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values = formValuesOf(formData);
  if (submission.data.intent === "preview") return previewResponse(submission.data.bodyMd, context.locale, values);
  const { intent: _intent, ...input } = submission.data;
  const result = await editQuestion(await getDb(), { id: user.id, role: user.role }, questionId, input);
  if (!result.ok) return failedResult(result, values);
  return redirect(questionPath(questionId, result.slug));
}

export default function EditQuestion() {
  const t = useT();
  const { question, tags, pageTitle } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state: FormState | undefined = actionData && "values" in actionData ? (actionData as FormState) : undefined;
  const preview = actionData && "preview" in actionData ? actionData.preview : undefined;
  return (
    <div className="page">
      <p>
        <Link to={question.path}>{t("forum.edit.back")}</Link>
      </p>
      <h1>{pageTitle}</h1>
      <Form method="post" className="stack" noValidate>
        {preview ? null : <FormErrors state={state} />}
        <TextField name="title" label={t("forum.field.title")} defaultValue={question.title} maxLength={QUESTION_TITLE_MAX} autoComplete="off" required state={state} />
        <MarkdownEditor label={t("forum.field.body")} defaultValue={question.bodyMd} state={state} />
        <TextField
          name="tags"
          label={t("forum.field.tags")}
          hint={t("forum.field.tagsHint", { max: QUESTION_TAGS_MAX })}
          defaultValue={question.tags}
          list="forum-tag-suggestions"
          autoComplete="off"
          state={state}
        />
        <datalist id="forum-tag-suggestions">
          {tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <TextField name="note" label={t("forum.field.editNote")} maxLength={EDIT_NOTE_MAX} autoComplete="off" state={state} />
        <div className="post-actions">
          <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
            {t("forum.editor.previewButton")}
          </button>
          <button type="submit" name="intent" value="save" className="button" disabled={busy}>
            {t("forum.edit.save")}
          </button>
        </div>
      </Form>
      {preview ? <PostPreview html={preview} /> : null}
    </div>
  );
}
