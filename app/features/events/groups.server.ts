import type { Db } from "../../../db/client";
import type { GroupFormData } from "./events.schema";
import type { EventActor, EventResult } from "./result";

// CONTRACT STUB (helper D implements): user groups and membership.

/** Joins an open group (active) or asks to join an approval group (pending). Side effects: member_count, group.joined. */
export async function joinGroup(db: Db, actor: EventActor, groupId: number): Promise<EventResult<{ status: "active" | "pending" }>> {
  void db; void actor; void groupId;
  throw new Error("not implemented");
}

/** Leaves a group or withdraws a request. The last leader cannot leave while staff have not named another. */
export async function leaveGroup(db: Db, actor: EventActor, groupId: number): Promise<EventResult> {
  void db; void actor; void groupId;
  throw new Error("not implemented");
}

/** A leader or staff approves or declines a pending request. */
export async function decideJoinRequest(db: Db, actor: EventActor, input: { groupId: number; userId: number; approve: boolean }): Promise<EventResult> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

export async function createGroup(db: Db, actor: EventActor, input: GroupFormData): Promise<EventResult<{ groupId: number; slug: string }>> {
  void db; void actor; void input;
  throw new Error("not implemented");
}

export async function updateGroup(db: Db, actor: EventActor, groupId: number, input: GroupFormData): Promise<EventResult<{ slug: string }>> {
  void db; void actor; void groupId; void input;
  throw new Error("not implemented");
}

/** Staff name or remove a leader (making them an active member first if needed). */
export async function setGroupLeader(db: Db, actor: EventActor, input: { groupId: number; userId: number; leader: boolean }): Promise<EventResult> {
  void db; void actor; void input;
  throw new Error("not implemented");
}
