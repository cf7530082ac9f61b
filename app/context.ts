import type { Logger } from "pino";
import type { Locale } from "../db/schema/identity";
import type { SessionUser } from "./features/auth/permissions";

/** What the HTTP server hands every loader and action (see app/entry.server.tsx createLoadContext). */
export interface HearthContext {
  user: SessionUser | null;
  sessionId: string | null;
  locale: Locale;
  timeZone: string;
  cspNonce: string;
  requestId: string;
  clientIp: string;
  logger: Logger;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends HearthContext {}
}
