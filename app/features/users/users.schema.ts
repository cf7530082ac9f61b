import { z } from "zod";
import { ROLES } from "../../../db/schema/identity";
import { pageParam, searchParam } from "../admin/admin.schema";

// Messages are catalog keys; the form renders them in the viewer's language.

export const USER_STATUSES = ["active", "suspended"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const SUSPENSION_REASON_MAX = 500;

export const userListQuerySchema = z.object({
  q: searchParam,
  role: z.enum(ROLES).optional().catch(undefined),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
  page: pageParam,
});

export const suspensionReasonField = z
  .string({ error: "form.required" })
  .trim()
  .min(1, "admin.users.reasonRequired")
  .max(SUSPENSION_REASON_MAX, "form.tooLong");

/** The forms of the staff user page, told apart by their hidden `intent` field. */
export const userPageActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("changeRole"), role: z.enum(ROLES, { error: "form.invalid" }) }),
  z.object({ intent: z.literal("suspend"), reason: suspensionReasonField }),
  z.object({ intent: z.literal("unsuspend") }),
]);
export type UserPageAction = z.output<typeof userPageActionSchema>;

export { ROLES, type Role } from "../../../db/schema/identity";
