import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { queryRows } from "./client";
import { buildAccount, buildUser } from "./factories";
import { deleteScaleEventsData } from "./scale-events";
import { deleteScaleForumData } from "./scale-forum";
import { accountDomains, accounts, users, type Tier } from "./schema";

/**
 * Benchmark data at customer scale: thousands of accounts, ~100k members, millions of ledger rows.
 * Rows are written with set-based SQL (INSERT ... SELECT over generate_series) in batches, and every
 * "random" choice is a hash of the row number, so two runs with the same options produce the same data
 * and benchmarks stay comparable between issues. Works on PGlite and on a Postgres server alike.
 *
 * Scale rows are recognisable, so they can be refused or removed without touching other data:
 * accounts own a domain `scale-<n>.example`, users have emails at `@scale-*.example`, and activities
 * have idempotency keys `scale:<n>`.
 */

/** Printed by the CLI; every scale user shares it (one argon2id hash computed by the caller). */
export const SCALE_PASSWORD = "hearth-scale-bench";
export const SCALE_STAFF_DOMAIN = "scale-staff.example";
export const SCALE_ADMIN_EMAIL = `admin@${SCALE_STAFF_DOMAIN}`;
export const SCALE_ACTIVITY_KEY_PREFIX = "scale:";
const SCALE_DOMAIN_LIKE = "scale-%.example";
const SCALE_EMAIL_LIKE = "%@scale-%.example";
const SCALE_MEMBER_EMAIL_LIKE = "member%@scale-%.example";
const SCALE_KEY_LIKE = `${SCALE_ACTIVITY_KEY_PREFIX}%`;

/** Member n of account a signs in as member<n>@scale-<a>.example; member 1 is always in account 1. */
export function scaleMemberEmail(memberNo: number, accountNo: number): string {
  return `member${memberNo}@scale-${accountNo}.example`;
}

export function scaleAccountDomain(accountNo: number): string {
  return `scale-${accountNo}.example`;
}

/**
 * Ledger mix: types later features will write, with their share of all rows and the range of subject
 * ids they point at (the subjects need not exist; the ledger stores them as opaque strings).
 */
export const SCALE_ACTIVITY_MIX = [
  { type: "kb.article.viewed", share: 0.34, subjectType: "kb_article", subjects: 4_000 },
  { type: "auth.signed_in", share: 0.2, subjectType: null, subjects: 0 },
  { type: "search.performed", share: 0.18, subjectType: null, subjects: 0 },
  { type: "forum.vote.cast", share: 0.08, subjectType: "forum_answer", subjects: 60_000 },
  { type: "forum.answer.posted", share: 0.06, subjectType: "forum_question", subjects: 20_000 },
  { type: "webinar.registered", share: 0.05, subjectType: "webinar", subjects: 150 },
  { type: "forum.question.asked", share: 0.04, subjectType: "forum_question", subjects: 20_000 },
  { type: "webinar.attended", share: 0.03, subjectType: "webinar", subjects: 150 },
  { type: "forum.answer.accepted", share: 0.02, subjectType: "forum_answer", subjects: 60_000 },
] as const;

export interface ScaleOptions {
  accounts: number;
  members: number;
  activities: number;
  /** argon2id hash of SCALE_PASSWORD, computed once by the caller (db/ does not import app code). */
  passwordHash: string;
  /** Delete earlier scale rows first instead of refusing. */
  reset?: boolean;
  /** Staff users (account owners); an admin is added besides. Default 5. */
  staff?: number;
  /** Ledger rows are spread over the `days` before `now`. Defaults: 365 days before the current time. */
  now?: Date;
  days?: number;
  memberBatchSize?: number;
  activityBatchSize?: number;
}

export type ScalePhase = "reset" | "staff" | "accounts" | "members" | "activities" | "indexes" | "analyze";

export interface ScaleProgress {
  phase: ScalePhase;
  done: number;
  total: number;
  /** Since the phase started. */
  elapsedMs: number;
}

export type ScaleProgressListener = (progress: ScaleProgress) => void;

export interface ScaleSummary {
  staff: number;
  accounts: number;
  members: number;
  champions: number;
  movedMembers: number;
  activities: number;
  tiers: Record<Tier, number>;
  /** Sign-in emails (password SCALE_PASSWORD): the admin, a staff user, and members of big and small accounts. */
  sampleLogins: string[];
  timingsMs: Partial<Record<ScalePhase, number>> & { total: number };
}

export class ScaleDataExistsError extends Error {
  constructor() {
    super(
      "Scale data already exists in this database (accounts on scale-*.example, users @scale-*.example or activities keyed scale:*). " +
        "Pass --reset to delete it and generate again.",
    );
    this.name = "ScaleDataExistsError";
  }
}

/** A deterministic pseudo-random number in [0, 1) from a row number and a salt (one salt per attribute). */
export function hash01(n: SQL, salt: number): SQL {
  return sql`((hashint8extended((${n})::bigint, ${salt}::bigint) & 2147483647)::float8 / 2147483648.0)`;
}

/**
 * Runs one bulk statement (or several) in a transaction tuned for it. Without this the server spends
 * more time JIT-compiling than inserting: the planner cannot estimate joins on hashed row numbers, guesses
 * billions of rows and switches JIT on (measured: 11.5 s of a 30 s batch of 200k ledger rows). More
 * work_mem keeps the joins in memory instead of external sorts.
 */
export async function inBulkTransaction<T>(db: Db, run: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    return run(tx);
  });
}

function csv(values: readonly (string | number)[]): string {
  return values.join(",");
}

// ---------------------------------------------------------------------------------------------------
// Planning (pure): account sizes and the activity permutation.

/**
 * Members per account, biggest first: a power law (exponent 0.85), so a handful of accounts have
 * thousands of members and most have a few. Every account gets at least one member when there are
 * enough members to go round.
 */
export function planAccountSizes(accountCount: number, memberCount: number): number[] {
  const weights = Array.from({ length: accountCount }, (_, i) => Math.pow(i + 1, -0.85));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const base = memberCount >= accountCount ? 1 : 0;
  const rest = memberCount - base * accountCount;
  const quotas = weights.map((w) => (rest * w) / totalWeight);
  const sizes = quotas.map((q) => base + Math.floor(q));
  let missing = memberCount - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    sizes[i]! += 1;
    missing -= 1;
  }
  return sizes;
}

/**
 * Activity is concentrated on a few members (rank r draws ~ u^3), but ranks must not follow member
 * numbers (those are grouped by account), so rank r belongs to member ((r * p) mod n) + 1 with p
 * coprime to n. The inverse lets the members phase mark the most active members as champions.
 */
export function activityPermutation(memberCount: number): { p: bigint; inverse: bigint } {
  const n = BigInt(Math.max(memberCount, 1));
  let p = BigInt(Math.floor(memberCount * 0.618_034)) | 1n;
  if (p < 1n) p = 1n;
  while (gcd(p, n) !== 1n) p += 2n;
  return { p: p % n, inverse: modInverse(p % n, n) };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function modInverse(a: bigint, n: bigint): bigint {
  if (n === 1n) return 0n;
  let [oldR, r] = [a, n];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % n) + n) % n;
}

/** mulberry32: a tiny seeded PRNG for the few thousand account rows planned in TypeScript. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// ---------------------------------------------------------------------------------------------------
// Realistic words. Names are ASCII (romaji for Japanese) where they feed handles.

const EN_FIRST = "James,Mary,Olivia,Liam,Emma,Noah,Ava,Oliver,Sophia,Elijah,Isabella,Lucas,Mia,Mason,Amelia,Ethan,Harper,Logan,Evelyn,Aiden,Abigail,Jacob,Emily,Michael,Ella,Daniel,Scarlett,Henry,Grace,Jackson,Chloe,Samuel,Victoria,Sebastian,Riley,David,Aria,Carter,Lily,Wyatt,Zoe,Owen,Nora,Gabriel,Hannah,Matthew,Layla,Leo,Priya,Arjun,Wei,Mei,Carlos,Sofia,Mateo,Lucia,Fatima,Omar,Ingrid,Lars,Chiara,Marco,Aisha,Kwame,Anika,Jonas,Elena,Diego,Nadia,Tomas".split(",");
const EN_LAST = "Smith,Johnson,Williams,Brown,Jones,Garcia,Miller,Davis,Rodriguez,Martinez,Hernandez,Lopez,Wilson,Anderson,Thomas,Taylor,Moore,Jackson,Martin,Lee,Perez,Thompson,White,Harris,Clark,Lewis,Robinson,Walker,Young,Allen,King,Wright,Scott,Green,Baker,Adams,Nelson,Hill,Campbell,Mitchell,Patel,Shah,Chen,Wang,Nguyen,Kim,Park,Singh,Kowalski,Novak,Schmidt,Fischer,Rossi,Bianchi,Dubois,Moreau,Jensen,Larsen,Murphy,Kelly,Walsh,Okafor,Mensah,Silva,Santos,Costa,Haddad,Cohen".split(",");
const JA_FAMILY: [kanji: string, romaji: string][] = [
  ["佐藤", "sato"], ["鈴木", "suzuki"], ["高橋", "takahashi"], ["田中", "tanaka"], ["伊藤", "ito"], ["渡辺", "watanabe"],
  ["山本", "yamamoto"], ["中村", "nakamura"], ["小林", "kobayashi"], ["加藤", "kato"], ["吉田", "yoshida"], ["山田", "yamada"],
  ["佐々木", "sasaki"], ["山口", "yamaguchi"], ["松本", "matsumoto"], ["井上", "inoue"], ["木村", "kimura"], ["林", "hayashi"],
  ["斎藤", "saito"], ["清水", "shimizu"], ["山崎", "yamazaki"], ["森", "mori"], ["池田", "ikeda"], ["橋本", "hashimoto"],
  ["阿部", "abe"], ["石川", "ishikawa"], ["山下", "yamashita"], ["中島", "nakajima"], ["石井", "ishii"], ["小川", "ogawa"],
  ["前田", "maeda"], ["岡田", "okada"], ["長谷川", "hasegawa"], ["藤田", "fujita"], ["後藤", "goto"], ["近藤", "kondo"],
  ["村上", "murakami"], ["遠藤", "endo"], ["青木", "aoki"], ["坂本", "sakamoto"],
];
const JA_GIVEN: [kanji: string, romaji: string][] = [
  ["陽翔", "haruto"], ["蓮", "ren"], ["湊", "minato"], ["蒼", "aoi"], ["樹", "itsuki"], ["悠真", "yuma"], ["大翔", "hiroto"],
  ["颯太", "sota"], ["健太", "kenta"], ["翔太", "shota"], ["大輔", "daisuke"], ["拓海", "takumi"], ["健", "ken"], ["誠", "makoto"],
  ["浩", "hiroshi"], ["直樹", "naoki"], ["翼", "tsubasa"], ["和也", "kazuya"], ["結衣", "yui"], ["陽菜", "hina"], ["凛", "rin"],
  ["美咲", "misaki"], ["さくら", "sakura"], ["葵", "aoi"], ["結菜", "yuna"], ["芽依", "mei"], ["莉子", "riko"], ["美桜", "mio"],
  ["七海", "nanami"], ["彩", "aya"], ["愛", "ai"], ["真由美", "mayumi"], ["恵", "megumi"], ["由美", "yumi"], ["花子", "hanako"],
  ["直子", "naoko"], ["明美", "akemi"], ["舞", "mai"], ["千尋", "chihiro"], ["杏", "an"],
];
// Repeats weight the draw towards where most customers are.
const EN_TIME_ZONES = "America/New_York,America/New_York,America/New_York,America/New_York,America/Chicago,America/Chicago,America/Denver,America/Los_Angeles,America/Los_Angeles,America/Los_Angeles,America/Toronto,America/Sao_Paulo,Europe/London,Europe/London,Europe/London,Europe/Berlin,Europe/Berlin,Europe/Paris,Europe/Paris,Europe/Amsterdam,Europe/Madrid,Europe/Stockholm,Asia/Singapore,Asia/Kolkata,Asia/Kolkata,Australia/Sydney,Asia/Seoul,Africa/Lagos".split(",");
const EN_BIOS = ["Admin of our workspace.", "Data engineer.", "Here to learn and share.", "Customer support lead.", "Working on integrations.", "Ops manager; ask me about workflows.", "Product analyst.", "Building internal tools."];
const JA_BIOS = ["情報システム部です。", "よろしくお願いします。", "データ分析を担当しています。", "社内ヘルプデスク担当。", "API連携を勉強中です。", "運用チームのリーダーです。"];
const SEARCH_QUERIES = ["sso", "saml setup", "api rate limit", "webhooks", "export csv", "billing", "dashboard filters", "permissions", "scim", "audit log", "ログイン", "請求書", "権限", "エクスポート", "ダッシュボード", "API 制限", "スマホ", "通知設定"];

const EN_COMPANY_A = "Northwind,Blue Harbor,Summit,Granite,Pioneer,Silverline,Cedar,Atlas,Beacon,Crescent,Evergreen,Falcon,Horizon,Ironwood,Juniper,Keystone,Lakeside,Meridian,Nimbus,Orion,Pinnacle,Quantum,Redwood,Sterling,Tidewater,Union,Vertex,Willow,Zenith,Apex,Brightline,Copper,Driftwood,Foxglove,Golden Gate,Highland".split(",");
const EN_COMPANY_B = "Analytics,Logistics,Systems,Labs,Health,Retail,Capital,Software,Networks,Foods,Energy,Media,Robotics,Insurance,Manufacturing,Bank,Telecom,Pharma,Airlines,Learning".split(",");
const EN_COMPANY_C = ["Inc.", "Ltd", "Group", "GmbH", "LLC", "Holdings", "Co.", "", "", ""];
const JA_COMPANY_A = "さくら,富士,みなと,青葉,日の出,大和,東和,北斗,瑞穂,朝日,星野,若葉,光,三つ葉,白鷺".split(",");
const JA_COMPANY_B = "システムズ,テクノロジー,製作所,物産,ソリューションズ,情報サービス,電機,商事,運輸,精工,化学,食品".split(",");

interface PlannedAccount {
  no: number;
  size: number;
  japanese: boolean;
  values: typeof accounts.$inferInsert;
}

function planAccounts(count: number, memberCount: number, staffIds: number[], now: Date): PlannedAccount[] {
  const sizes = planAccountSizes(count, memberCount);
  const rand = prng(20_240_611);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const owners = staffIds.length > 0 ? staffIds : [null];
  return sizes.map((size, i) => {
    const no = i + 1;
    const japanese = rand() < 0.25;
    let name: string;
    if (japanese) {
      const core = pick(JA_COMPANY_A) + pick(JA_COMPANY_B);
      name = rand() < 0.5 ? `株式会社${core}` : `${core}株式会社`;
    } else {
      name = [pick(EN_COMPANY_A), pick(EN_COMPANY_B), pick(EN_COMPANY_C)].filter(Boolean).join(" ");
    }
    // The biggest accounts are mostly high touch; overall ~10% high / 30% low / 60% tech.
    const big = no <= Math.max(1, Math.ceil(count * 0.05));
    const t = rand();
    const tier: Tier = t < (big ? 0.6 : 0.08) ? "high_touch" : t < (big ? 0.95 : 0.39) ? "low_touch" : "tech_touch";
    const [arrLow, arrHigh] = tier === "high_touch" ? [150_000, 1_500_000] : tier === "low_touch" ? [25_000, 200_000] : [2_000, 30_000];
    const arrUsd = Math.round((arrLow * Math.pow(arrHigh / arrLow, rand())) / 100) * 100;
    const createdAt = new Date(now.getTime() - (90 + Math.floor(rand() * 1_400)) * 86_400_000);
    // Mostly in the next year; a few overdue renewals still being negotiated.
    const renewal = new Date(now.getTime() + (Math.floor(rand() * 385) - 20) * 86_400_000);
    return {
      no,
      size,
      japanese,
      values: buildAccount({
        name,
        tier,
        crmExternalId: `0015S${no.toString(36).toUpperCase().padStart(10, "0")}`,
        // Tech-touch accounts are served by the pooled team, not a named owner.
        ownerId: tier === "tech_touch" ? null : owners[i % owners.length]!,
        renewalDate: renewal.toISOString().slice(0, 10),
        arrCents: rand() < 0.05 ? null : arrUsd * 100,
        licensedSeats: Math.max(5, Math.ceil((size * (1.1 + rand() * 1.5)) / 5) * 5),
        createdAt,
        updatedAt: createdAt,
      }),
    };
  });
}

// ---------------------------------------------------------------------------------------------------
// Existence and reset.

/** Whether any scale rows exist (accounts on scale domains, scale users, or scale ledger rows). */
export async function hasScaleData(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from account_domains where domain like ${SCALE_DOMAIN_LIKE})
        or exists (select 1 from users where email like ${SCALE_EMAIL_LIKE})
        or exists (select 1 from activities where idempotency_key like ${SCALE_KEY_LIKE}) as found`,
  );
  return row?.found === true;
}

/**
 * Deletes every scale row and nothing else. Order matters for speed: ledger rows first (otherwise each
 * deleted user would set user_id null on its rows), then accounts (cascading membership and history
 * through their account_id indexes), then users. Runs VACUUM, so it must not be called in a transaction.
 */
export async function deleteScaleData(db: Db): Promise<{ activities: number; accounts: number; users: number }> {
  const count = async (statement: SQL): Promise<number> => {
    const [row] = await queryRows<{ n: number | string | bigint }>(db, statement);
    return Number(row?.n ?? 0);
  };
  // Forum posts restrict deleting their authors: the scale forum goes first. Events go before their
  // members too, or each deleted user would cascade through hundreds of thousands of registrations.
  await deleteScaleForumData(db);
  await deleteScaleEventsData(db);
  const activities = await count(
    sql`with d as (delete from activities where idempotency_key like ${SCALE_KEY_LIKE} returning 1) select count(*)::int as n from d`,
  );
  const deletedAccounts = await count(
    sql`with d as (delete from accounts where id in (select account_id from account_domains where domain like ${SCALE_DOMAIN_LIKE}) returning 1)
        select count(*)::int as n from d`,
  );
  // Each deleted user sets account_membership_history.actor_id to null, and actor_id has no index: every
  // user costs a scan of the history table, which still holds the dead rows of the accounts just deleted
  // until vacuumed (measured on the server: 70 s of an 84 s delete of 100k users without this vacuum).
  await db.execute(sql`vacuum account_membership_history`);
  const deletedUsers = await count(
    sql`with d as (delete from users where email like ${SCALE_EMAIL_LIKE} returning 1) select count(*)::int as n from d`,
  );
  // Let the next load reuse the space (benchmarks on a bloated table would measure the bloat) and
  // refresh the row estimates that the ledger phase reads.
  await db.execute(sql`vacuum analyze activities, users, accounts, account_domains, account_members, account_membership_history`);
  return { activities, accounts: deletedAccounts, users: deletedUsers };
}

// ---------------------------------------------------------------------------------------------------
// Generation.

/**
 * Generates staff, accounts, members (with account_members and history) and ledger rows. Refuses with
 * ScaleDataExistsError when scale rows exist, unless options.reset. Each batch commits on its own, so
 * an interrupted run leaves rows that --reset removes.
 */
export async function generateScaleData(db: Db, options: ScaleOptions, onProgress: ScaleProgressListener = () => {}): Promise<ScaleSummary> {
  const startedAt = performance.now();
  const timings: ScaleSummary["timingsMs"] = { total: 0 };
  const now = options.now ?? new Date();
  const staffCount = options.staff ?? 5;
  for (const [name, value] of Object.entries({ accounts: options.accounts, members: options.members, activities: options.activities, staff: staffCount })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`generateScaleData: ${name} must be a non-negative integer`);
  }
  if (options.accounts < 1 && options.members > 0) throw new Error("generateScaleData: members need at least one account");
  if (options.activities > 0 && options.members < 1) throw new Error("generateScaleData: activities need at least one member");

  const phase = async <T>(name: ScalePhase, run: (started: number) => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run(started);
    timings[name] = Math.round(performance.now() - started);
    return result;
  };

  if (await hasScaleData(db)) {
    if (!options.reset) throw new ScaleDataExistsError();
    await phase("reset", async (started) => {
      onProgress({ phase: "reset", done: 0, total: 1, elapsedMs: 0 });
      await deleteScaleData(db);
      onProgress({ phase: "reset", done: 1, total: 1, elapsedMs: performance.now() - started });
    });
  }

  const staffIds = await phase("staff", async (started) => {
    const ids = await insertScaleStaff(db, staffCount, options.passwordHash, now);
    onProgress({ phase: "staff", done: ids.length, total: ids.length, elapsedMs: performance.now() - started });
    return ids;
  });

  const planned = planAccounts(options.accounts, options.members, staffIds.slice(1), now);
  const accountIds = await phase("accounts", (started) => insertScaleAccounts(db, planned, onProgress, started));

  await phase("members", (started) =>
    insertScaleMembers(db, {
      planned,
      accountIds,
      passwordHash: options.passwordHash,
      now,
      actorId: staffIds[1] ?? staffIds[0] ?? null,
      batchSize: options.memberBatchSize ?? 10_000,
      onProgress,
      started,
    }),
  );

  // The ledger phase joins the fresh members on every batch; without statistics the planner guesses
  // nested loops there (measured on the server: 18 s per 200k-row batch instead of 8 s).
  await db.execute(sql`analyze accounts, account_domains, users, account_members, account_membership_history`);

  if (options.activities > 0) {
    await phase("activities", (started) =>
      generateScaleActivities(
        db,
        { count: options.activities, memberCount: options.members, now, days: options.days ?? 365, batchSize: options.activityBatchSize ?? 200_000 },
        // Batches report time since the phase began; the index rebuild reports its own duration.
        (p) => onProgress(p.phase === "activities" ? { ...p, elapsedMs: performance.now() - started } : p),
      ),
    );
  }

  await phase("analyze", async (started) => {
    // Fresh statistics, so benchmarks measure the plans production would get rather than guesses.
    await db.execute(sql`analyze activities`);
    onProgress({ phase: "analyze", done: 1, total: 1, elapsedMs: performance.now() - started });
  });

  const summary = await summarizeScaleData(db);
  timings.total = Math.round(performance.now() - startedAt);
  return { ...summary, timingsMs: timings };
}

async function insertScaleStaff(db: Db, count: number, passwordHash: string, now: Date): Promise<number[]> {
  const rand = prng(7);
  const createdAt = new Date(now.getTime() - 1_200 * 86_400_000);
  const rows = [
    buildUser({
      email: SCALE_ADMIN_EMAIL,
      displayName: "Scale Admin",
      handle: "scale_admin",
      role: "admin",
      passwordHash,
      emailVerifiedAt: createdAt,
      createdAt,
      updatedAt: createdAt,
    }),
  ];
  for (let i = 1; i <= count; i++) {
    const japanese = i % 3 === 0;
    const [family, given] = [JA_FAMILY[Math.floor(rand() * JA_FAMILY.length)]!, JA_GIVEN[Math.floor(rand() * JA_GIVEN.length)]!];
    const [first, last] = [EN_FIRST[Math.floor(rand() * EN_FIRST.length)]!, EN_LAST[Math.floor(rand() * EN_LAST.length)]!];
    rows.push(
      buildUser({
        email: `staff${i}@${SCALE_STAFF_DOMAIN}`,
        displayName: japanese ? `${family[0]} ${given[0]}` : `${first} ${last}`,
        handle: `scale_staff${i}`,
        role: "staff",
        locale: japanese ? "ja" : "en",
        timeZone: japanese ? "Asia/Tokyo" : "America/New_York",
        passwordHash,
        emailVerifiedAt: createdAt,
        createdAt,
        updatedAt: createdAt,
      }),
    );
  }
  const inserted = await db.insert(users).values(rows).returning({ id: users.id });
  return inserted.map((r) => r.id);
}

async function insertScaleAccounts(db: Db, planned: PlannedAccount[], onProgress: ScaleProgressListener, started: number): Promise<number[]> {
  const ids: number[] = [];
  const batch = 1_000;
  for (let from = 0; from < planned.length; from += batch) {
    const slice = planned.slice(from, from + batch);
    const rows = await db
      .insert(accounts)
      .values(slice.map((p) => p.values))
      .returning({ id: accounts.id, crmExternalId: accounts.crmExternalId });
    const idByCrm = new Map(rows.map((r) => [r.crmExternalId, r.id]));
    const sliceIds = slice.map((p) => idByCrm.get(p.values.crmExternalId!)!);
    await db.insert(accountDomains).values(
      slice.map((p, i) => ({ domain: scaleAccountDomain(p.no), accountId: sliceIds[i]!, createdAt: p.values.createdAt })),
    );
    ids.push(...sliceIds);
    onProgress({ phase: "accounts", done: ids.length, total: planned.length, elapsedMs: performance.now() - started });
  }
  return ids;
}

interface MemberPhaseInput {
  planned: PlannedAccount[];
  accountIds: number[];
  passwordHash: string;
  now: Date;
  actorId: number | null;
  batchSize: number;
  onProgress: ScaleProgressListener;
  started: number;
}

/**
 * Members in batches of whole accounts (~batchSize members each). One statement per batch inserts the
 * users, their account_members rows and their history: 1% of members were first put in another
 * account by staff and moved later, so history has 'left' rows and the ledger has pre-move rows.
 */
async function insertScaleMembers(db: Db, input: MemberPhaseInput): Promise<void> {
  const { planned, accountIds, now } = input;
  const total = planned.reduce((a, p) => a + p.size, 0);
  if (total === 0) return;
  const memberCount = total;
  const { inverse } = activityPermutation(memberCount);
  const allIds = csv(accountIds);

  let first = 1;
  let done = 0;
  let from = 0;
  while (from < planned.length) {
    const slice: PlannedAccount[] = [];
    let size = 0;
    while (from < planned.length && (slice.length === 0 || size + planned[from]!.size <= input.batchSize)) {
      slice.push(planned[from]!);
      size += planned[from]!.size;
      from += 1;
    }
    const firsts: number[] = [];
    for (const p of slice) {
      firsts.push(first);
      first += p.size;
    }
    if (size > 0) {
      const statement = memberBatchSql({
          accountNos: csv(slice.map((p) => p.no)),
          accountIds: csv(slice.map((p) => accountIds[p.no - 1]!)),
          firsts: csv(firsts),
          sizes: csv(slice.map((p) => p.size)),
          japanese: csv(slice.map((p) => (p.japanese ? 1 : 0))),
          createdEpochs: csv(slice.map((p) => (p.values.createdAt as Date).getTime() / 1000)),
          allIds,
          accountCount: planned.length,
          memberCount,
          inverse,
          passwordHash: input.passwordHash,
          now,
          actorId: input.actorId,
        });
      await inBulkTransaction(db, (tx) => tx.execute(statement));
    }
    done += size;
    input.onProgress({ phase: "members", done, total, elapsedMs: performance.now() - input.started });
  }
}

function memberBatchSql(b: {
  accountNos: string;
  accountIds: string;
  firsts: string;
  sizes: string;
  japanese: string;
  createdEpochs: string;
  allIds: string;
  accountCount: number;
  memberCount: number;
  inverse: bigint;
  passwordHash: string;
  now: Date;
  actorId: number | null;
}): SQL {
  const m = sql`g.m`;
  const idx = (u: SQL, arr: SQL) => sql`(1 + floor(${u} * array_length(${arr}, 1))::int)`;
  return sql`
    with c as (
      select string_to_array(${csv(EN_FIRST)}, ',') as en_first,
             string_to_array(${csv(EN_LAST)}, ',') as en_last,
             string_to_array(${csv(JA_FAMILY.map((n) => n[0]))}, ',') as ja_family,
             string_to_array(${csv(JA_FAMILY.map((n) => n[1]))}, ',') as ja_family_romaji,
             string_to_array(${csv(JA_GIVEN.map((n) => n[0]))}, ',') as ja_given,
             string_to_array(${csv(JA_GIVEN.map((n) => n[1]))}, ',') as ja_given_romaji,
             string_to_array(${csv(EN_TIME_ZONES)}, ',') as en_tz,
             string_to_array(${EN_BIOS.join("|")}, '|') as en_bio,
             string_to_array(${JA_BIOS.join("|")}, '|') as ja_bio,
             string_to_array(${b.allIds}, ',')::int[] as all_ids,
             ${b.now.toISOString()}::timestamptz as gen_now
    ),
    slots as (
      select * from unnest(
        string_to_array(${b.accountNos}, ',')::int[],
        string_to_array(${b.accountIds}, ',')::int[],
        string_to_array(${b.firsts}, ',')::int[],
        string_to_array(${b.sizes}, ',')::int[],
        string_to_array(${b.japanese}, ',')::int[],
        string_to_array(${b.createdEpochs}, ',')::float8[]
      ) as s(account_no, account_id, first_member, member_count, ja, created_epoch)
    ),
    b as (
      select s.account_no, s.account_id, s.created_epoch, g.m,
             case when s.ja = 1 then ${hash01(m, 1)} < 0.85 else ${hash01(m, 1)} < 0.06 end as is_ja,
             ${hash01(m, 2)} as u_first, ${hash01(m, 3)} as u_last, ${hash01(m, 4)} as u_created,
             ${hash01(m, 5)} as u_tz, ${hash01(m, 6)} as u_bio, ${hash01(m, 7)} as u_champion,
             ${hash01(m, 8)} as u_move, ${hash01(m, 9)} as u_prev, ${hash01(m, 10)} as u_move_at, ${hash01(m, 11)} as u_verify
      from slots s cross join lateral generate_series(s.first_member, s.first_member + s.member_count - 1) as g(m)
    ),
    n as (
      select b.*,
             ${idx(sql`b.u_first`, sql`c.en_first`)} as i_en_first, ${idx(sql`b.u_last`, sql`c.en_last`)} as i_en_last,
             ${idx(sql`b.u_first`, sql`c.ja_given`)} as i_ja_given, ${idx(sql`b.u_last`, sql`c.ja_family`)} as i_ja_family,
             -- Sign-ups spread evenly over the account's life so far.
             to_timestamp(b.created_epoch) + b.u_created * (c.gen_now - to_timestamp(b.created_epoch)) as created_at,
             -- Champions are drawn from the members with the most activity (the lowest activity ranks).
             (((b.m - 1)::bigint * ${b.inverse.toString()}::bigint) % ${b.memberCount}::bigint) < ${Math.ceil(b.memberCount * 0.04)}::bigint
               and b.u_champion < 0.5 as is_champion,
             ${b.accountCount}::int > 1 and b.u_move < 0.01 as moved,
             1 + floor(b.u_prev * ${b.accountCount}::int)::int as prev_no
      from b, c
    ),
    p as (
      select n.m, n.account_no, n.account_id, n.is_ja, n.moved, n.is_champion, n.created_at,
             'member' || n.m || '@scale-' || n.account_no || '.example' as email,
             case when n.is_ja then c.ja_family[n.i_ja_family] || ' ' || c.ja_given[n.i_ja_given]
                  else c.en_first[n.i_en_first] || ' ' || c.en_last[n.i_en_last] end as display_name,
             case when n.is_ja then c.ja_given_romaji[n.i_ja_given] || '_' || c.ja_family_romaji[n.i_ja_family]
                  else lower(c.en_first[n.i_en_first] || '_' || c.en_last[n.i_en_last]) end || n.m as handle,
             case when n.is_ja then 'Asia/Tokyo' else c.en_tz[1 + floor(n.u_tz * array_length(c.en_tz, 1))::int] end as time_zone,
             case when n.u_bio >= 0.15 then ''
                  when n.is_ja then c.ja_bio[1 + floor(n.u_bio / 0.15 * array_length(c.ja_bio, 1))::int]
                  else c.en_bio[1 + floor(n.u_bio / 0.15 * array_length(c.en_bio, 1))::int] end as bio,
             -- Verified within two hours of signing up, but never after "now" (activity starts there).
             n.created_at + n.u_verify * least(interval '2 hours', c.gen_now - n.created_at) as verified_at,
             n.created_at + (0.1 + 0.5 * n.u_move_at) * (c.gen_now - n.created_at) as moved_at,
             c.all_ids[case when n.prev_no = n.account_no then n.account_no % ${b.accountCount}::int + 1 else n.prev_no end] as prev_account_id,
             c.gen_now
      from n, c
    ),
    inserted as (
      insert into users (email, email_verified_at, password_hash, display_name, handle, role, locale, time_zone, bio, champion_at, created_at, updated_at)
      select email, verified_at, ${b.passwordHash}, display_name, handle, 'member', case when is_ja then 'ja' else 'en' end, time_zone, bio,
             case when is_champion then created_at + 0.5 * (gen_now - created_at) end, created_at, created_at
      from p
      returning id, email
    ),
    j as (select i.id as user_id, p.* from inserted i join p on p.email = i.email),
    memberships as (
      insert into account_members (user_id, account_id, source, is_staff_override, joined_at)
      select user_id, account_id, case when moved then 'staff' else 'domain' end, moved, case when moved then moved_at else verified_at end
      from j
    )
    insert into account_membership_history (user_id, account_id, change, source, actor_id, at)
    select user_id, prev_account_id, 'joined', 'staff', ${b.actorId}::int, verified_at from j where moved
    union all
    select user_id, prev_account_id, 'left', 'staff', ${b.actorId}::int, moved_at from j where moved
    union all
    select user_id, account_id, 'joined', case when moved then 'staff' else 'domain' end,
           case when moved then ${b.actorId}::int end, case when moved then moved_at else verified_at end
    from j
  `;
}

export interface ScaleActivityOptions {
  count: number;
  /** Scale members to draw from (members 1..memberCount must exist). */
  memberCount: number;
  /** Keys are `scale:<firstKey + i>`; later tools adding rows continue after the last key. Default 1. */
  firstKey?: number;
  now: Date;
  days: number;
  batchSize: number;
  /** Drop the ledger's secondary indexes during the load and rebuild them after; default: when it pays off. */
  rebuildIndexes?: boolean;
}

/**
 * Ledger rows in batches of one INSERT ... SELECT each. Who: a few members do most (rank ~ u^3, spread
 * over accounts by the permutation). When: within the member's lifetime in the window, following a
 * per-account trend (a fifth of accounts fading, a fifth growing, the rest roughly steady), with a
 * weekend dip. Which account: the member's account at that moment (before a move, the old one).
 */
export async function generateScaleActivities(
  db: Db,
  options: ScaleActivityOptions,
  onProgress: ScaleProgressListener = () => {},
): Promise<number> {
  const started = performance.now();
  const firstKey = options.firstKey ?? 1;
  const { p } = activityPermutation(options.memberCount);
  let cumulative = 0;
  const typeIndex = sql.join(
    SCALE_ACTIVITY_MIX.slice(0, -1).map((t, i) => {
      cumulative += t.share;
      return sql`when g.u_type < ${cumulative}::float8 then ${i + 1}::int`;
    }),
    sql` `,
  );
  const types = csv(SCALE_ACTIVITY_MIX.map((t) => t.type));
  const subjectTypes = csv(SCALE_ACTIVITY_MIX.map((t) => t.subjectType ?? ""));
  const subjectCounts = csv(SCALE_ACTIVITY_MIX.map((t) => t.subjects));
  const k = sql`s.k`;
  const rankToMember = (u: SQL) =>
    sql`((floor(${options.memberCount}::int * power(${u}, 3))::bigint * ${p.toString()}::bigint) % ${options.memberCount}::bigint + 1)::int`;
  // A fifth of accounts fade over the window, a fifth grow, the rest are roughly steady.
  const accountTrend = (accountId: SQL) =>
    sql`(case when ${hash01(accountId, 201)} < 0.2 then -0.95 when ${hash01(accountId, 201)} < 0.4 then 0.9
              else (${hash01(accountId, 202)} - 0.5) * 0.6 end)::float8`;
  // Inverse CDF of the linear density 1 + trend * (2t - 1) on [0, 1], in a form that is stable at trend 0.
  const trendFraction = (trend: SQL, u: SQL) => sql`(2 * ${u} / ((1 - ${trend}) + sqrt((1 - ${trend}) ^ 2 + 4 * ${trend} * ${u})))`;

  const weekdayShift = sql`((extract(isodow from raw_at) - 5) + floor(u_weekend / 0.6 * 5)) * interval '1 day'`;

  const writeBatch = (target: Db, from: number, to: number) =>
    target.execute(sql`
      with c as (
        select string_to_array(${types}, ',') as types,
               string_to_array(${subjectTypes}, ',') as subject_types,
               string_to_array(${subjectCounts}, ',')::int[] as subject_counts,
               string_to_array(${SEARCH_QUERIES.join("|")}, '|') as queries,
               ${options.now.toISOString()}::timestamptz as gen_now,
               ${options.now.toISOString()}::timestamptz - ${options.days}::int * interval '1 day' as window_start
      ),
      mem as (
        -- A member's activity starts when they joined their first account (at email verification).
        select substring(u.email from '^member([0-9]+)@')::int as m, u.id as user_id, u.email_verified_at as active_from, am.account_id,
               hl.account_id as prev_account_id, hl.at as moved_at
        from users u
        join account_members am on am.user_id = u.id
        left join account_membership_history hl on hl.user_id = u.id and hl.change = 'left'
        where u.email like ${SCALE_MEMBER_EMAIL_LIKE}
      ),
      g as (
        select s.k, ${hash01(k, 101)} as u_member, ${hash01(k, 106)} as u_member2, ${hash01(k, 102)} as u_type,
               ${hash01(k, 103)} as u_time, ${hash01(k, 104)} as u_subject, ${hash01(k, 105)} as u_weekend
        from generate_series(${firstKey + from}::bigint, ${firstKey + to - 1}::bigint) as s(k)
      ),
      picked as (
        select g.*, ${rankToMember(sql`g.u_member`)} as m1, ${rankToMember(sql`g.u_member2`)} as m2,
               case ${typeIndex} else ${SCALE_ACTIVITY_MIX.length}::int end as ti
        from g
      ),
      candidates as (
        select picked.*, c.window_start, c.gen_now,
               a.user_id as a_user_id, a.account_id as a_account_id, a.prev_account_id as a_prev_account_id, a.moved_at as a_moved_at,
               a.active_from as a_active_from, ${accountTrend(sql`a.account_id`)} as a_trend,
               b.user_id as b_user_id, b.account_id as b_account_id, b.prev_account_id as b_prev_account_id, b.moved_at as b_moved_at,
               greatest(c.window_start, b.active_from) as b_span_start, ${accountTrend(sql`b.account_id`)} as b_trend
        from picked join mem a on a.m = picked.m1 join mem b on b.m = picked.m2, c
      ),
      timed as (
        -- The first candidate acts at a time drawn over the whole window; if they had not joined yet by
        -- then, the second candidate acts instead, within their own membership. Members who joined
        -- recently thus get fewer rows, as they would, without breaking the exact row count.
        select k, ti, u_subject, u_weekend, window_start, gen_now, a_active_from,
               window_start + ${trendFraction(sql`a_trend`, sql`u_time`)} * (gen_now - window_start) as a_at,
               b_span_start + ${trendFraction(sql`b_trend`, sql`u_time`)} * (gen_now - b_span_start) as b_at,
               a_user_id, a_account_id, a_prev_account_id, a_moved_at, b_user_id, b_account_id, b_prev_account_id, b_moved_at, b_span_start
        from candidates
      ),
      chosen as (
        select k, ti, u_subject, u_weekend,
               case when a_at >= a_active_from then a_at else b_at end as raw_at,
               case when a_at >= a_active_from then greatest(window_start, a_active_from) else b_span_start end as span_start,
               case when a_at >= a_active_from then a_user_id else b_user_id end as user_id,
               case when a_at >= a_active_from then a_account_id else b_account_id end as account_id,
               case when a_at >= a_active_from then a_prev_account_id else b_prev_account_id end as prev_account_id,
               case when a_at >= a_active_from then a_moved_at else b_moved_at end as moved_at
        from timed
      ),
      dated as (
        select chosen.*,
               -- Weekends are quiet: 60% of weekend activity moves to one of the five weekdays before.
               case when extract(isodow from raw_at) >= 6 and u_weekend < 0.6 and raw_at - ${weekdayShift} >= span_start
                    then raw_at - ${weekdayShift} else raw_at end as at
        from chosen
      )
      insert into activities (type, occurred_at, user_id, account_id, subject_type, subject_id, metadata, idempotency_key)
      select c.types[d.ti], d.at, d.user_id,
             case when d.moved_at is not null and d.at < d.moved_at then d.prev_account_id else d.account_id end,
             nullif(c.subject_types[d.ti], ''),
             case when c.subject_counts[d.ti] > 0 then (1 + floor(c.subject_counts[d.ti] * d.u_subject ^ 2))::int::text end,
             case when c.types[d.ti] = 'search.performed'
                  then jsonb_build_object('query', c.queries[1 + floor(d.u_subject * array_length(c.queries, 1))::int])
                  else '{}'::jsonb end,
             ${SCALE_ACTIVITY_KEY_PREFIX} || d.k
      from dated d, c
    `);

  if (!(await shouldRebuildIndexes(db, options))) {
    // One transaction per batch, so what progress reports is committed.
    for (let from = 0; from < options.count; from += options.batchSize) {
      const to = Math.min(options.count, from + options.batchSize);
      await inBulkTransaction(db, (tx) => writeBatch(tx, from, to));
      onProgress({ phase: "activities", done: to, total: options.count, elapsedMs: performance.now() - started });
    }
    return options.count;
  }
  // Maintaining five secondary indexes row by row costs about half of a bulk load (measured on PGlite:
  // 22 s vs 11 s per 200k rows; rebuilding them over 1.4M rows took 17 s). Dropping and recreating
  // them in the same transaction keeps the schema intact if the run dies: the drop rolls back too.
  return inBulkTransaction(db, async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    const indexes = await queryRows<{ name: string; definition: string }>(
      tx,
      sql`select i.relname as name, pg_get_indexdef(i.oid) as definition
          from pg_index x join pg_class i on i.oid = x.indexrelid
          where x.indrelid = 'activities'::regclass
            and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
    );
    for (const index of indexes) await tx.execute(sql`drop index ${sql.identifier(index.name)}`);
    for (let from = 0; from < options.count; from += options.batchSize) {
      const to = Math.min(options.count, from + options.batchSize);
      await writeBatch(tx, from, to);
      onProgress({ phase: "activities", done: to, total: options.count, elapsedMs: performance.now() - started });
    }
    const rebuildStarted = performance.now();
    // The definitions come from the catalog itself, so recreating them verbatim restores the schema.
    for (const index of indexes) await tx.execute(sql.raw(index.definition));
    onProgress({ phase: "indexes", done: indexes.length, total: indexes.length, elapsedMs: performance.now() - rebuildStarted });
    return options.count;
  });
}

/**
 * Rebuilding pays off when the new rows are at least as many as the existing ones (the rebuild reads
 * the whole table). It locks the ledger for the run, which is fine for a benchmark database.
 */
async function shouldRebuildIndexes(db: Db, options: ScaleActivityOptions): Promise<boolean> {
  if (options.rebuildIndexes !== undefined) return options.rebuildIndexes;
  if (options.count < 100_000) return false;
  // An exact count, but never reading more than count + 1 rows.
  const [row] = await queryRows<{ existing: number | string }>(
    db,
    sql`select count(*)::int as existing from (select 1 from activities limit ${options.count + 1}::int) t`,
  );
  return options.count >= Number(row?.existing ?? 0);
}

async function summarizeScaleData(db: Db): Promise<Omit<ScaleSummary, "timingsMs">> {
  const [counts] = await queryRows<Record<string, number | string | null>>(
    db,
    sql`select
      (select count(*)::int from users where email like ${`%@${SCALE_STAFF_DOMAIN}`}) as staff,
      (select count(*)::int from account_domains where domain like ${SCALE_DOMAIN_LIKE}) as accounts,
      (select count(*)::int from users where email like ${SCALE_MEMBER_EMAIL_LIKE}) as members,
      (select count(*)::int from users where email like ${SCALE_MEMBER_EMAIL_LIKE} and champion_at is not null) as champions,
      (select count(*)::int from account_membership_history h join users u on u.id = h.user_id
         where h.change = 'left' and u.email like ${SCALE_MEMBER_EMAIL_LIKE}) as moved,
      (select count(*)::int from activities where idempotency_key like ${SCALE_KEY_LIKE}) as activities`,
  );
  const tierRows = await queryRows<{ tier: Tier; n: number }>(
    db,
    sql`select a.tier, count(*)::int as n from accounts a join account_domains d on d.account_id = a.id
        where d.domain like ${SCALE_DOMAIN_LIKE} group by a.tier`,
  );
  const tiers: Record<Tier, number> = { high_touch: 0, low_touch: 0, tech_touch: 0 };
  for (const row of tierRows) tiers[row.tier] = Number(row.n);
  // Member 1 is in the biggest account; the highest-numbered member is in one of the smallest.
  const samples = await queryRows<{ email: string }>(
    db,
    sql`(select email from users where email like ${`staff%@${SCALE_STAFF_DOMAIN}`} order by id limit 1)
        union all (select email from users where email like ${"member1@scale-%.example"} limit 1)
        union all (select email from users where email like ${SCALE_MEMBER_EMAIL_LIKE} order by id desc limit 1)`,
  );
  const value = (key: string) => Number(counts?.[key] ?? 0);
  const staffTotal = value("staff");
  return {
    staff: staffTotal,
    accounts: value("accounts"),
    members: value("members"),
    champions: value("champions"),
    movedMembers: value("moved"),
    activities: value("activities"),
    tiers,
    sampleLogins: staffTotal > 0 ? [SCALE_ADMIN_EMAIL, ...samples.map((s) => s.email)] : samples.map((s) => s.email),
  };
}
