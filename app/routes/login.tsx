import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormErrors, TextField } from "../components/forms";
import { getDb } from "../db.server";
import { loginSchema } from "../features/auth/auth.schema";
import { signIn } from "../features/auth/auth.server";
import { safeRedirectPath } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm, rateLimitedForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta: MetaFunction = () => [{ title: "Sign in · Hearth" }];

export function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseForm(await request.formData(), loginSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const { email, password, redirectTo } = submission.data;
  const result = await signIn(await getDb(), { email, password }, { ip: context.clientIp });
  if (!result.ok) {
    if (result.reason === "rate_limited") return rateLimitedForm(result.retryAfterSeconds, { email });
    return invalidForm({ _form: [result.reason === "suspended" ? "auth.login.suspended" : "auth.login.invalid"] }, { email }, 400);
  }
  return redirect(safeRedirectPath(redirectTo), { headers: { "Set-Cookie": result.setCookie } });
}

export default function Login() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const rateMinutes = actionData && "retryAfterMinutes" in actionData ? actionData.retryAfterMinutes : undefined;
  return (
    <section className="page narrow" aria-labelledby="login-title">
      <h1 id="login-title">{t("auth.login.title")}</h1>
      {rateMinutes ? (
        <div className="notice notice-error" role="alert">
          {t("form.rateLimited", { minutes: rateMinutes })}
        </div>
      ) : (
        <FormErrors state={actionData} />
      )}
      <Form method="post" className="stack" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField name="email" type="email" label={t("auth.email")} autoComplete="email" required state={actionData} />
        <TextField name="password" type="password" label={t("auth.password")} autoComplete="current-password" required state={actionData} />
        <button type="submit" className="button" disabled={busy}>
          {t("auth.login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("auth.login.forgot")}</Link>
      </p>
      <p>
        <Link to="/signup">{t("auth.login.noAccount")}</Link>
      </p>
    </section>
  );
}
