import type { Locale, Role } from "../../../db/schema/identity";

/** The signed-in user as every loader and component sees it. */
export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  handle: string;
  role: Role;
  locale: Locale | null;
  timeZone: string | null;
  emailVerified: boolean;
}

const STAFF: readonly Role[] = ["staff", "admin"];
const MODERATORS: readonly Role[] = ["moderator", "staff", "admin"];
const ADMIN: readonly Role[] = ["admin"];

/** Who may do what, by role. Later features add their permissions here. */
const ROLE_PERMISSIONS = {
  "admin.access": STAFF,
  "users.view": STAFF,
  "users.suspend": STAFF,
  "users.changeRole": ADMIN,
  "accounts.view": STAFF,
  "accounts.manage": STAFF,
  "mail.read": STAFF,
  "jobs.view": STAFF,
  "jobs.retry": ADMIN,
  // Write, publish and order knowledge-base articles and collections; see the content report.
  "kb.manage": STAFF,
  // Read articles whose visibility is "staff".
  "kb.readStaffOnly": STAFF,
  // Q&A: edit any post, hide/lock/close/delete, work the flag queue, suspend members (audit-logged).
  // Members earn some of these by reputation instead (features/forum/reputation.ts, PRIVILEGES).
  "forum.moderate": MODERATORS,
  // Staff queue (needs-staff and unanswered questions), badges by hand, champion decisions, promote to KB.
  "forum.staff": STAFF,
  // Search analytics (/admin/search) and the synonym list.
  "search.manage": STAFF,
  // Webinars and every group event: create, edit, cancel, approve leaders' drafts, import attendance.
  // A group's leaders manage their own group's events without it (features/events/access.server.ts).
  "events.manage": STAFF,
  // Create and edit user groups, appoint leaders, decide any group's join requests.
  "groups.manage": STAFF,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof ROLE_PERMISSIONS;

const ROLE_RANK: Record<Role, number> = { member: 0, moderator: 1, staff: 2, admin: 3 };

/** A user the permission applies to, for permissions that depend on who is affected. */
export interface TargetUser {
  id: number;
  role: Role;
}

/**
 * The one permission check, used on the server in every loader and action and by the UI to hide
 * what the server would refuse anyway.
 */
export function can(user: Pick<SessionUser, "id" | "role"> | null | undefined, permission: Permission, target?: TargetUser): boolean {
  if (!user) return false;
  if (!(ROLE_PERMISSIONS[permission] as readonly Role[]).includes(user.role)) return false;
  if (target && (permission === "users.suspend" || permission === "users.changeRole")) {
    // Nobody acts on themselves, and staff cannot act on someone of equal or higher rank.
    if (target.id === user.id) return false;
    if (user.role !== "admin" && ROLE_RANK[target.role] >= ROLE_RANK[user.role]) return false;
  }
  return true;
}

export function isStaff(user: Pick<SessionUser, "role"> | null | undefined): boolean {
  return !!user && STAFF.includes(user.role);
}
