import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SavedNotice } from "../components/admin-ui";
import { FormErrors, type FormState } from "../components/forms";
import type { RootData } from "../components/root-data";
import { getDb } from "../db.server";
import { requireUser } from "../features/auth/guards.server";
import { can } from "../features/auth/permissions";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { questionPath } from "../features/forum/forum.schema";
import { MODERATION_REASON_MAX, reviewActionSchema } from "../features/forum/moderation.schema";
import { canReviewFlags, resolveFlags } from "../features/forum/moderation.server";
import { listFlagQueue } from "../features/forum/queues.server";
import { failedResult } from "../features/forum/responses.server";
import { translate } from "../features/i18n/messages";
import { useFormatDateTime, useT, useTranslateError } from "../features/i18n/use-i18n";

export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  return [{ title: `${translate(locale, "moderation.review.title")} · ${translate(locale, "app.name")}` }, { name: "robots", content: "noindex" }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = requireUser(context, request);
  const db = await getDb();
  if (!(await canReviewFlags(db, viewer))) throw new Response("Forbidden", { status: 403 });
  const items = await listFlagQueue(db);
  // Deleting is for moderators; reviewers who earned the queue by reputation may only hide.
  return json({ items, mayDelete: can(viewer, "forum.moderate") });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = requireUser(context, request);
  const formData = await request.formData();
  const submission = parseForm(formData, reviewActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const result = await resolveFlags(await getDb(), viewer, {
    targetType: command.targetType,
    targetId: command.targetId,
    decision: command.intent,
    outcome: command.intent === "uphold" ? command.outcome : undefined,
    reason: command.reason,
  });
  if (!result.ok) return failedResult(result, Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)])));
  return redirect(`/review?saved=${command.intent}`);
}

const SAVED_MESSAGES = { uphold: "moderation.review.saved.uphold", dismiss: "moderation.review.saved.dismiss" } as const;

export default function ReviewQueue() {
  const t = useT();
  const translateError = useTranslateError();
  const { dateTime } = useFormatDateTime();
  const { items, mayDelete } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const stateFor = (targetType: string, targetId: number): FormState | undefined =>
    actionData && actionData.values?.targetType === targetType && actionData.values?.targetId === String(targetId) ? actionData : undefined;
  return (
    <section className="page" aria-labelledby="review-title">
      <h1 id="review-title">{t("moderation.review.title")}</h1>
      <p className="muted">{t("moderation.review.lead")}</p>
      <SavedNotice messages={SAVED_MESSAGES} />
      {items.length === 0 ? (
        <p>{t("moderation.review.empty")}</p>
      ) : (
        <ol className="stack">
          {items.map((item) => {
            const key = `${item.targetType}-${item.targetId}`;
            const state = stateFor(item.targetType, item.targetId);
            return (
              <li key={key} className="card" data-testid={`flagged-${key}`}>
                <h2>
                  {t(`moderation.targetType.${item.targetType}`)}{" "}
                  {item.hiddenAt ? (
                    <span className="badge badge-warn">{t(item.hiddenReason === "flags" ? "moderation.review.hiddenByFlags" : "moderation.review.hidden")}</span>
                  ) : null}{" "}
                  {item.deletedAt ? <span className="badge badge-danger">{t("moderation.review.deleted")}</span> : null}
                </h2>
                <p>
                  <Link to={questionPath(item.questionId, item.questionSlug)}>{t("moderation.review.in", { title: item.questionTitle })}</Link>
                  {item.authorName ? <> · {t("moderation.review.by", { name: item.authorName })}</> : null}
                </p>
                <blockquote>{item.excerpt}</blockquote>
                <p>
                  {t("moderation.review.flags", { count: item.flagCount, trusted: item.trustedCount })} ·{" "}
                  {item.reasons.map((r) => `${t(`moderation.flagReason.${r.reason}`)} × ${r.count}`).join(", ")} ·{" "}
                  {t("moderation.review.firstFlagged", { date: dateTime(item.firstFlaggedAt) })}
                </p>
                {item.notes.length > 0 ? (
                  <details>
                    <summary>{t("moderation.review.notes")}</summary>
                    <ul>
                      {item.notes.map((note, i) => (
                        <li key={i}>{note}</li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                <Form method="post" className="stack" noValidate>
                  <FormErrors state={state} />
                  <input type="hidden" name="targetType" value={item.targetType} />
                  <input type="hidden" name="targetId" value={item.targetId} />
                  <div className={state?.errors?.reason ? "field field-invalid" : "field"}>
                    <label htmlFor={`reason-${key}`}>{t("moderation.review.reason")}</label>
                    <input
                      id={`reason-${key}`}
                      name="reason"
                      required
                      maxLength={MODERATION_REASON_MAX}
                      defaultValue={state?.values?.reason}
                      aria-invalid={state?.errors?.reason ? true : undefined}
                      aria-describedby={state?.errors?.reason ? `reason-${key}-error` : undefined}
                    />
                    {state?.errors?.reason ? (
                      <p id={`reason-${key}-error`} className="field-error" role="alert">
                        {state.errors.reason.map(translateError).join(" ")}
                      </p>
                    ) : null}
                  </div>
                  {mayDelete ? (
                    <div className="field">
                      <label htmlFor={`outcome-${key}`}>{t("moderation.review.outcome")}</label>
                      <select id={`outcome-${key}`} name="outcome" defaultValue={state?.values?.outcome ?? "hide"}>
                        <option value="hide">{t("moderation.review.outcome.hide")}</option>
                        <option value="delete">{t("moderation.review.outcome.delete")}</option>
                      </select>
                    </div>
                  ) : null}
                  <div className="toolbar">
                    <button type="submit" name="intent" value="uphold" className="button button-danger" disabled={busy}>
                      {t("moderation.review.uphold")}
                    </button>
                    <button type="submit" name="intent" value="dismiss" className="button button-secondary" disabled={busy}>
                      {t("moderation.review.dismiss")}
                    </button>
                  </div>
                </Form>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
