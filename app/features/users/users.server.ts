import { and, count, desc, eq, gt, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { accountMembers, accounts, activities, users, type Role } from "../../../db/schema";
import { containsPattern, pageOf, windowedTotal, type Page } from "../admin/listing";
import { can, type SessionUser } from "../auth/permissions";
import { endAllSessions } from "../auth/session.server";
import type { FieldErrors } from "../forms/parse";
import { recordModerationAction } from "../forum/moderation.server";
import { suspensionReasonField, type UserStatus } from "./users.schema";

export const USER_PAGE_SIZE = 25;
/** "Recent" activity on the staff user page. */
export const RECENT_ACTIVITY_DAYS = 30;

export type Actor = Pick<SessionUser, "id" | "role">;

/** What a staff command on a user returns; forbidden and not_found map to 403 and 404. */
export type UserCommandResult<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" | "forbidden" };

export interface ListUsersInput {
  q?: string;
  role?: Role;
  status?: UserStatus;
  page: number;
  pageSize?: number;
}

export interface UserListItem {
  id: number;
  email: string;
  displayName: string;
  handle: string;
  role: Role;
  suspendedAt: Date | null;
  createdAt: Date;
  accountId: number | null;
  accountName: string | null;
}

/** Users for the staff list, newest first. `q` matches email, name or handle literally (no wildcards). */
export async function listUsers(db: Db, input: ListUsersInput): Promise<Page<UserListItem>> {
  const pageSize = input.pageSize ?? USER_PAGE_SIZE;
  const conditions: SQL[] = [];
  const q = input.q?.trim();
  if (q) {
    const pattern = containsPattern(q);
    conditions.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern), ilike(users.handle, pattern))!);
  }
  if (input.role) conditions.push(eq(users.role, input.role));
  if (input.status === "suspended") conditions.push(isNotNull(users.suspendedAt));
  if (input.status === "active") conditions.push(isNull(users.suspendedAt));
  const where = conditions.length ? and(...conditions) : undefined;

  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      handle: users.handle,
      role: users.role,
      suspendedAt: users.suspendedAt,
      createdAt: users.createdAt,
      accountId: accounts.id,
      accountName: accounts.name,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(users)
    .leftJoin(accountMembers, eq(accountMembers.userId, users.id))
    .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
    .where(where)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(pageSize)
    .offset((input.page - 1) * pageSize);

  const total = await windowedTotal(rows, input.page, async () => {
    const [row] = await db.select({ n: count() }).from(users).where(where);
    return row?.n ?? 0;
  });
  return pageOf(
    rows.map(({ total: _total, ...item }) => item),
    total,
    input.page,
    pageSize,
  );
}

export type UserForAdmin = NonNullable<Awaited<ReturnType<typeof getUserForAdmin>>>;

/** One user for the staff page: profile, account, role, suspension and recent activity. Never the password hash. */
export async function getUserForAdmin(db: Db, id: number) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      emailVerifiedAt: users.emailVerifiedAt,
      displayName: users.displayName,
      handle: users.handle,
      role: users.role,
      locale: users.locale,
      timeZone: users.timeZone,
      createdAt: users.createdAt,
      suspendedAt: users.suspendedAt,
      suspendedReason: users.suspendedReason,
      accountId: accounts.id,
      accountName: accounts.name,
      membershipSource: accountMembers.source,
      membershipIsStaffOverride: accountMembers.isStaffOverride,
    })
    .from(users)
    .leftJoin(accountMembers, eq(accountMembers.userId, users.id))
    .leftJoin(accounts, eq(accounts.id, accountMembers.accountId))
    .where(eq(users.id, id));
  if (!user) return null;
  const [recent] = await db
    .select({ n: count() })
    .from(activities)
    .where(
      and(
        eq(activities.userId, id),
        isNull(activities.revokedAt),
        gt(activities.occurredAt, sql`now() - make_interval(days => ${RECENT_ACTIVITY_DAYS})`),
      ),
    );
  return { ...user, recentActivityCount: recent?.n ?? 0 };
}

type Target = { id: number; role: Role; suspendedAt: Date | null };

/** Loads and locks the target, so their role cannot change between the permission check and the write. */
async function lockTarget(db: Db, targetId: number): Promise<Target | undefined> {
  const [target] = await db
    .select({ id: users.id, role: users.role, suspendedAt: users.suspendedAt })
    .from(users)
    .where(eq(users.id, targetId))
    .for("update");
  return target;
}

/**
 * Gives a user another role and signs them out everywhere, so no session keeps the old privileges.
 * Admins only, never on themselves (see can()). Setting the role they already have changes nothing.
 */
export async function changeUserRole(db: Db, actor: Actor, targetId: number, role: Role): Promise<UserCommandResult<{ changed: boolean }>> {
  return db.transaction(async (tx): Promise<UserCommandResult<{ changed: boolean }>> => {
    const target = await lockTarget(tx, targetId);
    if (!target) return { ok: false, reason: "not_found" };
    if (!can(actor, "users.changeRole", target)) return { ok: false, reason: "forbidden" };
    if (target.role === role) return { ok: true, changed: false };
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, targetId));
    await endAllSessions(tx, targetId);
    return { ok: true, changed: true };
  });
}

/**
 * Suspends a user with a reason (required, at most 500 characters) and ends all their sessions; a suspended
 * user cannot sign in. Staff may suspend members and moderators; admins anyone but themselves (see can()).
 * Suspending again only updates the reason and keeps the original time.
 */
export async function suspendUser(db: Db, actor: Actor, targetId: number, reason: string): Promise<UserCommandResult> {
  const parsed = suspensionReasonField.safeParse(reason);
  if (!parsed.success) return { ok: false, fieldErrors: { reason: parsed.error.issues.map((i) => i.message) } };
  return db.transaction(async (tx): Promise<UserCommandResult> => {
    const target = await lockTarget(tx, targetId);
    if (!target) return { ok: false, reason: "not_found" };
    if (!can(actor, "users.suspend", target)) return { ok: false, reason: "forbidden" };
    await tx
      .update(users)
      .set({ suspendedAt: target.suspendedAt ?? new Date(), suspendedReason: parsed.data, updatedAt: new Date() })
      .where(eq(users.id, targetId));
    await endAllSessions(tx, targetId);
    // The same audit log as the moderators' suspensions (/admin/forum/audit), so every suspension is in one place.
    await recordModerationAction(tx, { actorId: actor.id, action: "suspend", targetType: "user", targetId, reason: parsed.data, metadata: { via: "admin" } });
    return { ok: true };
  });
}

/** Lifts a suspension; the user can sign in again. Same permission as suspendUser. */
export async function unsuspendUser(db: Db, actor: Actor, targetId: number): Promise<UserCommandResult<{ changed: boolean }>> {
  return db.transaction(async (tx): Promise<UserCommandResult<{ changed: boolean }>> => {
    const target = await lockTarget(tx, targetId);
    if (!target) return { ok: false, reason: "not_found" };
    if (!can(actor, "users.suspend", target)) return { ok: false, reason: "forbidden" };
    if (!target.suspendedAt) return { ok: true, changed: false };
    await tx.update(users).set({ suspendedAt: null, suspendedReason: null, updatedAt: new Date() }).where(eq(users.id, targetId));
    await recordModerationAction(tx, { actorId: actor.id, action: "unsuspend", targetType: "user", targetId, reason: "", metadata: { via: "admin" } });
    return { ok: true, changed: true };
  });
}
