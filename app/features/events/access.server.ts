import { and, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { groupMemberships } from "../../../db/schema";
import { can } from "../auth/permissions";
import type { EventActor } from "./result";

/** True when the member is an active leader of the group. */
export async function isGroupLeader(db: Db, userId: number, groupId: number): Promise<boolean> {
  const [row] = await db
    .select({ role: groupMemberships.role })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, userId), eq(groupMemberships.status, "active"), eq(groupMemberships.role, "leader")));
  return Boolean(row);
}

/**
 * Staff manage every event; a group's leaders manage their group's events (draft, edit before approval,
 * check in attendees, see attendance). Webinars are staff-only.
 */
export async function canManageEvent(db: Db, actor: EventActor | null, event: { groupId: number | null }): Promise<boolean> {
  if (!actor) return false;
  if (can(actor, "events.manage")) return true;
  return event.groupId !== null && (await isGroupLeader(db, actor.id, event.groupId));
}
