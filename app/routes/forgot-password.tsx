import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { FormErrors, Notice, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { forgotPasswordSchema } from "../features/auth/auth.schema";
import { requestPasswordReset } from "../features/auth/auth.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm, rateLimitedForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta: MetaFunction = () => [{ title: "Reset password · Hearth" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), forgotPasswordSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await requestPasswordReset(await getDb(), submission.data.email, { ip: context.clientIp, locale: context.locale });
  if (!result.ok) return rateLimitedForm(result.retryAfterSeconds, { email: submission.data.email });
  return json({ sent: true as const });
}

export default function ForgotPassword() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const form = actionData && "errors" in actionData ? actionData : undefined;
  const rateMinutes = actionData && "retryAfterMinutes" in actionData ? actionData.retryAfterMinutes : undefined;
  return (
    <section className="page narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t("auth.forgot.title")}</h1>
      {actionData && "sent" in actionData ? (
        <Notice kind="success">{t("auth.forgot.sent")}</Notice>
      ) : (
        <>
          <p>{t("auth.forgot.lead")}</p>
          {rateMinutes ? <Notice kind="error">{t("form.rateLimited", { minutes: rateMinutes })}</Notice> : <FormErrors state={form} />}
          <Form method="post" className="stack" noValidate>
            <TextField name="email" type="email" label={t("auth.email")} autoComplete="email" required state={form} />
            <button type="submit" className="button" disabled={busy}>
              {t("auth.forgot.submit")}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
