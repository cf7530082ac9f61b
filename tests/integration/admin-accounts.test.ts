import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { addMembership, createAccount as insertAccount, createUser, type UserRow } from "../../db/factories";
import { accountDomains, accountMembers, accountMembershipHistory, accounts, activities } from "../../db/schema";
import type { AccountInput } from "../../app/features/accounts/accounts.schema";
import { accountFormSchema, accountPageActionSchema } from "../../app/features/accounts/accounts.schema";
import {
  addDomain,
  addMemberByEmail,
  createAccount,
  getAccount,
  listAccounts,
  listStaffUsers,
  removeDomain,
  removeMember,
  updateAccount,
} from "../../app/features/accounts/accounts.server";
import { joinAccountByVerifiedEmail } from "../../app/features/accounts/membership.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let staff: UserRow;
let admin: UserRow;
let member: UserRow;

beforeAll(async () => {
  handle = await createTestDb();
  staff = await createUser(handle.db, { role: "staff", displayName: "Priya Staff" });
  admin = await createUser(handle.db, { role: "admin", displayName: "Dana Admin" });
  member = await createUser(handle.db, { role: "member" });
});
afterAll(async () => {
  await handle.close();
});

function input(overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    name: "Acme",
    crmExternalId: null,
    tier: "tech_touch",
    ownerId: null,
    renewalDate: null,
    arrCents: null,
    licensedSeats: null,
    ...overrides,
  };
}

async function membershipOf(userId: number) {
  const [row] = await handle.db.select().from(accountMembers).where(eq(accountMembers.userId, userId));
  return row;
}

describe("account form", () => {
  it("reads ARR in whole currency units and stores cents; blank optional fields become null", () => {
    const parsed = accountFormSchema.safeParse({ name: " Globex ", crmExternalId: "", tier: "high_touch", ownerId: "", renewalDate: "2027-03-31", arr: "1,200,000", licensedSeats: "" });
    expect(parsed.success && parsed.data).toEqual({
      name: "Globex",
      crmExternalId: null,
      tier: "high_touch",
      ownerId: null,
      renewalDate: "2027-03-31",
      arrCents: 120_000_000,
      licensedSeats: null,
    });
  });

  it("names the field of each bad value with a catalog key", () => {
    const parsed = accountFormSchema.safeParse({ name: "", tier: "gold", renewalDate: "2027-02-30", arr: "12.5", licensedSeats: "-3" });
    expect(parsed.success).toBe(false);
    const paths = Object.fromEntries(parsed.error!.issues.map((i) => [i.path.join("."), i.message]));
    expect(paths).toMatchObject({
      name: "form.required",
      tier: "form.invalid",
      renewalDate: "admin.accounts.dateInvalid",
      arr: "admin.accounts.arrInvalid",
      licensedSeats: "admin.accounts.seatsInvalid",
    });
  });

  it("tells the account page's forms apart by intent", () => {
    expect(accountPageActionSchema.safeParse({ intent: "addDomain", domain: "@Sub.Example.COM" }).data).toEqual({ intent: "addDomain", domain: "sub.example.com" });
    expect(accountPageActionSchema.safeParse({ intent: "addDomain", domain: "not a domain" }).error?.issues[0]?.message).toBe("admin.accounts.domainInvalid");
    expect(accountPageActionSchema.safeParse({ intent: "dropTable" }).success).toBe(false);
  });
});

describe("creating and editing accounts", () => {
  it("refuses a CRM id another account already uses, on create and on edit", async () => {
    const first = await createAccount(handle.db, staff, input({ name: "First", crmExternalId: "CRM-001" }));
    expect(first.ok).toBe(true);

    const clash = await createAccount(handle.db, staff, input({ name: "Second", crmExternalId: "CRM-001" }));
    expect(clash).toEqual({ ok: false, fieldErrors: { crmExternalId: ["admin.accounts.crmTaken"] } });

    const second = await createAccount(handle.db, staff, input({ name: "Second", crmExternalId: "CRM-002" }));
    if (!second.ok || !("id" in second)) throw new Error("expected the second account");
    const edit = await updateAccount(handle.db, staff, second.id, input({ name: "Second renamed", crmExternalId: "CRM-001" }));
    expect(edit).toEqual({ ok: false, fieldErrors: { crmExternalId: ["admin.accounts.crmTaken"] } });

    const [unchanged] = await handle.db.select().from(accounts).where(eq(accounts.id, second.id));
    expect(unchanged).toMatchObject({ name: "Second", crmExternalId: "CRM-002" });
  });

  it("keeps an account's own CRM id when saving other fields", async () => {
    const created = await createAccount(handle.db, staff, input({ name: "Keeper", crmExternalId: "CRM-KEEP" }));
    if (!created.ok || !("id" in created)) throw new Error("expected an account");
    const saved = await updateAccount(
      handle.db,
      staff,
      created.id,
      input({ name: "Keeper Inc", crmExternalId: "CRM-KEEP", tier: "high_touch", ownerId: staff.id, renewalDate: "2027-01-15", arrCents: 5_000_000, licensedSeats: 40 }),
    );
    expect(saved).toEqual({ ok: true });
    const account = await getAccount(handle.db, created.id);
    expect(account).toMatchObject({ name: "Keeper Inc", tier: "high_touch", ownerId: staff.id, ownerName: "Priya Staff", renewalDate: "2027-01-15", arrCents: 5_000_000, licensedSeats: 40 });
  });

  it("accepts only a staff or admin user as owner", async () => {
    const refused = await createAccount(handle.db, staff, input({ name: "Owned", ownerId: member.id }));
    expect(refused).toEqual({ ok: false, fieldErrors: { ownerId: ["admin.accounts.ownerInvalid"] } });
    const accepted = await createAccount(handle.db, staff, input({ name: "Owned", ownerId: admin.id }));
    expect(accepted.ok).toBe(true);
    expect((await listStaffUsers(handle.db)).map((u) => u.id)).toEqual(expect.arrayContaining([staff.id, admin.id]));
    expect((await listStaffUsers(handle.db)).map((u) => u.id)).not.toContain(member.id);
  });

  it("refuses members, and reports an unknown account as not found", async () => {
    expect(await createAccount(handle.db, member, input({ name: "Sneaky" }))).toEqual({ ok: false, reason: "forbidden" });
    expect(await updateAccount(handle.db, staff, 2_000_000_000, input())).toEqual({ ok: false, reason: "not_found" });
    expect(await getAccount(handle.db, 2_000_000_000)).toBeNull();
  });
});

describe("account domains", () => {
  it("stores a domain in lower case and keeps it in one account only", async () => {
    const a = await insertAccount(handle.db, { name: "Domain A", domains: [] });
    const b = await insertAccount(handle.db, { name: "Domain B", domains: [] });

    expect(await addDomain(handle.db, staff, a.id, "  Initech.EXAMPLE ")).toEqual({ ok: true, domain: "initech.example", added: true });
    expect(await addDomain(handle.db, staff, a.id, "initech.example")).toEqual({ ok: true, domain: "initech.example", added: false });
    expect(await addDomain(handle.db, staff, b.id, "INITECH.example")).toEqual({ ok: false, fieldErrors: { domain: ["admin.accounts.domainTaken"] } });
    expect(await addDomain(handle.db, staff, b.id, "initech")).toEqual({ ok: false, fieldErrors: { domain: ["admin.accounts.domainInvalid"] } });

    const rows = await handle.db.select().from(accountDomains).where(eq(accountDomains.domain, "initech.example"));
    expect(rows).toEqual([expect.objectContaining({ accountId: a.id })]);
  });

  it("removes a domain only from its own account", async () => {
    const a = await insertAccount(handle.db, { name: "Remove A", domains: ["remove-a.example"] });
    const b = await insertAccount(handle.db, { name: "Remove B", domains: [] });
    expect(await removeDomain(handle.db, staff, b.id, "remove-a.example")).toEqual({ ok: true, removed: false });
    expect((await getAccount(handle.db, a.id))?.domains.map((d) => d.domain)).toEqual(["remove-a.example"]);
    expect(await removeDomain(handle.db, staff, a.id, "remove-a.example")).toEqual({ ok: true, removed: true });
    expect((await getAccount(handle.db, a.id))?.domains).toEqual([]);
  });
});

describe("account members", () => {
  it("moves a member added by email out of their old account, with history and ledger rows", async () => {
    const oldAccount = await insertAccount(handle.db, { name: "Old Co", domains: ["oldco.example"] });
    const newAccount = await insertAccount(handle.db, { name: "New Co", domains: [] });
    const mover = await createUser(handle.db, { email: "mover@oldco.example" });
    const stayer = await createUser(handle.db, { email: "stayer@oldco.example" });
    await addMembership(handle.db, { userId: mover.id, accountId: oldAccount.id, source: "domain" });
    await addMembership(handle.db, { userId: stayer.id, accountId: oldAccount.id, source: "domain" });

    const result = await addMemberByEmail(handle.db, staff, newAccount.id, "  MOVER@oldco.example ");
    expect(result).toEqual({ ok: true, userId: mover.id, changed: true });

    expect(await membershipOf(mover.id)).toMatchObject({ accountId: newAccount.id, source: "staff", isStaffOverride: true });
    const history = await handle.db
      .select({ accountId: accountMembershipHistory.accountId, change: accountMembershipHistory.change, source: accountMembershipHistory.source, actorId: accountMembershipHistory.actorId })
      .from(accountMembershipHistory)
      .where(and(eq(accountMembershipHistory.userId, mover.id), eq(accountMembershipHistory.source, "staff")))
      .orderBy(accountMembershipHistory.id);
    expect(history).toEqual([
      { accountId: oldAccount.id, change: "left", source: "staff", actorId: staff.id },
      { accountId: newAccount.id, change: "joined", source: "staff", actorId: staff.id },
    ]);
    const ledger = await handle.db
      .select({ type: activities.type, subjectId: activities.subjectId, accountId: activities.accountId })
      .from(activities)
      .where(eq(activities.userId, mover.id))
      .orderBy(activities.id);
    expect(ledger).toEqual([
      { type: "account.left", subjectId: String(oldAccount.id), accountId: oldAccount.id },
      { type: "account.joined", subjectId: String(newAccount.id), accountId: newAccount.id },
    ]);

    // Isolation: the other member of the old account is untouched.
    expect(await membershipOf(stayer.id)).toMatchObject({ accountId: oldAccount.id, source: "domain", isStaffOverride: false });
    const details = await getAccount(handle.db, oldAccount.id);
    expect(details?.members.map((m) => m.id)).toEqual([stayer.id]);
    expect(details?.history.map((h) => [h.userId, h.change])).toContainEqual([mover.id, "left"]);
  });

  it("keeps a staff placement when the member's verified email domain points elsewhere", async () => {
    const domainAccount = await insertAccount(handle.db, { name: "Domain Owner", domains: ["pinned.example"] });
    const chosen = await insertAccount(handle.db, { name: "Chosen by staff", domains: [] });
    const pinned = await createUser(handle.db, { email: "pinned@pinned.example" });

    await addMemberByEmail(handle.db, staff, chosen.id, pinned.email);
    const joined = await handle.db.transaction((tx) => joinAccountByVerifiedEmail(tx, pinned.id, pinned.email));

    expect(joined).toBeNull();
    expect(await membershipOf(pinned.id)).toMatchObject({ accountId: chosen.id, isStaffOverride: true });
    expect((await getAccount(handle.db, domainAccount.id))?.members).toEqual([]);
  });

  it("does not let the domain rule re-add a member staff removed", async () => {
    const account = await insertAccount(handle.db, { name: "Removed stays removed", domains: ["removed.example"] });
    const removed = await createUser(handle.db, { email: "gone@removed.example" });
    await handle.db.transaction((tx) => joinAccountByVerifiedEmail(tx, removed.id, removed.email));
    expect(await membershipOf(removed.id)).toMatchObject({ accountId: account.id });

    await removeMember(handle.db, staff, account.id, removed.id);
    const rejoined = await handle.db.transaction((tx) => joinAccountByVerifiedEmail(tx, removed.id, removed.email));
    expect(rejoined).toBeNull();
    expect(await membershipOf(removed.id)).toBeUndefined();
  });

  it("gives a field error for an email nobody registered, and changes nothing for a current member", async () => {
    const account = await insertAccount(handle.db, { name: "Field errors", domains: [] });
    expect(await addMemberByEmail(handle.db, staff, account.id, "nobody@nowhere.example")).toEqual({
      ok: false,
      fieldErrors: { email: ["admin.accounts.memberUnknown"] },
    });
    const user = await createUser(handle.db);
    await addMemberByEmail(handle.db, staff, account.id, user.email);
    expect(await addMemberByEmail(handle.db, staff, account.id, user.email)).toEqual({ ok: true, userId: user.id, changed: false });
    expect(await addMemberByEmail(handle.db, staff, 2_000_000_000, user.email)).toEqual({ ok: false, reason: "not_found" });
  });

  it("removes a member with a history row, leaving other members and other accounts alone", async () => {
    const account = await insertAccount(handle.db, { name: "Removal", domains: [] });
    const other = await insertAccount(handle.db, { name: "Elsewhere", domains: [] });
    const leaving = await createUser(handle.db);
    const staying = await createUser(handle.db);
    const outsider = await createUser(handle.db);
    await addMembership(handle.db, { userId: leaving.id, accountId: account.id, source: "seed" });
    await addMembership(handle.db, { userId: staying.id, accountId: account.id, source: "seed" });
    await addMembership(handle.db, { userId: outsider.id, accountId: other.id, source: "seed" });

    // A member of another account cannot be removed through this one.
    expect(await removeMember(handle.db, staff, account.id, outsider.id)).toEqual({ ok: true, removed: false });
    expect(await membershipOf(outsider.id)).toMatchObject({ accountId: other.id });

    expect(await removeMember(handle.db, staff, account.id, leaving.id)).toEqual({ ok: true, removed: true });
    expect(await membershipOf(leaving.id)).toBeUndefined();
    expect(await membershipOf(staying.id)).toMatchObject({ accountId: account.id });
    const [left] = await handle.db
      .select()
      .from(accountMembershipHistory)
      .where(and(eq(accountMembershipHistory.userId, leaving.id), eq(accountMembershipHistory.change, "left")));
    expect(left).toMatchObject({ accountId: account.id, source: "staff", actorId: staff.id });
  });
});

describe("account list", () => {
  it("pages accounts by name with member counts and owner names, matching search text literally", async () => {
    const prefix = `Zeta${Date.now()}`;
    const one = await insertAccount(handle.db, { name: `${prefix} One`, ownerId: admin.id, tier: "high_touch", domains: ["zeta-one.example"] });
    await insertAccount(handle.db, { name: `${prefix} Two`, tier: "low_touch", domains: [] });
    await insertAccount(handle.db, { name: `${prefix} 100% Three`, tier: "high_touch", domains: [] });
    for (const _ of [1, 2]) {
      const user = await createUser(handle.db);
      await addMembership(handle.db, { userId: user.id, accountId: one.id, source: "seed" });
    }

    const firstPage = await listAccounts(handle.db, { q: prefix, page: 1, pageSize: 2 });
    expect(firstPage).toMatchObject({ total: 3, pageCount: 2, page: 1 });
    expect(firstPage.items.map((a) => a.name)).toEqual([`${prefix} 100% Three`, `${prefix} One`]);
    expect(firstPage.items[1]).toMatchObject({ ownerName: "Dana Admin", memberCount: 2 });

    const descending = await listAccounts(handle.db, { q: prefix, sort: "-name", page: 1 });
    expect(descending.items.map((a) => a.name)).toEqual([`${prefix} Two`, `${prefix} One`, `${prefix} 100% Three`]);

    expect((await listAccounts(handle.db, { q: `${prefix} 100%`, page: 1 })).items.map((a) => a.name)).toEqual([`${prefix} 100% Three`]);
    expect((await listAccounts(handle.db, { q: "%", page: 1 })).items.map((a) => a.name)).toEqual([`${prefix} 100% Three`]);
    expect((await listAccounts(handle.db, { q: "zeta-one.example", page: 1 })).items.map((a) => a.id)).toEqual([one.id]);
    expect((await listAccounts(handle.db, { q: prefix, tier: "high_touch", page: 1 })).total).toBe(2);

    const pastTheEnd = await listAccounts(handle.db, { q: prefix, page: 9, pageSize: 2 });
    expect(pastTheEnd).toMatchObject({ items: [], total: 3, pageCount: 2 });
  });
});
