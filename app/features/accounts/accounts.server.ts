import { ACCOUNT_HISTORY_LIMIT } from "./accounts.schema";
import { and, asc, count, desc, eq, exists, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { isUniqueViolation, type Db } from "../../../db/client";
import {
  accountDomains,
  accountMembers,
  accountMembershipHistory,
  accounts,
  users,
  type MembershipSource,
  type Role,
  type Tier,
} from "../../../db/schema";
import { containsPattern, pageOf, windowedTotal, type Page } from "../admin/listing";
import { can, type SessionUser } from "../auth/permissions";
import type { FieldErrors } from "../forms/parse";
import { isValidDomain, normalizeDomain, type AccountInput, type AccountSort } from "./accounts.schema";
import { changeMembership } from "./membership.server";

export const ACCOUNT_PAGE_SIZE = 25;
/** Members shown on the account page; the page states the total when there are more. */
export const ACCOUNT_MEMBER_LIMIT = 200;
/** Membership changes shown on the account page, newest first. */

const STAFF_ROLES: Role[] = ["staff", "admin"];
const STAFF_SOURCE: MembershipSource = "staff";

export type Actor = Pick<SessionUser, "id" | "role">;

/** What a staff command returns: success, errors to show beside the form's fields, or a refusal. */
export type CommandResult<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "forbidden" };

const FORBIDDEN = { ok: false, reason: "forbidden" } as const;
const NOT_FOUND = { ok: false, reason: "not_found" } as const;
const crmTaken = (): { ok: false; fieldErrors: FieldErrors } => ({ ok: false, fieldErrors: { crmExternalId: ["admin.accounts.crmTaken"] } });

export interface ListAccountsInput {
  q?: string;
  tier?: Tier;
  sort?: AccountSort;
  page: number;
  pageSize?: number;
}

export interface AccountListItem {
  id: number;
  name: string;
  tier: Tier;
  crmExternalId: string | null;
  renewalDate: string | null;
  licensedSeats: number | null;
  ownerName: string | null;
  memberCount: number;
}

/**
 * Accounts for the staff list, one page at a time, with member counts and owner names in the same query.
 * `q` matches the name, the CRM id or any of the account's domains, literally (no wildcards).
 */
export async function listAccounts(db: Db, input: ListAccountsInput): Promise<Page<AccountListItem>> {
  const pageSize = input.pageSize ?? ACCOUNT_PAGE_SIZE;
  const conditions: SQL[] = [];
  const q = input.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    const domainMatches = db
      .select({ one: sql`1` })
      .from(accountDomains)
      .where(and(eq(accountDomains.accountId, accounts.id), ilike(accountDomains.domain, pattern)));
    conditions.push(or(ilike(accounts.name, pattern), ilike(accounts.crmExternalId, pattern), exists(domainMatches))!);
  }
  if (input.tier) conditions.push(eq(accounts.tier, input.tier));

  // Correlated, so counts are computed only for the rows on this page (account_members_account_idx).
  const memberCount = sql<number>`(select count(*) from ${accountMembers} where ${accountMembers.accountId} = ${accounts.id})`.mapWith(Number);
  const direction = input.sort === "-name" ? desc : asc;
  const rows = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      tier: accounts.tier,
      crmExternalId: accounts.crmExternalId,
      renewalDate: accounts.renewalDate,
      licensedSeats: accounts.licensedSeats,
      ownerName: users.displayName,
      memberCount,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(accounts)
    .leftJoin(users, eq(users.id, accounts.ownerId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(direction(accounts.name), direction(accounts.id))
    .limit(pageSize)
    .offset((input.page - 1) * pageSize);

  const total = await windowedTotal(rows, input.page, async () => {
    const [row] = await db.select({ n: count() }).from(accounts).where(conditions.length ? and(...conditions) : undefined);
    return row?.n ?? 0;
  });
  return pageOf(
    rows.map(({ total: _total, ...item }) => item),
    total,
    input.page,
    pageSize,
  );
}

export type AccountDetails = NonNullable<Awaited<ReturnType<typeof getAccount>>>;

/** One account for the staff page: its fields, owner, domains, members (capped) and recent membership history. */
export async function getAccount(db: Db, id: number) {
  const owner = alias(users, "owner");
  const [account] = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      crmExternalId: accounts.crmExternalId,
      tier: accounts.tier,
      ownerId: accounts.ownerId,
      ownerName: owner.displayName,
      renewalDate: accounts.renewalDate,
      arrCents: accounts.arrCents,
      licensedSeats: accounts.licensedSeats,
      createdAt: accounts.createdAt,
      updatedAt: accounts.updatedAt,
    })
    .from(accounts)
    .leftJoin(owner, eq(owner.id, accounts.ownerId))
    .where(eq(accounts.id, id));
  if (!account) return null;

  const actor = alias(users, "actor");
  const [domains, members, [memberTotal], history] = await Promise.all([
    db
      .select({ domain: accountDomains.domain, createdAt: accountDomains.createdAt })
      .from(accountDomains)
      .where(eq(accountDomains.accountId, id))
      .orderBy(accountDomains.domain),
    db
      .select({
        id: users.id,
        displayName: users.displayName,
        email: users.email,
        role: users.role,
        source: accountMembers.source,
        isStaffOverride: accountMembers.isStaffOverride,
        joinedAt: accountMembers.joinedAt,
      })
      .from(accountMembers)
      .innerJoin(users, eq(users.id, accountMembers.userId))
      .where(eq(accountMembers.accountId, id))
      .orderBy(users.displayName, users.id)
      .limit(ACCOUNT_MEMBER_LIMIT),
    db.select({ n: count() }).from(accountMembers).where(eq(accountMembers.accountId, id)),
    db
      .select({
        id: accountMembershipHistory.id,
        userId: accountMembershipHistory.userId,
        userName: users.displayName,
        change: accountMembershipHistory.change,
        source: accountMembershipHistory.source,
        actorName: actor.displayName,
        at: accountMembershipHistory.at,
      })
      .from(accountMembershipHistory)
      .innerJoin(users, eq(users.id, accountMembershipHistory.userId))
      .leftJoin(actor, eq(actor.id, accountMembershipHistory.actorId))
      .where(eq(accountMembershipHistory.accountId, id))
      .orderBy(desc(accountMembershipHistory.at), desc(accountMembershipHistory.id))
      .limit(ACCOUNT_HISTORY_LIMIT),
  ]);
  return { ...account, domains, members, memberCount: memberTotal?.n ?? 0, history };
}

/** Staff and admins who may own an account (the owner select). Suspended people are left out. */
export async function listStaffUsers(db: Db): Promise<Array<{ id: number; displayName: string; role: Role }>> {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(inArray(users.role, STAFF_ROLES), isNull(users.suspendedAt)))
    .orderBy(users.displayName, users.id);
}

/** Field errors for an account's owner and CRM id, which the form's schema cannot check alone. */
async function checkAccountInput(db: Db, input: AccountInput, current: { id: number; ownerId: number | null } | null): Promise<FieldErrors | null> {
  const errors: FieldErrors = {};
  // An unchanged owner is kept even if no longer eligible, so other fields stay editable.
  if (input.ownerId !== null && input.ownerId !== current?.ownerId) {
    const [owner] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.ownerId), inArray(users.role, STAFF_ROLES), isNull(users.suspendedAt)));
    if (!owner) errors.ownerId = ["admin.accounts.ownerInvalid"];
  }
  if (input.crmExternalId !== null) {
    const [clash] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.crmExternalId, input.crmExternalId));
    if (clash && clash.id !== current?.id) errors.crmExternalId = ["admin.accounts.crmTaken"];
  }
  return Object.keys(errors).length ? errors : null;
}

function accountValues(input: AccountInput) {
  return {
    name: input.name,
    crmExternalId: input.crmExternalId,
    tier: input.tier,
    ownerId: input.ownerId,
    renewalDate: input.renewalDate,
    arrCents: input.arrCents,
    licensedSeats: input.licensedSeats,
  };
}

/** Creates a customer account. Staff only. Field errors for a CRM id already in use or an owner who is not staff. */
export async function createAccount(db: Db, actor: Actor, input: AccountInput): Promise<CommandResult<{ id: number }>> {
  if (!can(actor, "accounts.manage")) return FORBIDDEN;
  try {
    return await db.transaction(async (tx): Promise<CommandResult<{ id: number }>> => {
      const fieldErrors = await checkAccountInput(tx, input, null);
      if (fieldErrors) return { ok: false, fieldErrors };
      const [row] = await tx.insert(accounts).values(accountValues(input)).returning({ id: accounts.id });
      return { ok: true, id: row!.id };
    });
  } catch (error) {
    // Two staff entering one CRM id at the same moment: the unique index decides.
    if (isUniqueViolation(error)) return crmTaken();
    throw error;
  }
}

/** Saves an account's fields. Staff only. Same field errors as createAccount; not_found for an unknown id. */
export async function updateAccount(db: Db, actor: Actor, id: number, input: AccountInput): Promise<CommandResult> {
  if (!can(actor, "accounts.manage")) return FORBIDDEN;
  try {
    return await db.transaction(async (tx): Promise<CommandResult> => {
      const [current] = await tx.select({ id: accounts.id, ownerId: accounts.ownerId }).from(accounts).where(eq(accounts.id, id)).for("update");
      if (!current) return NOT_FOUND;
      const fieldErrors = await checkAccountInput(tx, input, current);
      if (fieldErrors) return { ok: false, fieldErrors };
      await tx
        .update(accounts)
        .set({ ...accountValues(input), updatedAt: new Date() })
        .where(eq(accounts.id, id));
      return { ok: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return crmTaken();
    throw error;
  }
}

/**
 * Adds an email domain whose verified users auto-join the account. Staff only. The domain is normalized
 * (lower case); adding one the account already has changes nothing; one owned by another account is a
 * field error. Existing users of the domain are not moved: the domain rule applies at email verification.
 */
export async function addDomain(db: Db, actor: Actor, accountId: number, domain: string): Promise<CommandResult<{ domain: string; added: boolean }>> {
  if (!can(actor, "accounts.manage")) return FORBIDDEN;
  const normalized = normalizeDomain(domain);
  if (!isValidDomain(normalized)) return { ok: false, fieldErrors: { domain: ["admin.accounts.domainInvalid"] } };
  return db.transaction(async (tx): Promise<CommandResult<{ domain: string; added: boolean }>> => {
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
    if (!account) return NOT_FOUND;
    const inserted = await tx
      .insert(accountDomains)
      .values({ domain: normalized, accountId })
      .onConflictDoNothing({ target: accountDomains.domain })
      .returning({ domain: accountDomains.domain });
    if (inserted.length > 0) return { ok: true, domain: normalized, added: true };
    const [holder] = await tx.select({ accountId: accountDomains.accountId }).from(accountDomains).where(eq(accountDomains.domain, normalized));
    if (holder && holder.accountId !== accountId) return { ok: false, fieldErrors: { domain: ["admin.accounts.domainTaken"] } };
    return { ok: true, domain: normalized, added: false };
  });
}

/** Removes a domain from an account. Staff only. Members who joined through it stay. Removing an absent domain changes nothing. */
export async function removeDomain(db: Db, actor: Actor, accountId: number, domain: string): Promise<CommandResult<{ removed: boolean }>> {
  if (!can(actor, "accounts.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<CommandResult<{ removed: boolean }>> => {
    const removed = await tx
      .delete(accountDomains)
      .where(and(eq(accountDomains.accountId, accountId), eq(accountDomains.domain, normalizeDomain(domain))))
      .returning({ domain: accountDomains.domain });
    return { ok: true, removed: removed.length > 0 };
  });
}

/**
 * Puts the registered user with this email into the account, moving them out of any other. Staff only.
 * The membership is a staff override, so the verified-email domain rule never moves them back.
 * Side effects (through changeMembership): history rows (left + joined), `account.left`/`account.joined` activities.
 */
export async function addMemberByEmail(db: Db, actor: Actor, accountId: number, email: string): Promise<CommandResult<{ userId: number; changed: boolean }>> {
  if (!can(actor, "accounts.manage")) return FORBIDDEN;
  const address = email.trim().toLowerCase();
  return db.transaction(async (tx): Promise<CommandResult<{ userId: number; changed: boolean }>> => {
    const [account] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
    if (!account) return NOT_FOUND;
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, address));
    if (!user) return { ok: false, fieldErrors: { email: ["admin.accounts.memberUnknown"] } };
    const changed = await changeMembership(tx, { userId: user.id, accountId, source: STAFF_SOURCE, actorId: actor.id, isStaffOverride: true });
    return { ok: true, userId: user.id, changed };
  });
}

/**
 * Takes a user out of this account (they then belong to none). Staff only. A user who is not a member
 * of this account is left alone. Side effects: a 'left' history row and an `account.left` activity.
 */
export async function removeMember(db: Db, actor: Actor, accountId: number, userId: number): Promise<CommandResult<{ removed: boolean }>> {
  if (!can(actor, "accounts.manage")) return FORBIDDEN;
  return db.transaction(async (tx): Promise<CommandResult<{ removed: boolean }>> => {
    const [membership] = await tx
      .select({ userId: accountMembers.userId })
      .from(accountMembers)
      .where(and(eq(accountMembers.userId, userId), eq(accountMembers.accountId, accountId)))
      .for("update");
    if (!membership) return { ok: true, removed: false };
    const removed = await changeMembership(tx, { userId, accountId: null, source: STAFF_SOURCE, actorId: actor.id, isStaffOverride: true });
    return { ok: true, removed };
  });
}

/** The staff account page: the account and the people who may own it; null for an unknown id. */
export async function getAccountPage(db: Db, id: number) {
  const [account, staff] = await Promise.all([getAccount(db, id), listStaffUsers(db)]);
  return account ? { account, staff } : null;
}
