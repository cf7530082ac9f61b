import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Db } from "../../../db/client";
import { sessions, users, type Locale, type Role } from "../../../db/schema";

// lucia is kept behind this file and session.server.ts, so it can be replaced without touching routes.

interface UserAttributes {
  email: string;
  display_name: string;
  handle: string;
  role: Role;
  locale: Locale | null;
  time_zone: string | null;
  email_verified_at: Date | null;
  suspended_at: Date | null;
}

function createLucia(db: Db, secureCookies: boolean) {
  // The adapter only needs select/insert/delete on the two tables; both drivers satisfy it.
  const adapter = new DrizzlePostgreSQLAdapter(db as never, sessions as never, users as never);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: {
      name: "hearth_session",
      expires: true,
      attributes: { secure: secureCookies, sameSite: "lax" },
    },
    getUserAttributes: (a) => ({
      email: a.email,
      displayName: a.display_name,
      handle: a.handle,
      role: a.role,
      locale: a.locale,
      timeZone: a.time_zone,
      emailVerified: a.email_verified_at !== null,
      suspended: a.suspended_at !== null,
    }),
  });
}

export type HearthLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: HearthLucia;
    DatabaseUserAttributes: UserAttributes;
    UserId: number;
  }
}

const byDb = new WeakMap<object, HearthLucia>();

export function getLucia(db: Db, secureCookies: boolean): HearthLucia {
  let lucia = byDb.get(db);
  if (!lucia) {
    lucia = createLucia(db, secureCookies);
    byDb.set(db, lucia);
  }
  return lucia;
}
