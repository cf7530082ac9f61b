import type { FieldErrors } from "../forms/parse";

/** What a forum command returns: success, errors beside form fields, or a refusal the route maps to a status. */
export type ForumResult<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; reason: ForumRefusal };

/**
 * not_found → 404 (also for content the actor may not see); forbidden → 403; suspended → 403 with the
 * suspension message; locked / closed → 409 with a message (the question no longer takes this).
 */
export type ForumRefusal = "not_found" | "forbidden" | "suspended" | "locked" | "closed";

export type ForumActor = { id: number; role: "member" | "moderator" | "staff" | "admin" };

export const refuse = (reason: ForumRefusal) => ({ ok: false as const, reason });
export const fieldError = (field: string, message: string) => ({ ok: false as const, fieldErrors: { [field]: [message] } as FieldErrors });
