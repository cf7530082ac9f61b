import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { SavedNotice } from "../components/admin-ui";
import { FormErrors, TextAreaField, type FormState } from "../components/forms";
import type { RootData } from "../components/root-data";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { memberModerationActionSchema, MODERATION_REASON_MAX, SUSPENSION_REASON_MAX } from "../features/forum/moderation.schema";
import { getMemberForModeration, suspendMember, unsuspendMember } from "../features/forum/moderation.server";
import { failedResult, parseRouteId } from "../features/forum/responses.server";
import { translate } from "../features/i18n/messages";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

/**
 * Suspending and unsuspending a member, for moderators and staff. The member profile (/members/<handle>)
 * links here; staff accounts are handled on /admin/users instead.
 */
export const meta: MetaFunction = ({ matches }) => {
  const locale = (matches.find((m) => m.id === "root")?.data as RootData | undefined)?.locale ?? "en";
  return [{ title: `${translate(locale, "moderation.member.title")} · ${translate(locale, "app.name")}` }, { name: "robots", content: "noindex" }];
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = requirePermission(context, request, "forum.moderate");
  const member = await getMemberForModeration(await getDb(), viewer, parseRouteId(params.userId));
  if (!member) throw new Response("Not found", { status: 404 });
  return json({ member });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "forum.moderate");
  const userId = parseRouteId(params.userId);
  const formData = await request.formData();
  const submission = parseForm(formData, memberModerationActionSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  const result =
    command.intent === "suspend"
      ? await suspendMember(db, actor, { userId, reason: command.reason })
      : await unsuspendMember(db, actor, { userId, reason: command.reason });
  if (!result.ok) return failedResult(result, formValues(formData));
  context.logger.info({ actorId: actor.id, targetId: userId, intent: command.intent }, "moderator changed a suspension");
  return redirect(`/moderation/members/${userId}?saved=${command.intent === "suspend" ? "suspended" : "unsuspended"}`);
}

const SAVED_MESSAGES = { suspended: "moderation.member.saved.suspended", unsuspended: "moderation.member.saved.unsuspended" } as const;

export default function ModerateMember() {
  const t = useT();
  const { dateTime } = useFormatDateTime();
  const { member } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const state: FormState | undefined = actionData;
  return (
    <section className="page narrow" aria-labelledby="moderate-member-title">
      <h1 id="moderate-member-title">
        {t("moderation.member.title")}: {member.displayName}{" "}
        {member.suspendedAt ? <span className="badge badge-danger">{t("moderation.action.suspend")}</span> : null}
      </h1>
      <SavedNotice messages={SAVED_MESSAGES} />
      <dl className="facts">
        <dt>{t("profile.handle")}</dt>
        <dd>@{member.handle}</dd>
        <dt>{t("moderation.member.role")}</dt>
        <dd>{t(`role.${member.role}`)}</dd>
        <dt>{t("moderation.member.joined")}</dt>
        <dd>{dateTime(member.createdAt)}</dd>
      </dl>
      {member.suspendedAt ? (
        <>
          <p>{t("moderation.member.suspendedSince", { date: dateTime(member.suspendedAt) })}</p>
          <dl className="facts">
            <dt>{t("moderation.member.reason")}</dt>
            <dd>{member.suspendedReason}</dd>
          </dl>
        </>
      ) : (
        <p>{t("moderation.member.notSuspended")}</p>
      )}
      {!member.canSuspend ? (
        <p className="muted">{t("moderation.member.cannotSuspend")}</p>
      ) : member.suspendedAt ? (
        <Form method="post" className="stack" noValidate>
          <FormErrors state={state} />
          <input type="hidden" name="intent" value="unsuspend" />
          <TextAreaField name="reason" label={t("moderation.member.unsuspendReason")} required maxLength={MODERATION_REASON_MAX} rows={3} state={state} />
          <button type="submit" className="button button-secondary" disabled={busy}>
            {t("moderation.member.unsuspend")}
          </button>
        </Form>
      ) : (
        <Form method="post" className="stack" noValidate>
          <FormErrors state={state} />
          <input type="hidden" name="intent" value="suspend" />
          <TextAreaField
            name="reason"
            label={t("moderation.member.reason")}
            hint={t("moderation.member.reasonHint")}
            required
            maxLength={SUSPENSION_REASON_MAX}
            rows={3}
            state={state}
          />
          <button type="submit" className="button button-danger" disabled={busy}>
            {t("moderation.member.suspend")}
          </button>
        </Form>
      )}
    </section>
  );
}
