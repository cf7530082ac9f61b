import { json } from "@remix-run/node";
import type { FieldErrors } from "./parse";

/** A form shown again with its errors and what the user typed; 400 for bad input. */
export function invalidForm(errors: FieldErrors, values: Record<string, string> = {}, status = 400) {
  return json({ errors, values }, { status });
}

export function rateLimitedForm(retryAfterSeconds: number, values: Record<string, string> = {}) {
  return json(
    { errors: { _form: ["form.rateLimited"] }, values, retryAfterMinutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}
