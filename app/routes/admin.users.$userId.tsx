import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import { FormErrors, SelectField, TextAreaField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues, recordIdSchema } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { can } from "../features/auth/permissions";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";
import { ROLES, SUSPENSION_REASON_MAX, userPageActionSchema } from "../features/users/users.schema";
import { changeUserRole, getUserForAdmin, RECENT_ACTIVITY_DAYS, suspendUser, unsuspendUser } from "../features/users/users.server";

export const meta = adminMeta("admin.users.title");

function parseUserId(value: string | undefined): number {
  const id = recordIdSchema.safeParse(value);
  if (!id.success) throw new Response("Not found", { status: 404 });
  return id.data;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "users.view");
  const user = await getUserForAdmin(await getDb(), parseUserId(params.userId));
  if (!user) throw new Response("Not found", { status: 404 });
  return json({
    user,
    recentDays: RECENT_ACTIVITY_DAYS,
    allowed: { changeRole: can(viewer, "users.changeRole", user), suspend: can(viewer, "users.suspend", user) },
  });
}

const SAVED = { changeRole: "role", suspend: "suspended", unsuspend: "unsuspended" } as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  requirePermission(context, request, "users.view");
  const userId = parseUserId(params.userId);
  const formData = await request.formData();
  const submission = parseForm(formData, userPageActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  // The target-specific check (rank, not oneself) is made by the command against the stored role.
  const actor = requirePermission(context, request, command.intent === "changeRole" ? "users.changeRole" : "users.suspend");
  const db = await getDb();
  const result =
    command.intent === "changeRole"
      ? await changeUserRole(db, actor, userId, command.role)
      : command.intent === "suspend"
        ? await suspendUser(db, actor, userId, command.reason)
        : await unsuspendUser(db, actor, userId);
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, formValues(formData));
    throw new Response(result.reason === "forbidden" ? "Forbidden" : "Not found", { status: result.reason === "forbidden" ? 403 : 404 });
  }
  context.logger.info({ actorId: actor.id, targetId: userId, intent: command.intent }, "staff changed a user");
  return redirect(`/admin/users/${userId}?saved=${SAVED[command.intent]}`);
}

const SAVED_MESSAGES = {
  role: "admin.users.saved.role",
  suspended: "admin.users.saved.suspended",
  unsuspended: "admin.users.saved.unsuspended",
} as const;

export default function AdminUser() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { user, recentDays, allowed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const stateFor = (intent: string): FormState | undefined => (actionData?.values?.intent === intent ? actionData : undefined);
  return (
    <section aria-labelledby="user-title">
      <p>
        <Link to="/admin/users">{t("admin.users.back")}</Link>
      </p>
      <h1 id="user-title">
        {user.displayName}{" "}
        {user.suspendedAt ? <span className="badge badge-danger">{t("admin.users.status.suspended")}</span> : null}
      </h1>
      <SavedNotice messages={SAVED_MESSAGES} />

      <section className="section" aria-labelledby="user-profile">
        <h2 id="user-profile">{t("admin.users.profile")}</h2>
        <dl className="facts">
          <dt>{t("admin.users.col.email")}</dt>
          <dd>{user.email}</dd>
          <dt>{t("admin.users.emailConfirmed")}</dt>
          <dd>{user.emailVerifiedAt ? dateTime(user.emailVerifiedAt) : t("admin.no")}</dd>
          <dt>{t("admin.users.col.handle")}</dt>
          <dd>@{user.handle}</dd>
          <dt>{t("admin.users.role")}</dt>
          <dd>{t(`role.${user.role}`)}</dd>
          <dt>{t("admin.users.col.account")}</dt>
          <dd>{user.accountId ? <Link to={`/admin/accounts/${user.accountId}`}>{user.accountName}</Link> : t("admin.none")}</dd>
          {user.membershipSource ? (
            <>
              <dt>{t("admin.users.membership")}</dt>
              <dd>
                {t(`admin.membership.source.${user.membershipSource}`)}
                {user.membershipIsStaffOverride ? (
                  <>
                    {" "}
                    <span className="badge">{t("admin.membership.pinned")}</span>
                  </>
                ) : null}
              </dd>
            </>
          ) : null}
          <dt>{t("admin.users.language")}</dt>
          <dd>{user.locale ? t(`language.${user.locale}`) : t("admin.none")}</dd>
          <dt>{t("admin.users.timeZone")}</dt>
          <dd>{user.timeZone ?? t("admin.none")}</dd>
          <dt>{t("admin.users.col.joined")}</dt>
          <dd>{dateTime(user.createdAt)}</dd>
          <dt>{t("admin.users.recentActivity", { days: recentDays })}</dt>
          <dd>{user.recentActivityCount}</dd>
        </dl>
      </section>

      <section className="section" aria-labelledby="user-role">
        <h2 id="user-role">{t("admin.users.roleSection")}</h2>
        {allowed.changeRole ? (
          <Form method="post" className="stack" noValidate>
            <FormErrors state={stateFor("changeRole")} />
            <input type="hidden" name="intent" value="changeRole" />
            <SelectField
              name="role"
              label={t("admin.users.newRole")}
              hint={t("admin.users.roleHint")}
              defaultValue={user.role}
              options={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))}
              state={stateFor("changeRole")}
            />
            <button type="submit" className="button" disabled={busy}>
              {t("admin.users.changeRole")}
            </button>
          </Form>
        ) : (
          <>
            <dl className="facts">
              <dt>{t("admin.users.currentRole")}</dt>
              <dd>{t(`role.${user.role}`)}</dd>
            </dl>
            <p className="muted">{t("admin.users.roleLocked")}</p>
          </>
        )}
      </section>

      <section className="section" aria-labelledby="user-suspension">
        <h2 id="user-suspension">{t("admin.users.suspension")}</h2>
        {user.suspendedAt ? (
          <>
            <p>{t("admin.users.suspendedSince", { date: dateTime(user.suspendedAt) })}</p>
            <dl className="facts">
              <dt>{t("admin.users.reason")}</dt>
              <dd>{user.suspendedReason ?? t("admin.none")}</dd>
            </dl>
          </>
        ) : (
          <p>{t("admin.users.notSuspended")}</p>
        )}
        {!allowed.suspend ? (
          <p className="muted">{t("admin.users.suspendLocked")}</p>
        ) : user.suspendedAt ? (
          <Form method="post" className="stack">
            <FormErrors state={stateFor("unsuspend")} />
            <input type="hidden" name="intent" value="unsuspend" />
            <button type="submit" className="button button-secondary" disabled={busy}>
              {t("admin.users.unsuspend")}
            </button>
          </Form>
        ) : (
          <Form method="post" className="stack" noValidate>
            <FormErrors state={stateFor("suspend")} />
            <input type="hidden" name="intent" value="suspend" />
            <p className="muted">{t("admin.users.suspendHint")}</p>
            <TextAreaField
              name="reason"
              label={t("admin.users.reason")}
              hint={t("admin.users.reasonHint")}
              required
              maxLength={SUSPENSION_REASON_MAX}
              rows={3}
              state={stateFor("suspend")}
            />
            <button type="submit" className="button button-danger" disabled={busy}>
              {t("admin.users.suspend")}
            </button>
          </Form>
        )}
      </section>
    </section>
  );
}
