import type { z } from "zod";

export type FieldErrors = Record<string, string[]>;

export type FormSubmission<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Fields never sent back to the browser after a failed submission. */
const SECRET_FIELD = /password|token|secret/i;

/**
 * Validates a submitted form with its zod schema. On failure: messages per field (catalog keys),
 * and what the user typed, so the form can be shown again with nothing lost but secrets.
 */
export function parseForm<S extends z.ZodType>(formData: FormData, schema: S): FormSubmission<z.output<S>> {
  const raw: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    // Postgres text cannot hold NUL (the insert would fail with a database error); CommonMark reads it as U+FFFD.
    if (typeof value === "string" && !(key in raw)) raw[key] = value.replaceAll("\u0000", "\uFFFD");
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: issuesToFieldErrors(result.error.issues), values: echoValues(raw) };
}

export function issuesToFieldErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

export function echoValues(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !SECRET_FIELD.test(key)));
}
