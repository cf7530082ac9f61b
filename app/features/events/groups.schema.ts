import { z } from "zod";
import { GROUP_JOIN_POLICIES, GROUP_KINDS } from "../../../db/schema/events";
import { groupFormSchema, idParam } from "./events.schema";

// What the group pages submit and read from their URLs. Intents tell the forms of one page apart.

/** For the directory filter and the staff form (components do not import db/). */
export { GROUP_JOIN_POLICIES, GROUP_KINDS };

export const groupSlugParam = z.string().min(1).max(200);

export const groupsQuerySchema = z.object({
  kind: z.enum(GROUP_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});

/** join; leave (a member) and withdraw (a pending request) are the same command, told apart for the notice. */
export const groupPageActionSchema = z.object({
  intent: z.enum(["join", "leave", "withdraw"]),
  groupId: idParam,
});

export const decideRequestSchema = z.object({
  intent: z.enum(["approve", "decline"]),
  groupId: idParam,
  userId: idParam,
});

export const checkInQuerySchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
});

export const checkInActionSchema = z.object({
  intent: z.enum(["checkIn", "undo"]),
  userId: idParam,
  /** Sent by the enhanced page's fetchers, which stay on the page instead of following a redirect. */
  stay: z.literal("1").optional(),
  q: z.string().max(100).optional(),
});

export const adminGroupActionSchema = z.discriminatedUnion("intent", [
  groupFormSchema.extend({ intent: z.literal("update") }),
  z.object({ intent: z.literal("archive") }),
  z.object({ intent: z.literal("unarchive") }),
  z.object({ intent: z.literal("addLeader"), identifier: z.string().trim().min(1, "form.required").max(254, "form.tooLong") }),
  z.object({ intent: z.literal("removeLeader"), userId: idParam }),
]);
export type AdminGroupAction = z.output<typeof adminGroupActionSchema>;
