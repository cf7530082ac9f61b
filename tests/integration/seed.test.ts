import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser } from "../../db/factories";
import { DEMO_LOGINS, isDatabaseEmpty, seedDemo } from "../../db/seed";
import { hashPassword, verifyPassword } from "../../app/features/auth/password.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let passwordHash: string;
beforeAll(async () => {
  handle = await createTestDb();
  passwordHash = await hashPassword("hearth-demo");
});
afterAll(async () => {
  await handle.close();
});

const count = async (query: ReturnType<typeof sql>): Promise<number> => {
  const [row] = await queryRows<{ n: number | string }>(handle.db, query);
  return Number(row?.n ?? 0);
};

describe("demo seed", () => {
  it("seeds only an empty database, in one go", async () => {
    expect(await isDatabaseEmpty(handle.db)).toBe(true);
    const result = await seedDemo(handle.db, { passwordHash });
    expect(result.accounts).toBe(5);
    expect(await isDatabaseEmpty(handle.db)).toBe(false);
  });

  it("creates five customer accounts covering every tier, with domains, CRM ids, owners and renewals", async () => {
    const rows = await queryRows<{ tier: string; domains: number; crm: string; owner_role: string; renewal: string; arr: number | null }>(
      handle.db,
      sql`select a.tier, (select count(*)::int from account_domains d where d.account_id = a.id) as domains,
                 a.crm_external_id as crm, u.role as owner_role, a.renewal_date::text as renewal, a.arr_cents as arr
          from accounts a left join users u on u.id = a.owner_id`,
    );
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.tier))).toEqual(new Set(["high_touch", "low_touch", "tech_touch"]));
    const today = new Date().toISOString().slice(0, 10);
    const inAYear = new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10);
    for (const row of rows) {
      expect(row.domains).toBeGreaterThanOrEqual(1);
      expect(row.domains).toBeLessThanOrEqual(2);
      expect(row.crm).toMatch(/^001[0-9A-Za-z]{12,15}$/);
      expect(row.owner_role).toBe("staff");
      expect(row.renewal > today && row.renewal <= inAYear).toBe(true);
    }
    expect(rows.filter((r) => r.arr !== null).length).toBeGreaterThanOrEqual(4);
  });

  it("has ~40 members, 2 staff, 1 moderator, 1 admin and 5 champions, all verified with one shared password", async () => {
    const roles = await queryRows<{ role: string; n: number }>(handle.db, sql`select role, count(*)::int as n from users group by role`);
    const byRole = Object.fromEntries(roles.map((r) => [r.role, Number(r.n)]));
    expect(byRole.member).toBeGreaterThanOrEqual(35);
    expect(byRole.member).toBeLessThanOrEqual(45);
    expect(byRole).toMatchObject({ staff: 2, moderator: 1, admin: 1 });
    expect(await count(sql`select count(*)::int as n from users where champion_at is not null`)).toBe(5);
    expect(await count(sql`select count(*)::int as n from users where email_verified_at is null`)).toBe(0);
    expect(await count(sql`select count(distinct password_hash)::int as n from users`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from users where handle !~ '^[a-z0-9_]{3,30}$' or email <> lower(email)`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from users where email !~ '\\.(example|test)$'`)).toBe(0);
  });

  it("makes about a third of the members Japanese, in the ja locale and Tokyo time", async () => {
    const rows = await queryRows<{ locale: string; time_zone: string; display_name: string }>(
      handle.db,
      sql`select locale, time_zone, display_name from users where role in ('member', 'moderator')`,
    );
    const japanese = rows.filter((r) => r.locale === "ja");
    expect(japanese.length / rows.length).toBeGreaterThan(0.25);
    expect(japanese.length / rows.length).toBeLessThan(0.45);
    for (const row of japanese) expect(row.time_zone).toBe("Asia/Tokyo");
    expect(japanese.some((r) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(r.display_name))).toBe(true);
    expect(new Set(rows.filter((r) => r.locale === "en").map((r) => r.time_zone)).size).toBeGreaterThan(4);
  });

  it("puts every account member on one of their account's email domains, and leaves a couple without an account", async () => {
    expect(
      await count(sql`select count(*)::int as n from account_members m join users u on u.id = m.user_id
                      where not exists (select 1 from account_domains d where d.account_id = m.account_id and d.domain = split_part(u.email, '@', 2))`),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from users u where u.role = 'member' and not exists (select 1 from account_members m where m.user_id = u.id)`)).toBe(2);
    expect(await count(sql`select count(*)::int as n from account_members m join users u on u.id = m.user_id where u.role in ('staff', 'admin')`)).toBe(0);
  });

  it("keeps membership history consistent with current memberships", async () => {
    // Every current membership has its 'joined' row; a moved member also has the earlier join and leave.
    expect(
      await count(sql`select count(*)::int as n from account_members m
                      where not exists (select 1 from account_membership_history h
                                        where h.user_id = m.user_id and h.account_id = m.account_id and h.change = 'joined' and h.at = m.joined_at)`),
    ).toBe(0);
    expect(await count(sql`select count(*)::int as n from account_membership_history where change = 'left'`)).toBeGreaterThanOrEqual(1);
    expect(await count(sql`select count(*)::int as n from account_membership_history`)).toBe(
      (await count(sql`select count(*)::int as n from account_members`)) + 2 * (await count(sql`select count(*)::int as n from account_membership_history where change = 'left'`)),
    );
  });

  it("lets every printed demo login sign in with the demo password", async () => {
    expect(new Set(DEMO_LOGINS.map((l) => l.role))).toEqual(new Set(["admin", "staff", "moderator", "member"]));
    for (const login of DEMO_LOGINS) {
      const [user] = await queryRows<{ role: string; locale: string; password_hash: string }>(
        handle.db,
        sql`select role, locale, password_hash from users where email = ${login.email}`,
      );
      expect(user, login.email).toMatchObject({ role: login.role, locale: login.locale });
      expect(await verifyPassword(user!.password_hash, "hearth-demo")).toBe(true);
    }
  });

  it("refuses to seed twice and changes nothing when it does", async () => {
    const before = await count(sql`select count(*)::int as n from users`);
    await expect(seedDemo(handle.db, { passwordHash })).rejects.toThrow();
    expect(await count(sql`select count(*)::int as n from users`)).toBe(before);
    expect(await count(sql`select count(*)::int as n from accounts`)).toBe(5);
  });

});

describe("factories", () => {
  it("creates users with unique lower-cased emails and handles, as members by default", async () => {
    const first = await createUser(handle.db, { email: "Someone@Elsewhere.TEST" });
    const second = await createUser(handle.db);
    const third = await createUser(handle.db);
    expect(first).toMatchObject({ email: "someone@elsewhere.test", role: "member" });
    expect(second.email).not.toBe(third.email);
    expect(second.handle).not.toBe(third.handle);
    expect(second.handle).toMatch(/^[a-z0-9_]{3,30}$/);
  });

  it("records a move between accounts as 'left' then 'joined', and a repeated join as nothing", async () => {
    const user = await createUser(handle.db);
    const from = await createAccount(handle.db, { name: "From Co", domains: ["from-co.test"] });
    const to = await createAccount(handle.db, { name: "To Co" });
    const other = await createUser(handle.db);
    await addMembership(handle.db, { userId: other.id, accountId: from.id, source: "domain" });

    expect(await addMembership(handle.db, { userId: user.id, accountId: from.id, source: "domain" })).toBe(true);
    expect(await addMembership(handle.db, { userId: user.id, accountId: from.id, source: "domain" })).toBe(false);
    expect(await addMembership(handle.db, { userId: user.id, accountId: to.id, source: "staff", actorId: other.id })).toBe(true);

    const history = await queryRows<{ account_id: number; change: string; source: string; actor_id: number | null }>(
      handle.db,
      sql`select account_id, change, source, actor_id from account_membership_history where user_id = ${user.id} order by id`,
    );
    expect(history).toEqual([
      { account_id: from.id, change: "joined", source: "domain", actor_id: null },
      { account_id: from.id, change: "left", source: "staff", actor_id: other.id },
      { account_id: to.id, change: "joined", source: "staff", actor_id: other.id },
    ]);
    const members = await queryRows<{ user_id: number; account_id: number }>(
      handle.db,
      sql`select user_id, account_id from account_members where user_id in (${user.id}, ${other.id}) order by user_id`,
    );
    // The other member of the old account is untouched.
    expect(members).toEqual([
      { user_id: user.id, account_id: to.id },
      { user_id: other.id, account_id: from.id },
    ].sort((a, b) => a.user_id - b.user_id));
    expect(from.domains).toEqual(["from-co.test"]);
    expect(to.domains).toHaveLength(1);
  });
});
