import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { editorActionSchema } from "../features/kb/admin-forms.schema";
import { ArticleFields, ArticlePreview } from "../components/admin-kb/article-fields";
import { DiffView } from "../components/admin-kb/diff-view";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { localDateTimeToUtc } from "../components/admin-kb/local-time";
import { parseArticleId, refusal } from "../features/kb/admin-responses.server";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { listStaffUsers } from "../features/accounts/accounts.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { timeZoneName } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";
import {
  linkTranslation,
  previewArticleBody,
  publishArticle,
  saveArticle,
  scheduleArticle,
  StaleRevisionError,
  unpublishArticle,
  type KbCommandResult,
} from "../features/kb/articles.server";
import { getArticleForEditing, listCollections } from "../features/kb/reads.server";
import markdownStyles from "../styles/markdown.css";

export const meta = adminMeta("adminKb.editor.heading");
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: kbAdminStyles },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const id = parseArticleId(params.articleId);
  const db = await getDb();
  // Three reads for one screen: the article, and the two lists its selects offer.
  const [article, collections, staff] = await Promise.all([getArticleForEditing(db, id), listCollections(db), listStaffUsers(db)]);
  if (!article) throw new Response("Not found", { status: 404 });
  const { viewCountTotal: _views, helpfulYes: _yes, helpfulNo: _no, ...editable } = article;
  return json({
    article: editable,
    collections: collections.map(({ id, nameEn, nameJa }) => ({ id, nameEn, nameJa })),
    staff: staff.map(({ id, displayName }) => ({ id, displayName })),
  });
}

const SAVED = { publish: "published", unpublish: "unpublished", schedule: "scheduled", linkTranslation: "linked" } as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "kb.manage");
  const articleId = parseArticleId(params.articleId);
  const formData = await request.formData();
  const submission = parseForm(formData, editorActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const values = formValues(formData);

  if (command.intent === "preview") {
    const preview = previewArticleBody(command.bodyMd, command.locale);
    if (!preview.ok) return invalidForm(preview.fieldErrors, values);
    return json({ preview: { html: preview.html, readingMinutes: preview.readingMinutes }, values });
  }

  const db = await getDb();
  if (command.intent === "save") {
    const { intent: _intent, ...input } = command;
    try {
      const result = await saveArticle(db, actor, articleId, input);
      if (!result.ok) {
        if ("fieldErrors" in result) return invalidForm(result.fieldErrors, values);
        throw refusal(result.reason);
      }
      return redirect(`/admin/kb/${articleId}?saved=${result.changed ? "draft" : "unchanged"}`);
    } catch (error) {
      if (!(error instanceof StaleRevisionError)) throw error;
      // Nothing was written. The person's text goes back into the form with both diffs beside it.
      return json(
        {
          errors: { _form: [error.messageKey] },
          values,
          conflict: {
            baseRevision: error.baseRevision,
            current: { number: error.current.number, authorName: error.current.authorName, createdAt: error.current.createdAt },
            yours: error.diff,
            theirs: error.theirChanges,
          },
        },
        { status: 409 },
      );
    }
  }

  let result: KbCommandResult;
  switch (command.intent) {
    case "publish":
      result = await publishArticle(db, actor, articleId);
      break;
    case "unpublish":
      result = await unpublishArticle(db, actor, articleId);
      break;
    case "schedule": {
      // datetime-local carries no zone: it is the viewer's wall clock.
      const at = localDateTimeToUtc(command.scheduledFor, context.timeZone);
      if (!at) return invalidForm({ scheduledFor: ["kb.form.dateInvalid"] }, values);
      result = await scheduleArticle(db, actor, articleId, at);
      break;
    }
    case "linkTranslation":
      result = await linkTranslation(db, actor, articleId, command.translationId);
      break;
  }
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, values);
    throw refusal(result.reason);
  }
  return redirect(`/admin/kb/${articleId}?saved=${SAVED[command.intent]}`);
}

const SAVED_MESSAGES = {
  created: "adminKb.saved.created",
  draft: "adminKb.saved.draft",
  unchanged: "adminKb.saved.unchanged",
  published: "adminKb.saved.published",
  unpublished: "adminKb.saved.unpublished",
  scheduled: "adminKb.saved.scheduled",
  linked: "adminKb.saved.linked",
} as const;

export default function EditArticle() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { locale, timeZone } = useViewerI18n();
  const { article, collections, staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const intent = actionData && "values" in actionData ? actionData.values?.intent : undefined;
  const stateFor = (...intents: string[]): FormState | undefined =>
    actionData && "values" in actionData && intents.includes(intent ?? "") ? (actionData as FormState) : undefined;
  const editorState = stateFor("preview", "save");
  const conflict = actionData && "conflict" in actionData ? actionData.conflict : undefined;
  const preview = actionData && "preview" in actionData ? actionData.preview : undefined;
  // After a conflict the next save is based on the revision the person has now seen.
  const baseRevision = conflict ? conflict.current.number : Number(editorState?.values?.baseRevision ?? article.revisionNumber);

  return (
    <section aria-labelledby="kb-editor-title">
      <p>
        <Link to="/admin/kb">{t("adminKb.action.back")}</Link>
      </p>
      <KbSubnav />
      <h1 id="kb-editor-title">{article.title}</h1>
      <SavedNotice messages={SAVED_MESSAGES} />
      <p className="toolbar">
        <span className="badge">{t("adminKb.editor.status", { status: t(`kb.status.${article.status}`) })}</span>{" "}
        <span className="badge">{t("adminKb.editor.revision", { number: article.revisionNumber })}</span>{" "}
        {article.status === "scheduled" && article.scheduledFor ? <span>{t("adminKb.editor.scheduledFor", { time: dateTime(article.scheduledFor) })}</span> : null}{" "}
        <Link to={`/admin/kb/${article.id}/history`}>{t("adminKb.action.history")}</Link>
        {article.status === "published" ? (
          <>
            {" · "}
            <a href={article.path}>{t("adminKb.action.viewPublic")}</a>
          </>
        ) : null}
      </p>
      {article.creditedName ? <p className="muted">{t("adminKb.editor.credited", { name: article.creditedName })}</p> : null}

      {conflict ? (
        <section className="kb-conflict" aria-labelledby="kb-conflict-heading">
          <h2 id="kb-conflict-heading">{t("adminKb.conflict.heading")}</h2>
          <p role="alert">{t("kb.form.staleRevision")}</p>
          <p>
            {t("adminKb.conflict.current", {
              number: conflict.current.number,
              author: conflict.current.authorName ?? t("adminKb.history.unknownAuthor"),
              time: dateTime(conflict.current.createdAt),
              base: conflict.baseRevision,
            })}
          </p>
          <h3>{t("adminKb.conflict.theirs", { base: conflict.baseRevision, number: conflict.current.number })}</h3>
          {conflict.theirs ? (
            <DiffView diff={conflict.theirs} label={t("adminKb.conflict.theirs", { base: conflict.baseRevision, number: conflict.current.number })} />
          ) : (
            <p>{t("adminKb.conflict.theirsMissing")}</p>
          )}
          <h3>{t("adminKb.conflict.yours")}</h3>
          <DiffView diff={conflict.yours} label={t("adminKb.conflict.yours")} />
          <p>{t("adminKb.conflict.next", { number: conflict.current.number })}</p>
        </section>
      ) : null}

      <Form method="post" className="stack kb-editor" noValidate key={conflict ? `conflict-${conflict.current.number}` : article.revisionNumber}>
        {conflict ? null : <FormErrors state={editorState} />}
        <input type="hidden" name="baseRevision" value={baseRevision} />
        <ArticleFields
          state={editorState}
          article={{ ...article, slug: article.slug, tags: article.tags.map((tag) => tag.name).join(", ") }}
          collections={collections}
          staff={staff}
        />
        <div className="kb-buttons">
          <button type="submit" name="intent" value="preview" className="button button-secondary" disabled={busy}>
            {t("adminKb.action.preview")}
          </button>
          <button type="submit" name="intent" value="save" className="button" disabled={busy}>
            {t("adminKb.action.saveDraft")}
          </button>
        </div>
      </Form>

      {preview ? <ArticlePreview html={preview.html} readingMinutes={preview.readingMinutes} /> : null}

      <div className="kb-side">
        <section className="section" aria-labelledby="kb-publication">
          <h2 id="kb-publication">{t("adminKb.editor.publication")}</h2>
          <p className="muted">{t("adminKb.editor.publicationHint")}</p>
          <FormErrors state={stateFor("publish", "unpublish")} />
          <div className="kb-buttons">
            {article.status !== "published" ? (
              <Form method="post" className="inline-form">
                <button type="submit" name="intent" value="publish" className="button" disabled={busy}>
                  {t("adminKb.action.publish")}
                </button>
              </Form>
            ) : null}
            {article.status === "published" || article.status === "scheduled" ? (
              <Form method="post" className="inline-form">
                <button type="submit" name="intent" value="unpublish" className="button button-secondary" disabled={busy}>
                  {t("adminKb.action.unpublish")}
                </button>
              </Form>
            ) : null}
          </div>
          {article.status !== "published" ? (
            <Form method="post" className="stack" noValidate>
              <FormErrors state={stateFor("schedule")} />
              <input type="hidden" name="intent" value="schedule" />
              <TextField
                name="scheduledFor"
                type="datetime-local"
                label={t("adminKb.field.scheduledFor")}
                hint={t("adminKb.field.scheduledForHint", { zone: timeZoneName(timeZone, locale) })}
                state={stateFor("schedule")}
              />
              <button type="submit" className="button button-secondary" disabled={busy}>
                {t("adminKb.action.schedule")}
              </button>
            </Form>
          ) : null}
        </section>

        <section className="section" aria-labelledby="kb-translations">
          <h2 id="kb-translations">{t("adminKb.editor.translations")}</h2>
          {article.translations.length === 0 ? (
            <p>{t("adminKb.editor.noTranslations")}</p>
          ) : (
            <ul>
              {article.translations.map((tr) => (
                <li key={tr.id} lang={tr.locale}>
                  <Link to={`/admin/kb/${tr.id}`}>{tr.title}</Link> <span className="badge">{t(`adminKb.language.${tr.locale}`)}</span>{" "}
                  <span className="badge">{t(`kb.status.${tr.status}`)}</span>
                </li>
              ))}
            </ul>
          )}
          <Form method="post" className="stack" noValidate>
            <FormErrors state={stateFor("linkTranslation")} />
            <input type="hidden" name="intent" value="linkTranslation" />
            <TextField
              name="translationId"
              label={t("adminKb.field.translation")}
              hint={t("adminKb.field.translationHint")}
              inputMode="numeric"
              maxLength={10}
              autoComplete="off"
              state={stateFor("linkTranslation")}
            />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t("adminKb.action.link")}
            </button>
          </Form>
        </section>
      </div>
    </section>
  );
}
