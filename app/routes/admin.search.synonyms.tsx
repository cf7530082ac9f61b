import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import { FormErrors, Notice, TextField, type FormState } from "../components/forms";
import adminSearchStyles from "../components/search/admin-search.css";
import { AdminSearchSubnav } from "../components/search/admin-search-subnav";
import { getDb } from "../db.server";
import { formValues, queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { synonymActionSchema } from "../features/search/search.schema";
import { applySynonyms, createSynonymGroup, deleteSynonymGroup, listSynonymGroups, updateSynonymGroup } from "../features/search/synonyms.server";
import { getSearchEngine } from "../search.server";

export const meta = adminMeta("search.synonyms.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminSearchStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "search.manage");
  const editing = Number(queryValues(request.url).edit ?? "");
  const groups = await listSynonymGroups(await getDb());
  return json({
    groups,
    editingId: groups.some((g) => g.id === editing) ? editing : null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "search.manage");
  const formData = await request.formData();
  const submission = parseForm(formData, synonymActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  let saved: "created" | "updated" | "deleted";
  if (command.intent === "create") {
    await createSynonymGroup(db, actor, command.terms);
    saved = "created";
  } else {
    const found = command.intent === "update" ? await updateSynonymGroup(db, actor, command.id, command.terms) : await deleteSynonymGroup(db, command.id);
    if (!found) return invalidForm({ _form: ["search.synonyms.missing"] }, formValues(formData), 404);
    saved = command.intent === "update" ? "updated" : "deleted";
  }
  // The table is the source of truth; the engine gets the whole list after every change. If it cannot be
  // reached, the change is kept and staff are told; the next successful change applies everything.
  let engineFailed = false;
  try {
    await applySynonyms(db, await getSearchEngine());
  } catch (error) {
    context.logger.error({ err: error }, "could not hand synonyms to the search engine");
    engineFailed = true;
  }
  return redirect(`/admin/search/synonyms?saved=${saved}${engineFailed ? "&engine=failed" : ""}`);
}

export default function AdminSearchSynonyms() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { groups, editingId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormState | undefined;
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const stateFor = (intent: string, id?: number) =>
    actionData?.values?.intent === intent && (id === undefined || actionData.values?.id === String(id)) ? actionData : undefined;
  const createState = stateFor("create");
  const editing = groups.find((g) => g.id === editingId) ?? null;
  return (
    <section aria-labelledby="synonyms-title">
      <h1 id="synonyms-title">{t("search.synonyms.title")}</h1>
      <AdminSearchSubnav />
      <SavedNotice
        messages={{
          created: "search.synonyms.saved.created",
          updated: "search.synonyms.saved.updated",
          deleted: "search.synonyms.saved.deleted",
        }}
      />
      {params.get("engine") === "failed" ? <Notice kind="error">{t("search.synonyms.engineFailed")}</Notice> : null}
      {actionData?.errors?._form && !createState ? <FormErrors state={actionData} /> : null}
      <p className="muted">{t("search.synonyms.lead")}</p>

      {groups.length === 0 ? (
        <p>{t("search.synonyms.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("search.synonyms.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("search.synonyms.col.terms")}</th>
                <th scope="col">{t("search.synonyms.col.changed")}</th>
                <th scope="col">{t("search.synonyms.col.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => {
                const label = group.terms.join(", ");
                return (
                  <tr key={group.id} data-testid="synonym-group">
                    <td>
                      <ul className="synonym-terms" aria-label={label}>
                        {group.terms.map((term) => (
                          <li key={term} className="badge">
                            {term}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      {t("search.synonyms.changedBy", {
                        name: group.changedBy ?? t("search.synonyms.unknownUser"),
                        date: dateTime(group.updatedAt),
                      })}
                    </td>
                    <td>
                      <div className="synonym-actions">
                        <Link
                          to={`?edit=${group.id}`}
                          aria-label={t("search.synonyms.editLabel", {
                            terms: label,
                          })}
                        >
                          {t("search.synonyms.edit")}
                        </Link>
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="id" value={group.id} />
                          <button
                            type="submit"
                            className="link-button"
                            disabled={busy}
                            aria-label={t("search.synonyms.deleteLabel", {
                              terms: label,
                            })}
                          >
                            {t("search.synonyms.delete")}
                          </button>
                        </Form>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {editing ? (
        <section className="section" aria-labelledby="synonym-edit-title">
          <h2 id="synonym-edit-title">{t("search.synonyms.editTitle")}</h2>
          <Form method="post" className="stack" noValidate key={`edit-${editing.id}`}>
            <FormErrors state={stateFor("update", editing.id)} />
            <input type="hidden" name="intent" value="update" />
            <input type="hidden" name="id" value={editing.id} />
            <TextField
              name="terms"
              label={t("search.synonyms.terms")}
              hint={t("search.synonyms.termsHint")}
              defaultValue={editing.terms.join(", ")}
              autoComplete="off"
              required
              state={stateFor("update", editing.id)}
            />
            <div className="synonym-actions">
              <button type="submit" className="button" disabled={busy}>
                {t("search.synonyms.save")}
              </button>
              <Link to="/admin/search/synonyms">{t("search.synonyms.cancel")}</Link>
            </div>
          </Form>
        </section>
      ) : (
        // One form at a time: both have a "terms" field, and field ids come from names.
        <section className="section" aria-labelledby="synonym-add-title">
          <h2 id="synonym-add-title">{t("search.synonyms.addTitle")}</h2>
          <Form method="post" className="stack" noValidate key={params.get("saved") ?? "new"}>
            <FormErrors state={createState} />
            <input type="hidden" name="intent" value="create" />
            <TextField name="terms" label={t("search.synonyms.terms")} hint={t("search.synonyms.termsHint")} autoComplete="off" required state={createState} />
            <button type="submit" className="button" disabled={busy}>
              {t("search.synonyms.add")}
            </button>
          </Form>
        </section>
      )}
    </section>
  );
}
