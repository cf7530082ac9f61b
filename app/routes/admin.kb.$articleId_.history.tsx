import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { historyQuerySchema, restoreActionSchema } from "../features/kb/admin-forms.schema";
import { DiffView } from "../components/admin-kb/diff-view";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { parseArticleId, refusal } from "../features/kb/admin-responses.server";
import { FormErrors, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues, queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { restoreRevision } from "../features/kb/articles.server";
import { getRevisionDiff, getRevisionHistory } from "../features/kb/reads.server";

// The "_" in the file name keeps this page out of the editor's layout: it is a page of its own.
export const meta = adminMeta("adminKb.action.history");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbAdminStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const articleId = parseArticleId(params.articleId);
  const query = historyQuerySchema.parse(queryValues(request.url));
  const db = await getDb();
  const revisions = await getRevisionHistory(db, articleId);
  // Every article has revision 1, so no revisions means no article.
  if (revisions.length === 0) throw new Response("Not found", { status: 404 });
  // Without a choice, compare the two newest revisions.
  const to = query.to ?? revisions[0]!.number;
  const from = query.from ?? revisions[1]?.number ?? to;
  const diff = from !== to ? await getRevisionDiff(db, articleId, from, to) : null;
  return json({ articleId, title: revisions[0]!.title, revisions, from, to, diff });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "kb.manage");
  const articleId = parseArticleId(params.articleId);
  const formData = await request.formData();
  const submission = parseForm(formData, restoreActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await restoreRevision(await getDb(), actor, articleId, submission.data.revision);
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm({ _form: Object.values(result.fieldErrors).flat() }, formValues(formData));
    throw refusal(result.reason);
  }
  return redirect(`/admin/kb/${articleId}/history?saved=restored`);
}

export default function ArticleHistory() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { articleId, title, revisions, from, to, diff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const options = revisions.map((r) => (
    <option key={r.number} value={r.number}>
      {t("adminKb.editor.revision", { number: r.number })}
    </option>
  ));
  return (
    <section aria-labelledby="kb-history-title">
      <p>
        <Link to={`/admin/kb/${articleId}`}>{t("adminKb.editor.heading")}</Link>
      </p>
      <KbSubnav />
      <h1 id="kb-history-title">{t("adminKb.history.heading", { title })}</h1>
      <SavedNotice messages={{ restored: "adminKb.saved.restored" }} />
      <FormErrors state={actionData} />
      <p className="muted">{t("adminKb.history.restoreHint")}</p>
      <div className="table-wrap">
        <table className="data">
          <caption className="visually-hidden">{t("adminKb.action.history")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("adminKb.col.revision")}</th>
              <th scope="col">{t("adminKb.col.title")}</th>
              <th scope="col">{t("adminKb.col.author")}</th>
              <th scope="col">{t("adminKb.col.when")}</th>
              <th scope="col">{t("adminKb.col.note")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.number}>
                <th scope="row">
                  {r.number} {r.isCurrent ? <span className="badge badge-ok">{t("adminKb.history.current")}</span> : null}
                </th>
                <td>{r.title}</td>
                <td>{r.authorName ?? t("adminKb.history.unknownAuthor")}</td>
                <td>{dateTime(r.createdAt)}</td>
                <td>
                  {r.note ?? ""}
                  {r.restoredFromNumber ? <span className="muted"> {t("adminKb.history.restoredFrom", { number: r.restoredFromNumber })}</span> : null}
                </td>
                <td>
                  {r.isCurrent ? null : (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="restore" />
                      <input type="hidden" name="revision" value={r.number} />
                      {/* The label says exactly what happens, so one click is a deliberate choice. */}
                      <button type="submit" className="button button-small button-secondary" disabled={busy}>
                        {t("adminKb.action.restore", { number: r.number })}
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {revisions.length > 1 ? (
        <section className="section" aria-labelledby="kb-compare">
          <h2 id="kb-compare">{t("adminKb.history.compareLegend")}</h2>
          <Form method="get" className="toolbar">
            <label>
              {t("adminKb.history.from")}{" "}
              <select name="from" defaultValue={String(from)}>
                {options}
              </select>
            </label>
            <label>
              {t("adminKb.history.to")}{" "}
              <select name="to" defaultValue={String(to)}>
                {options}
              </select>
            </label>
            <button type="submit" className="button button-secondary">
              {t("adminKb.action.compare")}
            </button>
          </Form>
          {diff ? (
            <>
              <h3>{t("adminKb.history.diffHeading", { from, to })}</h3>
              {diff.title.changed ? <p>{t("adminKb.diff.titleChanged", { before: diff.title.before, after: diff.title.after })}</p> : null}
              {diff.summary.changed ? <p>{t("adminKb.diff.summaryChanged", { before: diff.summary.before, after: diff.summary.after })}</p> : null}
              <DiffView diff={diff.body} label={t("adminKb.history.diffHeading", { from, to })} />
            </>
          ) : (
            <p className="muted">{t("adminKb.history.pickTwo")}</p>
          )}
        </section>
      ) : null}
    </section>
  );
}
