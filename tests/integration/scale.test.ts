import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser } from "../../db/factories";
import { activities } from "../../db/schema";
import {
  generateScaleData,
  planAccountSizes,
  SCALE_ACTIVITY_MIX,
  ScaleDataExistsError,
  type ScaleProgress,
  type ScaleSummary,
} from "../../db/scale";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let summary: ScaleSummary;
const progress: ScaleProgress[] = [];
const now = new Date();
const options = { accounts: 20, members: 500, activities: 5000, passwordHash: "!scale-test", now, memberBatchSize: 150, activityBatchSize: 2000 };

// Rows that exist before the generator runs: they must survive both the refusal and --reset.
let bystander: { userId: number; accountId: number };

beforeAll(async () => {
  handle = await createTestDb();
  const account = await createAccount(handle.db, { name: "Real Customer", domains: ["real-customer.test"] });
  const user = await createUser(handle.db, { email: "someone@real-customer.test" });
  await addMembership(handle.db, { userId: user.id, accountId: account.id, source: "domain" });
  await handle.db.insert(activities).values({ type: "auth.signed_in", userId: user.id, accountId: account.id, idempotencyKey: "real:1" });
  bystander = { userId: user.id, accountId: account.id };
  summary = await generateScaleData(handle.db, options, (p) => progress.push(p));
});
afterAll(async () => {
  await handle.close();
});

const count = async (query: ReturnType<typeof sql>): Promise<number> => {
  const [row] = await queryRows<{ n: number | string }>(handle.db, query);
  return Number(row?.n ?? 0);
};

describe("scale data generator", () => {
  it("writes the requested numbers of accounts, members and activities, plus a few staff", async () => {
    expect(summary).toMatchObject({ accounts: 20, members: 500, activities: 5000, staff: 6 });
    expect(await count(sql`select count(*)::int as n from account_domains where domain like 'scale-%.example'`)).toBe(20);
    expect(await count(sql`select count(*)::int as n from users where email like 'member%@scale-%.example'`)).toBe(500);
    expect(await count(sql`select count(*)::int as n from users where email like '%@scale-staff.example' and role in ('staff', 'admin')`)).toBe(6);
    expect(await count(sql`select count(*)::int as n from activities where idempotency_key like 'scale:%'`)).toBe(5000);
    expect(summary.sampleLogins).toContain("member1@scale-1.example");
  });

  it("reports progress per batch up to the totals", () => {
    const members = progress.filter((p) => p.phase === "members");
    expect(members.length).toBeGreaterThan(2);
    expect(members.at(-1)).toMatchObject({ done: 500, total: 500 });
    expect(progress.filter((p) => p.phase === "activities").at(-1)).toMatchObject({ done: 5000, total: 5000 });
  });

  it("gives every member a unique email and handle on their account's domain", async () => {
    expect(await count(sql`select count(distinct email)::int as n from users where email like '%@scale-%.example'`)).toBe(506);
    expect(await count(sql`select count(*)::int as n from users where email like 'member%@scale-%.example' and handle !~ '^[a-z0-9_]{3,60}$'`)).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from users u join account_members m on m.user_id = u.id
                      join account_domains d on d.account_id = m.account_id and d.domain = split_part(u.email, '@', 2)
                      where u.email like 'member%@scale-%.example'`),
    ).toBe(500);
  });

  it("mixes English and Japanese members and skews account sizes", async () => {
    const ja = await count(sql`select count(*)::int as n from users where email like 'member%@scale-%.example' and locale = 'ja' and time_zone = 'Asia/Tokyo'`);
    expect(ja).toBeGreaterThan(25);
    expect(ja).toBeLessThan(400);
    const sizes = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from account_members m join account_domains d on d.account_id = m.account_id where d.domain like 'scale-%.example' group by m.account_id order by n desc`);
    expect(sizes).toHaveLength(20);
    expect(Number(sizes[0]!.n)).toBeGreaterThan(5 * Number(sizes.at(-1)!.n));
    expect(summary.champions).toBeGreaterThan(0);
    expect(summary.champions).toBeLessThan(25);
    expect(summary.tiers.tech_touch).toBeGreaterThan(summary.tiers.high_touch);
  });

  it("writes one 'joined' history row per membership, and 'joined'+'left' rows for moved members", async () => {
    expect(
      await count(sql`select count(*)::int as n from account_members m join users u on u.id = m.user_id
                      where u.email like 'member%@scale-%.example'
                        and not exists (select 1 from account_membership_history h where h.user_id = m.user_id and h.account_id = m.account_id and h.change = 'joined' and h.at = m.joined_at)`),
    ).toBe(0);
    const left = await count(sql`select count(*)::int as n from account_membership_history where change = 'left'`);
    expect(left).toBe(summary.movedMembers);
    expect(await count(sql`select count(*)::int as n from account_membership_history h join users u on u.id = h.user_id where u.email like 'member%@scale-%.example'`)).toBe(500 + 2 * left);
  });

  it("copies onto each activity the account its member belonged to at that moment", async () => {
    expect(
      await count(sql`select count(*)::int as n from activities a
                      where a.idempotency_key like 'scale:%'
                        and a.account_id is distinct from (
                          select h.account_id from account_membership_history h
                          where h.user_id = a.user_id and h.change = 'joined' and h.at <= a.occurred_at
                          order by h.at desc, h.id desc limit 1)`),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from activities where idempotency_key like 'scale:%' and (user_id is null or account_id is null)`)).toBe(0);
  });

  it("spreads activities over the last year with known types, concentrated on a few members", async () => {
    const [range] = await queryRows<{ oldest: Date | string; newest: Date | string }>(
      handle.db,
      sql`select min(occurred_at) as oldest, max(occurred_at) as newest from activities where idempotency_key like 'scale:%'`,
    );
    expect(new Date(range!.oldest).getTime()).toBeGreaterThanOrEqual(now.getTime() - 365 * 86_400_000);
    expect(new Date(range!.newest).getTime()).toBeLessThanOrEqual(now.getTime());
    const types = await queryRows<{ type: string }>(handle.db, sql`select distinct type from activities where idempotency_key like 'scale:%'`);
    expect(new Set(types.map((t) => t.type))).toEqual(new Set(SCALE_ACTIVITY_MIX.map((t) => t.type)));
    const topTenth = await count(sql`select coalesce(sum(n), 0)::int as n from (
      select count(*) as n from activities where idempotency_key like 'scale:%' group by user_id order by n desc limit 50) t`);
    expect(topTenth).toBeGreaterThan(5000 * 0.3);
  });

  it("has accounts whose activity fades and accounts whose activity grows over the year", async () => {
    const trends = await queryRows<{ early: number; late: number }>(
      handle.db,
      sql`select count(*) filter (where occurred_at < ${now.toISOString()}::timestamptz - interval '270 days')::int as early,
                 count(*) filter (where occurred_at >= ${now.toISOString()}::timestamptz - interval '90 days')::int as late
          from activities where idempotency_key like 'scale:%' group by account_id having count(*) >= 50`,
    );
    expect(trends.some((t) => Number(t.late) > 2 * Number(t.early))).toBe(true);
    expect(trends.some((t) => Number(t.early) > 2 * Number(t.late))).toBe(true);
  });

  it("refuses to run again without reset and changes nothing", async () => {
    await expect(generateScaleData(handle.db, options)).rejects.toBeInstanceOf(ScaleDataExistsError);
    expect(await count(sql`select count(*)::int as n from users where email like '%@scale-%.example'`)).toBe(506);
    expect(await count(sql`select count(*)::int as n from activities where idempotency_key like 'scale:%'`)).toBe(5000);
  });

  it("with reset, replaces the scale rows with the same data and leaves other rows alone", async () => {
    const handles = async () =>
      (await queryRows<{ handle: string }>(handle.db, sql`select handle from users where email like 'member%@scale-%.example' order by handle`)).map((r) => r.handle);
    const before = await handles();
    const again = await generateScaleData(handle.db, { ...options, reset: true });
    expect(again).toMatchObject({ accounts: 20, members: 500, activities: 5000, staff: 6 });
    expect(await handles()).toEqual(before);
    expect(await count(sql`select count(*)::int as n from users where id = ${bystander.userId}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from account_members where user_id = ${bystander.userId} and account_id = ${bystander.accountId}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from activities where idempotency_key = 'real:1' and user_id = ${bystander.userId}`)).toBe(1);
  });
});

describe("planAccountSizes", () => {
  it("hands out exactly the members, biggest account first, at least one each", () => {
    const sizes = planAccountSizes(2000, 100_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(sizes[0]).toBe(Math.max(...sizes));
    expect(sizes[0]!).toBeGreaterThan(2000);
  });

  it("leaves some accounts empty when there are fewer members than accounts", () => {
    const sizes = planAccountSizes(10, 4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(4);
  });
});
