import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { newArticleActionSchema } from "../features/kb/admin-forms.schema";
import { ArticleFields, ArticlePreview } from "../components/admin-kb/article-fields";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { refusal } from "../features/kb/admin-responses.server";
import { FormErrors, Notice, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { listStaffUsers } from "../features/accounts/accounts.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";
import { createArticle, previewArticleBody } from "../features/kb/articles.server";
import { listCollections } from "../features/kb/reads.server";
import markdownStyles from "../styles/markdown.css";

export const meta = adminMeta("adminKb.editor.newHeading");
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: kbAdminStyles },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const db = await getDb();
  const [collections, staff] = await Promise.all([listCollections(db), listStaffUsers(db)]);
  return json({
    collections: collections.map(({ id, nameEn, nameJa }) => ({ id, nameEn, nameJa })),
    staff: staff.map(({ id, displayName }) => ({ id, displayName })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "kb.manage");
  const formData = await request.formData();
  const submission = parseForm(formData, newArticleActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const values = formValues(formData);
  if (submission.data.intent === "preview") {
    const preview = previewArticleBody(submission.data.bodyMd, submission.data.locale);
    if (!preview.ok) return invalidForm(preview.fieldErrors, values);
    return json({ preview: { html: preview.html, readingMinutes: preview.readingMinutes }, values });
  }
  const { intent: _intent, ...input } = submission.data;
  const result = await createArticle(await getDb(), actor, input);
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, values);
    throw refusal(result.reason);
  }
  return redirect(`/admin/kb/${result.articleId}?saved=created`);
}

export default function NewArticle() {
  const t = useT();
  const { collections, staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state = actionData as FormState | undefined;
  const preview = actionData && "preview" in actionData ? actionData.preview : undefined;
  return (
    <section aria-labelledby="kb-new-title">
      <p>
        <Link to="/admin/kb">{t("adminKb.action.back")}</Link>
      </p>
      <KbSubnav />
      <h1 id="kb-new-title">{t("adminKb.editor.newHeading")}</h1>
      {collections.length === 0 ? (
        <Notice kind="info">
          <p>
            {t("kb.form.noCollections")} <Link to="/admin/kb/collections">{t("adminKb.tab.collections")}</Link>
          </p>
        </Notice>
      ) : (
        <Form method="post" className="stack kb-editor" noValidate>
          <FormErrors state={state} />
          <ArticleFields state={state} collections={collections} staff={staff} />
          <div className="kb-buttons">
            <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
              {t("adminKb.action.preview")}
            </button>
            <button type="submit" name="intent" value="create" className="button" disabled={busy}>
              {t("adminKb.action.create")}
            </button>
          </div>
        </Form>
      )}
      {preview ? <ArticlePreview html={preview.html} readingMinutes={preview.readingMinutes} /> : null}
    </section>
  );
}
