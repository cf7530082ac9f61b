import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { queryRows } from "../../../db/client";
import { getEnv } from "../../env.server";

export interface RateLimitRule {
  /** e.g. "login:ip" */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Documented limits (README "Decisions"). Per IP and per email, so one attacker cannot lock out a victim cheaply. */
export const RATE_LIMITS = {
  loginPerIp: { name: "login:ip", limit: 30, windowSeconds: 15 * 60 },
  loginPerEmail: { name: "login:email", limit: 10, windowSeconds: 15 * 60 },
  signupPerIp: { name: "signup:ip", limit: 10, windowSeconds: 60 * 60 },
  signupPerEmail: { name: "signup:email", limit: 3, windowSeconds: 60 * 60 },
  resetPerIp: { name: "reset:ip", limit: 10, windowSeconds: 60 * 60 },
  resetPerEmail: { name: "reset:email", limit: 3, windowSeconds: 60 * 60 },
  verifyResendPerUser: { name: "verify-resend:user", limit: 5, windowSeconds: 60 * 60 },
} as const satisfies Record<string, RateLimitRule>;

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts one attempt against a fixed window and says whether it is allowed. The counter lives in
 * Postgres (one atomic upsert), so the limit holds across every app process on a server.
 */
export async function consumeRateLimit(db: Db, rule: RateLimitRule, subject: string, now = new Date()): Promise<RateLimitResult> {
  if (getEnv().RATE_LIMIT_DISABLED) return { allowed: true, retryAfterSeconds: 0 };
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const key = `${rule.name}:${subject.toLowerCase()}`;
  const [row] = await queryRows<{ count: number }>(
    db,
    sql`insert into rate_limits (key, window_start, count) values (${key}, ${windowStart.toISOString()}::timestamptz, 1)
        on conflict (key, window_start) do update set count = rate_limits.count + 1
        returning count`,
  );
  const count = Number(row?.count ?? 1);
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
  return { allowed: count <= rule.limit, retryAfterSeconds };
}

/** Checks several rules; all are counted so a blocked attacker keeps burning their own budget. */
export async function consumeRateLimits(
  db: Db,
  checks: ReadonlyArray<readonly [RateLimitRule, string]>,
): Promise<RateLimitResult> {
  let result: RateLimitResult = { allowed: true, retryAfterSeconds: 0 };
  for (const [rule, subject] of checks) {
    const r = await consumeRateLimit(db, rule, subject);
    if (!r.allowed) result = { allowed: false, retryAfterSeconds: Math.max(result.retryAfterSeconds, r.retryAfterSeconds) };
  }
  return result;
}
