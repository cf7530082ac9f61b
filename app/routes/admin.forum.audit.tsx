import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { adminMeta, Pagination } from "../components/admin-ui";
import { getDb } from "../db.server";
import { queryValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { AUDIT_ACTIONS, auditQuerySchema, type AuditAction } from "../features/forum/moderation.schema";
import { listAuditLog } from "../features/forum/queues.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("moderation.audit.title");

const isAuditAction = (value: string | undefined): value is AuditAction => !!value && (AUDIT_ACTIONS as readonly string[]).includes(value);

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "forum.staff");
  const query = auditQuerySchema.parse(queryValues(request.url));
  const action = isAuditAction(query.action) ? query.action : undefined;
  const page = await listAuditLog(await getDb(), { action, actor: query.actor, page: query.page });
  return json({ page, filters: { action: action ?? "", actor: query.actor ?? "" } });
}

const TARGET_TYPES = ["question", "answer", "comment", "user"] as const;
type TargetType = (typeof TARGET_TYPES)[number];
const isTargetType = (value: string): value is TargetType => (TARGET_TYPES as readonly string[]).includes(value);

export default function ForumAuditLog() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { page, filters } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="audit-title">
      <p>
        <Link to="/admin/forum">{t("moderation.audit.back")}</Link>
      </p>
      <h1 id="audit-title">{t("moderation.audit.title")}</h1>
      <p className="muted">{t("moderation.audit.lead")}</p>
      <Form method="get" className="toolbar">
        <div className="field">
          <label htmlFor="audit-action">{t("moderation.audit.filterAction")}</label>
          <select id="audit-action" name="action" defaultValue={filters.action}>
            <option value="">{t("moderation.audit.anyAction")}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {t(`moderation.action.${action}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t("moderation.audit.filterActor")}</label>
          <input id="audit-actor" name="actor" defaultValue={filters.actor} maxLength={60} />
        </div>
        <button type="submit" className="button button-secondary">
          {t("moderation.audit.filter")}
        </button>
      </Form>
      {page.items.length === 0 ? (
        <p>{t("moderation.audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("moderation.audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("moderation.audit.col.when")}</th>
                <th scope="col">{t("moderation.audit.col.actor")}</th>
                <th scope="col">{t("moderation.audit.col.action")}</th>
                <th scope="col">{t("moderation.audit.col.target")}</th>
                <th scope="col">{t("moderation.audit.col.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => {
                const questionId = typeof entry.metadata.questionId === "number" ? entry.metadata.questionId : null;
                const targetLabel = `${isTargetType(entry.targetType) ? t(`moderation.targetType.${entry.targetType}`) : entry.targetType} #${entry.targetId}`;
                return (
                  <tr key={entry.id}>
                    <td>{dateTime(entry.createdAt)}</td>
                    <td>{entry.actorName ? `${entry.actorName} (@${entry.actorHandle})` : t("moderation.audit.system")}</td>
                    <td>{isAuditAction(entry.action) ? t(`moderation.action.${entry.action}`) : entry.action}</td>
                    <td>
                      {entry.targetType === "user" ? (
                        <Link to={`/moderation/members/${entry.targetId}`}>{targetLabel}</Link>
                      ) : questionId ? (
                        <Link to={`/questions/${questionId}`}>{targetLabel}</Link>
                      ) : (
                        targetLabel
                      )}
                    </td>
                    <td>{entry.reason}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page.page} pageCount={page.pageCount} />
    </section>
  );
}
