import crypto from "node:crypto";
import { and, eq, gt, isNull, like, sql } from "drizzle-orm";
import type { z } from "zod";
import { isUniqueViolation, type Db } from "../../../db/client";
import { emailTokens, users, type EmailTokenPurpose, type Locale } from "../../../db/schema";
import { getEnv } from "../../env.server";
import { joinAccountByVerifiedEmail } from "../accounts/membership.server";
import { recordActivity, utcDay } from "../engagement/activities.server";
import { enqueueMail } from "../mail/mail.server";
import { consumeRateLimits, RATE_LIMITS } from "../security/rate-limit.server";
import type { profileSchema, signupSchema } from "./auth.schema";
import { HANDLE_PATTERN } from "./auth.schema";
import { decoyPasswordHash, hashPassword, verifyPassword } from "./password.server";
import { endAllSessions, startSession } from "./session.server";

const VERIFY_TOKEN_TTL_MS = 48 * 60 * 60 * 1000;
const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

async function issueEmailToken(db: Db, userId: number, email: string, purpose: EmailTokenPurpose, ttlMs: number): Promise<string> {
  const token = crypto.randomBytes(32).toString("base64url");
  await db.insert(emailTokens).values({ userId, email, purpose, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

function linkTo(path: string, token: string): string {
  return new URL(`${path}?token=${encodeURIComponent(token)}`, getEnv().APP_URL).toString();
}

/** A free handle derived from the email's local part: "ken.sato@x" → "ken_sato", "ken_sato2", … */
export async function deriveHandle(db: Db, email: string): Promise<string> {
  let base = email
    .split("@")[0]!
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 24);
  if (base.length < 3) base = `${base}member`.slice(0, 24);
  const taken = new Set(
    (await db.select({ handle: users.handle }).from(users).where(like(users.handle, `${base}%`))).map((r) => r.handle),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export type RateLimited = { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Registers a member (unverified) and mails a confirmation link. The outcome looks the same whether or
 * not the address was already registered: an existing owner gets a "you already have an account" mail.
 * Side effects: users row, email token, mail job, `auth.signed_up` activity. Anyone may call it.
 */
export async function signUp(
  db: Db,
  input: z.output<typeof signupSchema>,
  context: { ip: string; locale: Locale; timeZone: string | null },
): Promise<{ ok: true } | RateLimited> {
  const limit = await consumeRateLimits(db, [
    [RATE_LIMITS.signupPerIp, context.ip],
    [RATE_LIMITS.signupPerEmail, input.email],
  ]);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };

  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id, displayName: users.displayName, locale: users.locale }).from(users).where(eq(users.email, input.email));
    if (existing) {
      await enqueueMail(tx, {
        to: input.email,
        userId: existing.id,
        template: "account_exists",
        locale: existing.locale ?? context.locale,
        params: { displayName: existing.displayName, signInUrl: new URL("/login", getEnv().APP_URL).toString(), resetUrl: new URL("/forgot-password", getEnv().APP_URL).toString() },
      });
      return;
    }
    const handle = await deriveHandle(tx, input.email);
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, passwordHash, displayName: input.displayName, handle, locale: context.locale, timeZone: context.timeZone })
      .onConflictDoNothing()
      .returning({ id: users.id });
    // A concurrent sign-up with the same address won the race: behave as for an existing address.
    if (!user) return;
    const token = await issueEmailToken(tx, user.id, input.email, "verify_email", VERIFY_TOKEN_TTL_MS);
    await enqueueMail(tx, {
      to: input.email,
      userId: user.id,
      template: "verify_email",
      locale: context.locale,
      params: { displayName: input.displayName, url: linkTo("/verify-email", token) },
    });
    await recordActivity(tx, { type: "auth.signed_up", userId: user.id, idempotencyKey: `auth.signed_up:${user.id}` });
  });
  return { ok: true };
}

export type SignInResult = { ok: true; userId: number; setCookie: string } | { ok: false; reason: "invalid" | "suspended" } | RateLimited;

/**
 * Checks credentials and starts a session. Unknown email and wrong password answer the same, in the
 * same time. Records `auth.signed_in` at most once per user per UTC day.
 */
export async function signIn(db: Db, input: { email: string; password: string }, context: { ip: string }): Promise<SignInResult> {
  const limit = await consumeRateLimits(db, [
    [RATE_LIMITS.loginPerIp, context.ip],
    [RATE_LIMITS.loginPerEmail, input.email],
  ]);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, suspendedAt: users.suspendedAt })
    .from(users)
    .where(eq(users.email, input.email));
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  if (user.suspendedAt) return { ok: false, reason: "suspended" };

  const setCookie = await startSession(db, user.id);
  await recordActivity(db, { type: "auth.signed_in", userId: user.id, idempotencyKey: `auth.signed_in:${user.id}:${utcDay()}` });
  return { ok: true, userId: user.id, setCookie };
}

async function consumeEmailToken(db: Db, token: string, purpose: EmailTokenPurpose) {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(emailTokens.tokenHash, hashToken(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: emailTokens.userId, email: emailTokens.email });
  return row;
}

/**
 * Confirms the address a verification link was sent to, and joins the member to the account that
 * owns its domain. Returns null for an unknown, used or expired token.
 */
export async function verifyEmail(db: Db, token: string): Promise<{ joinedAccount: string | null } | null> {
  return db.transaction(async (tx) => {
    const row = await consumeEmailToken(tx, token, "verify_email");
    if (!row) return null;
    // The address may have changed since the link was sent; only that exact address is proven.
    const [user] = await tx
      .update(users)
      .set({ emailVerifiedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(users.id, row.userId), eq(users.email, row.email)))
      .returning({ id: users.id, email: users.email });
    if (!user) return null;
    const account = await joinAccountByVerifiedEmail(tx, user.id, user.email);
    return { joinedAccount: account?.name ?? null };
  });
}

/** Sends a fresh confirmation link to a signed-in, unverified member. */
export async function resendVerification(db: Db, userId: number): Promise<{ ok: true } | RateLimited> {
  const limit = await consumeRateLimits(db, [[RATE_LIMITS.verifyResendPerUser, String(userId)]]);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user || user.emailVerifiedAt) return;
    const token = await issueEmailToken(tx, user.id, user.email, "verify_email", VERIFY_TOKEN_TTL_MS);
    await enqueueMail(tx, {
      to: user.email,
      userId: user.id,
      template: "verify_email",
      locale: user.locale ?? "en",
      params: { displayName: user.displayName, url: linkTo("/verify-email", token) },
    });
  });
  return { ok: true };
}

/** Mails a reset link if the address is registered; the caller shows the same message either way. */
export async function requestPasswordReset(
  db: Db,
  email: string,
  context: { ip: string; locale: Locale },
): Promise<{ ok: true } | RateLimited> {
  const limit = await consumeRateLimits(db, [
    [RATE_LIMITS.resetPerIp, context.ip],
    [RATE_LIMITS.resetPerEmail, email],
  ]);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email));
    if (!user) return;
    const token = await issueEmailToken(tx, user.id, user.email, "reset_password", RESET_TOKEN_TTL_MS);
    await enqueueMail(tx, {
      to: user.email,
      userId: user.id,
      template: "reset_password",
      locale: user.locale ?? context.locale,
      params: { displayName: user.displayName, url: linkTo("/reset-password", token) },
    });
  });
  return { ok: true };
}

/** Sets a new password from a reset link and signs the member out everywhere. Null for a bad token. */
export async function resetPassword(db: Db, token: string, password: string): Promise<{ userId: number } | null> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const row = await consumeEmailToken(tx, token, "reset_password");
    if (!row) return null;
    // Receiving the reset mail proves the address, too.
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date(), emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(and(eq(users.id, row.userId), eq(users.email, row.email)))
      .returning({ id: users.id });
    if (!user) return null;
    await endAllSessions(tx, user.id);
    return { userId: user.id };
  });
}

/** A token is only checked, not used, when the reset form is shown. */
export async function isPasswordResetTokenValid(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, "reset_password"), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, sql`now()`)));
  return !!row;
}

export async function getProfile(db: Db, userId: number) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      handle: users.handle,
      locale: users.locale,
      timeZone: users.timeZone,
      bio: users.bio,
      emailVerifiedAt: users.emailVerifiedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return user ?? null;
}

export type ProfileUpdate = z.output<typeof profileSchema>;

/** Updates the member's own profile. Returns field errors for a taken handle or an unknown zone. */
export async function updateProfile(
  db: Db,
  userId: number,
  input: ProfileUpdate,
  isTimeZone: (zone: string) => boolean,
): Promise<{ ok: true } | { ok: false; fieldErrors: Record<string, string[]> }> {
  if (input.timeZone && !isTimeZone(input.timeZone)) return { ok: false, fieldErrors: { timeZone: ["profile.timeZoneInvalid"] } };
  if (!HANDLE_PATTERN.test(input.handle)) return { ok: false, fieldErrors: { handle: ["profile.handleHint"] } };
  const [clash] = await db.select({ id: users.id }).from(users).where(eq(users.handle, input.handle));
  if (clash && clash.id !== userId) return { ok: false, fieldErrors: { handle: ["profile.handleTaken"] } };
  try {
    await db
      .update(users)
      .set({
        displayName: input.displayName,
        handle: input.handle,
        locale: input.locale ?? null,
        timeZone: input.timeZone || null,
        bio: input.bio ?? "",
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
  } catch (error) {
    // Two members claiming one handle at the same moment: the unique index decides.
    if (isUniqueViolation(error)) return { ok: false, fieldErrors: { handle: ["profile.handleTaken"] } };
    throw error;
  }
  return { ok: true };
}

/** The language chosen with the switcher is remembered on the member's profile too. */
export async function setUserLocale(db: Db, userId: number, locale: Locale): Promise<void> {
  await db.update(users).set({ locale, updatedAt: new Date() }).where(eq(users.id, userId));
}
