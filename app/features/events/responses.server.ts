import { json } from "@remix-run/node";
import type { FieldErrors } from "../forms/parse";
import { idParam } from "./events.schema";
import type { EventRefusal, EventResult } from "./result";

const REFUSAL_MESSAGES = {
  suspended: "events.refusal.suspended",
  closed: "events.refusal.closed",
} as const;

/**
 * An events or groups command's refusal as a route answers it: not_found → 404 and forbidden → 403 are
 * thrown (the error boundary shows them); suspended (403) and closed (409) come back as a form error, so
 * the page stays with what the member typed and says why.
 */
export function eventRefusalResponse(reason: EventRefusal, values: Record<string, string> = {}) {
  if (reason === "not_found") throw new Response("Not found", { status: 404 });
  if (reason === "forbidden") throw new Response("Forbidden", { status: 403 });
  const errors: FieldErrors = { _form: [REFUSAL_MESSAGES[reason]] };
  return json({ errors, values }, { status: reason === "suspended" ? 403 : 409 });
}

/** A failed command as a response: field errors at 400 with the values kept, refusals as above. */
export function failedEventResult(result: Exclude<EventResult, { ok: true }>, values: Record<string, string>) {
  if ("fieldErrors" in result) return json({ errors: result.fieldErrors, values }, { status: 400 });
  return eventRefusalResponse(result.reason, values);
}

/** A malformed id in the URL is a page that does not exist, never a database error. */
export function parseEventRouteId(value: string | undefined): number {
  const parsed = idParam.safeParse(value);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  return parsed.data;
}
