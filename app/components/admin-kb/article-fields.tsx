import { KB_SLUG_MAX, KB_SUMMARY_MAX, KB_TITLE_MAX, KB_VISIBILITIES, LOCALES } from "../../features/kb/kb.schema";
import { useT, useViewerI18n } from "../../features/i18n/use-i18n";
import { SelectField, TextAreaField, TextField, type FormState } from "../forms";

export interface ArticleFieldDefaults {
  title: string;
  slug: string;
  collectionId: number;
  locale: string;
  visibility: string;
  summary: string;
  tags: string;
  ownerId: number | null;
  reviewBy: string | null;
  bodyMd: string;
}

export interface CollectionOption {
  id: number;
  nameEn: string;
  nameJa: string;
}

/**
 * The fields of the new-article and edit forms. After a refused save or a preview the values come
 * from `state` (what the person typed), otherwise from `article`.
 */
export function ArticleFields({
  state,
  article,
  collections,
  staff,
}: {
  state?: FormState;
  article?: ArticleFieldDefaults & { ownerName?: string | null };
  collections: ReadonlyArray<CollectionOption>;
  staff: ReadonlyArray<{ id: number; displayName: string }>;
}) {
  const t = useT();
  const { locale } = useViewerI18n();
  const owners = staff.map((s) => ({ value: String(s.id), label: s.displayName }));
  // An owner who has left the staff still shows, so saving keeps them.
  if (article?.ownerId && !staff.some((s) => s.id === article.ownerId)) {
    owners.unshift({ value: String(article.ownerId), label: article.ownerName ?? `#${article.ownerId}` });
  }
  return (
    <>
      <TextField name="title" label={t("adminKb.field.title")} defaultValue={article?.title} required maxLength={KB_TITLE_MAX} autoComplete="off" state={state} />
      <div className="kb-fields">
        <TextField
          name="slug"
          label={t("adminKb.field.slug")}
          hint={t("adminKb.field.slugHint")}
          defaultValue={article?.slug}
          maxLength={KB_SLUG_MAX}
          autoComplete="off"
          spellCheck={false}
          state={state}
        />
        <SelectField
          name="collectionId"
          label={t("adminKb.field.collection")}
          defaultValue={article ? String(article.collectionId) : undefined}
          options={collections.map((c) => ({ value: String(c.id), label: locale === "ja" ? c.nameJa : c.nameEn }))}
          state={state}
        />
        <SelectField
          name="locale"
          label={t("adminKb.field.language")}
          defaultValue={article?.locale ?? locale}
          options={LOCALES.map((l) => ({ value: l, label: t(`adminKb.language.${l}`) }))}
          state={state}
        />
        <SelectField
          name="visibility"
          label={t("adminKb.field.visibility")}
          defaultValue={article?.visibility ?? "public"}
          options={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibility.${v}`) }))}
          state={state}
        />
        <SelectField
          name="ownerId"
          label={t("adminKb.field.owner")}
          defaultValue={article?.ownerId ? String(article.ownerId) : ""}
          options={[{ value: "", label: t("adminKb.noOwner") }, ...owners]}
          state={state}
        />
        <TextField name="reviewBy" type="date" label={t("adminKb.field.reviewBy")} defaultValue={article?.reviewBy ?? undefined} state={state} />
      </div>
      <TextAreaField
        name="summary"
        label={t("adminKb.field.summary")}
        hint={t("adminKb.field.summaryHint")}
        defaultValue={article?.summary}
        maxLength={KB_SUMMARY_MAX}
        rows={2}
        state={state}
      />
      <TextField name="tags" label={t("adminKb.field.tags")} hint={t("adminKb.field.tagsHint")} defaultValue={article?.tags} autoComplete="off" state={state} />
      {/* No maxLength on the body: the server's size error beside the field is clearer than a silent cut. */}
      <TextAreaField
        name="bodyMd"
        label={t("adminKb.field.body")}
        hint={t("adminKb.field.bodyHint")}
        defaultValue={article?.bodyMd}
        rows={24}
        spellCheck
        state={state}
      />
      <TextField name="note" label={t("adminKb.field.note")} maxLength={200} autoComplete="off" state={state} />
    </>
  );
}

/** The server-rendered preview below the form. The HTML was sanitized by the renderer at preview time. */
export function ArticlePreview({ html, readingMinutes }: { html: string; readingMinutes: number }) {
  const t = useT();
  return (
    <section className="section" aria-labelledby="kb-preview-heading">
      <h2 id="kb-preview-heading">{t("adminKb.editor.preview")}</h2>
      <p className="muted">
        {t("adminKb.editor.previewHint")} · {t("adminKb.editor.readingTime", { minutes: readingMinutes })}
      </p>
      <div className="kb-preview prose" dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
