import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { adminMeta, SavedNotice } from "../components/admin-ui";
import { FormErrors, SelectField, TextAreaField, TextField, type FormState } from "../components/forms";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { awardBadge, awardBadgeSchema, MANUAL_BADGES } from "../features/forum/badges.server";
import { championDecisionSchema, confirmChampion, listChampions, listNominations, revokeChampion } from "../features/forum/champions.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useFormatDateTime, useT, useTranslateError } from "../features/i18n/use-i18n";
import { refusal } from "../features/kb/admin-responses.server";

export const meta = adminMeta("members.admin.title");

/**
 * Several forms on one page, told apart by `intent`; "decline" revokes a candidacy without a grant. A
 * function, not a module constant: the commands' schemas are server code, absent from the browser bundle.
 */
function actionSchema() {
  return z.discriminatedUnion("intent", [
    championDecisionSchema.extend({ intent: z.literal("confirm") }),
    championDecisionSchema.extend({ intent: z.literal("revoke") }),
    championDecisionSchema.extend({ intent: z.literal("decline") }),
    awardBadgeSchema.extend({ intent: z.literal("award") }),
  ]);
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "forum.staff");
  const db = await getDb();
  const [candidates, champions] = await Promise.all([listNominations(db, "candidate"), listChampions(db)]);
  return json({
    candidates: candidates.map((c) => ({
      userId: c.userId,
      handle: c.handle,
      displayName: c.displayName,
      candidateAt: c.candidateAt,
      reputation: c.reputation,
      acceptedAnswers: c.acceptedAnswers,
      evidence: {
        accepted: Number(c.evidence.acceptedAnswers ?? 0),
        days: Number(c.evidence.windowDays ?? 0),
        reputation: Number(c.evidence.reputation ?? 0),
      },
    })),
    champions: champions.map((c) => ({ userId: c.userId, handle: c.handle, displayName: c.displayName, championAt: c.championAt })),
    // The catalog is server code; the form only needs the choices, in the viewer's language.
    manualBadges: MANUAL_BADGES.map((b) => ({ value: b.slug, label: context.locale === "ja" ? b.nameJa : b.nameEn })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "forum.staff");
  const formData = await request.formData();
  const submission = parseForm(formData, actionSchema());
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const command = submission.data;
  const db = await getDb();
  const result =
    command.intent === "award"
      ? await awardBadge(db, actor, command)
      : command.intent === "confirm"
        ? await confirmChampion(db, actor, command)
        : await revokeChampion(db, actor, command);
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, formValues(formData));
    throw refusal(result.reason === "not_found" ? "not_found" : "forbidden");
  }
  const saved = { confirm: "confirmed", revoke: "revoked", decline: "declined", award: "awarded" }[command.intent];
  return redirect(`/admin/forum/champions?saved=${saved}`);
}

/**
 * The note field of one member's form. The shared TextField names its element by the field's name, and
 * this page has one note form per member, so each gets its own id here.
 */
function NoteField({ id, hint, state }: { id: string; hint?: boolean; state?: FormState }) {
  const t = useT();
  const translateError = useTranslateError();
  const errors = state?.errors?.note;
  const described = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={errors?.length ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{t("members.admin.note")}</label>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {t("members.admin.noteHint")}
        </p>
      ) : null}
      <textarea id={id} name="note" rows={2} required maxLength={500} defaultValue={state?.values?.note} aria-invalid={errors?.length ? true : undefined} aria-describedby={described} />
      {errors?.length ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {errors.map(translateError).join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export default function AdminChampions() {
  const t = useT();
  const { date } = useFormatDateTime();
  const { candidates, champions, manualBadges } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormState | undefined;
  const busy = useNavigation().state === "submitting";
  // A failed form is shown again only where it was submitted (same intent and member).
  const stateFor = (intent: string, userId?: number) =>
    actionData?.values?.intent === intent && (userId === undefined || actionData.values.userId === String(userId)) ? actionData : undefined;
  const awardState = stateFor("award");

  return (
    <section aria-labelledby="champions-admin-title">
      <h1 id="champions-admin-title">{t("members.admin.title")}</h1>
      <SavedNotice
        messages={{
          confirmed: "members.admin.saved.confirmed",
          revoked: "members.admin.saved.revoked",
          declined: "members.admin.saved.declined",
          awarded: "members.admin.saved.awarded",
        }}
      />

      <section className="section" aria-labelledby="candidates-title">
        <h2 id="candidates-title">{t("members.admin.candidates")}</h2>
        <p className="muted">{t("members.admin.candidatesLead")}</p>
        {candidates.length === 0 ? (
          <p>{t("members.admin.noCandidates")}</p>
        ) : (
          <ul className="stack">
            {candidates.map((c) => {
              const confirmState = stateFor("confirm", c.userId);
              const declineState = stateFor("decline", c.userId);
              return (
                <li key={c.userId} className="card">
                  <h3>
                    <Link to={`/members/${c.handle}`}>{c.displayName}</Link> <span className="muted">@{c.handle}</span>
                  </h3>
                  <p>{t("members.admin.evidence", c.evidence)}</p>
                  <p className="muted">
                    {t("members.admin.current", { reputation: c.reputation, accepted: c.acceptedAnswers })} · {t("members.admin.candidateSince", { date: date(c.candidateAt) })}
                  </p>
                  <Form method="post" className="stack" noValidate>
                    <FormErrors state={confirmState ?? declineState} />
                    <input type="hidden" name="userId" value={c.userId} />
                    <NoteField id={`candidate-note-${c.userId}`} hint state={confirmState ?? declineState} />
                    <div className="toolbar">
                      <button type="submit" name="intent" value="confirm" className="button" disabled={busy}>
                        {t("members.admin.confirm", { name: c.displayName })}
                      </button>
                      <button type="submit" name="intent" value="decline" className="button button-secondary" disabled={busy}>
                        {t("members.admin.decline")}
                      </button>
                    </div>
                  </Form>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="current-champions-title">
        <h2 id="current-champions-title">{t("members.admin.champions")}</h2>
        {champions.length === 0 ? (
          <p>{t("members.admin.noChampions")}</p>
        ) : (
          <ul className="stack">
            {champions.map((c) => {
              const revokeState = stateFor("revoke", c.userId);
              return (
                <li key={c.userId} className="card">
                  <h3>
                    <Link to={`/members/${c.handle}`}>{c.displayName}</Link> <span className="muted">@{c.handle} · {t("members.champions.since", { date: date(c.championAt) })}</span>
                  </h3>
                  <Form method="post" className="stack" noValidate>
                    <FormErrors state={revokeState} />
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="userId" value={c.userId} />
                    <NoteField id={`revoke-note-${c.userId}`} state={revokeState} />
                    <button type="submit" className="button button-danger" disabled={busy}>
                      {t("members.admin.revoke", { name: c.displayName })}
                    </button>
                  </Form>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="award-title">
        <h2 id="award-title">{t("members.admin.award")}</h2>
        <p className="muted">{t("members.admin.awardLead")}</p>
        <Form method="post" className="stack" noValidate>
          <FormErrors state={awardState} />
          <input type="hidden" name="intent" value="award" />
          <TextField name="handle" label={t("members.admin.handle")} required maxLength={30} autoComplete="off" state={awardState} />
          <SelectField
            name="badge"
            label={t("members.admin.badge")}
            required
            state={awardState}
            options={[{ value: "", label: t("members.admin.chooseBadge") }, ...manualBadges]}
          />
          <TextAreaField name="reason" label={t("members.admin.reason")} required maxLength={500} rows={3} state={awardState} />
          <button type="submit" className="button" disabled={busy}>
            {t("members.admin.awardAction")}
          </button>
        </Form>
      </section>
    </section>
  );
}
