import type { Db } from "../../../db/client";

/**
 * CONTRACT (filled in by the reputation work): called inside the transaction of any forum change that can
 * move a member's reputation, counts, badges or champion candidacy (question asked, answer posted,
 * vote, accept and their reversal). Recomputes member_reputation from the ledger for these users and
 * awards automatic badges that became due (idempotent).
 */
export async function refreshMemberStats(_db: Db, _userIds: readonly number[]): Promise<void> {
  // Filled in by the reputation work.
}

/** The member's current reputation (MINIMUM_REPUTATION when they have none yet). */
export async function getReputation(_db: Db, _userId: number): Promise<number> {
  return 1;
}
