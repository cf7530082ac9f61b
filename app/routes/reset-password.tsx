import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors, Notice, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { resetPasswordSchema } from "../features/auth/auth.schema";
import { isPasswordResetTokenValid, resetPassword } from "../features/auth/auth.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Hearth" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const valid = token.length >= 20 && token.length <= 200 && (await isPasswordResetTokenValid(await getDb(), token));
  return json({ token: valid ? token : null }, { headers: { "Referrer-Policy": "no-referrer" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), resetPasswordSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await resetPassword(await getDb(), submission.data.token, submission.data.password);
  if (!result) return invalidForm({ _form: ["auth.reset.invalidToken"] });
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const t = useT();
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="page narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t("auth.reset.title")}</h1>
      {token ? (
        <>
          <FormErrors state={actionData} />
          <Form method="post" className="stack" noValidate>
            <input type="hidden" name="token" value={token} />
            <TextField name="password" type="password" label={t("auth.newPassword")} hint={t("auth.passwordHint")} autoComplete="new-password" required state={actionData} />
            <TextField name="confirmPassword" type="password" label={t("auth.confirmPassword")} autoComplete="new-password" required state={actionData} />
            <button type="submit" className="button">
              {t("auth.reset.submit")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <Notice kind="error">{t("auth.reset.invalidToken")}</Notice>
          <p>
            <Link to="/forgot-password">{t("auth.forgot.submit")}</Link>
          </p>
        </>
      )}
    </section>
  );
}
