import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import kbAdminStyles from "../components/admin-kb/admin-kb.css";
import { collectionsActionSchema, collectionsQuerySchema } from "../features/kb/admin-forms.schema";
import { KbSubnav } from "../components/admin-kb/kb-subnav";
import { refusal } from "../features/kb/admin-responses.server";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues, queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useT, useViewerI18n } from "../features/i18n/use-i18n";
import { createCollection, setArticleOrder, updateCollection, type KbCommandResult } from "../features/kb/articles.server";
import { listArticlesForAdmin, listCollections, listTags } from "../features/kb/reads.server";

export const meta = adminMeta("adminKb.collections.heading");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: kbAdminStyles }];

const ORDER_LIMIT = 500;

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "kb.manage");
  const query = collectionsQuerySchema.parse(queryValues(request.url));
  const db = await getDb();
  const [collections, tags, articles] = await Promise.all([
    listCollections(db),
    listTags(db),
    query.collection ? listArticlesForAdmin(db, { collectionId: query.collection, page: 1, pageSize: ORDER_LIMIT }) : null,
  ]);
  const selected = collections.find((c) => c.id === query.collection) ?? null;
  return json({
    collections,
    tags,
    selected,
    articles: selected && articles ? articles.items.map(({ id, title, locale, status }) => ({ id, title, locale, status })) : [],
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "kb.manage");
  const formData = await request.formData();
  const submission = parseForm(formData, collectionsActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  let result: KbCommandResult;
  if (command.intent === "createCollection") {
    const { intent: _intent, ...input } = command;
    result = await createCollection(db, actor, input);
  } else if (command.intent === "updateCollection") {
    const { intent: _intent, collectionId, ...input } = command;
    result = await updateCollection(db, actor, collectionId, input);
  } else {
    result = await setArticleOrder(db, actor, command.collectionId, command.articleIds);
  }
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, formValues(formData));
    throw refusal(result.reason);
  }
  if (command.intent === "order") return redirect(`/admin/kb/collections?collection=${command.collectionId}&saved=order`);
  if (command.intent === "updateCollection") return redirect(`/admin/kb/collections?collection=${command.collectionId}&saved=updated`);
  return redirect("/admin/kb/collections?saved=collection");
}

/** The order after moving the article at `index` by `delta` places. */
function moved(ids: number[], index: number, delta: -1 | 1): string {
  const copy = [...ids];
  const [item] = copy.splice(index, 1);
  copy.splice(index + delta, 0, item!);
  return copy.join(",");
}

interface CollectionValues {
  slug: string;
  nameEn: string;
  nameJa: string;
  descriptionEn: string;
  descriptionJa: string;
  position: number;
}

/** The fields of the create and edit forms; empty for a new collection. */
function CollectionFields({ state, collection, slugHint }: { state?: FormState; collection?: CollectionValues; slugHint?: string }) {
  const t = useT();
  return (
    <>
      <TextField
        name="slug"
        label={t("adminKb.collections.slug")}
        hint={slugHint}
        required
        maxLength={120}
        autoComplete="off"
        spellCheck={false}
        defaultValue={collection?.slug}
        state={state}
      />
      <TextField
        name="nameEn"
        label={t("adminKb.collections.nameEn")}
        required
        maxLength={100}
        autoComplete="off"
        defaultValue={collection?.nameEn}
        state={state}
      />
      <TextField
        name="nameJa"
        label={t("adminKb.collections.nameJa")}
        required
        maxLength={100}
        autoComplete="off"
        lang="ja"
        defaultValue={collection?.nameJa}
        state={state}
      />
      <TextField
        name="descriptionEn"
        label={t("adminKb.collections.descriptionEn")}
        maxLength={500}
        autoComplete="off"
        defaultValue={collection?.descriptionEn}
        state={state}
      />
      <TextField
        name="descriptionJa"
        label={t("adminKb.collections.descriptionJa")}
        maxLength={500}
        autoComplete="off"
        lang="ja"
        defaultValue={collection?.descriptionJa}
        state={state}
      />
      <TextField
        name="position"
        label={t("adminKb.collections.position")}
        inputMode="numeric"
        maxLength={6}
        autoComplete="off"
        defaultValue={collection ? String(collection.position) : undefined}
        state={state}
      />
    </>
  );
}

export default function KbCollections() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { collections, tags, selected, articles } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  const createState = actionData?.values?.intent === "createCollection" ? actionData : undefined;
  const editState = actionData?.values?.intent === "updateCollection" ? actionData : undefined;
  const ids = articles.map((a) => a.id);
  const name = (c: { nameEn: string; nameJa: string }) => (locale === "ja" ? c.nameJa : c.nameEn);
  return (
    <section aria-labelledby="kb-collections-title">
      <h1 id="kb-collections-title">{t("adminKb.collections.heading")}</h1>
      <KbSubnav />
      <SavedNotice messages={{ collection: "adminKb.saved.collection", order: "adminKb.saved.order", updated: "adminKb.saved.collectionUpdated" }} />
      {collections.length === 0 ? (
        <p>{t("adminKb.collections.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("adminKb.collections.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminKb.col.collection")}</th>
                <th scope="col">{t("adminKb.collections.slug")}</th>
                <th scope="col">{t("adminKb.collections.position")}</th>
                <th scope="col">{t("adminKb.collections.articles")}</th>
              </tr>
            </thead>
            <tbody>
              {collections.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`?collection=${c.id}`} aria-current={selected?.id === c.id ? "true" : undefined}>
                      {name(c)}
                    </Link>
                  </th>
                  <td>
                    <code>{c.slug}</code>
                  </td>
                  <td>{c.position}</td>
                  <td>{c.articleCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {selected ? (
        // Keyed by collection, so the fields show the chosen collection's values after switching.
        <section className="section" aria-labelledby="kb-edit-collection" key={selected.id}>
          <h2 id="kb-edit-collection">{t("adminKb.collections.edit", { name: name(selected) })}</h2>
          <Form method="post" className="stack" noValidate>
            <FormErrors state={editState} />
            <input type="hidden" name="intent" value="updateCollection" />
            <input type="hidden" name="collectionId" value={selected.id} />
            <CollectionFields state={editState} collection={selected} slugHint={t("adminKb.collections.slugHint")} />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t("adminKb.action.saveCollection")}
            </button>
          </Form>
        </section>
      ) : null}

      {selected ? (
        <section className="section" aria-labelledby="kb-order">
          <h2 id="kb-order">{t("adminKb.collections.order", { name: name(selected) })}</h2>
          <p className="muted">{t("adminKb.collections.orderHint")}</p>
          <FormErrors state={actionData?.values?.intent === "order" ? actionData : undefined} />
          <ol>
            {articles.map((a, index) => (
              <li key={a.id}>
                <Link to={`/admin/kb/${a.id}`} lang={a.locale}>
                  {a.title}
                </Link>{" "}
                <span className="badge">{t(`kb.status.${a.status}`)}</span>{" "}
                {(
                  [
                    [-1, "adminKb.action.moveUp", "adminKb.action.moveUpLabel"],
                    [1, "adminKb.action.moveDown", "adminKb.action.moveDownLabel"],
                  ] as const
                )
                  .filter(([delta]) => index + delta >= 0 && index + delta < ids.length)
                  .map(([delta, label, fullLabel]) => (
                    <Form method="post" className="inline-form" key={delta}>
                      <input type="hidden" name="intent" value="order" />
                      <input type="hidden" name="collectionId" value={selected.id} />
                      <input type="hidden" name="articleIds" value={moved(ids, index, delta)} />
                      <button type="submit" className="link-button" disabled={busy}>
                        <span aria-hidden="true">{t(label)}</span>
                        <span className="visually-hidden">{t(fullLabel, { title: a.title })}</span>
                      </button>
                    </Form>
                  ))}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {/* Field ids are the field names, so the page holds one form of these fields: create when no collection is being edited. */}
      {selected ? (
        <p className="section">
          <Link to="/admin/kb/collections">{t("adminKb.collections.new")}</Link>
        </p>
      ) : (
        <section className="section" aria-labelledby="kb-new-collection">
          <h2 id="kb-new-collection">{t("adminKb.collections.new")}</h2>
          <Form method="post" className="stack" noValidate>
            <FormErrors state={createState} />
            <input type="hidden" name="intent" value="createCollection" />
            <CollectionFields state={createState} />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t("adminKb.action.createCollection")}
            </button>
          </Form>
        </section>
      )}

      <section className="section" aria-labelledby="kb-tags">
        <h2 id="kb-tags">{t("adminKb.collections.tags")}</h2>
        <p className="muted">
          {t("adminKb.collections.tagsHint")} <Link to="/admin/kb/tags">{t("adminKb.collections.manageTags")}</Link>
        </p>
        {tags.length === 0 ? (
          <p>{t("adminKb.collections.noTags")}</p>
        ) : (
          <ul className="kb-tags">
            {tags.map((tag) => (
              <li key={tag.id} className="badge">
                {t("adminKb.collections.tagCount", { name: tag.name, count: tag.articleCount })}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
