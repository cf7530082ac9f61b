import { z } from "zod";
import { pageParam } from "../admin/admin.schema";
import { ATTENDANCE_MODES, ATTENDANCE_ROW_STATUSES, EVENT_KINDS, EVENT_LANGUAGES, EVENT_LEVELS } from "../../../db/schema/events";

// What the staff event pages and the event form need in the browser too: the schema's value lists
// (components may not import db/ directly) and the staff pages' query parameters.
export { ATTENDANCE_MODES, ATTENDANCE_ROW_STATUSES, EVENT_KINDS, EVENT_LANGUAGES, EVENT_LEVELS };

export const ADMIN_EVENT_TABS = ["upcoming", "past", "drafts", "pending", "cancelled"] as const;
export type AdminEventTab = (typeof ADMIN_EVENT_TABS)[number];

export const REGISTRATION_TABS = ["registered", "waitlisted", "maybe", "cancelled", "attended"] as const;
export type RegistrationTab = (typeof REGISTRATION_TABS)[number];

const page = pageParam;

export const adminEventListQuery = z.object({
  tab: z.enum(ADMIN_EVENT_TABS).catch("upcoming"),
  kind: z.enum(EVENT_KINDS).optional().catch(undefined),
  page,
});

/** ?kind= and, from a group's page, ?groupId= to preselect the group. */
export const newEventQuery = z.object({ kind: z.enum(EVENT_KINDS).catch("webinar"), groupId: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined) });

export const registrationListQuery = z.object({ status: z.enum(REGISTRATION_TABS).catch("registered"), page });

export const importRowsQuery = z.object({ status: z.enum(ATTENDANCE_ROW_STATUSES).optional().catch(undefined), page });
