import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import { FormErrors } from "../components/forms";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { questionPath } from "../features/forum/forum.schema";
import { MODERATION_REASON_MAX, staffQueueActionSchema } from "../features/forum/moderation.schema";
import { markNeedsStaffHandled } from "../features/forum/moderation.server";
import { listStaffQueue } from "../features/forum/queues.server";
import { UNANSWERED_ALERT_HOURS } from "../features/forum/reputation";
import { failedResult } from "../features/forum/responses.server";
import { useFormatDateTime, useT, useTranslateError } from "../features/i18n/use-i18n";

export const meta = adminMeta("moderation.staffQueue.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "forum.staff");
  const items = await listStaffQueue(await getDb());
  return json({ items, alertHours: UNANSWERED_ALERT_HOURS });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "forum.staff");
  const formData = await request.formData();
  const submission = parseForm(formData, staffQueueActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await markNeedsStaffHandled(await getDb(), actor, { questionId: submission.data.questionId, reason: submission.data.reason });
  if (!result.ok) return failedResult(result, formValues(formData));
  return redirect("/admin/forum?saved=handled");
}

const SAVED_MESSAGES = { handled: "moderation.staffQueue.saved" } as const;

export default function ForumStaffQueue() {
  const t = useT();
  const translateError = useTranslateError();
  const { dateTime } = useFormatDateTime();
  const { items, alertHours } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const age = (hours: number) =>
    hours >= 24 ? t("moderation.staffQueue.ageDays", { days: Math.floor(hours / 24), hours: hours % 24 }) : t("moderation.staffQueue.ageHours", { hours });
  return (
    <section aria-labelledby="staff-queue-title">
      <h1 id="staff-queue-title">{t("moderation.staffQueue.title")}</h1>
      <p className="muted">{t("moderation.staffQueue.lead", { hours: alertHours })}</p>
      <p>
        <Link to="/admin/forum/audit">{t("moderation.staffQueue.auditLink")}</Link>
      </p>
      <SavedNotice messages={SAVED_MESSAGES} />
      {items.length === 0 ? (
        <p>{t("moderation.staffQueue.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("moderation.staffQueue.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("moderation.staffQueue.col.waiting")}</th>
                <th scope="col">{t("moderation.staffQueue.col.question")}</th>
                <th scope="col">{t("moderation.staffQueue.col.why")}</th>
                <th scope="col">{t("moderation.staffQueue.col.asked")}</th>
                <th scope="col">{t("moderation.staffQueue.col.handled")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const state = actionData?.values?.questionId === String(item.questionId) ? actionData : undefined;
                const fieldId = `handled-${item.questionId}`;
                return (
                  <tr key={item.questionId} data-testid={`staff-queue-${item.questionId}`}>
                    <td>{age(item.ageHours)}</td>
                    <th scope="row">
                      <Link to={questionPath(item.questionId, item.slug)}>{item.title}</Link>
                      {item.authorName ? <div className="muted">{item.authorName}</div> : null}
                    </th>
                    <td>
                      {item.needsStaff ? <span className="badge badge-danger">{t("moderation.staffQueue.needsStaff")}</span> : null}{" "}
                      {item.unanswered ? <span className="badge badge-warn">{t("moderation.staffQueue.unanswered")}</span> : null}
                    </td>
                    <td>{dateTime(item.createdAt)}</td>
                    <td>
                      {item.needsStaff ? (
                        <Form method="post" className="inline-form" noValidate>
                          <FormErrors state={state} />
                          <input type="hidden" name="intent" value="handled" />
                          <input type="hidden" name="questionId" value={item.questionId} />
                          <label htmlFor={fieldId} className="visually-hidden">
                            {t("moderation.staffQueue.handledNote")}
                          </label>
                          <input
                            id={fieldId}
                            name="reason"
                            required
                            maxLength={MODERATION_REASON_MAX}
                            placeholder={t("moderation.staffQueue.handledNote")}
                            defaultValue={state?.values?.reason}
                            aria-invalid={state?.errors?.reason ? true : undefined}
                          />
                          {state?.errors?.reason ? (
                            <span className="field-error" role="alert">
                              {state.errors.reason.map(translateError).join(" ")}
                            </span>
                          ) : null}
                          <button type="submit" className="button button-small" disabled={busy}>
                            {t("moderation.staffQueue.markHandled")}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
