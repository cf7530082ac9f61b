import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { FormErrors, Notice, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { signupSchema } from "../features/auth/auth.schema";
import { signUp } from "../features/auth/auth.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm, rateLimitedForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta: MetaFunction = () => [{ title: "Sign up · Hearth" }];

export function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), signupSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await signUp(await getDb(), submission.data, {
    ip: context.clientIp,
    locale: context.locale,
    timeZone: context.timeZone === "UTC" ? null : context.timeZone,
  });
  if (!result.ok) return rateLimitedForm(result.retryAfterSeconds, { email: submission.data.email, displayName: submission.data.displayName });
  return json({ sentTo: submission.data.email });
}

export default function Signup() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (actionData && "sentTo" in actionData) {
    return (
      <section className="page narrow" aria-labelledby="signup-title">
        <h1 id="signup-title">{t("auth.signup.checkInbox.title")}</h1>
        <Notice kind="success">{t("auth.signup.checkInbox.body", { email: actionData.sentTo })}</Notice>
        <p>
          <Link to="/login">{t("nav.signIn")}</Link>
        </p>
      </section>
    );
  }
  const form = actionData && "errors" in actionData ? actionData : undefined;
  const rateMinutes = actionData && "retryAfterMinutes" in actionData ? actionData.retryAfterMinutes : undefined;
  return (
    <section className="page narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">{t("auth.signup.title")}</h1>
      {rateMinutes ? <Notice kind="error">{t("form.rateLimited", { minutes: rateMinutes })}</Notice> : <FormErrors state={form} />}
      <Form method="post" className="stack" noValidate>
        <TextField name="displayName" label={t("auth.displayName")} autoComplete="name" required maxLength={80} state={form} />
        <TextField name="email" type="email" label={t("auth.email")} autoComplete="email" required state={form} />
        <TextField
          name="password"
          type="password"
          label={t("auth.password")}
          hint={t("auth.passwordHint")}
          autoComplete="new-password"
          required
          minLength={10}
          state={form}
        />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.signup.submit")}
        </button>
      </Form>
      <p>
        <Link to="/login">{t("auth.signup.haveAccount")}</Link>
      </p>
    </section>
  );
}
