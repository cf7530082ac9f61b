import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AccountFields, adminMeta } from "../components/admin-ui";
import { FormErrors } from "../components/forms";
import { getDb } from "../db.server";
import { accountFormSchema } from "../features/accounts/accounts.schema";
import { createAccount, listStaffUsers } from "../features/accounts/accounts.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("admin.accounts.newTitle");

export async function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "accounts.manage");
  return json({ staff: await listStaffUsers(await getDb()) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "accounts.manage");
  const formData = await request.formData();
  const submission = parseForm(formData, accountFormSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await createAccount(await getDb(), actor, submission.data);
  if (!result.ok) {
    if ("fieldErrors" in result) return invalidForm(result.fieldErrors, formValues(formData));
    throw new Response("Forbidden", { status: 403 });
  }
  return redirect(`/admin/accounts/${result.id}?saved=created`);
}

export default function NewAccount() {
  const t = useT();
  const { staff } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="new-account-title" className="page narrow">
      <p>
        <Link to="/admin/accounts">{t("admin.accounts.back")}</Link>
      </p>
      <h1 id="new-account-title">{t("admin.accounts.newTitle")}</h1>
      <FormErrors state={actionData} />
      <Form method="post" className="stack" noValidate>
        <AccountFields state={actionData} staff={staff} />
        <button type="submit" className="button" disabled={busy}>
          {t("admin.accounts.create")}
        </button>
      </Form>
    </section>
  );
}
