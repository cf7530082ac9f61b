import { POST_BODY_MAX } from "../../features/forum/forum.schema";
import { useT } from "../../features/i18n/use-i18n";
import { TextAreaField, type FormState } from "../forms";

/**
 * The markdown textarea of the ask, answer and edit forms. Its form offers a "Preview" submit
 * (intent=preview) the server renders exactly as posting would, like the KB editor; works without JavaScript.
 */
export function MarkdownEditor({ name = "bodyMd", label, defaultValue, state, rows = 12 }: { name?: string; label: string; defaultValue?: string; state?: FormState; rows?: number }) {
  const t = useT();
  return <TextAreaField name={name} label={label} hint={t("forum.editor.hint", { max: POST_BODY_MAX })} defaultValue={defaultValue} rows={rows} spellCheck state={state} />;
}

/** The server-rendered preview; the HTML was sanitized by the renderer at preview time. */
export function PostPreview({ html }: { html: string }) {
  const t = useT();
  return (
    <section className="forum-preview" aria-labelledby="forum-preview-heading">
      <h2 id="forum-preview-heading">{t("forum.editor.preview")}</h2>
      <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
    </section>
  );
}
