import type { Role } from "../../../db/schema/identity";
import type { FieldErrors } from "../forms/parse";

/** What an events or groups command returns: success, errors beside form fields, or a refusal the route maps to a status. */
export type EventResult<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; reason: EventRefusal };

/**
 * not_found → 404 (also for what the actor may not see: drafts, another group's pending event);
 * forbidden → 403; suspended → 403 with the suspension message; closed → 409 (cancelled, over, not open
 * for registration, or an import already committed).
 */
export type EventRefusal = "not_found" | "forbidden" | "suspended" | "closed";

export type EventActor = { id: number; role: Role };

export const refuse = (reason: EventRefusal) => ({ ok: false as const, reason });
export const fieldError = (field: string, message: string) => ({ ok: false as const, fieldErrors: { [field]: [message] } as FieldErrors });
