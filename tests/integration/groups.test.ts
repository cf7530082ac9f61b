import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser, type UserRow } from "../../db/factories";
import { activities, eventRegistrations, events, groupMemberships, userGroups } from "../../db/schema";
import { groupFormSchema, type GroupFormData } from "../../app/features/events/events.schema";
import {
  appointGroupLeader,
  checkInAtDoor,
  createGroup,
  decideJoinRequest,
  getCheckInList,
  getGroupManagement,
  getGroupPage,
  joinGroup,
  leaveGroup,
  listGroups,
  setGroupArchived,
  setGroupLeader,
  updateGroup,
} from "../../app/features/events/groups.server";
import { createEvent } from "../../app/features/events/manage.server";
import type { EventFormInput } from "../../app/features/events/events.schema";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let staff: UserRow;
let leader: UserRow;
let alice: UserRow;
let bob: UserRow;

const actor = (u: UserRow) => ({ id: u.id, role: u.role });

function form(overrides: Partial<Record<keyof GroupFormData, string>> = {}): GroupFormData {
  return groupFormSchema.parse({ name: "Osaka Users", kind: "region", joinPolicy: "open", ...overrides });
}

async function newGroup(overrides: Partial<Record<keyof GroupFormData, string>> = {}) {
  const result = await createGroup(handle.db, actor(staff), form(overrides));
  if (!result.ok) throw new Error(`createGroup failed: ${JSON.stringify(result)}`);
  return result;
}

async function groupRow(groupId: number) {
  const [row] = await handle.db.select().from(userGroups).where(eq(userGroups.id, groupId));
  return row!;
}

async function membership(groupId: number, userId: number) {
  const [row] = await handle.db
    .select()
    .from(groupMemberships)
    .where(and(eq(groupMemberships.groupId, groupId), eq(groupMemberships.userId, userId)));
  return row ?? null;
}

async function joinedActivities(groupId: number, userId: number) {
  return handle.db
    .select()
    .from(activities)
    .where(and(eq(activities.type, "group.joined"), eq(activities.subjectId, String(groupId)), eq(activities.userId, userId)));
}

beforeAll(async () => {
  handle = await createTestDb();
  staff = await createUser(handle.db, { role: "staff", displayName: "Sam Staff" });
  leader = await createUser(handle.db, { displayName: "Lena Leader", handle: "lena" });
  alice = await createUser(handle.db, { displayName: "Alice Anders", email: "alice@acme.test" });
  bob = await createUser(handle.db, { displayName: "Bob Brown", email: "bob@globex.test" });
});
afterAll(async () => {
  await handle.close();
});

describe("joining and leaving", () => {
  it("an open group makes the member active at once, counts them and records group.joined once", async () => {
    const { groupId } = await newGroup({ name: "Open Circle" });
    const other = await newGroup({ name: "Untouched Circle" });
    expect(await joinGroup(handle.db, actor(alice), groupId)).toEqual({ ok: true, status: "active" });
    expect(await joinGroup(handle.db, actor(alice), groupId)).toEqual({ ok: true, status: "active" });
    expect((await groupRow(groupId)).memberCount).toBe(1);
    expect(await joinedActivities(groupId, alice.id)).toHaveLength(1);

    expect(await leaveGroup(handle.db, actor(alice), groupId)).toEqual({ ok: true });
    expect(await leaveGroup(handle.db, actor(alice), groupId)).toEqual({ ok: true });
    expect((await groupRow(groupId)).memberCount).toBe(0);
    expect(await membership(groupId, alice.id)).toBeNull();

    await joinGroup(handle.db, actor(alice), groupId);
    await joinGroup(handle.db, actor(bob), groupId);
    expect((await groupRow(groupId)).memberCount).toBe(2);
    expect(await joinedActivities(groupId, alice.id)).toHaveLength(1);

    // Isolation: the other group saw none of it.
    expect((await groupRow(other.groupId)).memberCount).toBe(0);
    expect(await membership(other.groupId, alice.id)).toBeNull();
  });

  it("an approval group holds a request until a leader decides; other members cannot decide", async () => {
    const { groupId } = await newGroup({ name: "Closed Circle", joinPolicy: "approval" });
    expect(await setGroupLeader(handle.db, actor(staff), { groupId, userId: leader.id, leader: true })).toEqual({ ok: true });
    expect((await groupRow(groupId)).memberCount).toBe(1);

    expect(await joinGroup(handle.db, actor(alice), groupId)).toEqual({ ok: true, status: "pending" });
    expect((await groupRow(groupId)).memberCount).toBe(1);
    expect(await joinedActivities(groupId, alice.id)).toHaveLength(0);

    // Bob gets in (approved), but being a member does not let him decide others' requests.
    await joinGroup(handle.db, actor(bob), groupId);
    expect(await decideJoinRequest(handle.db, actor(leader), { groupId, userId: bob.id, approve: true })).toEqual({ ok: true });
    expect(await decideJoinRequest(handle.db, actor(bob), { groupId, userId: alice.id, approve: true })).toEqual({ ok: false, reason: "forbidden" });
    expect((await membership(groupId, alice.id))?.status).toBe("pending");

    const managed = await getGroupManagement(handle.db, actor(leader), "closed-circle");
    expect(managed.ok && managed.pending.map((p) => p.id)).toEqual([alice.id]);
    expect(await getGroupManagement(handle.db, actor(bob), "closed-circle")).toEqual({ ok: false, reason: "forbidden" });

    expect(await decideJoinRequest(handle.db, actor(leader), { groupId, userId: alice.id, approve: true })).toEqual({ ok: true });
    expect((await membership(groupId, alice.id))?.status).toBe("active");
    expect((await groupRow(groupId)).memberCount).toBe(3);
    expect(await joinedActivities(groupId, alice.id)).toHaveLength(1);
    // Deciding again: nothing pending any more.
    expect(await decideJoinRequest(handle.db, actor(leader), { groupId, userId: alice.id, approve: true })).toEqual({ ok: false, reason: "not_found" });
  });

  it("declining or withdrawing a request removes it without counting anyone", async () => {
    const { groupId } = await newGroup({ name: "Picky Circle", joinPolicy: "approval" });
    await setGroupLeader(handle.db, actor(staff), { groupId, userId: leader.id, leader: true });
    await joinGroup(handle.db, actor(alice), groupId);
    expect(await decideJoinRequest(handle.db, actor(leader), { groupId, userId: alice.id, approve: false })).toEqual({ ok: true });
    expect(await membership(groupId, alice.id)).toBeNull();
    await joinGroup(handle.db, actor(bob), groupId);
    expect(await leaveGroup(handle.db, actor(bob), groupId)).toEqual({ ok: true });
    expect(await membership(groupId, bob.id)).toBeNull();
    expect((await groupRow(groupId)).memberCount).toBe(1);
  });

  it("the last active leader cannot leave, but can once another leader is named; staff may remove them", async () => {
    const { groupId } = await newGroup({ name: "Led Circle" });
    await setGroupLeader(handle.db, actor(staff), { groupId, userId: leader.id, leader: true });
    expect(await leaveGroup(handle.db, actor(leader), groupId)).toEqual({ ok: false, fieldErrors: { _form: ["groups.leave.lastLeader"] } });
    const page = await getGroupPage(handle.db, actor(leader), "led-circle");
    expect(page?.isLastLeader).toBe(true);
    expect(page?.canManage).toBe(true);

    await setGroupLeader(handle.db, actor(staff), { groupId, userId: alice.id, leader: true });
    expect((await groupRow(groupId)).memberCount).toBe(2);
    expect(await leaveGroup(handle.db, actor(leader), groupId)).toEqual({ ok: true });
    expect((await groupRow(groupId)).memberCount).toBe(1);

    expect(await setGroupLeader(handle.db, actor(staff), { groupId, userId: alice.id, leader: false })).toEqual({ ok: true });
    expect((await membership(groupId, alice.id))?.role).toBe("member");
    expect(await setGroupLeader(handle.db, actor(alice), { groupId, userId: alice.id, leader: true })).toEqual({ ok: false, reason: "forbidden" });
  });

  it("refuses suspended members and archived groups", async () => {
    const { groupId } = await newGroup({ name: "Quiet Circle" });
    const suspended = await createUser(handle.db, { suspendedAt: new Date() });
    expect(await joinGroup(handle.db, actor(suspended), groupId)).toEqual({ ok: false, reason: "suspended" });
    await setGroupArchived(handle.db, actor(staff), groupId, true);
    expect(await joinGroup(handle.db, actor(alice), groupId)).toEqual({ ok: false, reason: "not_found" });
    expect(await getGroupPage(handle.db, actor(alice), "quiet-circle")).toBeNull();
    expect((await listGroups(handle.db, { page: 1 })).items.map((g) => g.slug)).not.toContain("quiet-circle");
  });

  it("keeps member_count exact under 20 concurrent joins", async () => {
    const { groupId } = await newGroup({ name: "Busy Circle" });
    const people = await Promise.all(Array.from({ length: 20 }, () => createUser(handle.db)));
    const results = await Promise.all(people.map((p) => joinGroup(handle.db, actor(p), groupId)));
    expect(results.every((r) => r.ok)).toBe(true);
    // The same members again, concurrently: nothing changes.
    await Promise.all(people.slice(0, 5).map((p) => joinGroup(handle.db, actor(p), groupId)));
    expect((await groupRow(groupId)).memberCount).toBe(20);
  });
});

describe("staff group admin", () => {
  it("derives free slugs from names, refuses a taken one and keeps the slug when left empty", async () => {
    const first = await newGroup({ name: "Nagoya Users!" });
    const second = await newGroup({ name: "Nagoya users" });
    const japanese = await newGroup({ name: "名古屋ユーザー会" });
    expect([first.slug, second.slug, japanese.slug]).toEqual(["nagoya-users", "nagoya-users-2", "group"]);
    expect(await createGroup(handle.db, actor(staff), form({ name: "X", slug: "nagoya-users" }))).toEqual({ ok: false, fieldErrors: { slug: ["groups.field.slugTaken"] } });
    expect(await createGroup(handle.db, actor(alice), form({ name: "Y" }))).toEqual({ ok: false, reason: "forbidden" });

    expect(await updateGroup(handle.db, actor(staff), second.groupId, form({ name: "Nagoya Two", slug: "nagoya-users" }))).toEqual({ ok: false, fieldErrors: { slug: ["groups.field.slugTaken"] } });
    expect(await updateGroup(handle.db, actor(staff), second.groupId, form({ name: "Nagoya Two", descriptionMd: "**Hi**" }))).toEqual({ ok: true, slug: "nagoya-users-2" });
    expect(await updateGroup(handle.db, actor(staff), second.groupId, form({ name: "Nagoya Two", slug: "nagoya-two", kind: "industry" }))).toEqual({ ok: true, slug: "nagoya-two" });
    const row = await groupRow(second.groupId);
    expect(row).toMatchObject({ name: "Nagoya Two", kind: "industry", slug: "nagoya-two" });
    expect(row.descriptionHtml).toBe("");
    expect(await updateGroup(handle.db, actor(leader), second.groupId, form())).toEqual({ ok: false, reason: "forbidden" });
  });

  it("names a leader by email or handle", async () => {
    const { groupId, slug } = await newGroup({ name: "Appointed Circle" });
    expect(await appointGroupLeader(handle.db, actor(staff), { groupId, identifier: "@LENA" })).toEqual({ ok: true });
    expect(await appointGroupLeader(handle.db, actor(staff), { groupId, identifier: "nobody@nowhere.test" })).toEqual({ ok: false, fieldErrors: { identifier: ["groups.admin.userNotFound"] } });
    const page = await getGroupPage(handle.db, null, slug);
    expect(page?.leaders.map((l) => l.handle)).toEqual(["lena"]);
    // Anonymous visitors see the leaders and the count, not the member list.
    expect(page?.members).toBeNull();
    expect(page?.group.memberCount).toBe(1);
  });
});

describe("leaders' drafts", () => {
  it("a leader's draft from the form waits for staff and shows on the manage page; other leaders cannot draft for the group", async () => {
    const { groupId, slug } = await newGroup({ name: "Drafting Circle" });
    const otherGroup = await newGroup({ name: "Other Drafting Circle" });
    await setGroupLeader(handle.db, actor(staff), { groupId, userId: leader.id, leader: true });
    await setGroupLeader(handle.db, actor(staff), { groupId: otherGroup.groupId, userId: bob.id, leader: true });
    // What the route passes: the raw form strings, with kind and group taken from the URL.
    const form = { kind: "group_event", groupId: String(groupId), title: "Spring meetup", startsLocal: "2030-04-01T18:00", endsLocal: "2030-04-01T20:00", timeZone: "Asia/Tokyo", attendanceMode: "in_person", venueName: "Office" } as unknown as EventFormInput;
    const created = await createEvent(handle.db, actor(leader), form);
    expect(created.ok).toBe(true);
    expect(await getGroupManagement(handle.db, actor(leader), slug)).toMatchObject({ ok: true, events: [{ title: "Spring meetup", status: "pending_approval", registeredCount: 0 }] });
    expect(await createEvent(handle.db, actor(bob), form)).toEqual({ ok: false, reason: "forbidden" });
  });
});

describe("door check-in list", () => {
  it("shows registrants to staff and the group's leaders only, filtered by name or email", async () => {
    const { groupId } = await newGroup({ name: "Check Circle" });
    await setGroupLeader(handle.db, actor(staff), { groupId, userId: leader.id, leader: true });
    const acme = await createAccount(handle.db, { name: "Acme Corp" });
    await addMembership(handle.db, { userId: alice.id, accountId: acme.id, source: "seed" });
    const carol = await createUser(handle.db, { displayName: "carol chen" });
    const dave = await createUser(handle.db, { displayName: "Dave Dropped" });
    const starts = new Date(Date.now() + 3600_000);
    const [event] = await handle.db
      .insert(events)
      .values({ kind: "group_event", slug: "check-night", title: "Check night", startsAt: starts, endsAt: new Date(starts.getTime() + 7200_000), timeZone: "Asia/Tokyo", status: "published", groupId })
      .returning({ id: events.id });
    const eventId = event!.id;
    let seq = 1;
    const reg = (userId: number, status: "registered" | "maybe" | "cancelled", attendedAt: Date | null = null) => ({ eventId, userId, status, queueSeq: seq++, attendedAt });
    await handle.db.insert(eventRegistrations).values([reg(alice.id, "registered", new Date()), reg(bob.id, "maybe"), reg(carol.id, "registered"), reg(dave.id, "cancelled")]);

    // The directory shows the group's next event.
    const listed = (await listGroups(handle.db, { kind: "region", page: 1 })).items.find((g) => g.id === groupId);
    expect(listed?.nextEventAt?.getTime()).toBe(starts.getTime());

    const list = await getCheckInList(handle.db, actor(leader), eventId);
    expect(list.ok && list.people.map((p) => [p.displayName, p.accountName, p.attended])).toEqual([
      ["Alice Anders", "Acme Corp", true],
      ["Bob Brown", null, false],
      ["carol chen", null, false],
    ]);
    expect(list.ok && [list.checkedIn, list.expected]).toEqual([1, 3]);

    const byEmail = await getCheckInList(handle.db, actor(staff), { kind: "group_event", slug: "check-night" }, { q: "GLOBEX" });
    expect(byEmail.ok && byEmail.people.map((p) => p.displayName)).toEqual(["Bob Brown"]);
    expect(byEmail.ok && byEmail.expected).toBe(3);
    const wildcard = await getCheckInList(handle.db, actor(staff), eventId, { q: "%" });
    expect(wildcard.ok && wildcard.people).toEqual([]);

    expect(await getCheckInList(handle.db, actor(bob), eventId)).toEqual({ ok: false, reason: "forbidden" });

    // At the door: the leader checks Carol in by the event's URL; a plain member may not.
    const ref = { kind: "group_event" as const, slug: "check-night" };
    expect(await checkInAtDoor(handle.db, actor(leader), { event: ref, userId: carol.id, attended: true })).toMatchObject({ ok: true, attended: true });
    expect(await checkInAtDoor(handle.db, actor(bob), { event: ref, userId: bob.id, attended: true })).toEqual({ ok: false, reason: "forbidden" });
    const after = await getCheckInList(handle.db, actor(leader), eventId);
    expect(after.ok && [after.checkedIn, after.expected]).toEqual([2, 3]);
    expect(await getCheckInList(handle.db, actor(leader), { kind: "webinar", slug: "check-night" })).toEqual({ ok: false, reason: "not_found" });
  });
});
