import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { FormErrors, SelectField, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues, queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";
import { tagsActionSchema, tagsQuerySchema } from "../features/kb/admin-forms.schema";
import { refusal } from "../features/kb/admin-responses.server";
import { listTags } from "../features/kb/reads.server";
import { deleteTag, mergeTags, renameTag } from "../features/kb/tags.server";

export const meta = adminMeta("adminKb.tags.heading");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbAdminStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const query = tagsQuerySchema.parse(queryValues(request.url));
  const db = await getDb();
  const tags = await listTags(db);
  return json({
    tags,
    selected: tags.find((tag) => tag.id === query.tag) ?? null,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "kb.manage");
  const formData = await request.formData();
  const submission = parseForm(formData, tagsActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  const result =
    command.intent === "rename"
      ? await renameTag(db, actor, command.tagId, { name: command.name })
      : command.intent === "merge"
      ? await mergeTags(db, actor, command.tagId, command.targetId)
      : await deleteTag(db, actor, command.tagId);
  if (!result.ok) {
    if ("fieldErrors" in result) {
      const values = formValues(formData);
      // A rename onto another tag's name offers that tag as the merge target.
      if ("collidingTagId" in result) values.targetId = String(result.collidingTagId);
      return invalidForm(result.fieldErrors, values);
    }
    throw refusal(result.reason);
  }
  if (command.intent === "rename") return redirect(`/admin/kb/tags?tag=${command.tagId}&saved=renamed`);
  return redirect(`/admin/kb/tags?saved=${command.intent === "merge" ? "merged" : "deleted"}`);
}

export default function KbTags() {
  const t = useT();
  const { tags, selected } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const stateFor = (intent: string) => (actionData?.values?.intent === intent ? actionData : undefined);
  const renameState = stateFor("rename");
  const mergeState = stateFor("merge");
  const deleteState = stateFor("delete");
  const others = selected ? tags.filter((tag) => tag.id !== selected.id) : [];
  return (
    <section aria-labelledby="kb-tags-title">
      <h1 id="kb-tags-title">{t("adminKb.tags.heading")}</h1>
      <KbSubnav />
      <SavedNotice
        messages={{
          renamed: "adminKb.saved.tagRenamed",
          merged: "adminKb.saved.tagMerged",
          deleted: "adminKb.saved.tagDeleted",
        }}
      />
      <p className="muted">{t("adminKb.tags.lead")}</p>

      {tags.length === 0 ? (
        <p>{t("adminKb.tags.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("adminKb.tags.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminKb.tags.col.name")}</th>
                <th scope="col">{t("adminKb.tags.col.slug")}</th>
                <th scope="col">{t("adminKb.tags.col.articles")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("adminKb.tags.edit")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tags.map((tag) => (
                <tr key={tag.id}>
                  <th scope="row">{tag.name}</th>
                  <td>
                    <code>{tag.slug}</code>
                  </td>
                  <td>{tag.articleCount}</td>
                  <td>
                    <Link
                      to={`?tag=${tag.id}`}
                      aria-current={selected?.id === tag.id ? "true" : undefined}
                      aria-label={t("adminKb.tags.editLabel", {
                        name: tag.name,
                      })}
                    >
                      {t("adminKb.tags.edit")}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {selected ? (
        // Keyed by tag, so switching tags resets what the forms show.
        <section className="section" aria-labelledby="kb-tag-selected" key={selected.id}>
          <h2 id="kb-tag-selected">{t("adminKb.tags.selected", { name: selected.name })}</h2>

          <section aria-labelledby="kb-tag-rename">
            <h3 id="kb-tag-rename">{t("adminKb.tags.rename")}</h3>
            <Form method="post" className="stack" noValidate>
              <FormErrors state={renameState} />
              <input type="hidden" name="intent" value="rename" />
              <input type="hidden" name="tagId" value={selected.id} />
              <TextField
                name="name"
                label={t("adminKb.tags.name")}
                hint={t("adminKb.tags.nameHint")}
                required
                maxLength={50}
                autoComplete="off"
                defaultValue={selected.name}
                state={renameState}
              />
              <button type="submit" className="button button-secondary" disabled={busy}>
                {t("adminKb.tags.renameAction")}
              </button>
            </Form>
          </section>

          <section aria-labelledby="kb-tag-merge" className="section">
            <h3 id="kb-tag-merge">{t("adminKb.tags.merge")}</h3>
            {others.length === 0 ? (
              <p>{t("adminKb.tags.noOtherTags")}</p>
            ) : (
              <Form method="post" className="stack" noValidate>
                <FormErrors state={mergeState} />
                <p className="muted">{t("adminKb.tags.mergeHint", { name: selected.name })}</p>
                <input type="hidden" name="intent" value="merge" />
                <input type="hidden" name="tagId" value={selected.id} />
                <SelectField
                  key={renameState?.values?.targetId ?? "none"}
                  name="targetId"
                  label={t("adminKb.tags.mergeTarget")}
                  required
                  // After a refused rename, the tag that already has the name is offered.
                  defaultValue={mergeState?.values?.targetId ?? renameState?.values?.targetId ?? ""}
                  state={mergeState}
                  options={[
                    { value: "", label: t("adminKb.tags.chooseTarget") },
                    ...others.map((tag) => ({
                      value: String(tag.id),
                      label: t("adminKb.collections.tagCount", {
                        name: tag.name,
                        count: tag.articleCount,
                      }),
                    })),
                  ]}
                />
                <button type="submit" className="button button-secondary" disabled={busy}>
                  {t("adminKb.tags.mergeAction")}
                </button>
              </Form>
            )}
          </section>

          <section aria-labelledby="kb-tag-delete" className="section">
            <h3 id="kb-tag-delete">{t("adminKb.tags.delete")}</h3>
            <Form method="post" className="stack">
              <FormErrors state={deleteState} />
              <p className="muted">{t("adminKb.tags.deleteHint", { count: selected.articleCount })}</p>
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="tagId" value={selected.id} />
              <button type="submit" className="button button-danger" disabled={busy}>
                {t("adminKb.tags.deleteAction", { name: selected.name })}
              </button>
            </Form>
          </section>
        </section>
      ) : null}
    </section>
  );
}
