import { z } from "zod";
import { SUSPENSION_REASON_MAX } from "../users/users.schema";
import { pageParam } from "../admin/admin.schema";

// The forms and queries of the moderation pages (/review, /admin/forum, /admin/forum/audit,
// /moderation/members/<id>). The commands parse their input again (moderation.server.ts); these give the
// routes their field errors. Messages are catalog keys (messages/moderation.ts).

export const MODERATION_REASON_MAX = 500;
export { SUSPENSION_REASON_MAX };

/** Every `action` written to moderation_actions, for the audit log's filter. */
export const AUDIT_ACTIONS = [
  "hide",
  "unhide",
  "lock",
  "unlock",
  "delete",
  "restore",
  "close",
  "reopen",
  "uphold_flags",
  "dismiss_flags",
  "staff_handled",
  "suspend",
  "unsuspend",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const MAX_INT4 = 2_147_483_647;
const formId = z
  .string({ error: "form.invalid" })
  .regex(/^[1-9]\d{0,9}$/, "form.invalid")
  .transform(Number)
  .refine((n) => n <= MAX_INT4, "form.invalid");
const reason = z.string({ error: "form.required" }).trim().min(1, "moderation.form.reasonRequired").max(MODERATION_REASON_MAX, "form.tooLong");
const target = {
  targetType: z.enum(["question", "answer", "comment"], { error: "form.invalid" }),
  targetId: formId,
};

/** /review: one uphold or dismiss form per flagged post. */
export const reviewActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("uphold"), ...target, outcome: z.enum(["hide", "delete"], { error: "form.invalid" }).default("hide"), reason }),
  z.object({ intent: z.literal("dismiss"), ...target, reason }),
]);

/** /admin/forum: mark a needs-staff question handled. */
export const staffQueueActionSchema = z.object({ intent: z.literal("handled"), questionId: formId, reason });

/** /moderation/members/<id>. */
export const memberModerationActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("suspend"), reason: z.string({ error: "form.required" }).trim().min(1, "admin.users.reasonRequired").max(SUSPENSION_REASON_MAX, "form.tooLong") }),
  z.object({ intent: z.literal("unsuspend"), reason }),
]);

/** /admin/forum/audit?action=&actor=&page=; anything odd means "no filter". */
export const auditQuerySchema = z.object({
  action: z.string().trim().max(40).regex(/^[a-z_]*$/).optional().catch(undefined),
  actor: z.string().trim().max(60).optional().catch(undefined),
  page: pageParam,
});
