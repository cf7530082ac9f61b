import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Db } from "../../../db/client";
import { sessions, users, type Locale, type Role } from "../../../db/schema";

// lucia is kept behind this file and session.server.ts, so it can be replaced without touching routes.

// The drizzle adapter hands back rows keyed by the schema's property names (camelCase), not column names.
interface UserAttributes {
  email: string;
  displayName: string;
  handle: string;
  role: Role;
  locale: Locale | null;
  timeZone: string | null;
  emailVerifiedAt: Date | null;
  suspendedAt: Date | null;
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
      displayName: a.displayName,
      handle: a.handle,
      role: a.role,
      locale: a.locale,
      timeZone: a.timeZone,
      emailVerified: a.emailVerifiedAt != null,
      suspended: a.suspendedAt != null,
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
