import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { adminMeta } from "../components/admin-ui";
import { FormErrors, Notice } from "../components/forms";
import { getDb } from "../db.server";
import { retryJobSchema } from "../features/admin/admin.schema";
import { DEAD_JOB_LIMIT, getJobQueueOverview } from "../features/admin/overview.server";
import { requirePermission } from "../features/auth/guards.server";
import { can } from "../features/auth/permissions";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { retryDeadJob } from "../features/jobs/queue.server";
import { formatNumber } from "../features/i18n/format";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.jobs.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requirePermission(context, request, "jobs.view");
  const overview = await getJobQueueOverview(await getDb());
  return json({ ...overview, canRetry: can(user, "jobs.retry"), deadLimit: DEAD_JOB_LIMIT });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "jobs.retry");
  const submission = parseForm(await request.formData(), retryJobSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const { jobId } = submission.data;
  const retried = await retryDeadJob(await getDb(), jobId);
  // Gone or already retried by someone else: say so rather than pretend it worked.
  if (!retried) return invalidForm({ _form: ["admin.jobs.retryGone"] }, {}, 409);
  context.logger.info({ actorId: actor.id, jobId }, "staff retried a dead job");
  return redirect(`/admin/jobs?retried=${jobId}`);
}

export default function AdminJobs() {
  const t = useT();
  const { locale } = useViewerI18n();
  const { dateTime } = useFormatDateTime();
  const { counts, dead, canRetry, deadLimit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const retried = params.get("retried");
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">{t("admin.jobs.title")}</h1>
      <p className="muted">{t("admin.jobs.lead")}</p>
      {retried && /^\d{1,16}$/.test(retried) && !actionData ? <Notice kind="success">{t("admin.jobs.retried", { id: retried })}</Notice> : null}
      <FormErrors state={actionData} />

      <section className="section" aria-labelledby="jobs-counts">
        <h2 id="jobs-counts">{t("admin.jobs.counts")}</h2>
        <dl className="facts">
          {(Object.keys(counts) as Array<keyof typeof counts>).map((status) => (
            <Fragment key={status}>
              <dt>{t(`admin.jobs.status.${status}`)}</dt>
              <dd>{status === "dead" && counts.dead > 0 ? <span className="badge badge-danger">{formatNumber(counts.dead, locale)}</span> : formatNumber(counts[status], locale)}</dd>
            </Fragment>
          ))}
        </dl>
      </section>

      <section className="section" aria-labelledby="jobs-dead">
        <h2 id="jobs-dead">{t("admin.jobs.dead")}</h2>
        {dead.length === 0 ? (
          <p>{t("admin.jobs.noDead")}</p>
        ) : (
          <>
            <p className="muted">{t("admin.jobs.deadHint", { count: deadLimit })}</p>
            {!canRetry ? <p className="muted">{t("admin.jobs.retryAdminsOnly")}</p> : null}
            <div className="table-wrap">
              <table className="data">
                <caption className="visually-hidden">{t("admin.jobs.dead")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("admin.jobs.col.id")}</th>
                    <th scope="col">{t("admin.jobs.col.type")}</th>
                    <th scope="col">{t("admin.jobs.col.attempts")}</th>
                    <th scope="col">{t("admin.jobs.col.failedAt")}</th>
                    <th scope="col">{t("admin.jobs.col.error")}</th>
                    {canRetry ? <th scope="col">{t("admin.col.actions")}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {dead.map((job) => (
                    <tr key={job.id}>
                      <th scope="row">{t("admin.jobs.jobId", { id: job.id })}</th>
                      <td>
                        <code>{job.type}</code>
                      </td>
                      <td>{t("admin.jobs.attempts", { attempts: job.attempts, max: job.maxAttempts })}</td>
                      <td>{job.finishedAt ? dateTime(job.finishedAt) : t("admin.none")}</td>
                      <td>
                        {job.lastError ? (
                          <details>
                            <summary>{t("admin.jobs.showError")}</summary>
                            <pre className="mail">{job.lastError}</pre>
                          </details>
                        ) : (
                          t("admin.none")
                        )}
                      </td>
                      {canRetry ? (
                        <td>
                          <Form method="post" className="inline-form">
                            <input type="hidden" name="intent" value="retry" />
                            <input type="hidden" name="jobId" value={job.id} />
                            <button type="submit" className="button button-small" disabled={busy} aria-label={t("admin.jobs.retryLabel", { id: job.id })}>
                              {t("admin.jobs.retry")}
                            </button>
                          </Form>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </section>
  );
}
