import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import {
  accountDomains,
  accountMembers,
  accountMembershipHistory,
  accounts,
  users,
  type MembershipSource,
} from "./schema";

/**
 * Row factories shared by the demo seed, tests and benchmarks. They insert realistic rows directly and
 * apply no business rules beyond keeping the membership history consistent with account_members.
 */

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type AccountRow = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;

/**
 * Not an argon2 hash, so verifyPassword() rejects every password for it. Tests that sign in pass a
 * hash computed once per file instead: argon2id costs ~50 ms per call, too much per user.
 */
export const UNUSABLE_PASSWORD_HASH = "!factory-user-without-password";

// The counter keeps factory rows readable in a test's output; the per-process suffix keeps two test
// files (or a rerun against a kept database) from colliding on the unique email and handle.
let sequence = 0;
const runSuffix = crypto.randomBytes(3).toString("hex");

function nextUnique(): string {
  sequence += 1;
  return `${sequence}_${runSuffix}`;
}

/** Insert values for a user, with unique defaults; email is lower-cased like every writer must. */
export function buildUser(overrides: Partial<NewUser> = {}): NewUser {
  const unique = nextUnique();
  const email = (overrides.email ?? `user${unique.replace("_", ".")}@example.test`).trim().toLowerCase();
  return {
    passwordHash: UNUSABLE_PASSWORD_HASH,
    displayName: `Test User ${unique.split("_")[0]}`,
    handle: `user_${unique}`,
    role: "member",
    locale: "en",
    timeZone: "UTC",
    emailVerifiedAt: new Date(),
    ...overrides,
    email,
  };
}

export async function createUser(db: Db, overrides: Partial<NewUser> = {}): Promise<UserRow> {
  const [user] = await db.insert(users).values(buildUser(overrides)).returning();
  return user!;
}

export type AccountOverrides = Partial<NewAccount> & {
  /** Email domains that auto-join users to the account; defaults to one unique domain. */
  domains?: string[];
};

export type AccountWithDomains = AccountRow & { domains: string[] };

/** Insert values for an account, with unique defaults. */
export function buildAccount(overrides: Partial<NewAccount> = {}): NewAccount {
  const unique = nextUnique();
  return {
    name: `Test Account ${unique.split("_")[0]}`,
    tier: "tech_touch",
    ...overrides,
  };
}

export async function createAccount(db: Db, overrides: AccountOverrides = {}): Promise<AccountWithDomains> {
  const { domains, ...values } = overrides;
  const [account] = await db.insert(accounts).values(buildAccount(values)).returning();
  const domainList = (domains ?? [`account-${nextUnique().replace("_", "-")}.test`]).map((d) => d.trim().toLowerCase());
  if (domainList.length > 0) {
    await db.insert(accountDomains).values(domainList.map((domain) => ({ domain, accountId: account!.id })));
  }
  return { ...account!, domains: domainList };
}

export interface MembershipInput {
  userId: number;
  accountId: number;
  source: MembershipSource;
  actorId?: number | null;
  isStaffOverride?: boolean;
  at?: Date;
}

/**
 * Makes accountId the user's one current account: writes account_members and a 'joined' history row,
 * preceded by a 'left' row for the previous account when the user moves. Joining the account the user
 * is already in writes nothing. Returns whether anything changed.
 */
export async function addMembership(db: Db, input: MembershipInput): Promise<boolean> {
  const at = input.at ?? new Date();
  const actorId = input.actorId ?? null;
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ accountId: accountMembers.accountId })
      .from(accountMembers)
      .where(eq(accountMembers.userId, input.userId))
      .for("update");
    if (current?.accountId === input.accountId) return false;
    if (current) {
      await tx.insert(accountMembershipHistory).values({
        userId: input.userId,
        accountId: current.accountId,
        change: "left",
        source: input.source,
        actorId,
        at,
      });
    }
    const membership = {
      accountId: input.accountId,
      source: input.source,
      isStaffOverride: input.isStaffOverride ?? false,
      joinedAt: at,
    };
    await tx
      .insert(accountMembers)
      .values({ userId: input.userId, ...membership })
      .onConflictDoUpdate({ target: accountMembers.userId, set: membership });
    await tx.insert(accountMembershipHistory).values({
      userId: input.userId,
      accountId: input.accountId,
      change: "joined",
      source: input.source,
      actorId,
      at,
    });
    return true;
  });
}
