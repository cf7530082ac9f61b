import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { accountDomains, accountMembers, accounts, activities, jobs, sessions, users } from "../../db/schema";
import {
  requestPasswordReset,
  resetPassword,
  signIn,
  signUp,
  updateProfile,
  verifyEmail,
} from "../../app/features/auth/auth.server";
import { authenticateRequest } from "../../app/features/auth/session.server";
import { isTimeZone } from "../../app/features/i18n/locale";
import { createTestDb } from "../support/db";

let handle: DbHandle;
beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
});

const ctx = { ip: "203.0.113.7", locale: "en" as const, timeZone: null };

/** The link a queued mail carries (the token is only ever in the mail). */
async function lastMailUrl(to: string, template: string): Promise<string> {
  const rows = await handle.db.select().from(jobs).where(eq(jobs.type, "mail.send")).orderBy(jobs.id);
  const mail = rows.map((r) => r.payload as { to: string; template: string; params: { url: string } }).filter((p) => p.to === to && p.template === template).at(-1);
  if (!mail) throw new Error(`no ${template} mail to ${to}`);
  return mail.params.url;
}
const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;

describe("sign-up and verification", () => {
  it("creates an unverified member, mails a link, and joins the account owning the domain once verified", async () => {
    const [acme] = await handle.db.insert(accounts).values({ name: "Acme", tier: "high_touch" }).returning();
    await handle.db.insert(accountDomains).values({ domain: "acme.test", accountId: acme!.id });

    expect(await signUp(handle.db, { displayName: "Ken Sato", email: "ken.sato@acme.test", password: "correct horse battery" }, ctx)).toEqual({ ok: true });
    const [user] = await handle.db.select().from(users).where(eq(users.email, "ken.sato@acme.test"));
    expect(user).toMatchObject({ handle: "ken_sato", emailVerifiedAt: null, role: "member" });
    expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    // No membership before the address is proven.
    expect(await handle.db.select().from(accountMembers).where(eq(accountMembers.userId, user!.id))).toHaveLength(0);

    const result = await verifyEmail(handle.db, tokenOf(await lastMailUrl("ken.sato@acme.test", "verify_email")));
    expect(result).toEqual({ joinedAccount: "Acme" });
    const [member] = await handle.db.select().from(accountMembers).where(eq(accountMembers.userId, user!.id));
    expect(member).toMatchObject({ accountId: acme!.id, source: "domain" });
    const joined = await handle.db.select().from(activities).where(and(eq(activities.userId, user!.id), eq(activities.type, "account.joined")));
    expect(joined).toHaveLength(1);
  });

  it("refuses a verification link twice", async () => {
    await signUp(handle.db, { displayName: "Once", email: "once@example.test", password: "correct horse battery" }, ctx);
    const token = tokenOf(await lastMailUrl("once@example.test", "verify_email"));
    expect(await verifyEmail(handle.db, token)).not.toBeNull();
    expect(await verifyEmail(handle.db, token)).toBeNull();
    expect(await verifyEmail(handle.db, "x".repeat(43))).toBeNull();
  });

  it("answers a sign-up for a registered address the same way, without a second user", async () => {
    await signUp(handle.db, { displayName: "First", email: "taken@example.test", password: "correct horse battery" }, ctx);
    const again = await signUp(handle.db, { displayName: "Intruder", email: "taken@example.test", password: "another password!" }, ctx);
    expect(again).toEqual({ ok: true });
    expect(await handle.db.select().from(users).where(eq(users.email, "taken@example.test"))).toHaveLength(1);
    const notices = (await handle.db.select().from(jobs).where(eq(jobs.type, "mail.send"))).filter(
      (j) => (j.payload as { template: string; to: string }).template === "account_exists" && (j.payload as { to: string }).to === "taken@example.test",
    );
    expect(notices).toHaveLength(1);
  });
});

describe("sign-in", () => {
  it("gives the same answer for an unknown email and a wrong password", async () => {
    await signUp(handle.db, { displayName: "Mia", email: "mia@example.test", password: "correct horse battery" }, ctx);
    expect(await signIn(handle.db, { email: "mia@example.test", password: "wrong password" }, ctx)).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn(handle.db, { email: "nobody@example.test", password: "wrong password" }, ctx)).toEqual({ ok: false, reason: "invalid" });
  });

  it("starts a session with an HttpOnly, SameSite=Lax cookie and records auth.signed_in once a day", async () => {
    const first = await signIn(handle.db, { email: "mia@example.test", password: "correct horse battery" }, ctx);
    const second = await signIn(handle.db, { email: "mia@example.test", password: "correct horse battery" }, ctx);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok) return;
    expect(first.setCookie).toMatch(/^hearth_session=/);
    expect(first.setCookie).toMatch(/HttpOnly/i);
    expect(first.setCookie).toMatch(/SameSite=Lax/i);
    const auth = await authenticateRequest(handle.db, first.setCookie.split(";")[0]!);
    expect(auth.user?.email).toBe("mia@example.test");
    const signedIn = await handle.db.select().from(activities).where(and(eq(activities.userId, first.userId), eq(activities.type, "auth.signed_in")));
    expect(signedIn).toHaveLength(1);
  });

  it("refuses a suspended member and drops their existing session", async () => {
    await signUp(handle.db, { displayName: "Sus", email: "sus@example.test", password: "correct horse battery" }, ctx);
    const before = await signIn(handle.db, { email: "sus@example.test", password: "correct horse battery" }, ctx);
    if (!before.ok) throw new Error("expected sign-in");
    await handle.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.email, "sus@example.test"));
    expect(await signIn(handle.db, { email: "sus@example.test", password: "correct horse battery" }, ctx)).toEqual({ ok: false, reason: "suspended" });
    const auth = await authenticateRequest(handle.db, before.setCookie.split(";")[0]!);
    expect(auth.user).toBeNull();
  });

  it("rate-limits guessing per email, whichever IP it comes from, and keeps other members unaffected", async () => {
    await signUp(handle.db, { displayName: "Target", email: "target@example.test", password: "correct horse battery" }, ctx);
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await signIn(handle.db, { email: "target@example.test", password: `guess ${i}` }, { ip: `198.51.100.${i}` }));
    expect(results.slice(0, 10).every((r) => !r.ok && r.reason === "invalid")).toBe(true);
    expect(results.slice(10).every((r) => !r.ok && r.reason === "rate_limited")).toBe(true);
    // Even the right password waits out the window; another member signs in normally.
    const right = await signIn(handle.db, { email: "target@example.test", password: "correct horse battery" }, { ip: "192.0.2.1" });
    expect(right).toMatchObject({ ok: false, reason: "rate_limited" });
    expect((await signIn(handle.db, { email: "mia@example.test", password: "correct horse battery" }, { ip: "192.0.2.1" })).ok).toBe(true);
  });
});

describe("password reset", () => {
  it("sets a new password from the mailed link, once, and signs out every session", async () => {
    await signUp(handle.db, { displayName: "Rita", email: "rita@example.test", password: "correct horse battery" }, ctx);
    const session = await signIn(handle.db, { email: "rita@example.test", password: "correct horse battery" }, ctx);
    if (!session.ok) throw new Error("expected sign-in");
    await requestPasswordReset(handle.db, "rita@example.test", { ip: ctx.ip, locale: "en" });
    const token = tokenOf(await lastMailUrl("rita@example.test", "reset_password"));

    expect(await resetPassword(handle.db, token, "a brand new passphrase")).toEqual({ userId: session.userId });
    expect(await resetPassword(handle.db, token, "yet another passphrase")).toBeNull();
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, session.userId))).toHaveLength(0);
    expect((await signIn(handle.db, { email: "rita@example.test", password: "a brand new passphrase" }, { ip: "192.0.2.9" })).ok).toBe(true);
  });

  it("queues nothing for an unknown address", async () => {
    const before = (await handle.db.select().from(jobs)).length;
    expect(await requestPasswordReset(handle.db, "ghost@example.test", { ip: ctx.ip, locale: "en" })).toEqual({ ok: true });
    expect((await handle.db.select().from(jobs)).length).toBe(before);
  });
});

describe("profile", () => {
  it("refuses a handle another member has, and an unknown time zone", async () => {
    await signUp(handle.db, { displayName: "Aiko", email: "aiko@example.test", password: "correct horse battery" }, ctx);
    const [aiko] = await handle.db.select().from(users).where(eq(users.email, "aiko@example.test"));
    const base = { displayName: "Aiko", handle: "aiko", bio: "" };
    expect(await updateProfile(handle.db, aiko!.id, { ...base, handle: "mia" }, isTimeZone)).toEqual({ ok: false, fieldErrors: { handle: ["profile.handleTaken"] } });
    expect(await updateProfile(handle.db, aiko!.id, { ...base, timeZone: "Mars/Base" }, isTimeZone)).toEqual({ ok: false, fieldErrors: { timeZone: ["profile.timeZoneInvalid"] } });
    expect(await updateProfile(handle.db, aiko!.id, { ...base, locale: "ja", timeZone: "Asia/Tokyo", bio: "こんにちは" }, isTimeZone)).toEqual({ ok: true });
    const [after] = await handle.db.select().from(users).where(eq(users.id, aiko!.id));
    expect(after).toMatchObject({ locale: "ja", timeZone: "Asia/Tokyo", bio: "こんにちは" });
  });
});
