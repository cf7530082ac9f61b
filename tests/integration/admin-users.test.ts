import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser, type UserRow } from "../../db/factories";
import { moderationActions, sessions, users } from "../../db/schema";
import { recordActivity } from "../../app/features/engagement/activities.server";
import { userPageActionSchema } from "../../app/features/users/users.schema";
import { changeUserRole, getUserForAdmin, listUsers, suspendUser, unsuspendUser } from "../../app/features/users/users.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let admin: UserRow;
let staff: UserRow;

beforeAll(async () => {
  handle = await createTestDb();
  admin = await createUser(handle.db, { role: "admin" });
  staff = await createUser(handle.db, { role: "staff" });
});
afterAll(async () => {
  await handle.close();
});

async function signIn(userId: number): Promise<string> {
  const id = crypto.randomBytes(20).toString("hex");
  await handle.db.insert(sessions).values({ id, userId, expiresAt: new Date(Date.now() + 86_400_000) });
  return id;
}

async function sessionIdsOf(userId: number): Promise<string[]> {
  return (await handle.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).map((s) => s.id);
}

async function userRow(id: number) {
  const [row] = await handle.db.select().from(users).where(eq(users.id, id));
  return row!;
}

describe("changing roles", () => {
  it("refuses staff, whoever the target is, and changes nothing", async () => {
    const member = await createUser(handle.db, { role: "member" });
    const otherStaff = await createUser(handle.db, { role: "staff" });
    const session = await signIn(member.id);

    expect(await changeUserRole(handle.db, staff, member.id, "moderator")).toEqual({ ok: false, reason: "forbidden" });
    expect(await changeUserRole(handle.db, staff, otherStaff.id, "member")).toEqual({ ok: false, reason: "forbidden" });
    expect(await changeUserRole(handle.db, staff, admin.id, "member")).toEqual({ ok: false, reason: "forbidden" });

    expect((await userRow(member.id)).role).toBe("member");
    expect((await userRow(otherStaff.id)).role).toBe("staff");
    expect((await userRow(admin.id)).role).toBe("admin");
    expect(await sessionIdsOf(member.id)).toEqual([session]);
  });

  it("lets an admin change another user's role and signs that user out everywhere", async () => {
    const promoted = await createUser(handle.db, { role: "member" });
    const bystander = await createUser(handle.db, { role: "member" });
    await signIn(promoted.id);
    await signIn(promoted.id);
    const bystanderSession = await signIn(bystander.id);

    expect(await changeUserRole(handle.db, admin, promoted.id, "staff")).toEqual({ ok: true, changed: true });
    expect((await userRow(promoted.id)).role).toBe("staff");
    expect(await sessionIdsOf(promoted.id)).toEqual([]);
    // Isolation: another user's session survives.
    expect(await sessionIdsOf(bystander.id)).toEqual([bystanderSession]);
  });

  it("lets an admin demote a staff member, but not change their own role", async () => {
    const demoted = await createUser(handle.db, { role: "staff" });
    expect(await changeUserRole(handle.db, admin, demoted.id, "member")).toEqual({ ok: true, changed: true });
    expect(await changeUserRole(handle.db, admin, admin.id, "member")).toEqual({ ok: false, reason: "forbidden" });
    expect((await userRow(admin.id)).role).toBe("admin");
  });

  it("keeps sessions when the role is already the one asked for, and reports unknown users", async () => {
    const same = await createUser(handle.db, { role: "moderator" });
    const session = await signIn(same.id);
    expect(await changeUserRole(handle.db, admin, same.id, "moderator")).toEqual({ ok: true, changed: false });
    expect(await sessionIdsOf(same.id)).toEqual([session]);
    expect(await changeUserRole(handle.db, admin, 2_000_000_000, "member")).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("suspending users", () => {
  it("refuses a staff user suspending an admin or another staff member", async () => {
    const otherStaff = await createUser(handle.db, { role: "staff" });
    const session = await signIn(otherStaff.id);

    expect(await suspendUser(handle.db, staff, admin.id, "Testing limits")).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendUser(handle.db, staff, otherStaff.id, "Testing limits")).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendUser(handle.db, staff, staff.id, "Myself")).toEqual({ ok: false, reason: "forbidden" });

    expect((await userRow(admin.id)).suspendedAt).toBeNull();
    expect((await userRow(otherStaff.id)).suspendedAt).toBeNull();
    expect(await sessionIdsOf(otherStaff.id)).toEqual([session]);
  });

  it("lets staff suspend a member with a reason, ending only that member's sessions", async () => {
    const target = await createUser(handle.db, { role: "member" });
    const bystander = await createUser(handle.db, { role: "member" });
    await signIn(target.id);
    const bystanderSession = await signIn(bystander.id);

    expect(await suspendUser(handle.db, staff, target.id, "  Spam in the forum  ")).toEqual({ ok: true });

    const row = await userRow(target.id);
    expect(row.suspendedAt).toBeInstanceOf(Date);
    expect(row.suspendedReason).toBe("Spam in the forum");
    expect(await sessionIdsOf(target.id)).toEqual([]);
    expect(await sessionIdsOf(bystander.id)).toEqual([bystanderSession]);
    expect((await userRow(bystander.id)).suspendedAt).toBeNull();
    // In the same audit log as moderators' suspensions, with who and why; nothing for the bystander.
    const audit = await handle.db.select().from(moderationActions).where(and(eq(moderationActions.targetType, "user"), eq(moderationActions.targetId, target.id)));
    expect(audit.map((a) => [a.action, a.actorId, a.reason])).toEqual([["suspend", staff.id, "Spam in the forum"]]);
    expect(await handle.db.select().from(moderationActions).where(and(eq(moderationActions.targetType, "user"), eq(moderationActions.targetId, bystander.id)))).toEqual([]);
  });

  it("lets an admin suspend a staff member", async () => {
    const target = await createUser(handle.db, { role: "staff" });
    await signIn(target.id);
    expect(await suspendUser(handle.db, admin, target.id, "Left the company")).toEqual({ ok: true });
    expect((await userRow(target.id)).suspendedAt).toBeInstanceOf(Date);
    expect(await sessionIdsOf(target.id)).toEqual([]);
  });

  it("requires a reason of at most 500 characters", async () => {
    const target = await createUser(handle.db, { role: "member" });
    expect(await suspendUser(handle.db, staff, target.id, "   ")).toEqual({ ok: false, fieldErrors: { reason: ["admin.users.reasonRequired"] } });
    expect(await suspendUser(handle.db, staff, target.id, "x".repeat(501))).toEqual({ ok: false, fieldErrors: { reason: ["form.tooLong"] } });
    expect(await suspendUser(handle.db, staff, target.id, "x".repeat(500))).toEqual({ ok: true });
    expect(userPageActionSchema.safeParse({ intent: "suspend", reason: "" }).success).toBe(false);
  });

  it("lifts a suspension and clears its reason", async () => {
    const target = await createUser(handle.db, { role: "member" });
    await suspendUser(handle.db, staff, target.id, "Mistake");
    expect(await unsuspendUser(handle.db, staff, target.id)).toEqual({ ok: true, changed: true });
    expect(await userRow(target.id)).toMatchObject({ suspendedAt: null, suspendedReason: null });
    expect(await unsuspendUser(handle.db, staff, target.id)).toEqual({ ok: true, changed: false });
    expect(await unsuspendUser(handle.db, staff, admin.id)).toEqual({ ok: false, reason: "forbidden" });
  });
});

describe("user list and details", () => {
  it("filters by text, role and status, treating % and _ literally", async () => {
    const tag = crypto.randomBytes(4).toString("hex");
    const alice = await createUser(handle.db, { email: `alice.${tag}@example.test`, displayName: `Alice ${tag}`, handle: `alice_${tag}`, role: "moderator" });
    const bob = await createUser(handle.db, { email: `bobe.${tag}@example.test`, displayName: `Bob ${tag}`, handle: `bob${tag}` });
    await suspendUser(handle.db, admin, bob.id, "Test");

    expect((await listUsers(handle.db, { q: tag, page: 1 })).items.map((u) => u.id).sort()).toEqual([alice.id, bob.id].sort());
    expect((await listUsers(handle.db, { q: `ALICE ${tag}`, page: 1 })).items.map((u) => u.id)).toEqual([alice.id]);
    expect((await listUsers(handle.db, { q: tag, role: "moderator", page: 1 })).items.map((u) => u.id)).toEqual([alice.id]);
    expect((await listUsers(handle.db, { q: tag, status: "suspended", page: 1 })).items.map((u) => u.id)).toEqual([bob.id]);
    expect((await listUsers(handle.db, { q: tag, status: "active", page: 1 })).items.map((u) => u.id)).toEqual([alice.id]);
    expect((await listUsers(handle.db, { q: "%", page: 1 })).total).toBe(0);
    // "_" is a wildcard in LIKE; here only the handle with a real underscore matches.
    expect((await listUsers(handle.db, { q: `e_${tag}`, page: 1 })).items.map((u) => u.id)).toEqual([alice.id]);
  });

  it("pages newest first and knows the total past the last page", async () => {
    const tag = crypto.randomBytes(4).toString("hex");
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await createUser(handle.db, { displayName: `Pager ${tag} ${i}` }));
    const first = await listUsers(handle.db, { q: `Pager ${tag}`, page: 1, pageSize: 2 });
    expect(first).toMatchObject({ total: 3, pageCount: 2 });
    expect(first.items.map((u) => u.id)).toEqual([created[2]!.id, created[1]!.id]);
    expect(await listUsers(handle.db, { q: `Pager ${tag}`, page: 5, pageSize: 2 })).toMatchObject({ items: [], total: 3 });
  });

  it("shows a user's account and recent activity without the password hash", async () => {
    const account = await createAccount(handle.db, { name: "Details Co", domains: [] });
    const user = await createUser(handle.db);
    await addMembership(handle.db, { userId: user.id, accountId: account.id, source: "seed" });
    await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: `details-${user.id}-1` });
    await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: `details-${user.id}-2`, occurredAt: new Date(Date.now() - 90 * 86_400_000) });

    const details = await getUserForAdmin(handle.db, user.id);
    expect(details).toMatchObject({ id: user.id, email: user.email, accountId: account.id, accountName: "Details Co", recentActivityCount: 1, suspendedAt: null });
    expect(details).not.toHaveProperty("passwordHash");
    expect(await getUserForAdmin(handle.db, 2_000_000_000)).toBeNull();
  });
});
