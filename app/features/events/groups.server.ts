import { and, asc, count, desc, eq, ilike, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { accountMembers, accounts, eventRegistrations, events, groupMemberships, userGroups, users } from "../../../db/schema";
import type { EventKind, EventStatus, GroupJoinPolicy, GroupKind, GroupMembershipStatus, GroupRole } from "../../../db/schema/events";
import { can } from "../auth/permissions";
import { recordActivity } from "../engagement/activities.server";
import { issuesToFieldErrors } from "../forms/parse";
import { slugFromTitle } from "../kb/kb.schema";
import { MarkdownRejectedError, renderMarkdown } from "../markdown/render.server";
import { firstFreeSlug, isSlugTaken } from "./slugs.server";
import { canManageEvent, isGroupLeader } from "./access.server";
import { groupJoinedActivity } from "./activity";
import { groupFormSchema, type GroupFormData } from "./events.schema";
import { eventCheckInPath, eventPath, groupPath } from "./paths";
import { checkInAttendee } from "./registrations.server";
import { fieldError, refuse, type EventActor, type EventResult } from "./result";

/**
 * User groups and membership. Invariants kept here: user_groups.member_count counts active memberships
 * (leaders included) and moves in the same transaction as the membership row, under the group's row
 * lock, so concurrent joins and leaves never lose an update; a member's group.joined ledger row is
 * written once per member and group (its idempotency key), however often they leave and come back.
 */

const isGroupStaff = (actor: EventActor | null) => can(actor, "groups.manage");

/** The group row locked for a membership change; archived groups take no new members. */
async function lockGroup(tx: Db, groupId: number) {
  const [group] = await tx
    .select({ id: userGroups.id, joinPolicy: userGroups.joinPolicy, archivedAt: userGroups.archivedAt })
    .from(userGroups)
    .where(eq(userGroups.id, groupId))
    .for("update");
  return group ?? null;
}

async function membershipOf(tx: Db, groupId: number, userId: number) {
  const [row] = await tx
    .select({ role: groupMemberships.role, status: groupMemberships.status })
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, userId)));
  return row ?? null;
}

async function bumpMemberCount(tx: Db, groupId: number, delta: 1 | -1) {
  await tx
    .update(userGroups)
    .set({ memberCount: sql`greatest(${userGroups.memberCount} + ${delta}, 0)`, updatedAt: new Date() })
    .where(eq(userGroups.id, groupId));
}

async function isSuspended(db: Db, userId: number): Promise<boolean> {
  const [row] = await db.select({ suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, userId));
  return !row || row.suspendedAt !== null;
}

/**
 * Joins an open group (active) or asks to join an approval group (pending); staff join any group directly.
 * Joining again changes nothing. Any signed-in member who is not suspended.
 * Side effects: member_count, group.joined (once per member and group).
 */
export async function joinGroup(db: Db, actor: EventActor, groupId: number): Promise<EventResult<{ status: "active" | "pending" }>> {
  if (await isSuspended(db, actor.id)) return refuse("suspended");
  return db.transaction(async (tx) => {
    const group = await lockGroup(tx, groupId);
    if (!group || group.archivedAt) return refuse("not_found");
    const existing = await membershipOf(tx, groupId, actor.id);
    if (existing) return { ok: true as const, status: existing.status };
    const status: GroupMembershipStatus = group.joinPolicy === "open" || isGroupStaff(actor) ? "active" : "pending";
    const now = new Date();
    const inserted = await tx
      .insert(groupMemberships)
      .values({ groupId, userId: actor.id, role: "member", status, requestedAt: now, joinedAt: status === "active" ? now : null })
      .onConflictDoNothing()
      .returning({ status: groupMemberships.status });
    if (inserted.length > 0 && status === "active") {
      await bumpMemberCount(tx, groupId, 1);
      await recordActivity(tx, groupJoinedActivity(groupId, actor.id, now));
    }
    return { ok: true as const, status };
  });
}

/**
 * Leaves a group or withdraws a request. The last active leader cannot leave (a form error) unless staff
 * act, so a group is never left without someone to run it by accident. Leaving twice changes nothing.
 * Side effects: member_count. The group.joined row stays: it happened.
 */
export async function leaveGroup(db: Db, actor: EventActor, groupId: number): Promise<EventResult> {
  return db.transaction(async (tx) => {
    const group = await lockGroup(tx, groupId);
    if (!group) return refuse("not_found");
    const membership = await membershipOf(tx, groupId, actor.id);
    if (!membership) return { ok: true as const };
    if (membership.status === "active" && membership.role === "leader" && !isGroupStaff(actor)) {
      const [others] = await tx
        .select({ n: count() })
        .from(groupMemberships)
        .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.role, "leader"), eq(groupMemberships.status, "active"), ne(groupMemberships.userId, actor.id)));
      if ((others?.n ?? 0) === 0) return fieldError("_form", "groups.leave.lastLeader");
    }
    await tx.delete(groupMemberships).where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, actor.id)));
    if (membership.status === "active") await bumpMemberCount(tx, groupId, -1);
    return { ok: true as const };
  });
}

/**
 * A leader of the group, or staff, approves (active) or declines (request removed) a pending request.
 * Side effects on approval: member_count, group.joined for the new member.
 */
export async function decideJoinRequest(db: Db, actor: EventActor, input: { groupId: number; userId: number; approve: boolean }): Promise<EventResult> {
  return db.transaction(async (tx) => {
    const group = await lockGroup(tx, input.groupId);
    if (!group) return refuse("not_found");
    if (!isGroupStaff(actor) && !(await isGroupLeader(tx, actor.id, input.groupId))) return refuse("forbidden");
    const membership = await membershipOf(tx, input.groupId, input.userId);
    if (!membership || membership.status !== "pending") return refuse("not_found");
    const where = and(eq(groupMemberships.groupId, input.groupId), eq(groupMemberships.userId, input.userId));
    if (!input.approve) {
      await tx.delete(groupMemberships).where(where);
      return { ok: true as const };
    }
    const now = new Date();
    await tx.update(groupMemberships).set({ status: "active", joinedAt: now }).where(where);
    await bumpMemberCount(tx, input.groupId, 1);
    await recordActivity(tx, groupJoinedActivity(input.groupId, input.userId, now));
    return { ok: true as const };
  });
}

type Parsed = { ok: true; data: GroupFormData; html: string } | { ok: false; fieldErrors: Record<string, string[]> };

/** The form parsed again (commands trust no caller) and the description rendered, before any transaction. */
function parseGroupForm(input: GroupFormData): Parsed {
  const parsed = groupFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  try {
    return { ok: true, data: parsed.data, html: renderMarkdown(parsed.data.descriptionMd).html };
  } catch (error) {
    if (error instanceof MarkdownRejectedError) return fieldError("descriptionMd", "groups.field.descriptionRejected");
    throw error;
  }
}

/** Staff create a group. An empty slug is derived from the name; a given slug already in use is a field error. */
export async function createGroup(db: Db, actor: EventActor, input: GroupFormData): Promise<EventResult<{ groupId: number; slug: string }>> {
  if (!isGroupStaff(actor)) return refuse("forbidden");
  const parsed = parseGroupForm(input);
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  return db.transaction(async (tx) => {
    // "tokyo-user-group", then "tokyo-user-group-2"…; "group" for names without Latin words.
    const slug = data.slug ?? (await firstFreeSlug(tx, userGroups, slugFromTitle(data.name), "group"));
    const [row] = await tx
      .insert(userGroups)
      .values({ slug, name: data.name, kind: data.kind, summary: data.summary, descriptionMd: data.descriptionMd, descriptionHtml: parsed.html, joinPolicy: data.joinPolicy })
      .onConflictDoNothing()
      .returning({ id: userGroups.id });
    if (!row) return fieldError("slug", "groups.field.slugTaken");
    return { ok: true as const, groupId: row.id, slug };
  });
}

/** Staff edit a group; an empty slug keeps the current one. Changing the policy to open leaves pending requests for a decision. */
export async function updateGroup(db: Db, actor: EventActor, groupId: number, input: GroupFormData): Promise<EventResult<{ slug: string }>> {
  if (!isGroupStaff(actor)) return refuse("forbidden");
  const parsed = parseGroupForm(input);
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  return db.transaction(async (tx) => {
    const group = await lockGroup(tx, groupId);
    if (!group) return refuse("not_found");
    if (data.slug && (await isSlugTaken(tx, userGroups, data.slug, groupId))) return fieldError("slug", "groups.field.slugTaken");
    const [row] = await tx
      .update(userGroups)
      .set({
        ...(data.slug ? { slug: data.slug } : {}),
        name: data.name,
        kind: data.kind,
        summary: data.summary,
        descriptionMd: data.descriptionMd,
        descriptionHtml: parsed.html,
        joinPolicy: data.joinPolicy,
        updatedAt: new Date(),
      })
      .where(eq(userGroups.id, groupId))
      .returning({ slug: userGroups.slug });
    return { ok: true as const, slug: row!.slug };
  });
}

/** Staff archive a group (hidden from the directory, no new members, history kept) or bring it back. */
export async function setGroupArchived(db: Db, actor: EventActor, groupId: number, archived: boolean): Promise<EventResult> {
  if (!isGroupStaff(actor)) return refuse("forbidden");
  const updated = await db
    .update(userGroups)
    .set({ archivedAt: archived ? sql`coalesce(${userGroups.archivedAt}, now())` : null, updatedAt: new Date() })
    .where(eq(userGroups.id, groupId))
    .returning({ id: userGroups.id });
  return updated.length ? { ok: true as const } : refuse("not_found");
}

/**
 * Staff name or remove a leader. Naming someone who is not an active member makes them one (approving a
 * pending request); removing keeps them as a member. Side effects: member_count and group.joined when
 * the leader was not yet an active member.
 */
export async function setGroupLeader(db: Db, actor: EventActor, input: { groupId: number; userId: number; leader: boolean }): Promise<EventResult> {
  if (!isGroupStaff(actor)) return refuse("forbidden");
  return db.transaction(async (tx) => {
    const group = await lockGroup(tx, input.groupId);
    if (!group) return refuse("not_found");
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!user) return refuse("not_found");
    const membership = await membershipOf(tx, input.groupId, input.userId);
    const where = and(eq(groupMemberships.groupId, input.groupId), eq(groupMemberships.userId, input.userId));
    if (!input.leader) {
      if (membership?.role === "leader") await tx.update(groupMemberships).set({ role: "member" }).where(where);
      return { ok: true as const };
    }
    const now = new Date();
    if (membership?.status === "active") {
      await tx.update(groupMemberships).set({ role: "leader" }).where(where);
      return { ok: true as const };
    }
    if (membership) await tx.update(groupMemberships).set({ role: "leader", status: "active", joinedAt: now }).where(where);
    else await tx.insert(groupMemberships).values({ groupId: input.groupId, userId: input.userId, role: "leader", status: "active", requestedAt: now, joinedAt: now });
    await bumpMemberCount(tx, input.groupId, 1);
    await recordActivity(tx, groupJoinedActivity(input.groupId, input.userId, now));
    return { ok: true as const };
  });
}

/** setGroupLeader for the staff form, which names the member by email or @handle. */
export async function appointGroupLeader(db: Db, actor: EventActor, input: { groupId: number; identifier: string }): Promise<EventResult> {
  if (!isGroupStaff(actor)) return refuse("forbidden");
  const identifier = input.identifier.trim().replace(/^@/, "").toLowerCase();
  if (!identifier) return fieldError("identifier", "form.required");
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(identifier.includes("@") ? eq(users.email, identifier) : sql`lower(${users.handle}) = ${identifier}`);
  if (!user) return fieldError("identifier", "groups.admin.userNotFound");
  return setGroupLeader(db, actor, { groupId: input.groupId, userId: user.id, leader: true });
}

// ——— Reads ———

export const GROUPS_PAGE_SIZE = 24;
/** Members shown on the public group page; the manage page shows them all. */
export const GROUP_PAGE_MEMBERS = 48;

/**
 * The soonest published event of each group that has not ended yet. Written with qualified names: in a
 * single-table select drizzle renders columns unqualified, and "id" inside the subquery would be events.id.
 */
const nextEventAt = sql<Date | null>`(select min(e.starts_at) from events e where e.group_id = "user_groups"."id" and e.status = 'published' and e.ends_at > now())`.mapWith(
  (v: string | Date | null) => (v === null ? null : new Date(v)),
);

export interface GroupCard {
  id: number;
  slug: string;
  path: string;
  name: string;
  kind: GroupKind;
  summary: string;
  joinPolicy: GroupJoinPolicy;
  memberCount: number;
  nextEventAt: Date | null;
}

const groupCardColumns = {
  id: userGroups.id,
  slug: userGroups.slug,
  name: userGroups.name,
  kind: userGroups.kind,
  summary: userGroups.summary,
  joinPolicy: userGroups.joinPolicy,
  memberCount: userGroups.memberCount,
  nextEventAt,
};

/** The directory: groups that are not archived, by name, with member counts and the next event's date. */
export async function listGroups(db: Db, filter: { kind?: GroupKind; page: number }): Promise<{ items: GroupCard[]; total: number; pageCount: number }> {
  const where = and(isNull(userGroups.archivedAt), filter.kind ? eq(userGroups.kind, filter.kind) : undefined);
  const [rows, [total]] = await Promise.all([
    db
      .select(groupCardColumns)
      .from(userGroups)
      .where(where)
      .orderBy(asc(userGroups.name), asc(userGroups.id))
      .limit(GROUPS_PAGE_SIZE)
      .offset((filter.page - 1) * GROUPS_PAGE_SIZE),
    db.select({ n: count() }).from(userGroups).where(where),
  ]);
  const n = total?.n ?? 0;
  return { items: rows.map((r) => ({ ...r, path: groupPath(r.slug) })), total: n, pageCount: Math.max(1, Math.ceil(n / GROUPS_PAGE_SIZE)) };
}

/** Groups for the staff event form's select: not archived, by name. */
export async function listGroupsForSelect(db: Db): Promise<Array<{ id: number; name: string }>> {
  return db.select({ id: userGroups.id, name: userGroups.name }).from(userGroups).where(isNull(userGroups.archivedAt)).orderBy(asc(userGroups.name));
}

export interface GroupPerson {
  id: number;
  displayName: string;
  handle: string;
  isChampion: boolean;
  role: GroupRole;
}

const personColumns = {
  id: users.id,
  displayName: users.displayName,
  handle: users.handle,
  isChampion: sql<boolean>`${users.championAt} is not null`,
  role: groupMemberships.role,
};

export interface GroupPage {
  group: { id: number; slug: string; name: string; kind: GroupKind; summary: string; descriptionHtml: string; joinPolicy: GroupJoinPolicy; memberCount: number; archived: boolean };
  leaders: GroupPerson[];
  /** Null for anonymous visitors: who belongs to a group is for members to see. */
  members: GroupPerson[] | null;
  membership: { status: GroupMembershipStatus; role: GroupRole } | null;
  /** True when the viewer is the only active leader (leaving is refused). */
  isLastLeader: boolean;
  canManage: boolean;
}

/** A group's public page. Archived groups are shown to staff only. */
export async function getGroupPage(db: Db, viewer: EventActor | null, slug: string): Promise<GroupPage | null> {
  const [group] = await db
    .select({
      id: userGroups.id,
      slug: userGroups.slug,
      name: userGroups.name,
      kind: userGroups.kind,
      summary: userGroups.summary,
      descriptionHtml: userGroups.descriptionHtml,
      joinPolicy: userGroups.joinPolicy,
      memberCount: userGroups.memberCount,
      archivedAt: userGroups.archivedAt,
    })
    .from(userGroups)
    .where(eq(userGroups.slug, slug));
  if (!group || (group.archivedAt && !isGroupStaff(viewer))) return null;
  const active = and(eq(groupMemberships.groupId, group.id), eq(groupMemberships.status, "active"));
  const [leaders, members, membership] = await Promise.all([
    db
      .select(personColumns)
      .from(groupMemberships)
      .innerJoin(users, eq(users.id, groupMemberships.userId))
      .where(and(active, eq(groupMemberships.role, "leader")))
      .orderBy(asc(users.displayName)),
    viewer
      ? db
          .select(personColumns)
          .from(groupMemberships)
          .innerJoin(users, eq(users.id, groupMemberships.userId))
          .where(active)
          .orderBy(desc(groupMemberships.joinedAt), asc(users.id))
          .limit(GROUP_PAGE_MEMBERS)
      : null,
    viewer ? membershipOf(db, group.id, viewer.id) : null,
  ]);
  const isLeader = membership?.status === "active" && membership.role === "leader";
  const { archivedAt, ...rest } = group;
  return {
    group: { ...rest, archived: archivedAt !== null },
    leaders,
    members,
    membership,
    isLastLeader: isLeader && leaders.length === 1,
    canManage: isGroupStaff(viewer) || isLeader,
  };
}

export interface ManagedEvent {
  id: number;
  kind: EventKind;
  slug: string;
  title: string;
  status: EventStatus;
  startsAt: Date;
  endsAt: Date;
  registeredCount: number;
  maybeCount: number;
  attendedCount: number;
  path: string;
  checkInPath: string;
}

export interface GroupManagement {
  group: { id: number; slug: string; name: string; joinPolicy: GroupJoinPolicy; memberCount: number; archived: boolean };
  members: Array<GroupPerson & { joinedAt: Date | null; accountName: string | null }>;
  pending: Array<{ id: number; displayName: string; handle: string; accountName: string | null; requestedAt: Date }>;
  events: ManagedEvent[];
  isStaff: boolean;
}

/** The leaders' page: members, join requests and every event of the group (drafts included). Leaders and staff. */
export async function getGroupManagement(db: Db, actor: EventActor, slug: string): Promise<EventResult<GroupManagement>> {
  const [group] = await db
    .select({ id: userGroups.id, slug: userGroups.slug, name: userGroups.name, joinPolicy: userGroups.joinPolicy, memberCount: userGroups.memberCount, archivedAt: userGroups.archivedAt })
    .from(userGroups)
    .where(eq(userGroups.slug, slug));
  if (!group) return refuse("not_found");
  const staff = isGroupStaff(actor);
  if (!staff && !(await isGroupLeader(db, actor.id, group.id))) return refuse("forbidden");
  const inGroup = eq(groupMemberships.groupId, group.id);
  const [members, pending, eventRows] = await Promise.all([
    db
      .select({ ...personColumns, joinedAt: groupMemberships.joinedAt, accountName: accounts.name })
      .from(groupMemberships)
      .innerJoin(users, eq(users.id, groupMemberships.userId))
      .leftJoin(accountMembers, eq(accountMembers.userId, users.id))
      .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
      .where(and(inGroup, eq(groupMemberships.status, "active")))
      .orderBy(desc(sql`${groupMemberships.role} = 'leader'`), asc(users.displayName), asc(users.id)),
    db
      .select({ id: users.id, displayName: users.displayName, handle: users.handle, accountName: accounts.name, requestedAt: groupMemberships.requestedAt })
      .from(groupMemberships)
      .innerJoin(users, eq(users.id, groupMemberships.userId))
      .leftJoin(accountMembers, eq(accountMembers.userId, users.id))
      .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
      .where(and(inGroup, eq(groupMemberships.status, "pending")))
      .orderBy(asc(groupMemberships.requestedAt)),
    db
      .select({
        id: events.id,
        kind: events.kind,
        slug: events.slug,
        title: events.title,
        status: events.status,
        startsAt: events.startsAt,
        endsAt: events.endsAt,
        registeredCount: events.registeredCount,
        maybeCount: events.maybeCount,
        attendedCount: events.attendedCount,
      })
      .from(events)
      .where(eq(events.groupId, group.id))
      .orderBy(desc(events.startsAt)),
  ]);
  const { archivedAt, ...rest } = group;
  return {
    ok: true,
    group: { ...rest, archived: archivedAt !== null },
    members,
    pending,
    events: eventRows.map((e) => ({ ...e, path: eventPath(e.kind, e.slug), checkInPath: eventCheckInPath(e.kind, e.slug) })),
    isStaff: staff,
  };
}

export interface PendingRequest {
  groupId: number;
  groupName: string;
  groupSlug: string;
  userId: number;
  displayName: string;
  handle: string;
  requestedAt: Date;
}

/** Join requests waiting in every group, oldest first (the staff groups page). */
export async function listPendingRequests(db: Db, limit = 100): Promise<PendingRequest[]> {
  return db
    .select({
      groupId: userGroups.id,
      groupName: userGroups.name,
      groupSlug: userGroups.slug,
      userId: users.id,
      displayName: users.displayName,
      handle: users.handle,
      requestedAt: groupMemberships.requestedAt,
    })
    .from(groupMemberships)
    .innerJoin(userGroups, eq(userGroups.id, groupMemberships.groupId))
    .innerJoin(users, eq(users.id, groupMemberships.userId))
    .where(and(eq(groupMemberships.status, "pending"), isNull(userGroups.archivedAt)))
    .orderBy(asc(groupMemberships.requestedAt))
    .limit(limit);
}

/** Every group for the staff list, archived ones last, with the number of requests waiting. */
export async function listGroupsForAdmin(db: Db): Promise<Array<GroupCard & { archived: boolean; pendingCount: number }>> {
  const rows = await db
    .select({
      ...groupCardColumns,
      archivedAt: userGroups.archivedAt,
      pendingCount: sql<number>`(select count(*) from group_memberships m where m.group_id = "user_groups"."id" and m.status = 'pending')`.mapWith(Number),
    })
    .from(userGroups)
    .orderBy(sql`${userGroups.archivedAt} is not null`, asc(userGroups.name));
  return rows.map(({ archivedAt, ...r }) => ({ ...r, archived: archivedAt !== null, path: groupPath(r.slug) }));
}

export interface GroupAdminView {
  group: { id: number; slug: string; name: string; kind: GroupKind; summary: string; descriptionMd: string; joinPolicy: GroupJoinPolicy; memberCount: number; archived: boolean };
  members: Array<GroupPerson & { email: string; joinedAt: Date | null }>;
  pendingCount: number;
}

/** The staff edit page of one group (staff only: the route checks groups.manage). */
export async function getGroupForAdmin(db: Db, groupId: number): Promise<GroupAdminView | null> {
  const [group] = await db
    .select({
      id: userGroups.id,
      slug: userGroups.slug,
      name: userGroups.name,
      kind: userGroups.kind,
      summary: userGroups.summary,
      descriptionMd: userGroups.descriptionMd,
      joinPolicy: userGroups.joinPolicy,
      memberCount: userGroups.memberCount,
      archivedAt: userGroups.archivedAt,
    })
    .from(userGroups)
    .where(eq(userGroups.id, groupId));
  if (!group) return null;
  const [members, [pending]] = await Promise.all([
    db
      .select({ ...personColumns, email: users.email, joinedAt: groupMemberships.joinedAt })
      .from(groupMemberships)
      .innerJoin(users, eq(users.id, groupMemberships.userId))
      .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.status, "active")))
      .orderBy(desc(sql`${groupMemberships.role} = 'leader'`), asc(users.displayName), asc(users.id)),
    db
      .select({ n: count() })
      .from(groupMemberships)
      .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.status, "pending"))),
  ]);
  const { archivedAt, ...rest } = group;
  return { group: { ...rest, archived: archivedAt !== null }, members, pendingCount: pending?.n ?? 0 };
}

// ——— Door check-in ———

/** Whom the door list shows: everyone holding a seat or who said "maybe" (they often come). */
const CHECK_IN_STATUSES = ["registered", "maybe"] as const;
const CHECK_IN_LIMIT = 500;

export type EventRef = number | { kind: EventKind; slug: string };

async function loadEventForCheckIn(db: Db, ref: EventRef) {
  const [event] = await db
    .select({
      id: events.id,
      kind: events.kind,
      slug: events.slug,
      title: events.title,
      status: events.status,
      startsAt: events.startsAt,
      endsAt: events.endsAt,
      timeZone: events.timeZone,
      attendanceMode: events.attendanceMode,
      venueName: events.venueName,
      groupId: events.groupId,
    })
    .from(events)
    .where(typeof ref === "number" ? eq(events.id, ref) : and(eq(events.kind, ref.kind), eq(events.slug, ref.slug)));
  return event ?? null;
}

export interface CheckInList {
  event: { id: number; kind: EventKind; slug: string; title: string; status: EventStatus; startsAt: Date; endsAt: Date; timeZone: string; venueName: string | null; path: string };
  checkedIn: number;
  expected: number;
  people: Array<{ userId: number; displayName: string; accountName: string | null; status: "registered" | "maybe"; attended: boolean }>;
  /** True when the list was cut at CHECK_IN_LIMIT (search to narrow it). */
  truncated: boolean;
}

/**
 * The door list of an event: registrants (seated or "maybe") with their account and whether they were
 * checked in, filtered by a name or email substring, by name. Staff and the group's leaders only;
 * unknown events are not_found, anyone else forbidden. Counts ignore the filter.
 */
export async function getCheckInList(db: Db, actor: EventActor, eventId: EventRef, options: { q?: string } = {}): Promise<EventResult<CheckInList>> {
  const event = await loadEventForCheckIn(db, eventId);
  if (!event) return refuse("not_found");
  if (!(await canManageEvent(db, actor, event))) return refuse("forbidden");
  const q = options.q?.trim().slice(0, 100);
  const expectedWhere = and(eq(eventRegistrations.eventId, event.id), inArray(eventRegistrations.status, CHECK_IN_STATUSES));
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        userId: users.id,
        displayName: users.displayName,
        accountName: accounts.name,
        status: eventRegistrations.status,
        attendedAt: eventRegistrations.attendedAt,
      })
      .from(eventRegistrations)
      .innerJoin(users, eq(users.id, eventRegistrations.userId))
      .leftJoin(accountMembers, eq(accountMembers.userId, users.id))
      .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
      .where(and(expectedWhere, pattern ? or(ilike(users.displayName, pattern), ilike(users.email, pattern)) : undefined))
      .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
      .limit(CHECK_IN_LIMIT + 1),
    db
      .select({ expected: count(), checkedIn: count(eventRegistrations.attendedAt) })
      .from(eventRegistrations)
      .where(expectedWhere),
  ]);
  return {
    ok: true,
    event: {
      id: event.id,
      kind: event.kind,
      slug: event.slug,
      title: event.title,
      status: event.status,
      startsAt: event.startsAt,
      endsAt: event.endsAt,
      timeZone: event.timeZone,
      venueName: event.venueName,
      path: eventPath(event.kind, event.slug),
    },
    checkedIn: totals?.checkedIn ?? 0,
    expected: totals?.expected ?? 0,
    people: rows.slice(0, CHECK_IN_LIMIT).map((r) => ({
      userId: r.userId,
      displayName: r.displayName,
      accountName: r.accountName,
      status: r.status as "registered" | "maybe",
      attended: r.attendedAt !== null,
    })),
    truncated: rows.length > CHECK_IN_LIMIT,
  };
}

/** The door page's button: finds the event by its URL, then checkInAttendee (which authorizes again). */
export async function checkInAtDoor(db: Db, actor: EventActor, input: { event: EventRef; userId: number; attended: boolean }): Promise<EventResult<{ attended: boolean }>> {
  const event = await loadEventForCheckIn(db, input.event);
  if (!event) return refuse("not_found");
  if (!(await canManageEvent(db, actor, event))) return refuse("forbidden");
  return checkInAttendee(db, actor, { eventId: event.id, userId: input.userId, attended: input.attended });
}

/** The group a leader drafts an event for: leaders of the group only (staff use the staff event form). */
export async function getLedGroup(db: Db, actor: EventActor, slug: string): Promise<EventResult<{ group: { id: number; slug: string; name: string }; isStaff: boolean }>> {
  const [group] = await db
    .select({ id: userGroups.id, slug: userGroups.slug, name: userGroups.name, archivedAt: userGroups.archivedAt })
    .from(userGroups)
    .where(eq(userGroups.slug, slug));
  if (!group) return refuse("not_found");
  const staff = isGroupStaff(actor);
  if (!staff && (group.archivedAt || !(await isGroupLeader(db, actor.id, group.id)))) return refuse("forbidden");
  return { ok: true, group: { id: group.id, slug: group.slug, name: group.name }, isStaff: staff };
}

/** The staff groups page: every group and the requests waiting across them. */
export async function getGroupsAdminOverview(db: Db) {
  const [groups, pending] = await Promise.all([listGroupsForAdmin(db), listPendingRequests(db)]);
  return { groups, pending };
}
