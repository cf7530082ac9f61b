import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrors, Notice, SelectField, TextAreaField, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { profileSchema } from "../features/auth/auth.schema";
import { getProfile, updateProfile } from "../features/auth/auth.server";
import { requireUser } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { isTimeZone } from "../features/i18n/locale";
import { useFormatDateTime, useT } from "../features/i18n/use-i18n";

export const meta: MetaFunction = () => [{ title: "Profile · Hearth" }];

const TIME_ZONES: readonly string[] = Intl.supportedValuesOf("timeZone");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const profile = await getProfile(await getDb(), user.id);
  if (!profile) throw new Response("Not found", { status: 404 });
  return json({ profile, timeZones: TIME_ZONES });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const formData = await request.formData();
  // An empty select means "no preference".
  if (formData.get("locale") === "") formData.delete("locale");
  const submission = parseForm(formData, profileSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await updateProfile(await getDb(), user.id, submission.data, isTimeZone);
  if (!result.ok) return invalidForm(result.fieldErrors, Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)])));
  return json({ saved: true as const });
}

export default function ProfileSettings() {
  const t = useT();
  const { date } = useFormatDateTime();
  const { profile, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const form = actionData && "errors" in actionData ? actionData : undefined;
  return (
    <section className="page narrow" aria-labelledby="profile-title">
      <h1 id="profile-title">{t("profile.title")}</h1>
      <p className="muted">
        {profile.email} · {t("profile.memberSince", { date: date(profile.createdAt) })}
      </p>
      <p>
        <Link to="/settings/notifications">{t("notifications.settings.profileLink")}</Link> ·{" "}
        <Link to="/settings/calendar">{t("calendar.settings.profileLink")}</Link>
      </p>
      {!profile.emailVerifiedAt ? <Notice>{t("profile.emailUnverified")}</Notice> : null}
      {actionData && "saved" in actionData ? <Notice kind="success">{t("form.saved")}</Notice> : <FormErrors state={form} />}
      <Form method="post" className="stack" noValidate>
        <TextField name="displayName" label={t("auth.displayName")} defaultValue={profile.displayName} required maxLength={80} state={form} />
        <TextField name="handle" label={t("profile.handle")} hint={t("profile.handleHint")} defaultValue={profile.handle} required maxLength={30} state={form} />
        <SelectField
          name="locale"
          label={t("profile.locale")}
          defaultValue={profile.locale ?? ""}
          state={form}
          options={[
            { value: "", label: t("profile.localeAuto") },
            { value: "en", label: t("language.en") },
            { value: "ja", label: t("language.ja") },
          ]}
        />
        <SelectField
          name="timeZone"
          label={t("profile.timeZone")}
          defaultValue={profile.timeZone ?? ""}
          state={form}
          options={[{ value: "", label: "—" }, ...timeZones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))]}
        />
        <TextAreaField name="bio" label={t("profile.bio")} hint={t("profile.bioHint")} defaultValue={profile.bio} rows={5} maxLength={1000} state={form} />
        <button type="submit" className="button" disabled={busy}>
          {t("form.save")}
        </button>
      </Form>
    </section>
  );
}
