import { Form } from "@remix-run/react";
import { COMMENT_MAX } from "../../features/forum/forum.schema";
import { useFormatDateTime, useT, useTranslateError } from "../../features/i18n/use-i18n";
import type { FormState } from "../forms";
import { AuthorChip, type AuthorChipData } from "./author-chip";

export interface CommentData {
  id: number;
  bodyHtml: string;
  createdAt: string | Date;
  author: AuthorChipData;
  hidden: boolean;
  deleted: boolean;
}

/** The comments under a post; hidden or deleted ones reach this list only for moderators, marked. */
export function CommentList({ comments }: { comments: ReadonlyArray<CommentData> }) {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  if (comments.length === 0) return null;
  return (
    <ul className="comment-list" aria-label={t("forum.comments")}>
      {comments.map((c) => (
        <li key={c.id} id={`comment-${c.id}`} className={c.hidden || c.deleted ? "post-muted" : undefined}>
          {c.deleted ? <span className="badge badge-danger">{t("forum.deleted")}</span> : null}
          {c.hidden ? <span className="badge badge-warn">{t("forum.hidden")}</span> : null}{" "}
          {/* Sanitized when it was saved. */}
          <span className="prose" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} /> — <AuthorChip author={c.author} />{" "}
          <time className="muted" dateTime={new Date(c.createdAt).toISOString()}>
            {dateTime(c.createdAt)}
          </time>
        </li>
      ))}
    </ul>
  );
}

/**
 * "Add a comment", folded in a <details> so a page with many answers stays short; opened again after a
 * refused comment so its error and text are in view.
 */
export function CommentForm({ postType, postId, state }: { postType: "question" | "answer"; postId: number; state?: FormState }) {
  const t = useT();
  const translateError = useTranslateError();
  const id = `comment-${postType}-${postId}`;
  const errors = state?.errors?.body ?? state?.errors?._form;
  return (
    <details className="comment-form" open={!!state}>
      <summary>{t("forum.comment.add")}</summary>
      <Form method="post" className="stack" preventScrollReset>
        <input type="hidden" name="intent" value="comment" />
        <input type="hidden" name="postType" value={postType} />
        <input type="hidden" name="postId" value={postId} />
        {/* Not TextAreaField: a page has one comment form per post, so ids must be unique per post. */}
        <div className={errors?.length ? "field field-invalid" : "field"}>
          <label htmlFor={id}>{t("forum.comment.label")}</label>
          <p id={`${id}-hint`} className="field-hint">
            {t("forum.comment.hint", { max: COMMENT_MAX })}
          </p>
          <textarea
            id={id}
            name="body"
            rows={2}
            maxLength={COMMENT_MAX}
            defaultValue={state?.values?.body}
            aria-invalid={errors?.length ? true : undefined}
            aria-describedby={errors?.length ? `${id}-hint ${id}-error` : `${id}-hint`}
          />
          {errors?.length ? (
            <p id={`${id}-error`} className="field-error" role="alert">
              {errors.map(translateError).join(" ")}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button-small">
          {t("forum.comment.submit")}
        </button>
      </Form>
    </details>
  );
}
