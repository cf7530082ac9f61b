import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import { formatEventStart } from "../components/events/event-time";
import { GroupKindBadge } from "../components/groups/group-card";
import { DecideRequestForm } from "../components/groups/decide-request";
import groupStyles from "../components/groups/groups.css";
import { getDb } from "../db.server";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { decideRequestSchema } from "../features/events/groups.schema";
import { decideJoinRequest, getGroupsAdminOverview } from "../features/events/groups.server";
import { groupPath } from "../features/events/paths";
import { failedEventResult } from "../features/events/responses.server";
import { useFormatDateTime, useT, useViewerI18n } from "../features/i18n/use-i18n";

export const meta = adminMeta("groups.admin.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "groups.manage");
  return json(await getGroupsAdminOverview(await getDb()));
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "groups.manage");
  const submission = parseForm(await request.formData(), decideRequestSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const { intent, groupId, userId } = submission.data;
  const result = await decideJoinRequest(await getDb(), actor, { groupId, userId, approve: intent === "approve" });
  if (!result.ok) return failedEventResult(result, {});
  return redirect(`/admin/groups?saved=${intent === "approve" ? "approved" : "declined"}`);
}

const SAVED_MESSAGES = { approved: "groups.saved.approved", declined: "groups.saved.declined" } as const;

export default function AdminGroups() {
  const t = useT();
  const { date } = useFormatDateTime();
  const { locale, timeZone } = useViewerI18n();
  const { groups, pending } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="groups-title">
      <div className="group-section-head">
        <h1 id="groups-title">{t("groups.admin.title")}</h1>
        <Link className="button" to="/admin/groups/new">
          {t("groups.admin.new")}
        </Link>
      </div>
      <SavedNotice messages={SAVED_MESSAGES} />

      <section className="section" aria-labelledby="groups-pending">
        <h2 id="groups-pending">
          {t("groups.admin.pending")} {pending.length ? <span className="badge badge-warn">{pending.length}</span> : null}
        </h2>
        {pending.length === 0 ? (
          <p className="muted">{t("groups.admin.noPending")}</p>
        ) : (
          <ul className="group-requests">
            {pending.map((p) => (
              <li key={`${p.groupId}-${p.userId}`}>
                <div>
                  <Link to={`/admin/users/${p.userId}`}>{p.displayName}</Link>
                  {" → "}
                  <Link to={groupPath(p.groupSlug)}>{p.groupName}</Link>
                  <br />
                  <span className="muted">{t("groups.manage.requestedAt", { date: date(p.requestedAt) })}</span>
                </div>
                <DecideRequestForm groupId={p.groupId} userId={p.userId} name={p.displayName} small />
              </li>
            ))}
          </ul>
        )}
      </section>

      {groups.length === 0 ? (
        <p>{t("groups.admin.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("groups.admin.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("groups.admin.col.name")}</th>
                <th scope="col">{t("groups.admin.col.kind")}</th>
                <th scope="col" className="numeric">{t("groups.admin.col.members")}</th>
                <th scope="col" className="numeric">{t("groups.admin.col.pending")}</th>
                <th scope="col">{t("groups.admin.col.next")}</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id}>
                  <th scope="row">
                    <Link to={`/admin/groups/${g.id}`}>{g.name}</Link> {g.archived ? <span className="badge">{t("groups.admin.archivedBadge")}</span> : null}
                  </th>
                  <td>
                    <GroupKindBadge kind={g.kind} />
                  </td>
                  <td className="numeric">{g.memberCount}</td>
                  <td className="numeric">{g.pendingCount || "—"}</td>
                  <td>{g.nextEventAt ? <time dateTime={g.nextEventAt}>{formatEventStart(g.nextEventAt, locale, timeZone)}</time> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
