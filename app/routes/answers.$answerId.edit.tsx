import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import forumStyles from "../components/forum/forum.css";
import { MarkdownEditor, PostPreview } from "../components/forum/markdown-editor";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { EDIT_NOTE_MAX, editAnswerActionSchema, questionPath } from "../features/forum/forum.schema";
import { canEditPost, editAnswer } from "../features/forum/questions.server";
import { getAnswerForEditing } from "../features/forum/reads.server";
import { failedResult, formValuesOf, previewResponse, parseRouteId } from "../features/forum/responses.server";
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
  const answerId = parseRouteId(params.answerId);
  const db = await getDb();
  const actor = { id: user.id, role: user.role };
  const answer = await getAnswerForEditing(db, actor, answerId);
  if (!answer) throw new Response("Not found", { status: 404 });
  if (!(await canEditPost(db, actor, answer.authorId))) throw new Response("Forbidden", { status: 403 });
  return json({
    answer: { id: answer.id, bodyMd: answer.bodyMd, questionTitle: answer.questionTitle, questionPath: answer.questionPath },
    pageTitle: translate(context.locale, "forum.edit.answerTitle"),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.pageTitle ?? ""} · Hearth` }, { name: "robots", content: "noindex" }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const answerId = parseRouteId(params.answerId);
  const formData = await request.formData();
  const submission = parseForm(formData, editAnswerActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values = formValuesOf(formData);
  if (submission.data.intent === "preview") return previewResponse(submission.data.bodyMd, context.locale, values);
  const { intent: _intent, ...input } = submission.data;
  const result = await editAnswer(await getDb(), { id: user.id, role: user.role }, answerId, input);
  if (!result.ok) return failedResult(result, values);
  return redirect(`${questionPath(result.questionId, result.slug)}#answer-${answerId}`);
}

export default function EditAnswer() {
  const t = useT();
  const { answer, pageTitle } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state: FormState | undefined = actionData && "values" in actionData ? (actionData as FormState) : undefined;
  const preview = actionData && "preview" in actionData ? actionData.preview : undefined;
  return (
    <div className="page">
      <p>
        <Link to={`${answer.questionPath}#answer-${answer.id}`}>{t("forum.edit.back")}</Link>
      </p>
      <h1>{pageTitle}</h1>
      <p className="muted">{answer.questionTitle}</p>
      <Form method="post" className="stack" noValidate>
        {preview ? null : <FormErrors state={state} />}
        <MarkdownEditor label={t("forum.field.answer")} defaultValue={answer.bodyMd} state={state} />
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
