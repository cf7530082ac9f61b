import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { queryRows } from "./client";
import { buildAccount, buildUser, type NewUser } from "./factories";
import {
  accountDomains,
  accountMembers,
  accountMembershipHistory,
  accounts,
  users,
  type Locale,
  type MembershipSource,
  type Role,
  type Tier,
} from "./schema";

/** The one password of every demo user; printed by the server and by `npm run db:seed`. */
export const DEMO_PASSWORD = "hearth-demo";

export interface DemoLogin {
  role: Role;
  locale: Locale;
  email: string;
  description: string;
}

/** Sign-ins worth printing: one per role, plus a Japanese member to see the ja UI. */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  { role: "admin", locale: "en", email: "dana.whitfield@hearth.example", description: "admin" },
  { role: "staff", locale: "en", email: "priya.raman@hearth.example", description: "staff (customer success)" },
  { role: "moderator", locale: "en", email: "marcus.bell@northwind.example", description: "moderator (Northwind Traders)" },
  { role: "member", locale: "en", email: "olivia.chen@northwind.example", description: "member, champion (Northwind Traders)" },
  { role: "member", locale: "ja", email: "haruto.sato@sakura-systems.example", description: "member, Japanese (さくらシステムズ)" },
];

/** True when no user exists yet: the server seeds the demo only into an empty database. */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ empty: boolean }>(db, sql`select not exists (select 1 from ${users}) as empty`);
  return row?.empty === true;
}

export interface SeedDemoOptions {
  /** argon2id hash of DEMO_PASSWORD, computed once by the caller (db/ does not import app code). */
  passwordHash: string;
  /** "Today" for renewal dates and join times; tests pin it. */
  now?: Date;
}

export interface SeedDemoResult {
  accounts: number;
  users: number;
  members: number;
  logins: readonly DemoLogin[];
}

type AccountKey = "northwind" | "sakura" | "globex" | "fujimoto" | "bluebird";

interface DemoAccount {
  key: AccountKey;
  name: string;
  tier: Tier;
  domains: string[];
  crmExternalId: string;
  ownerEmail: string;
  renewalInMonths: number;
  arrUsd: number | null;
  licensedSeats: number;
  createdDaysAgo: number;
}

const STAFF_PRIYA = "priya.raman@hearth.example";
const STAFF_KENJI = "kenji.watanabe@hearth.example";

const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    key: "northwind",
    name: "Northwind Traders",
    tier: "high_touch",
    domains: ["northwind.example", "northwindtraders.example"],
    crmExternalId: "0015g00000NWT001",
    ownerEmail: STAFF_PRIYA,
    renewalInMonths: 2,
    arrUsd: 480_000,
    licensedSeats: 250,
    createdDaysAgo: 900,
  },
  {
    key: "sakura",
    name: "さくらシステムズ株式会社",
    tier: "high_touch",
    domains: ["sakura-systems.example", "sakura-sys.example"],
    crmExternalId: "0015g00000SKR123",
    ownerEmail: STAFF_KENJI,
    renewalInMonths: 5,
    arrUsd: 720_000,
    licensedSeats: 400,
    createdDaysAgo: 720,
  },
  {
    key: "globex",
    name: "Globex Logistics",
    tier: "low_touch",
    domains: ["globex.example"],
    crmExternalId: "0015g00000GLX042",
    ownerEmail: STAFF_PRIYA,
    renewalInMonths: 8,
    arrUsd: 96_000,
    licensedSeats: 60,
    createdDaysAgo: 480,
  },
  {
    key: "fujimoto",
    name: "藤本製作所",
    tier: "low_touch",
    domains: ["fujimoto-mfg.example", "fujimoto.test"],
    crmExternalId: "0015g00000FJM777",
    ownerEmail: STAFF_KENJI,
    renewalInMonths: 11,
    arrUsd: 64_000,
    licensedSeats: 40,
    createdDaysAgo: 300,
  },
  {
    key: "bluebird",
    name: "Bluebird Analytics",
    tier: "tech_touch",
    domains: ["bluebird.example"],
    crmExternalId: "0015g00000BLB909",
    ownerEmail: STAFF_PRIYA,
    renewalInMonths: 1,
    // Self-serve plan bought by card: the CRM has no ARR figure for it yet.
    arrUsd: null,
    licensedSeats: 15,
    createdDaysAgo: 150,
  },
];

interface DemoUser {
  email: string;
  displayName: string;
  handle: string;
  role?: Role;
  locale: Locale;
  timeZone: string;
  bio?: string;
  account?: AccountKey;
  champion?: boolean;
  /** Staff first assigned the member to this account by mistake, then moved them. */
  movedFrom?: AccountKey;
  createdDaysAgo: number;
}

const TOKYO = "Asia/Tokyo";

const DEMO_STAFF: DemoUser[] = [
  {
    email: "dana.whitfield@hearth.example",
    displayName: "Dana Whitfield",
    handle: "dana",
    role: "admin",
    locale: "en",
    timeZone: "America/Los_Angeles",
    bio: "Runs the Hearth community platform.",
    createdDaysAgo: 1000,
  },
  {
    email: STAFF_PRIYA,
    displayName: "Priya Raman",
    handle: "priya_hearth",
    role: "staff",
    locale: "en",
    timeZone: "America/New_York",
    bio: "Customer success lead, North America and EMEA.",
    createdDaysAgo: 980,
  },
  {
    email: STAFF_KENJI,
    displayName: "渡辺 健二",
    handle: "kenji_hearth",
    role: "staff",
    locale: "ja",
    timeZone: TOKYO,
    bio: "カスタマーサクセス担当（日本・APAC）。",
    createdDaysAgo: 950,
  },
];

const DEMO_MEMBERS: DemoUser[] = [
  // Northwind Traders: a large US/UK customer; the moderator is a volunteer from here.
  { email: "marcus.bell@northwind.example", displayName: "Marcus Bell", handle: "marcus_bell", role: "moderator", locale: "en", timeZone: "America/Chicago", bio: "Platform engineer. Happy to help with SSO and SCIM questions.", account: "northwind", createdDaysAgo: 860 },
  { email: "olivia.chen@northwind.example", displayName: "Olivia Chen", handle: "olivia_chen", locale: "en", timeZone: "America/New_York", bio: "Admin of our Hearth workspace since day one.", account: "northwind", champion: true, createdDaysAgo: 850 },
  { email: "james.okafor@northwind.example", displayName: "James Okafor", handle: "jokafor", locale: "en", timeZone: "Europe/London", bio: "Data team, London office.", account: "northwind", createdDaysAgo: 700 },
  { email: "sophie.martin@northwindtraders.example", displayName: "Sophie Martin", handle: "sophie_m", locale: "en", timeZone: "Europe/Paris", account: "northwind", createdDaysAgo: 610 },
  { email: "ethan.brooks@northwind.example", displayName: "Ethan Brooks", handle: "ebrooks", locale: "en", timeZone: "America/Denver", bio: "Reporting and dashboards.", account: "northwind", createdDaysAgo: 540 },
  { email: "grace.kim@northwind.example", displayName: "Grace Kim", handle: "gracekim", locale: "en", timeZone: "America/Los_Angeles", account: "northwind", createdDaysAgo: 420 },
  { email: "liam.walsh@northwindtraders.example", displayName: "Liam Walsh", handle: "liam_walsh", locale: "en", timeZone: "Europe/Dublin", account: "northwind", createdDaysAgo: 365 },
  { email: "ava.patel@northwind.example", displayName: "Ava Patel", handle: "avapatel", locale: "en", timeZone: "America/Toronto", bio: "Automation nerd.", account: "northwind", createdDaysAgo: 210 },
  { email: "noah.schmidt@northwind.example", displayName: "Noah Schmidt", handle: "noah_schmidt", locale: "en", timeZone: "Europe/Berlin", account: "northwind", createdDaysAgo: 120 },
  { email: "chloe.nguyen@northwind.example", displayName: "Chloe Nguyen", handle: "chloe_nguyen", locale: "en", timeZone: "Australia/Sydney", account: "northwind", createdDaysAgo: 45 },
  { email: "daniel.reyes@northwindtraders.example", displayName: "Daniel Reyes", handle: "dreyes", locale: "en", timeZone: "America/New_York", account: "northwind", createdDaysAgo: 9 },

  // さくらシステムズ: a large Japanese customer, mostly Japanese-speaking.
  { email: "haruto.sato@sakura-systems.example", displayName: "佐藤 陽翔", handle: "haruto_sato", locale: "ja", timeZone: TOKYO, bio: "情報システム部。API連携を担当しています。", account: "sakura", champion: true, createdDaysAgo: 700 },
  { email: "yui.tanaka@sakura-systems.example", displayName: "田中 結衣", handle: "yui_tanaka", locale: "ja", timeZone: TOKYO, bio: "社内ヘルプデスクのリーダーです。", account: "sakura", champion: true, createdDaysAgo: 680 },
  { email: "ren.suzuki@sakura-systems.example", displayName: "鈴木 蓮", handle: "ren_suzuki", locale: "ja", timeZone: TOKYO, account: "sakura", createdDaysAgo: 600 },
  { email: "mio.takahashi@sakura-sys.example", displayName: "高橋 美桜", handle: "mio_t", locale: "ja", timeZone: TOKYO, bio: "データ分析とレポート作成。", account: "sakura", createdDaysAgo: 530 },
  { email: "sota.ito@sakura-systems.example", displayName: "伊藤 蒼太", handle: "sota_ito", locale: "ja", timeZone: TOKYO, account: "sakura", createdDaysAgo: 450 },
  { email: "aoi.yamamoto@sakura-systems.example", displayName: "山本 葵", handle: "aoi_yamamoto", locale: "ja", timeZone: TOKYO, account: "sakura", createdDaysAgo: 330 },
  { email: "yuto.nakamura@sakura-sys.example", displayName: "中村 悠斗", handle: "yuto_nakamura", locale: "ja", timeZone: TOKYO, bio: "SREチーム所属。", account: "sakura", createdDaysAgo: 240 },
  { email: "hina.kobayashi@sakura-systems.example", displayName: "小林 陽菜", handle: "hina_k", locale: "ja", timeZone: TOKYO, account: "sakura", createdDaysAgo: 60 },
  { email: "tom.harris@sakura-systems.example", displayName: "Tom Harris", handle: "tomharris", locale: "en", timeZone: TOKYO, bio: "Solutions architect at the Tokyo office.", account: "sakura", createdDaysAgo: 390 },
  { email: "emma.lindqvist@sakura-sys.example", displayName: "Emma Lindqvist", handle: "emma_lq", locale: "en", timeZone: "Asia/Singapore", account: "sakura", createdDaysAgo: 150 },

  // Globex Logistics: mid-size, spread over time zones.
  { email: "rachel.adams@globex.example", displayName: "Rachel Adams", handle: "rachel_adams", locale: "en", timeZone: "America/Chicago", bio: "Ops manager. Ask me about workflows.", account: "globex", champion: true, createdDaysAgo: 470 },
  { email: "omar.haddad@globex.example", displayName: "Omar Haddad", handle: "ohaddad", locale: "en", timeZone: "Europe/London", account: "globex", createdDaysAgo: 400 },
  { email: "lucas.silva@globex.example", displayName: "Lucas Silva", handle: "lucas_silva", locale: "en", timeZone: "America/Sao_Paulo", account: "globex", createdDaysAgo: 350 },
  { email: "mia.johnson@globex.example", displayName: "Mia Johnson", handle: "miaj", locale: "en", timeZone: "America/Los_Angeles", account: "globex", movedFrom: "bluebird", createdDaysAgo: 260 },
  { email: "arjun.mehta@globex.example", displayName: "Arjun Mehta", handle: "arjun_mehta", locale: "en", timeZone: "Asia/Kolkata", bio: "Integrations developer.", account: "globex", createdDaysAgo: 180 },
  { email: "hannah.weber@globex.example", displayName: "Hannah Weber", handle: "hannah_weber", locale: "en", timeZone: "Europe/Berlin", account: "globex", createdDaysAgo: 75 },
  { email: "kaito.mori@globex.example", displayName: "森 海斗", handle: "kaito_mori", locale: "ja", timeZone: TOKYO, bio: "Globex 日本支社です。", account: "globex", createdDaysAgo: 30 },

  // 藤本製作所: a smaller Japanese manufacturer.
  { email: "daiki.fujimoto@fujimoto-mfg.example", displayName: "藤本 大輝", handle: "daiki_fujimoto", locale: "ja", timeZone: TOKYO, bio: "生産管理システムの担当です。", account: "fujimoto", champion: true, createdDaysAgo: 290 },
  { email: "sakura.kato@fujimoto-mfg.example", displayName: "加藤 さくら", handle: "sakura_kato", locale: "ja", timeZone: TOKYO, account: "fujimoto", createdDaysAgo: 250 },
  { email: "takumi.yoshida@fujimoto.test", displayName: "吉田 拓海", handle: "takumi_y", locale: "ja", timeZone: TOKYO, account: "fujimoto", createdDaysAgo: 200 },
  { email: "rin.yamada@fujimoto-mfg.example", displayName: "山田 凛", handle: "rin_yamada", locale: "ja", timeZone: TOKYO, bio: "品質保証部。", account: "fujimoto", createdDaysAgo: 140 },
  { email: "kenta.sasaki@fujimoto.test", displayName: "佐々木 健太", handle: "kenta_sasaki", locale: "ja", timeZone: TOKYO, account: "fujimoto", createdDaysAgo: 20 },
  { email: "david.miller@fujimoto-mfg.example", displayName: "David Miller", handle: "dmiller", locale: "en", timeZone: "America/Detroit", bio: "US plant, Michigan.", account: "fujimoto", createdDaysAgo: 95 },

  // Bluebird Analytics: a small self-serve customer.
  { email: "zoe.carter@bluebird.example", displayName: "Zoe Carter", handle: "zoe_carter", locale: "en", timeZone: "America/New_York", bio: "Founder. We run everything on Hearth.", account: "bluebird", createdDaysAgo: 148 },
  { email: "ben.taylor@bluebird.example", displayName: "Ben Taylor", handle: "bentaylor", locale: "en", timeZone: "Europe/London", account: "bluebird", createdDaysAgo: 100 },
  { email: "isla.murray@bluebird.example", displayName: "Isla Murray", handle: "isla_murray", locale: "en", timeZone: "Europe/London", account: "bluebird", createdDaysAgo: 35 },
  { email: "felix.wagner@bluebird.example", displayName: "Felix Wagner", handle: "felix_w", locale: "en", timeZone: "Europe/Berlin", account: "bluebird", createdDaysAgo: 12 },

  // Not (yet) at any customer: a consultant and a prospect.
  { email: "sam.rivera@freelance.example", displayName: "Sam Rivera", handle: "samrivera", locale: "en", timeZone: "America/Los_Angeles", bio: "Independent consultant.", createdDaysAgo: 320 },
  { email: "nanami.hayashi@mail.test", displayName: "林 七海", handle: "nanami_h", locale: "ja", timeZone: TOKYO, bio: "導入を検討中です。", createdDaysAgo: 14 },
];

const DAY_MS = 86_400_000;

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

function isoDateInMonths(now: Date, months: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, Math.min(now.getUTCDate(), 28)));
  return d.toISOString().slice(0, 10);
}

/**
 * Seeds the bilingual demo: 5 customer accounts, ~40 members (a third Japanese), 3 staff/admin users and
 * a moderator, all sharing DEMO_PASSWORD with verified emails. Runs in one transaction with batched
 * inserts. Callers check isDatabaseEmpty() first; seeding twice fails on the unique emails.
 */
export async function seedDemo(db: Db, options: SeedDemoOptions): Promise<SeedDemoResult> {
  const now = options.now ?? new Date();
  const everyone = [...DEMO_STAFF, ...DEMO_MEMBERS];

  return db.transaction(async (tx) => {
    const userValues: NewUser[] = everyone.map((u) => {
      const createdAt = daysBefore(now, u.createdDaysAgo);
      return buildUser({
        email: u.email,
        displayName: u.displayName,
        handle: u.handle,
        role: u.role ?? "member",
        locale: u.locale,
        timeZone: u.timeZone,
        bio: u.bio ?? "",
        passwordHash: options.passwordHash,
        // Verified a few minutes after signing up.
        emailVerifiedAt: new Date(createdAt.getTime() + 7 * 60_000),
        championAt: u.champion ? daysBefore(now, Math.floor(u.createdDaysAgo / 2)) : null,
        createdAt,
        updatedAt: createdAt,
      });
    });
    const insertedUsers = await tx.insert(users).values(userValues).returning({ id: users.id, email: users.email });
    const userIdByEmail = new Map(insertedUsers.map((u) => [u.email, u.id]));
    const userId = (email: string): number => {
      const id = userIdByEmail.get(email);
      if (id === undefined) throw new Error(`seedDemo: no user ${email}`);
      return id;
    };

    const insertedAccounts = await tx
      .insert(accounts)
      .values(
        DEMO_ACCOUNTS.map((a) => {
          const createdAt = daysBefore(now, a.createdDaysAgo);
          return buildAccount({
            name: a.name,
            tier: a.tier,
            crmExternalId: a.crmExternalId,
            ownerId: userId(a.ownerEmail),
            renewalDate: isoDateInMonths(now, a.renewalInMonths),
            arrCents: a.arrUsd === null ? null : a.arrUsd * 100,
            licensedSeats: a.licensedSeats,
            createdAt,
            updatedAt: createdAt,
          });
        }),
      )
      .returning({ id: accounts.id, crmExternalId: accounts.crmExternalId });
    const accountIdByKey = new Map<AccountKey, number>();
    for (const a of DEMO_ACCOUNTS) {
      const row = insertedAccounts.find((r) => r.crmExternalId === a.crmExternalId);
      accountIdByKey.set(a.key, row!.id);
    }
    const accountId = (key: AccountKey): number => accountIdByKey.get(key)!;

    await tx.insert(accountDomains).values(
      DEMO_ACCOUNTS.flatMap((a) =>
        a.domains.map((domain) => ({ domain, accountId: accountId(a.key), createdAt: daysBefore(now, a.createdDaysAgo) })),
      ),
    );

    const staffActor = userId(STAFF_PRIYA);
    const memberships: (typeof accountMembers.$inferInsert)[] = [];
    const history: (typeof accountMembershipHistory.$inferInsert)[] = [];
    for (const u of DEMO_MEMBERS) {
      if (!u.account) continue;
      const id = userId(u.email);
      const joinedAt = new Date(daysBefore(now, u.createdDaysAgo).getTime() + 7 * 60_000);
      let source: MembershipSource = "domain";
      let at = joinedAt;
      if (u.movedFrom) {
        // Staff put the member in the wrong account at sign-up and corrected it a week later.
        const movedAt = new Date(joinedAt.getTime() + 7 * DAY_MS);
        history.push(
          { userId: id, accountId: accountId(u.movedFrom), change: "joined", source: "staff", actorId: staffActor, at: joinedAt },
          { userId: id, accountId: accountId(u.movedFrom), change: "left", source: "staff", actorId: staffActor, at: movedAt },
        );
        source = "staff";
        at = movedAt;
      }
      memberships.push({ userId: id, accountId: accountId(u.account), source, isStaffOverride: source === "staff", joinedAt: at });
      history.push({
        userId: id,
        accountId: accountId(u.account),
        change: "joined",
        source,
        actorId: source === "staff" ? staffActor : null,
        at,
      });
    }
    await tx.insert(accountMembers).values(memberships);
    await tx.insert(accountMembershipHistory).values(history);

    return {
      accounts: insertedAccounts.length,
      users: insertedUsers.length,
      members: DEMO_MEMBERS.filter((u) => (u.role ?? "member") === "member").length,
      logins: DEMO_LOGINS,
    };
  });
}
