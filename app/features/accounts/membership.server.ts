import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { accountDomains, accountMembers, accountMembershipHistory, accounts, type MembershipSource } from "../../../db/schema";
import { recordActivity } from "../engagement/activities.server";

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/**
 * Moves a user into an account (or out of any, with null), keeping history and ledger entries.
 * Must run inside the caller's transaction. Returns whether anything changed.
 */
export async function changeMembership(
  db: Db,
  input: { userId: number; accountId: number | null; source: MembershipSource; actorId: number | null; isStaffOverride: boolean },
): Promise<boolean> {
  const now = new Date();
  const [current] = await db.select().from(accountMembers).where(eq(accountMembers.userId, input.userId)).for("update");
  if (current && current.accountId === input.accountId) {
    if (current.isStaffOverride !== input.isStaffOverride) {
      await db.update(accountMembers).set({ isStaffOverride: input.isStaffOverride }).where(eq(accountMembers.userId, input.userId));
    }
    return false;
  }
  if (!current && input.accountId === null) return false;
  if (current) {
    await db.insert(accountMembershipHistory).values({
      userId: input.userId,
      accountId: current.accountId,
      change: "left",
      source: input.source,
      actorId: input.actorId,
      at: now,
    });
    // Recorded before the move, so the ledger row carries the account being left.
    await recordActivity(db, {
      type: "account.left",
      userId: input.userId,
      subjectType: "account",
      subjectId: current.accountId,
      idempotencyKey: `account.left:${input.userId}:${current.accountId}:${now.getTime()}`,
      occurredAt: now,
    });
  }
  if (input.accountId === null) {
    await db.delete(accountMembers).where(eq(accountMembers.userId, input.userId));
    return true;
  }
  await db
    .insert(accountMembers)
    .values({ userId: input.userId, accountId: input.accountId, source: input.source, isStaffOverride: input.isStaffOverride, joinedAt: now })
    .onConflictDoUpdate({
      target: accountMembers.userId,
      set: { accountId: input.accountId, source: input.source, isStaffOverride: input.isStaffOverride, joinedAt: now },
    });
  await db.insert(accountMembershipHistory).values({
    userId: input.userId,
    accountId: input.accountId,
    change: "joined",
    source: input.source,
    actorId: input.actorId,
    at: now,
  });
  await recordActivity(db, {
    type: "account.joined",
    userId: input.userId,
    subjectType: "account",
    subjectId: input.accountId,
    metadata: { source: input.source },
    idempotencyKey: `account.joined:${input.userId}:${input.accountId}:${now.getTime()}`,
    occurredAt: now,
  });
  return true;
}

/**
 * Joins a user whose email was just verified to the account owning that email's domain.
 * A membership set by staff is never overridden by the domain rule.
 */
export async function joinAccountByVerifiedEmail(db: Db, userId: number, email: string): Promise<{ id: number; name: string } | null> {
  const [match] = await db
    .select({ id: accounts.id, name: accounts.name })
    .from(accountDomains)
    .innerJoin(accounts, eq(accounts.id, accountDomains.accountId))
    .where(eq(accountDomains.domain, emailDomain(email)));
  if (!match) return null;
  const [current] = await db.select().from(accountMembers).where(eq(accountMembers.userId, userId));
  if (current?.isStaffOverride) return null;
  // Staff removing someone from this account is a decision too; the domain rule must not undo it.
  const [lastChange] = await db
    .select({ change: accountMembershipHistory.change, source: accountMembershipHistory.source })
    .from(accountMembershipHistory)
    .where(and(eq(accountMembershipHistory.userId, userId), eq(accountMembershipHistory.accountId, match.id)))
    .orderBy(desc(accountMembershipHistory.at), desc(accountMembershipHistory.id))
    .limit(1);
  if (lastChange?.change === "left" && lastChange.source === "staff") return null;
  await changeMembership(db, { userId, accountId: match.id, source: "domain", actorId: null, isStaffOverride: false });
  return match;
}
