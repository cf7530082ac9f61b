import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { adminMeta } from "../components/admin-ui";
import { FormErrors, type FormState } from "../components/forms";
import { GroupFormFields } from "../components/groups/group-form";
import { getDb } from "../db.server";
import { formValues } from "../features/admin/admin.schema";
import { requirePermission } from "../features/auth/guards.server";
import { parseForm } from "../features/forms/parse";
import { invalidForm } from "../features/forms/responses.server";
import { groupFormSchema } from "../features/events/events.schema";
import { createGroup } from "../features/events/groups.server";
import { failedEventResult } from "../features/events/responses.server";
import { useT } from "../features/i18n/use-i18n";

export const meta = adminMeta("groups.admin.newTitle");

export function loader({ request, context }: LoaderFunctionArgs) {
  requirePermission(context, request, "groups.manage");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requirePermission(context, request, "groups.manage");
  const formData = await request.formData();
  const submission = parseForm(formData, groupFormSchema);
  if (!submission.ok) return invalidForm(submission.errors, submission.values);
  const result = await createGroup(await getDb(), actor, submission.data);
  if (!result.ok) return failedEventResult(result, formValues(formData));
  return redirect(`/admin/groups/${result.groupId}?saved=created`);
}

export default function NewGroup() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const state: FormState | undefined = actionData && "errors" in actionData ? (actionData as FormState) : undefined;
  const busy = useNavigation().state !== "idle";
  return (
    <section aria-labelledby="new-group-title">
      <p>
        <Link to="/admin/groups">{t("groups.admin.back")}</Link>
      </p>
      <h1 id="new-group-title">{t("groups.admin.newTitle")}</h1>
      <Form method="post" className="stack" noValidate>
        <FormErrors state={state} />
        <GroupFormFields state={state} />
        <button type="submit" className="button" disabled={busy}>
          {t("groups.admin.create")}
        </button>
      </Form>
    </section>
  );
}
