import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { sessions } from "../../../db/schema";
import { getEnv } from "../../env.server";
import { getLucia } from "./lucia.server";
import type { SessionUser } from "./permissions";

function lucia(db: Db) {
  return getLucia(db, getEnv().APP_URL.startsWith("https:"));
}

export interface Authentication {
  user: SessionUser | null;
  sessionId: string | null;
  /** Set-Cookie to send back: a refreshed session, or a blank cookie for an invalid one. */
  setCookie: string | null;
}

/** Reads the session cookie once per request; suspended users are treated as signed out. */
export async function authenticateRequest(db: Db, cookieHeader: string | null): Promise<Authentication> {
  const l = lucia(db);
  const sessionId = l.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { user: null, sessionId: null, setCookie: null };
  const { session, user } = await l.validateSession(sessionId);
  if (!session || !user) return { user: null, sessionId: null, setCookie: l.createBlankSessionCookie().serialize() };
  if (user.suspended) {
    await l.invalidateSession(session.id);
    return { user: null, sessionId: null, setCookie: l.createBlankSessionCookie().serialize() };
  }
  return {
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      handle: user.handle,
      role: user.role,
      locale: user.locale,
      timeZone: user.timeZone,
      emailVerified: user.emailVerified,
    },
    sessionId: session.id,
    setCookie: session.fresh ? l.createSessionCookie(session.id).serialize() : null,
  };
}

/** Starts a session and returns its Set-Cookie header. */
export async function startSession(db: Db, userId: number): Promise<string> {
  const l = lucia(db);
  const session = await l.createSession(userId, {});
  return l.createSessionCookie(session.id).serialize();
}

/** Ends one session and returns the Set-Cookie header that clears it. */
export async function endSession(db: Db, sessionId: string | null): Promise<string> {
  const l = lucia(db);
  if (sessionId) await l.invalidateSession(sessionId);
  return l.createBlankSessionCookie().serialize();
}

/** Signs a user out everywhere (password reset, suspension, role change). */
export async function endAllSessions(db: Db, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
