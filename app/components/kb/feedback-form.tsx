import { Form, useNavigation } from "@remix-run/react";
import { FormErrors, Notice, TextAreaField, type FormState } from "../forms";
import { KB_FEEDBACK_COMMENT_MAX, KB_FEEDBACK_REASONS } from "../../features/kb/kb.schema";
import { useT, useTranslateError } from "../../features/i18n/use-i18n";

/**
 * "Was this helpful?" as two plain forms, so it works without JavaScript: Yes posts at once; No opens a
 * <details> with the reasons and an optional comment. After a vote the page shows thanks instead.
 */
export function KbFeedbackForm({ articleId, answered, state }: { articleId: number; answered: "yes" | "no" | null; state?: FormState }) {
  const t = useT();
  const translateError = useTranslateError();
  const busy = useNavigation().state === "submitting";
  const reasonErrors = state?.errors?.reason;
  if (answered) {
    return (
      <section id="feedback" className="kb-feedback" aria-labelledby="feedback-title">
        <h2 id="feedback-title" className="visually-hidden">
          {t("kb.feedback.question")}
        </h2>
        <Notice kind="success">{answered === "yes" ? t("kb.feedback.thanks") : t("kb.feedback.thanksNo")}</Notice>
      </section>
    );
  }
  return (
    <section id="feedback" className="kb-feedback" aria-labelledby="feedback-title">
      <h2 id="feedback-title">{t("kb.feedback.question")}</h2>
      <FormErrors state={state} />
      <div className="kb-feedback-choices">
        <Form method="post" className="inline-form" preventScrollReset>
          <input type="hidden" name="articleId" value={articleId} />
          <button type="submit" name="helpful" value="yes" className="button button-secondary" disabled={busy}>
            {t("kb.feedback.yes")}
          </button>
        </Form>
        <details className="kb-feedback-no" open={state?.values?.helpful === "no" ? true : undefined}>
          <summary className="button button-secondary">{t("kb.feedback.no")}</summary>
          <Form method="post" className="stack" preventScrollReset>
            <input type="hidden" name="articleId" value={articleId} />
            <fieldset className="kb-reasons" aria-describedby={reasonErrors?.length ? "reason-error" : undefined}>
              <legend>{t("kb.feedback.reasonLegend")}</legend>
              {KB_FEEDBACK_REASONS.map((reason) => (
                <label key={reason} className="kb-reason">
                  <input type="radio" name="reason" value={reason} defaultChecked={state?.values?.reason === reason} />
                  {t(`kb.feedback.reason.${reason}`)}
                </label>
              ))}
              {reasonErrors?.length ? (
                <p id="reason-error" className="field-error" role="alert">
                  {reasonErrors.map(translateError).join(" ")}
                </p>
              ) : null}
            </fieldset>
            <TextAreaField name="comment" label={t("kb.feedback.comment")} rows={3} maxLength={KB_FEEDBACK_COMMENT_MAX} state={state} />
            <button type="submit" name="helpful" value="no" className="button" disabled={busy}>
              {t("kb.feedback.send")}
            </button>
          </Form>
        </details>
      </div>
    </section>
  );
}
