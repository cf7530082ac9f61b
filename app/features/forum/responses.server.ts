import { json } from "@remix-run/node";
import { echoValues, type FieldErrors } from "../forms/parse";
import type { Locale } from "../../../db/schema/identity";
import { previewPostBody } from "./questions.server";
import { routeIdSchema } from "./forum.schema";
import type { ForumRefusal, ForumResult } from "./result";

const REFUSAL_MESSAGES = {
  suspended: "forum.refusal.suspended",
  locked: "forum.refusal.locked",
  closed: "forum.refusal.closed",
} as const;

/**
 * A forum command's refusal as the route answers it: not_found → 404 and forbidden → 403 are thrown (the
 * error boundary shows them); suspended (403) and locked / closed (409) come back as a form error, so the
 * page stays with what the member typed and says why.
 */
export function refusalResponse(reason: ForumRefusal, values: Record<string, string> = {}) {
  if (reason === "not_found") throw new Response("Not found", { status: 404 });
  if (reason === "forbidden") throw new Response("Forbidden", { status: 403 });
  const errors: FieldErrors = { _form: [REFUSAL_MESSAGES[reason]] };
  return json({ errors, values }, { status: reason === "suspended" ? 403 : 409 });
}

/** A failed command as a response: field errors at 400 with the values kept, refusals as above. */
export function failedResult(result: Exclude<ForumResult, { ok: true }>, values: Record<string, string>) {
  if ("fieldErrors" in result) return json({ errors: result.fieldErrors, values }, { status: 400 });
  return refusalResponse(result.reason, values);
}

/** A malformed id in the URL is a page that does not exist, never a database error. */
export function parseRouteId(value: string | undefined): number {
  const parsed = routeIdSchema.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}

/** What the member typed, to show the form again (secrets never echoed). */
export function formValuesOf(formData: FormData): Record<string, string> {
  return echoValues(Object.fromEntries([...formData.entries()].map(([k, v]) => [k, String(v)])));
}

/** The editors' "Preview": the rendered HTML beside the form, or the body's field error. Writes nothing. */
export function previewResponse(bodyMd: string, locale: Locale, values: Record<string, string>) {
  const preview = previewPostBody(bodyMd, locale);
  if (!preview.ok) return json({ errors: preview.fieldErrors, values }, { status: 400 });
  return json({ preview: preview.html, values });
}
