import type { Db } from "../../../db/client";
import type { IcsEvent } from "./ics";

// CONTRACT STUB (helper A implements): private per-member feeds and the public feed.

/** Creates or replaces the member's private feed token; returns the token (shown once; only its hash is kept). */
export async function resetCalendarFeed(db: Db, userId: number): Promise<string> {
  void db; void userId;
  throw new Error("not implemented");
}

/** Whether the member has a feed (the settings page shows "reset" rather than "create"). */
export async function hasCalendarFeed(db: Db, userId: number): Promise<boolean> {
  void db; void userId;
  throw new Error("not implemented");
}

/** The feed's events (registered and waitlisted, upcoming and the last 90 days), or null for an unknown token. */
export async function getPrivateFeedEvents(db: Db, token: string, appUrl: string): Promise<IcsEvent[] | null> {
  void db; void token; void appUrl;
  throw new Error("not implemented");
}

/** Every published upcoming event (and the last 30 days), for /events.ics. */
export async function getPublicFeedEvents(db: Db, appUrl: string): Promise<IcsEvent[]> {
  void db; void appUrl;
  throw new Error("not implemented");
}
