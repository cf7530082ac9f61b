import type { Db } from "../../../db/client";

// CONTRACT STUB (helper E implements): the demo's webinars, groups and events.

/** Seeds demo groups, webinars (upcoming, past with recordings), group events and registrations; idempotent. */
export async function seedDemoEvents(db: Db): Promise<void> {
  void db;
}
