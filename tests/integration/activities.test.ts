import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { accountMembers, accounts, activities, users } from "../../db/schema";
import { recordActivity, revokeActivity } from "../../app/features/engagement/activities.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

async function makeMember(email: string, accountName?: string) {
  const [user] = await handle.db
    .insert(users)
    .values({ email, passwordHash: "x", displayName: email, handle: email.split("@")[0]! })
    .returning();
  if (accountName) {
    const [account] = await handle.db.insert(accounts).values({ name: accountName }).returning();
    await handle.db.insert(accountMembers).values({ userId: user!.id, accountId: account!.id, source: "staff" });
    return { user: user!, account: account! };
  }
  return { user: user!, account: undefined };
}

describe("activity ledger", () => {
  it("copies the member's account at write time and keeps it after the member moves", async () => {
    const { user, account } = await makeMember("mover@acme.test", "Acme");
    await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: "k-move-1" });
    const [other] = await handle.db.insert(accounts).values({ name: "Globex" }).returning();
    await handle.db.update(accountMembers).set({ accountId: other!.id }).where(eq(accountMembers.userId, user.id));
    await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: "k-move-2" });

    const rows = await handle.db.select().from(activities).where(eq(activities.userId, user.id)).orderBy(activities.id);
    expect(rows.map((r) => r.accountId)).toEqual([account!.id, other!.id]);
  });

  it("records an idempotency key once, however often it is written", async () => {
    const { user } = await makeMember("twice@acme.test");
    const first = await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: "k-twice" });
    const second = await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: "k-twice" });
    expect([first, second]).toEqual([true, false]);
    const rows = await handle.db.select().from(activities).where(eq(activities.idempotencyKey, "k-twice"));
    expect(rows).toHaveLength(1);
  });

  it("counts anonymous activity without an account", async () => {
    await recordActivity(handle.db, { type: "auth.signed_in", userId: null, idempotencyKey: "k-anon" });
    const [row] = await handle.db.select().from(activities).where(eq(activities.idempotencyKey, "k-anon"));
    expect(row).toMatchObject({ userId: null, accountId: null });
  });

  it("revokes without deleting, and only once", async () => {
    const { user } = await makeMember("undo@acme.test");
    await recordActivity(handle.db, { type: "auth.signed_in", userId: user.id, idempotencyKey: "k-undo" });
    expect(await revokeActivity(handle.db, "k-undo")).toBe(true);
    expect(await revokeActivity(handle.db, "k-undo")).toBe(false);
    const [row] = await handle.db.select().from(activities).where(eq(activities.idempotencyKey, "k-undo"));
    expect(row?.revokedAt).toBeInstanceOf(Date);
  });

  it("rolls back with the caller's transaction", async () => {
    const { user } = await makeMember("rollback@acme.test");
    await expect(
      handle.db.transaction(async (tx) => {
        await recordActivity(tx, { type: "auth.signed_in", userId: user.id, idempotencyKey: "k-rollback" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const rows = await handle.db.select().from(activities).where(eq(activities.idempotencyKey, "k-rollback"));
    expect(rows).toHaveLength(0);
  });
});
