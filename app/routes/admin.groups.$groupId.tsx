import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import { FormErrors, TextField, type FormState } from "../components/forms";
import { GroupFormFields } from "../components/groups/group-form";
import groupStyles from "../components/groups/groups.css";
import { PersonName } from "../components/groups/people";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { adminGroupActionSchema, type AdminGroupAction } from "../features/events/groups.schema";
import { appointGroupLeader, getGroupForAdmin, setGroupArchived, setGroupLeader, updateGroup } from "../features/events/groups.server";
import { groupManagePath, groupPath } from "../features/events/paths";
import { failedEventResult, parseEventRouteId } from "../features/events/responses.server";
import type { EventResult } from "../features/events/result";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("groups.admin.title");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  requirePermission(context, request, "groups.manage");
  const view = await getGroupForAdmin(await getDb(), parseEventRouteId(params.groupId));
  if (!view) throw new Response("Not found", { status: 404 });
  return json(view);
}

const SAVED = {
  update: "updated",
  archive: "archived",
  unarchive: "restored",
  addLeader: "leaderAdded",
  removeLeader: "leaderRemoved",
} as const satisfies Record<AdminGroupAction["intent"], string>;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "groups.manage");
  const groupId = parseEventRouteId(params.groupId);
  const formData = await request.formData();
  const submission = parseForm(formData, adminGroupActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  let result: EventResult;
  switch (command.intent) {
    case "update": {
      const { intent: _intent, ...input } = command;
      result = await updateGroup(db, actor, groupId, input);
      break;
    }
    case "archive":
    case "unarchive":
      result = await setGroupArchived(db, actor, groupId, command.intent === "archive");
      break;
    case "addLeader":
      result = await appointGroupLeader(db, actor, { groupId, identifier: command.identifier });
      break;
    case "removeLeader":
      result = await setGroupLeader(db, actor, { groupId, userId: command.userId, leader: false });
      break;
  }
  if (!result.ok) return failedEventResult(result, formValues(formData));
  return redirect(`/admin/groups/${groupId}?saved=${SAVED[command.intent]}`);
}

const SAVED_MESSAGES = {
  created: "groups.admin.saved.created",
  updated: "groups.admin.saved.updated",
  archived: "groups.admin.saved.archived",
  restored: "groups.admin.saved.restored",
  leaderAdded: "groups.admin.saved.leaderAdded",
  leaderRemoved: "groups.admin.saved.leaderRemoved",
} as const;

export default function AdminGroup() {
  const t = useT();
  const { date } = useFormatDateTime();
  const { group, members, pendingCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const stateFor = (intent: AdminGroupAction["intent"]): FormState | undefined =>
    actionData && "errors" in actionData && (actionData.values as Record<string, string> | undefined)?.intent === intent ? (actionData as FormState) : undefined;
  const leaders = members.filter((m) => m.role === "leader");
  return (
    <section aria-labelledby="group-title">
      <p>
        <Link to="/admin/groups">{t("groups.admin.back")}</Link>
      </p>
      <h1 id="group-title">
        {group.name} {group.archived ? <span className="badge">{t("groups.admin.archivedBadge")}</span> : null}
      </h1>
      <p>
        <Link to={groupPath(group.slug)}>{t("groups.admin.viewPage")}</Link>
        {" · "}
        <Link to={groupManagePath(group.slug)}>{t("groups.admin.managePage")}</Link>
      </p>
      <SavedNotice messages={SAVED_MESSAGES} />
      {pendingCount > 0 ? <p className="notice notice-info">{t("groups.admin.pendingCount", { count: pendingCount })}</p> : null}

      <section className="section" aria-labelledby="group-details">
        <h2 id="group-details">{t("groups.admin.details")}</h2>
        <Form method="post" className="stack" noValidate>
          <FormErrors state={stateFor("update")} />
          <input type="hidden" name="intent" value="update" />
          <GroupFormFields state={stateFor("update")} defaults={{ ...group }} />
          <button type="submit" className="button" disabled={busy}>
            {t("form.save")}
          </button>
        </Form>
      </section>

      <section className="section" aria-labelledby="group-leaders">
        <h2 id="group-leaders">{t("groups.admin.leaders")}</h2>
        {leaders.length === 0 ? (
          <p className="muted">{t("groups.page.noLeaders")}</p>
        ) : (
          <ul className="group-requests">
            {leaders.map((l) => (
              <li key={l.id}>
                <span>
                  <PersonName person={l} /> <span className="muted">{l.email}</span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="removeLeader" />
                  <input type="hidden" name="userId" value={l.id} />
                  <button type="submit" className="button button-small button-secondary" disabled={busy} aria-label={t("groups.admin.removeLeaderLabel", { name: l.displayName })}>
                    {t("groups.admin.removeLeader")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <Form method="post" className="stack" noValidate>
          <FormErrors state={stateFor("addLeader")} />
          <input type="hidden" name="intent" value="addLeader" />
          <TextField
            name="identifier"
            label={t("groups.admin.identifier")}
            hint={t("groups.admin.identifierHint")}
            required
            maxLength={254}
            autoComplete="off"
            spellCheck={false}
            state={stateFor("addLeader")}
          />
          <button type="submit" className="button button-secondary" disabled={busy}>
            {t("groups.admin.makeLeader")}
          </button>
        </Form>
      </section>

      <section className="section" aria-labelledby="group-members">
        <h2 id="group-members">
          {t("groups.admin.members")} <span className="badge">{group.memberCount}</span>
        </h2>
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{t("groups.admin.members")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("groups.manage.col.name")}</th>
                <th scope="col">{t("groups.admin.col.email")}</th>
                <th scope="col">{t("groups.manage.col.role")}</th>
                <th scope="col">{t("groups.manage.col.joined")}</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">
                    <Link to={`/admin/users/${m.id}`}>{m.displayName}</Link>
                  </th>
                  <td>{m.email}</td>
                  <td>{t(m.role === "leader" ? "groups.role.leader" : "groups.role.member")}</td>
                  <td>{m.joinedAt ? date(m.joinedAt) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="section" aria-labelledby="group-archive">
        <h2 id="group-archive">{group.archived ? t("groups.admin.unarchive") : t("groups.admin.archive")}</h2>
        <p className="muted">{t("groups.admin.archiveHint")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value={group.archived ? "unarchive" : "archive"} />
          <button type="submit" className={group.archived ? "button button-secondary" : "button button-danger"} disabled={busy}>
            {group.archived ? t("groups.admin.unarchive") : t("groups.admin.archive")}
          </button>
        </Form>
      </section>
    </section>
  );
}
