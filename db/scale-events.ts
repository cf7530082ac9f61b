import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { queryRows } from "./client";
import { activityPermutation, hash01, inBulkTransaction, SCALE_ADMIN_EMAIL, SCALE_STAFF_DOMAIN } from "./scale";
import type { RenderedText, ScaleMarkdownRenderer } from "./scale-forum";

/**
 * Webinars, user groups and group events at customer scale, on top of the seed:scale members: groups with
 * memberships, thousands of events over two years back and six months ahead, and hundreds of thousands of
 * registrations with waitlists, cancellations and attendance, every counter equal to what it counts
 * (registered/waitlist/maybe/attended counts, member_count) and queue order following arrival. Events are
 * planned in TypeScript (a few thousand rows, seeded PRNG) and written with one INSERT … SELECT per batch;
 * registrations and memberships are INSERT … SELECT over generate_series with hashed choices, so runs with
 * the same options give the same data. Works on PGlite and on a Postgres server.
 *
 * No ledger rows are written for these registrations: the scale ledger (db/scale.ts) already holds webinar
 * activity, and the benchmarks read events, not the ledger.
 *
 * Scale rows are recognisable: scale groups are led by scale members, scale events were created by scale
 * users (staff for webinars, group leaders for group events) or belong to a scale group.
 */

export interface ScaleEventsOptions {
  /** Webinars and group events together (about one in ten is a group event). */
  events: number;
  /** Wanted registrations; fewer when the events cannot hold that many distinct members. */
  registrations: number;
  /** User groups; default 50. */
  groups?: number;
  /** Scale members 1..memberCount (from generateScaleData) join, register and attend. */
  memberCount: number;
  render: ScaleMarkdownRenderer;
  /** Events start between `pastDays` before and `futureDays` after `now`. Defaults: now, 730, 182. */
  now?: Date;
  pastDays?: number;
  futureDays?: number;
  /** Share of events in the past. Default 0.6. */
  pastShare?: number;
  /** Registrations per INSERT statement (whole events per batch). Default 100,000. */
  batchSize?: number;
  onProgress?: (step: string, elapsedMs: number) => void;
}

export interface ScaleEventsSummary {
  groups: number;
  memberships: number;
  events: number;
  webinars: number;
  groupEvents: number;
  pastEvents: number;
  withRecording: number;
  registrations: number;
  waitlisted: number;
  attended: number;
  timingsMs: Record<string, number>;
}

const SCALE_USER_LIKE = "%@scale-%.example";
const SCALE_MEMBER_EMAIL_LIKE = "member%@scale-%.example";

// ---------------------------------------------------------------------------------------------------
// Words.

const TOPICS: { en: string; ja: string; tags: string[] }[] = [
  { en: "dashboards", ja: "ダッシュボード", tags: ["dashboards", "reporting"] },
  { en: "single sign-on", ja: "シングルサインオン", tags: ["sso", "saml", "security"] },
  { en: "the REST API", ja: "REST API", tags: ["api", "integrations"] },
  { en: "webhooks", ja: "Webhook", tags: ["webhooks", "api", "automation"] },
  { en: "SCIM provisioning", ja: "SCIM プロビジョニング", tags: ["scim", "sso", "admin"] },
  { en: "scheduled reports", ja: "定期レポート", tags: ["reporting", "export"] },
  { en: "permissions and roles", ja: "権限とロール", tags: ["permissions", "admin", "security"] },
  { en: "data exports", ja: "データエクスポート", tags: ["export", "reporting"] },
  { en: "workflow automation", ja: "ワークフロー自動化", tags: ["automation", "workflows"] },
  { en: "the audit log", ja: "監査ログ", tags: ["security", "admin", "compliance"] },
  { en: "billing and seats", ja: "請求とライセンス", tags: ["billing", "admin"] },
  { en: "the mobile app", ja: "モバイルアプリ", tags: ["mobile", "product"] },
  { en: "search", ja: "検索", tags: ["search", "product"] },
  { en: "notifications", ja: "通知", tags: ["notifications", "product"] },
  { en: "data quality", ja: "データ品質", tags: ["data", "reporting"] },
];
const EN_FORMATS = [
  "Getting started with {t}",
  "{T}: a deep dive",
  "Office hours: {t}",
  "Best practices for {t}",
  "What's new in {t}",
  "{T} for admins",
  "Hands-on workshop: {t}",
  "Ask the experts: {t}",
  "Troubleshooting {t}",
  "{T} in five steps",
];
const JA_FORMATS = ["{t}入門", "{t}徹底解説", "{t}のベストプラクティス", "{t} 相談会", "{t} ハンズオン", "はじめての{t}"];
const EN_SUMMARIES = [
  "A live session on {t}: practical examples, a demo and time for your questions.",
  "Learn how experienced admins use {t}, with a walkthrough you can repeat in your own workspace.",
  "Bring your questions about {t}; our specialists answer them live.",
];
const JA_SUMMARIES = ["{t}について、実例とデモを交えて解説します。質疑応答の時間もあります。", "{t}の活用方法を、画面を見ながらわかりやすく紹介します。"];
const EN_DESCRIPTIONS = [
  "In this session we look at **{t}** from the ground up.\n\n## You will learn\n\n- how {t} fits into your workspace\n- the settings most teams change first\n- common mistakes, and how to avoid them\n\nThe recording is sent to everyone who registers.",
  "A practical hour about {t}, with a live demo.\n\n1. Overview (10 min)\n2. Demo (30 min)\n3. Questions (20 min)\n\n> [!TIP]\n> Send your questions in advance when you register.",
  "Our specialists share what they learned helping hundreds of customers with {t}.\n\n```bash\ncurl -sS https://api.example.com/v1/ping\n```\n\nNo preparation needed.",
];
const JA_DESCRIPTIONS = [
  "**{t}**の基本から応用までを解説するウェビナーです。\n\n## 内容\n\n- {t}の概要\n- よく使われる設定\n- よくある質問\n\n登録者には後日録画をお送りします。",
  "{t}について、ライブデモを中心にご紹介します。\n\n1. 概要（10 分）\n2. デモ（30 分）\n3. 質疑応答（20 分）",
];
const SPEAKERS_EN = ["Priya Raman", "Marcus Bell", "Olivia Chen", "Rachel Adams", "Daniel Brooks", "Sofia Rossi", "Lars Jensen", "Aisha Mensah", "Carlos Silva", "Grace Park"];
const SPEAKERS_JA = ["渡辺 健二", "佐藤 陽翔", "田中 結衣", "高橋 美桜", "中村 悠斗", "小林 陽菜"];
const SPEAKER_TITLES_EN = ["Customer Success, Hearth", "Solutions Engineer, Hearth", "Product Manager, Hearth", "Community champion", "Support Engineer, Hearth"];
const SPEAKER_TITLES_JA = ["カスタマーサクセス、Hearth", "ソリューションエンジニア、Hearth", "コミュニティチャンピオン"];
const WEBINAR_ZONES = "America/New_York,America/New_York,America/Chicago,America/Los_Angeles,America/Los_Angeles,Europe/London,Europe/London,Europe/Berlin,Europe/Paris,Asia/Singapore,Australia/Sydney,UTC".split(",");
const LOCAL_TIMES = ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"];
const EVENING_TIMES = ["18:00", "18:30", "19:00"];

const CITIES: { en: string; ja: string | null; tz: string; lat: number; lon: number }[] = [
  { en: "Tokyo", ja: "東京", tz: "Asia/Tokyo", lat: 35.6812, lon: 139.7671 },
  { en: "London", ja: null, tz: "Europe/London", lat: 51.5074, lon: -0.1278 },
  { en: "New York", ja: null, tz: "America/New_York", lat: 40.7128, lon: -74.006 },
  { en: "Osaka", ja: "大阪", tz: "Asia/Tokyo", lat: 34.6937, lon: 135.5023 },
  { en: "Chicago", ja: null, tz: "America/Chicago", lat: 41.8781, lon: -87.6298 },
  { en: "San Francisco", ja: null, tz: "America/Los_Angeles", lat: 37.7749, lon: -122.4194 },
  { en: "Berlin", ja: null, tz: "Europe/Berlin", lat: 52.52, lon: 13.405 },
  { en: "Singapore", ja: null, tz: "Asia/Singapore", lat: 1.3521, lon: 103.8198 },
  { en: "Sydney", ja: null, tz: "Australia/Sydney", lat: -33.8688, lon: 151.2093 },
  { en: "Paris", ja: null, tz: "Europe/Paris", lat: 48.8566, lon: 2.3522 },
  { en: "Toronto", ja: null, tz: "America/Toronto", lat: 43.6532, lon: -79.3832 },
  { en: "Nagoya", ja: "名古屋", tz: "Asia/Tokyo", lat: 35.1815, lon: 136.9066 },
  { en: "Amsterdam", ja: null, tz: "Europe/Amsterdam", lat: 52.3676, lon: 4.9041 },
  { en: "Seattle", ja: null, tz: "America/Los_Angeles", lat: 47.6062, lon: -122.3321 },
  { en: "Bangalore", ja: null, tz: "Asia/Kolkata", lat: 12.9716, lon: 77.5946 },
  { en: "Fukuoka", ja: "福岡", tz: "Asia/Tokyo", lat: 33.5904, lon: 130.4017 },
  { en: "São Paulo", ja: null, tz: "America/Sao_Paulo", lat: -23.5505, lon: -46.6333 },
  { en: "Stockholm", ja: null, tz: "Europe/Stockholm", lat: 59.3293, lon: 18.0686 },
];
const INDUSTRIES = ["Healthcare Analytics", "Financial Services", "Retail", "Manufacturing", "Logistics", "Education", "Public Sector", "Insurance", "Media", "Telecommunications", "Energy", "Nonprofits"];
const PRODUCT_GROUPS = ["API Builders", "Dashboard Designers", "Automation Guild", "Security and Compliance", "Admins Club", "Data Exporters", "Mobile Early Adopters", "Search Tuners", "SSO and SCIM Practitioners", "Reporting Pros", "Workflow Makers", "Integrations Lab"];

// ---------------------------------------------------------------------------------------------------
// Planning (pure, deterministic).

/** mulberry32, as in db/scale.ts: planning a few thousand rows needs no SQL. */
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

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/'/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const fill = (template: string, topic: string) => template.replaceAll("{t}", topic).replaceAll("{T}", topic.charAt(0).toUpperCase() + topic.slice(1));

interface PlannedGroup {
  no: number;
  slug: string;
  name: string;
  kind: "region" | "industry" | "product";
  joinPolicy: "open" | "approval";
  summary: string;
  descriptionMd: string;
  language: "en" | "ja";
  city: (typeof CITIES)[number] | null;
  size: number;
  pending: number;
  /** Members are scale members ((offset + i) mod M) through the permutation; see memberSql. */
  offset: number;
  createdDaysAgo: number;
}

function planGroups(count: number, memberCount: number): PlannedGroup[] {
  const rand = prng(61_000);
  const kinds = ["region", "industry", "product"] as const;
  return Array.from({ length: count }, (_, i) => {
    const no = i + 1;
    const kind = kinds[i % 3]!;
    const round = Math.floor(i / 3);
    let name: string;
    let city: PlannedGroup["city"] = null;
    let language: "en" | "ja" = "en";
    if (kind === "region") {
      city = CITIES[round % CITIES.length]!;
      language = city.ja ? "ja" : "en";
      name = city.ja ? `${city.ja}ユーザー会` : `${city.en} User Group`;
    } else if (kind === "industry") {
      name = `${INDUSTRIES[round % INDUSTRIES.length]!} Circle`;
    } else {
      name = PRODUCT_GROUPS[round % PRODUCT_GROUPS.length]!;
    }
    const lap = Math.floor(round / (kind === "region" ? CITIES.length : 12));
    if (lap > 0) name = `${name} ${lap + 1}`;
    // A few big groups, many small ones (power law), never more than there are members.
    const size = Math.max(3, Math.min(memberCount, Math.round(2_500 * Math.pow(no, -0.9) * (0.6 + 0.8 * rand()))));
    const joinPolicy = kind === "industry" && rand() < 0.5 ? "approval" : rand() < 0.1 ? "approval" : "open";
    const topic = city?.ja ?? city?.en ?? name;
    return {
      no,
      slug: `${slugify(city ? `${city.en} user group` : name)}-${no}`,
      name,
      kind,
      joinPolicy,
      summary: language === "ja" ? `${topic}周辺の Hearth ユーザーが集まるユーザー会です。` : `People using Hearth${city ? ` in and around ${city.en}` : ` in ${name.replace(/ Circle$/, "").toLowerCase()}`}: meetups, talks and shared recipes.`,
      descriptionMd:
        language === "ja"
          ? `${topic}周辺で Hearth を使っている方のためのユーザー会です。定期的にミートアップを開いています。\n\n- 初めての方も歓迎です\n- 発表者を募集しています`
          : `A community group for **${name}**.\n\n- Meetups every month or two\n- Talks by members, for members\n- Everyone is welcome${joinPolicy === "approval" ? " (leaders approve new members)" : ""}`,
      language,
      city,
      size,
      pending: joinPolicy === "approval" ? Math.min(3, Math.floor(size / 10)) : 0,
      offset: Math.floor(rand() * memberCount),
      createdDaysAgo: 400 + Math.floor(rand() * 500),
    };
  });
}

interface PlannedEvent {
  no: number;
  kind: "webinar" | "group_event";
  slug: string;
  title: string;
  summary: string;
  description: number;
  language: "en" | "ja";
  level: "all" | "beginner" | "intermediate" | "advanced";
  tags: string[];
  day: number;
  localTime: string;
  minutes: number;
  tz: string;
  capacity: number | null;
  status: "draft" | "pending_approval" | "published" | "cancelled";
  mode: "online" | "in_person";
  joinUrl: string | null;
  venueName: string | null;
  venueAddress: string | null;
  mapUrl: string | null;
  group: number | null;
  recording: boolean;
  slides: boolean;
  publishDaysBefore: number;
  speakers: { name: string; title: string }[];
  /** Registrations to write, and the first row number of the event's rows. */
  n: number;
  firstK: number;
  userOffset: number;
}

interface DescriptionKey {
  language: "en" | "ja";
  template: number;
  topic: number;
}

function planEvents(options: Required<Pick<ScaleEventsOptions, "events" | "pastDays" | "futureDays" | "pastShare">>, groups: PlannedGroup[], memberCount: number) {
  const rand = prng(62_000);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const descriptions: DescriptionKey[] = [];
  const descriptionIndex = new Map<string, number>();
  const describe = (key: DescriptionKey) => {
    const id = `${key.language}:${key.template}:${key.topic}`;
    let index = descriptionIndex.get(id);
    if (index === undefined) {
      index = descriptions.length;
      descriptions.push(key);
      descriptionIndex.set(id, index);
    }
    return index;
  };
  const planned: PlannedEvent[] = [];
  for (let no = 1; no <= options.events; no++) {
    const isGroup = groups.length > 0 && no % 10 === 0;
    const past = rand() < options.pastShare;
    const day = past ? -1 - Math.floor(rand() * options.pastDays) : Math.floor(rand() * options.futureDays);
    const topicNo = Math.floor(Math.pow(rand(), 1.4) * TOPICS.length);
    const topic = TOPICS[topicNo]!;
    const tags = [...new Set([...topic.tags.slice(0, 1 + Math.floor(rand() * topic.tags.length)), ...(rand() < 0.3 ? [pick(TOPICS).tags[0]!] : [])])];
    const level = pick(["all", "beginner", "beginner", "intermediate", "intermediate", "advanced"] as const);
    let event: Omit<PlannedEvent, "status" | "recording" | "slides" | "n" | "firstK" | "userOffset" | "publishDaysBefore">;
    if (!isGroup) {
      const language = rand() < 0.22 ? "ja" : "en";
      const title = language === "ja" ? fill(pick(JA_FORMATS), topic.ja) : fill(pick(EN_FORMATS), topic.en);
      const speakerCount = 1 + Math.floor(rand() * 2);
      event = {
        no,
        kind: "webinar",
        slug: language === "ja" ? `webinar-${no}` : `${slugify(title)}-${no}`,
        title,
        summary: language === "ja" ? fill(pick(JA_SUMMARIES), topic.ja) : fill(pick(EN_SUMMARIES), topic.en),
        description: describe({ language, template: Math.floor(rand() * (language === "ja" ? JA_DESCRIPTIONS : EN_DESCRIPTIONS).length), topic: topicNo }),
        language,
        level,
        tags,
        day,
        localTime: pick(LOCAL_TIMES),
        minutes: pick([30, 45, 60, 60, 60, 90]),
        tz: language === "ja" ? "Asia/Tokyo" : pick(WEBINAR_ZONES),
        // Unlimited or not; the number itself is set once the expected turnout is known (allocateRegistrations).
        capacity: rand() < 0.3 ? null : 0,
        mode: "online",
        joinUrl: `https://meet.example.com/hearth/w${no}`,
        venueName: null,
        venueAddress: null,
        mapUrl: null,
        group: null,
        speakers: Array.from({ length: speakerCount }, () =>
          language === "ja" ? { name: pick(SPEAKERS_JA), title: pick(SPEAKER_TITLES_JA) } : { name: pick(SPEAKERS_EN), title: pick(SPEAKER_TITLES_EN) },
        ).filter((s, i, all) => all.findIndex((o) => o.name === s.name) === i),
      };
    } else {
      // Bigger groups meet more often.
      const group = groups[Math.floor(Math.pow(rand(), 2) * groups.length)]!;
      const inPerson = group.city !== null ? rand() < 0.7 : rand() < 0.15;
      const language = group.language;
      const city = group.city ?? pick(CITIES);
      const title =
        language === "ja"
          ? `${group.name} ${pick(["ミートアップ", `${topic.ja}勉強会`, "もくもく会", "LT 大会"])}`
          : `${group.name}: ${pick(["meetup", `${topic.en} night`, "online hour", "lightning talks", "roundtable"])}`;
      event = {
        no,
        kind: "group_event",
        slug: language === "ja" ? `event-${no}` : `${slugify(title)}-${no}`,
        title,
        summary: language === "ja" ? `${group.name}の集まりです。${topic.ja}をテーマに発表と交流を行います。` : `Members of ${group.name} meet to share what they learned about ${topic.en}.`,
        description: describe({ language, template: 0, topic: topicNo }),
        language,
        level: "all",
        tags: [...new Set(["meetup", ...tags.slice(0, 2)])],
        day,
        localTime: inPerson ? pick(EVENING_TIMES) : pick(LOCAL_TIMES),
        minutes: inPerson ? 120 : 60,
        tz: group.city?.tz ?? pick(WEBINAR_ZONES),
        capacity: inPerson || rand() < 0.2 ? 0 : null,
        mode: inPerson ? "in_person" : "online",
        joinUrl: inPerson ? null : `https://meet.example.com/hearth/e${no}`,
        venueName: inPerson ? (language === "ja" ? `Hearth ${city.ja ?? city.en}オフィス セミナールーム` : `Hearth ${city.en} office, event space`) : null,
        venueAddress: inPerson ? `${1 + Math.floor(rand() * 200)} Central Street, ${city.en}` : null,
        mapUrl: inPerson ? `https://www.openstreetmap.org/?mlat=${city.lat}&mlon=${city.lon}#map=17/${city.lat}/${city.lon}` : null,
        group: group.no,
        speakers: [],
      };
    }
    const r = rand();
    const status: PlannedEvent["status"] = past
      ? r < 0.05
        ? "cancelled"
        : "published"
      : r < 0.04
        ? "cancelled"
        : r < 0.12
          ? "draft"
          : isGroup && r < 0.18
            ? "pending_approval"
            : "published";
    const recording = !isGroup && past && status === "published" && rand() < 0.6;
    planned.push({ ...event, status, recording, slides: recording && rand() < 0.6, publishDaysBefore: 14 + Math.floor(rand() * 31), n: 0, firstK: 0, userOffset: Math.floor(rand() * memberCount) });
  }
  return { planned, descriptions };
}

/**
 * Registrations per event: popularity is heavy-tailed (a few webinars draw thousands, most tens to
 * hundreds), drafts and pending events get none, and nobody registers twice (an event holds at most the
 * members there are, a group event at most the group's active members). The total is exactly `wanted`
 * unless the caps are smaller; scaling up the uncapped events makes up for the capped ones.
 */
function allocateRegistrations(planned: PlannedEvent[], groups: PlannedGroup[], wanted: number, memberCount: number): number {
  const rand = prng(63_000);
  const weights = planned.map((e) => (e.status === "published" || e.status === "cancelled" ? Math.pow(1 - rand() * 0.9995, -0.8) * (e.kind === "group_event" ? 0.3 : 1) : 0));
  const caps = planned.map((e, i) => (weights[i] === 0 ? 0 : e.group !== null ? groups[e.group - 1]!.size - groups[e.group - 1]!.pending : memberCount));
  const totalFor = (k: number) => planned.reduce((sum, _, i) => sum + Math.min(caps[i]!, k * weights[i]!), 0);
  const capTotal = caps.reduce((a, b) => a + b, 0);
  const target = Math.min(wanted, capTotal);
  let [lo, hi] = [0, 1];
  while (totalFor(hi) < target && hi < 1e12) hi *= 2;
  for (let step = 0; step < 60; step++) {
    const mid = (lo + hi) / 2;
    if (totalFor(mid) < target) lo = mid;
    else hi = mid;
  }
  const exact = planned.map((_, i) => Math.min(caps[i]!, hi * weights[i]!));
  const counts = exact.map(Math.floor);
  let missing = target - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    if (counts[i]! < caps[i]!) {
      counts[i]! += 1;
      missing -= 1;
    }
  }
  let k = 0;
  planned.forEach((e, i) => {
    e.n = counts[i]!;
    e.firstK = k;
    k += e.n;
    // Organizers size the room from the turnout they expect, and about one event in five is too small:
    // it fills up and keeps a waitlist.
    if (e.capacity !== null) e.capacity = niceCapacity(Math.max(e.kind === "group_event" ? 10 : 30, e.n * (0.6 + 2 * rand())));
  });
  return k;
}

const NICE_CAPACITIES = [10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000];

/** The round number an organizer would type for a room of about `seats`. */
function niceCapacity(seats: number): number {
  return NICE_CAPACITIES.find((c) => c >= seats * 0.95) ?? Math.ceil(seats / 1000) * 1000;
}

// ---------------------------------------------------------------------------------------------------
// Existence and removal.

const scaleUsers = sql`(select id from users where email like ${SCALE_USER_LIKE})`;
const scaleGroups = sql`(select m.group_id from group_memberships m where m.role = 'leader' and m.user_id in ${scaleUsers})`;

/** Whether scale groups or events exist. */
export async function hasScaleEventsData(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from events where created_by_id in ${scaleUsers}) or exists ${scaleGroups} as found`,
  );
  return row?.found === true;
}

/**
 * Deletes scale events (with their registrations, survey answers and imports) and scale groups (with
 * their memberships and events), and the event ledger rows of scale users. Called by deleteScaleData
 * before the users go, so 500k registrations are not removed one cascading user at a time.
 */
export async function deleteScaleEventsData(db: Db): Promise<void> {
  await db.execute(sql`delete from events where created_by_id in ${scaleUsers} or group_id in ${scaleGroups}`);
  await db.execute(sql`delete from user_groups where id in ${scaleGroups}`);
  await db.execute(sql`delete from activities where (type like 'webinar.%' or type like 'event.%' or type = 'group.joined')
    and user_id in ${scaleUsers} and idempotency_key not like 'scale:%'`);
}

// ---------------------------------------------------------------------------------------------------
// Generation.

/**
 * Writes the groups, events and registrations in one transaction (an interrupted run leaves nothing), so
 * `db` must not be a transaction. Needs the scale members and staff (generateScaleData) and no scale events
 * yet (deleteScaleEventsData removes them).
 */
export async function generateScaleEvents(db: Db, options: ScaleEventsOptions): Promise<ScaleEventsSummary> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const M = options.memberCount;
  const G = options.groups ?? 50;
  for (const [name, value] of Object.entries({ events: options.events, registrations: options.registrations, groups: G, memberCount: M })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`generateScaleEvents: ${name} must be a non-negative integer`);
  }
  if (M < 10) throw new Error("generateScaleEvents: at least 10 scale members");
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 100_000;
  const groups = planGroups(G, M);
  const { planned, descriptions } = planEvents(
    { events: options.events, pastDays: options.pastDays ?? 730, futureDays: options.futureDays ?? 182, pastShare: options.pastShare ?? 0.6 },
    groups,
    M,
  );
  const total = allocateRegistrations(planned, groups, options.registrations, M);
  const rendered: RenderedText[] = descriptions.map((d) => {
    const templates = d.language === "ja" ? JA_DESCRIPTIONS : EN_DESCRIPTIONS;
    return options.render(fill(templates[d.template]!, d.language === "ja" ? TOPICS[d.topic]!.ja : TOPICS[d.topic]!.en), d.language);
  });
  const descriptionMd = descriptions.map((d) => fill((d.language === "ja" ? JA_DESCRIPTIONS : EN_DESCRIPTIONS)[d.template]!, d.language === "ja" ? TOPICS[d.topic]!.ja : TOPICS[d.topic]!.en));
  const groupHtml = groups.map((g) => options.render(g.descriptionMd, g.language).html);
  const { p } = activityPermutation(M);
  const P = p.toString();

  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await run();
    timings[name] = Math.round(performance.now() - t);
    options.onProgress?.(name, performance.now() - started);
    return result;
  };
  /** Scale member number (1..M) of the i-th (0-based) member from `offset`: a bijection for i < M. */
  const memberSql = (offset: SQL, i: SQL) => sql`((((${offset})::bigint + (${i})::bigint) % ${M}::bigint) * ${P}::bigint % ${M}::bigint + 1)::int`;
  const gen = sql`${now.toISOString()}::timestamptz`;

  await inBulkTransaction(db, async (tx) => {
    await step("setup", async () => {
      await tx.execute(sql`
        create temp table se_m on commit drop as
        select substring(u.email from '^member([0-9]+)@')::int as m, u.id as user_id, coalesce(u.email_verified_at, u.created_at) as active_from
        from users u where u.email like ${SCALE_MEMBER_EMAIL_LIKE}`);
      await tx.execute(sql`delete from se_m where m > ${M}::int`);
      await tx.execute(sql`alter table se_m add primary key (m)`);
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from se_m`);
      if (n !== M) throw new Error(`generateScaleEvents: ${M} scale members wanted, ${n} found (run seed:scale first)`);
      await tx.execute(sql`analyze se_m`);
    });

    const staff = await queryRows<{ id: number }>(tx, sql`select id from users where email like ${`%@${SCALE_STAFF_DOMAIN}`} and email <> ${SCALE_ADMIN_EMAIL} order by id`);
    const [admin] = await queryRows<{ id: number }>(tx, sql`select id from users where email = ${SCALE_ADMIN_EMAIL}`);
    const staffIds = staff.length > 0 ? staff.map((s) => s.id) : admin ? [admin.id] : [];
    if (staffIds.length === 0) throw new Error("generateScaleEvents: no scale staff (run seed:scale first)");

    await step("groups", async () => {
      const rows = groups.map((g, i) => ({
        no: g.no,
        slug: g.slug,
        name: g.name,
        kind: g.kind,
        summary: g.summary,
        md: g.descriptionMd,
        html: groupHtml[i]!,
        policy: g.joinPolicy,
        size: g.size,
        pending: g.pending,
        offset: g.offset,
        created_days: g.createdDaysAgo,
      }));
      await tx.execute(sql`
        create temp table se_g on commit drop as
        select r.*, null::int as group_id, ${gen} - r.created_days * interval '1 day' as created_at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(no int, slug text, name text, kind text, summary text, md text, html text,
          policy text, size int, pending int, "offset" int, created_days int)`);
      await tx.execute(sql`
        with ins as (
          insert into user_groups (slug, name, kind, summary, description_md, description_html, join_policy, member_count, created_at, updated_at)
          select slug, name, kind, summary, md, html, policy, size - pending, created_at, created_at from se_g order by no
          returning id, slug
        )
        update se_g set group_id = ins.id from ins where ins.slug = se_g.slug`);
      // The first member (two in big groups) leads; in approval groups the last few still wait for a leader.
      await tx.execute(sql`
        insert into group_memberships (group_id, user_id, role, status, requested_at, joined_at)
        select g.group_id, m.user_id,
               case when s.i = 0 or (s.i = 1 and g.size >= 200) then 'leader' else 'member' end,
               case when s.i >= g.size - g.pending then 'pending' else 'active' end,
               j.at, case when s.i < g.size - g.pending then j.at end
        from se_g g
        cross join lateral generate_series(0, g.size - 1) as s(i)
        join se_m m on m.m = ${memberSql(sql`g."offset"`, sql`s.i`)}
        cross join lateral (
          select least(${gen} - interval '1 hour',
                       greatest(g.created_at, m.active_from) + ${hash01(sql`g.group_id::bigint * 1000003 + s.i`, 401)} * (${gen} - greatest(g.created_at, m.active_from))) as at
        ) j`);
    });

    await step("events", async () => {
      const rows = planned.map((e) => ({
        no: e.no,
        kind: e.kind,
        slug: e.slug,
        title: e.title,
        summary: e.summary,
        d: e.description,
        language: e.language,
        level: e.level,
        tags: e.tags,
        day: e.day,
        lt: e.localTime,
        minutes: e.minutes,
        tz: e.tz,
        capacity: e.capacity,
        status: e.status,
        mode: e.mode,
        join_url: e.joinUrl,
        venue_name: e.venueName,
        venue_address: e.venueAddress,
        map_url: e.mapUrl,
        group_no: e.group,
        recording: e.recording,
        slides: e.slides,
        publish_days: e.publishDaysBefore,
        speakers: e.speakers,
        staff_id: staffIds[e.no % staffIds.length]!,
        n: e.n,
        first_k: e.firstK,
        user_offset: e.userOffset,
      }));
      const texts = descriptions.map((_, i) => ({ i, md: descriptionMd[i]!, html: rendered[i]!.html }));
      await tx.execute(sql`
        create temp table se_d on commit drop as
        select * from jsonb_to_recordset(${JSON.stringify(texts)}::jsonb) as r(i int, md text, html text)`);
      // Times: the local time on the day `day` days from today in the organizer's zone, as the form reads it.
      await tx.execute(sql`
        create temp table se_e on commit drop as
        with r as (
          select r.*, ((((${gen} at time zone r.tz)::date + r.day) + r.lt::time) at time zone r.tz) as starts_at
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(no int, kind text, slug text, title text, summary text, d int, language text,
            level text, tags text[], day int, lt text, minutes int, tz text, capacity int, status text, mode text, join_url text, venue_name text,
            venue_address text, map_url text, group_no int, recording boolean, slides boolean, publish_days int, speakers jsonb, staff_id int,
            n int, first_k bigint, user_offset int)
        ),
        t as (
          select r.*, r.starts_at + r.minutes * interval '1 minute' as ends_at,
                 -- Published weeks before the start, and never later than a day ago (registrations follow it).
                 least(r.starts_at - r.publish_days * interval '1 day', ${gen} - interval '1 day' - ${hash01(sql`r.no`, 402)} * interval '20 days') as published_at
          from r
        )
        select t.*, g.group_id, g.size - g.pending as group_active, g."offset" as group_offset,
               case when t.status = 'cancelled' then t.published_at + (0.3 + 0.6 * ${hash01(sql`t.no`, 403)}) * (least(t.starts_at, ${gen}) - t.published_at) end as cancelled_at,
               (select l.user_id from group_memberships l where l.group_id = g.group_id and l.role = 'leader' order by l.user_id limit 1) as leader_id,
               null::int as event_id
        from t left join se_g g on g.no = t.group_no`);
      await tx.execute(sql`
        with ins as (
          insert into events (kind, slug, title, summary, description_md, description_html, speakers, level, language, tags, starts_at, ends_at,
            time_zone, capacity, status, attendance_mode, join_url, venue_name, venue_address, map_url, group_id, recording_url, slides_url,
            created_by_id, approved_by_id, published_at, cancelled_at, cancel_reason, follow_up_queued_at, created_at, updated_at)
          select e.kind, e.slug, e.title, e.summary, d.md, d.html, e.speakers, e.level, e.language, e.tags, e.starts_at, e.ends_at,
                 e.tz, e.capacity, e.status, e.mode, e.join_url, e.venue_name, e.venue_address, e.map_url, e.group_id,
                 case when e.recording then 'https://videos.example.com/hearth/' || e.slug end,
                 case when e.slides then 'https://slides.example.com/hearth/' || e.slug || '.pdf' end,
                 case when e.kind = 'group_event' then e.leader_id else e.staff_id end,
                 case when e.kind = 'group_event' and e.status in ('published', 'cancelled') then e.staff_id end,
                 case when e.status in ('published', 'cancelled') then e.published_at end,
                 e.cancelled_at,
                 case when e.status = 'cancelled' then 'The speaker is no longer available. We will announce a new date.' end,
                 case when e.status = 'published' and e.ends_at < ${gen} then e.ends_at + interval '1 hour' end,
                 e.published_at - interval '3 days', coalesce(e.cancelled_at, e.published_at)
          from se_e e join se_d d on d.i = e.d
          order by e.starts_at, e.no
          returning id, slug
        )
        update se_e set event_id = ins.id from ins where ins.slug = se_e.slug`);
      await tx.execute(sql`create index on se_e (first_k)`);
      await tx.execute(sql`analyze se_e`);
    });

    const [base] = await queryRows<{ seq: number | string }>(tx, sql`select coalesce((select max(queue_seq) from event_registrations), 0)::bigint as seq`);
    const seqBase = Number(base?.seq ?? 0);
    await step("registrations", async () => {
      // Whole events per batch (the waitlist rank is per event); one statement writes each batch.
      const withRows = planned.filter((e) => e.n > 0);
      let from = 0;
      while (from < withRows.length) {
        let to = from;
        let rows = 0;
        while (to < withRows.length && (rows === 0 || rows + withRows[to]!.n <= batchSize)) rows += withRows[to++]!.n;
        const firstK = withRows[from]!.firstK;
        const lastK = withRows[to - 1]!.firstK;
        const k = sql`(e.first_k + s.i)`;
        await tx.execute(sql`
          with r as (
            select e.event_id, e.kind, e.capacity, e.starts_at, e.ends_at, e.minutes, s.i, ${k} as k,
                   case when e.kind = 'group_event'
                        then ${memberSql(sql`e.group_offset`, sql`(e.user_offset::bigint + s.i - 1) % e.group_active`)}
                        else ${memberSql(sql`e.user_offset`, sql`s.i - 1`)} end as m,
                   ${hash01(k, 411)} as u_want, ${hash01(k, 412)} as u_attend, ${hash01(k, 413)} as u_minutes, ${hash01(k, 414)} as u_cancel,
                   e.published_at + (s.i::float8 / (e.n + 1)) *
                     (greatest(e.published_at + interval '1 minute', least(e.starts_at, ${gen}, coalesce(e.cancelled_at, 'infinity'::timestamptz)) - interval '1 minute') - e.published_at) as at,
                   least(e.starts_at, ${gen}, coalesce(e.cancelled_at, 'infinity'::timestamptz)) as window_end,
                   e.ends_at < ${gen} as ended
            from se_e e cross join lateral generate_series(1, e.n) as s(i)
            where e.first_k between ${firstK}::bigint and ${lastK}::bigint
          ),
          w as (
            select r.*, case when u_want < 0.07 then 'cancelled' when kind = 'group_event' and u_want < 0.2 then 'maybe' else 'seat' end as want
            from r
          ),
          ranked as (
            select w.*, row_number() over (partition by event_id, want order by i) as rank_in_want from w
          ),
          st as (
            select ranked.*,
                   case when want <> 'seat' then want when capacity is null or rank_in_want <= capacity then 'registered' else 'waitlisted' end as status
            from ranked
          ),
          fin as (
            select st.*, ended and status = 'registered' and u_attend < (case when kind = 'webinar' then 0.55 else 0.75 end) as attended from st
          )
          insert into event_registrations (event_id, user_id, status, queue_seq, registered_at, waitlisted_at, cancelled_at, attended_at, attended_minutes,
            attendance_source, reminder_day_sent_at, reminder_hour_sent_at, follow_up_sent_at, created_at, updated_at)
          select f.event_id, m.user_id, f.status, ${seqBase}::bigint + f.k,
                 case when f.status in ('registered', 'cancelled') then f.at end,
                 case when f.status = 'waitlisted' then f.at end,
                 case when f.status = 'cancelled' then f.at + f.u_cancel * (f.window_end - f.at) end,
                 case when f.attended then f.starts_at + f.u_minutes * interval '10 minutes' end,
                 case when f.attended and f.kind = 'webinar' then greatest(1, floor(f.minutes * (0.2 + 0.8 * f.u_minutes)))::int end,
                 case when f.attended then case when f.kind = 'webinar' then 'import' else 'manual' end end,
                 case when f.ended and f.status = 'registered' then f.starts_at - interval '1 day' end,
                 case when f.ended and f.status = 'registered' then f.starts_at - interval '1 hour' end,
                 case when f.ended and f.status = 'registered' and f.kind = 'webinar' then f.ends_at + interval '2 hours' end,
                 f.at, greatest(f.at, case when f.attended then f.starts_at + f.u_minutes * interval '10 minutes' end)
          from fin f join se_m m on m.m = f.m`);
        options.onProgress?.(`registrations ${withRows[to - 1]!.firstK + withRows[to - 1]!.n}/${total}`, performance.now() - started);
        from = to;
      }
      // The sequence continues after the generated rows, so the app's next registration queues behind them.
      if (total > 0) await tx.execute(sql`select setval('event_queue_seq', greatest(${seqBase + total}::bigint, (select last_value from event_queue_seq)))`);
    });

    await step("counters", async () => {
      await tx.execute(sql`
        update events e set registered_count = c.registered, waitlist_count = c.waitlisted, maybe_count = c.maybe, attended_count = c.attended
        from (
          select r.event_id, count(*) filter (where r.status = 'registered')::int as registered, count(*) filter (where r.status = 'waitlisted')::int as waitlisted,
                 count(*) filter (where r.status = 'maybe')::int as maybe, count(*) filter (where r.attended_at is not null)::int as attended
          from event_registrations r join se_e s on s.event_id = r.event_id group by r.event_id
        ) c where c.event_id = e.id`);
    });
  });

  await step("analyze", async () => {
    await db.execute(sql`analyze events, event_registrations, user_groups, group_memberships`);
  });

  const [counts] = await queryRows<Record<string, number>>(
    db,
    sql`select
      (select count(*)::int from user_groups where id in ${scaleGroups}) as groups,
      (select count(*)::int from group_memberships where group_id in ${scaleGroups}) as memberships,
      (select count(*)::int from events where kind = 'webinar' and created_by_id in ${scaleUsers}) as webinars,
      (select count(*)::int from events where kind = 'group_event' and group_id in ${scaleGroups}) as group_events,
      (select count(*)::int from events where ends_at < ${gen} and (created_by_id in ${scaleUsers} or group_id in ${scaleGroups})) as past,
      (select count(*)::int from events where recording_url is not null and created_by_id in ${scaleUsers}) as recordings,
      (select coalesce(sum(waitlist_count), 0)::int from events) as waitlisted,
      (select coalesce(sum(attended_count), 0)::int from events) as attended`,
  );
  const value = (key: string) => Number(counts?.[key] ?? 0);
  return {
    groups: value("groups"),
    memberships: value("memberships"),
    events: value("webinars") + value("group_events"),
    webinars: value("webinars"),
    groupEvents: value("group_events"),
    pastEvents: value("past"),
    withRecording: value("recordings"),
    registrations: total,
    waitlisted: value("waitlisted"),
    attended: value("attended"),
    timingsMs: { ...timings, total: Math.round(performance.now() - started) },
  };
}

/** How many scale members there are (members 1..n), for memberCount. */
export async function countScaleMembers(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users where email like ${SCALE_MEMBER_EMAIL_LIKE}`);
  return row?.n ?? 0;
}

/** What bench:events reads: popular tags, published webinars and group events to rotate over. */
export async function findScaleEventsBenchTargets(db: Db, limit = 200): Promise<{ tags: string[]; webinarSlugs: string[]; groupEventSlugs: string[] }> {
  const tags = await queryRows<{ tag: string }>(
    db,
    sql`select t.tag from events e, unnest(e.tags) as t(tag)
        where e.kind = 'webinar' and e.status = 'published' and e.ends_at > now() group by t.tag order by count(*) desc, t.tag limit 5`,
  );
  // Upcoming and past alike, spread over the whole catalog (hashed order), as search engines and members visit them.
  const webinars = await queryRows<{ slug: string }>(
    db,
    sql`select slug from events where kind = 'webinar' and status = 'published' and created_by_id in ${scaleUsers} order by hashint4(id) limit ${limit}::int`,
  );
  const groupEvents = await queryRows<{ slug: string }>(
    db,
    sql`select slug from events where kind = 'group_event' and status = 'published' and group_id in ${scaleGroups} order by hashint4(id) limit ${limit}::int`,
  );
  return { tags: tags.map((t) => t.tag), webinarSlugs: webinars.map((w) => w.slug), groupEventSlugs: groupEvents.map((g) => g.slug) };
}
