import { inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { queryRows } from "../../../db/client";
import {
  eventRegistrations,
  events,
  eventSurveyResponses,
  groupMemberships,
  userGroups,
  users,
  type AttendanceMode,
  type EventKind,
  type EventLanguage,
  type EventLevel,
  type EventSpeaker,
  type EventStatus,
  type GroupJoinPolicy,
  type GroupKind,
  type RegistrationStatus,
} from "../../../db/schema";
import { recordActivities, revokeActivity, type ActivityInput } from "../engagement/activities.server";
import { renderMarkdown } from "../markdown/render.server";
import { attendedActivity, eventRsvpActivity, groupJoinedActivity, surveyAnsweredActivity, webinarRegisteredActivity } from "./activity";
import { parseRegistrationQuestions } from "./events.schema";
import { utcToZonedLocal, zonedLocalToUtc } from "./zoned-time";

// Demo webinars, user groups and group events for the zero-setup server and the e2e suite. Rows are
// written directly (the commands would send confirmation mails and refuse past dates), with counters,
// queue order, reminders and ledger entries as the registration commands would have left them. Other
// helpers' e2e and integration tests rely on the slugs and on who is (not) registered: see the notes on
// each entry before changing one.

/** Demo people by short name (emails from db/seed.ts). */
const PEOPLE = {
  priya: "priya.raman@hearth.example",
  kenji: "kenji.watanabe@hearth.example",
  marcus: "marcus.bell@northwind.example",
  olivia: "olivia.chen@northwind.example",
  james: "james.okafor@northwind.example",
  sophie: "sophie.martin@northwindtraders.example",
  ethan: "ethan.brooks@northwind.example",
  grace: "grace.kim@northwind.example",
  liam: "liam.walsh@northwindtraders.example",
  ava: "ava.patel@northwind.example",
  noah: "noah.schmidt@northwind.example",
  chloe: "chloe.nguyen@northwind.example",
  daniel: "daniel.reyes@northwindtraders.example",
  haruto: "haruto.sato@sakura-systems.example",
  yui: "yui.tanaka@sakura-systems.example",
  ren: "ren.suzuki@sakura-systems.example",
  mio: "mio.takahashi@sakura-sys.example",
  sota: "sota.ito@sakura-systems.example",
  aoi: "aoi.yamamoto@sakura-systems.example",
  yuto: "yuto.nakamura@sakura-sys.example",
  hina: "hina.kobayashi@sakura-systems.example",
  tom: "tom.harris@sakura-systems.example",
  rachel: "rachel.adams@globex.example",
  omar: "omar.haddad@globex.example",
  lucas: "lucas.silva@globex.example",
  mia: "mia.johnson@globex.example",
  arjun: "arjun.mehta@globex.example",
  hannah: "hannah.weber@globex.example",
  kaito: "kaito.mori@globex.example",
  daiki: "daiki.fujimoto@fujimoto-mfg.example",
  sakura: "sakura.kato@fujimoto-mfg.example",
  takumi: "takumi.yoshida@fujimoto.test",
  rin: "rin.yamada@fujimoto-mfg.example",
  david: "david.miller@fujimoto-mfg.example",
  zoe: "zoe.carter@bluebird.example",
  ben: "ben.taylor@bluebird.example",
  isla: "isla.murray@bluebird.example",
  felix: "felix.wagner@bluebird.example",
  sam: "sam.rivera@freelance.example",
} as const;
type Who = keyof typeof PEOPLE;

interface DemoGroup {
  slug: string;
  name: string;
  kind: GroupKind;
  joinPolicy: GroupJoinPolicy;
  summary: string;
  description: string;
  language: EventLanguage;
  createdDaysAgo: number;
  leaders: Who[];
  members: Who[];
  /** Join requests waiting for a leader (approval groups). */
  pending?: Who[];
}

const GROUPS: DemoGroup[] = [
  {
    // Haruto leads it (the Japanese demo login); the leader pages' tests use it.
    slug: "tokyo-user-group",
    name: "東京ユーザー会",
    kind: "region",
    joinPolicy: "open",
    summary: "Hearth users in and around Tokyo: an evening meetup every other month, talks and networking in Japanese.",
    description:
      "東京近郊で Hearth を使っている方のためのユーザー会です。隔月で平日の夜にミートアップを開き、活用事例の発表と懇親会を行っています。\n\n" +
      "- 初めての方も歓迎です。参加費は無料です。\n- 発表してみたい方はリーダーの佐藤までご連絡ください。\n\n" +
      "*Talks are in Japanese; English speakers are welcome at the networking part.*",
    language: "ja",
    createdDaysAgo: 420,
    leaders: ["haruto"],
    members: ["yui", "ren", "mio", "sota", "aoi", "yuto", "hina", "tom", "kaito", "daiki", "sakura", "takumi"],
  },
  {
    // Olivia leads it; Lucas's request waits for her approval.
    slug: "healthcare-analytics-circle",
    name: "Healthcare Analytics Circle",
    kind: "industry",
    joinPolicy: "approval",
    summary: "Analysts and admins in healthcare comparing notes on clinical dashboards, data privacy and audits.",
    description:
      "A small circle for people who run Hearth in hospitals, clinics and health insurers.\n\n" +
      "We talk about **clinical operations dashboards**, keeping patient data out of shared views, and getting through audits. " +
      "Membership is approved by the leaders so the discussions can stay candid.",
    language: "en",
    createdDaysAgo: 300,
    leaders: ["olivia"],
    members: ["ethan", "grace", "james", "zoe", "rachel"],
    pending: ["lucas"],
  },
  {
    // Marcus leads it; Olivia (the English member login) is deliberately NOT a member, so tests can join.
    slug: "api-builders",
    name: "API Builders",
    kind: "product",
    joinPolicy: "open",
    summary: "Developers building on the Hearth API and webhooks: sync jobs, integrations and automation recipes.",
    description:
      "For everyone who writes code against Hearth: the REST API, webhooks, SCIM and the CLI.\n\n" +
      "Bring a script you are proud of, or one that keeps failing at 3 a.m. We meet online once a month for an hour.",
    language: "en",
    createdDaysAgo: 360,
    leaders: ["marcus"],
    members: ["ava", "arjun", "rachel", "noah", "hannah", "felix", "david", "tom", "yuto"],
  },
  {
    slug: "london-user-group",
    name: "London User Group",
    kind: "region",
    joinPolicy: "open",
    summary: "Hearth users in London and the south-east of England. Meetups a few times a year.",
    description: "An informal group for Hearth users in and around London. We meet for talks and a drink a few times a year, hosted by member companies.",
    language: "en",
    createdDaysAgo: 200,
    leaders: ["james"],
    members: ["omar", "liam", "ben", "isla", "sophie"],
  },
];

interface DemoRegistration {
  who: Who;
  /** registered = a seat ("going" for group events). */
  status: RegistrationStatus;
  /** Answers by question label. */
  answers?: Record<string, string>;
  /** Attended (past events): minutes from the attendee report, or null when checked in at the door. */
  attended?: number | null;
}

interface DemoEvent {
  slug: string;
  kind: EventKind;
  status: EventStatus;
  title: string;
  summary: string;
  description: string;
  agenda?: string;
  speakers?: EventSpeaker[];
  level?: EventLevel;
  language: EventLanguage;
  tags: string[];
  /** Days from today (in the organizer's zone) and the local start time there. */
  day: number;
  localTime: string;
  minutes: number;
  timeZone: string;
  capacity: number | null;
  attendanceMode: AttendanceMode;
  joinUrl?: string;
  venueName?: string;
  venueAddress?: string;
  mapUrl?: string;
  group?: string;
  recordingUrl?: string;
  slidesUrl?: string;
  /** In the form's text format (events.schema.ts parseRegistrationQuestions). */
  questions?: string;
  createdBy: Who;
  approvedBy?: Who;
  cancelReason?: string;
  registrations?: DemoRegistration[];
  surveys?: { who: Who; rating: number; comment: string }[];
}

const ROLE_QUESTION = "What is your role? :: Admin | Analyst | Developer | Other *";
const ROLE = "What is your role?";

const EVENTS: DemoEvent[] = [
  {
    // Upcoming, plenty of seats, a required choice question. Olivia and Haruto are NOT registered (tests register them).
    slug: "getting-started-with-dashboards",
    kind: "webinar",
    status: "published",
    title: "Getting started with dashboards",
    summary: "Build your first dashboard in an hour: data sources, charts, filters and sharing it with your team.",
    description:
      "New to dashboards? In this live session we build a team dashboard from scratch and share it, answering your questions as we go.\n\n" +
      "## You will learn\n\n- connecting a data source and picking the right chart\n- filters, saved views and **Can view** sharing\n- scheduling a weekly PDF to your inbox\n\n" +
      "No preparation needed. Everyone who registers gets the recording afterwards.",
    agenda: "1. Welcome and a tour of the dashboard editor (10 min)\n2. Building the dashboard, live (30 min)\n3. Sharing and scheduled reports (10 min)\n4. Your questions (10 min)",
    speakers: [
      { name: "Priya Raman", title: "Customer Success Lead, Hearth" },
      { name: "Ethan Brooks", title: "Reporting, Northwind Traders" },
    ],
    level: "beginner",
    language: "en",
    tags: ["dashboards", "reporting", "getting-started"],
    day: 5,
    localTime: "11:00",
    minutes: 60,
    timeZone: "America/New_York",
    capacity: 100,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/getting-started-with-dashboards",
    questions: ROLE_QUESTION,
    createdBy: "priya",
    registrations: [
      { who: "grace", status: "registered", answers: { [ROLE]: "Analyst" } },
      { who: "james", status: "registered", answers: { [ROLE]: "Developer" } },
      { who: "sophie", status: "registered", answers: { [ROLE]: "Admin" } },
      { who: "ben", status: "cancelled", answers: { [ROLE]: "Developer" } },
      { who: "mia", status: "registered", answers: { [ROLE]: "Analyst" } },
      { who: "zoe", status: "registered", answers: { [ROLE]: "Admin" } },
      { who: "lucas", status: "registered", answers: { [ROLE]: "Other" } },
      { who: "isla", status: "registered", answers: { [ROLE]: "Analyst" } },
      { who: "daniel", status: "registered", answers: { [ROLE]: "Admin" } },
    ],
  },
  {
    // Full: capacity 2, both seats taken (Ava, Arjun), two on the waitlist (Rachel, Tom). Olivia and Haruto are not registered.
    slug: "advanced-api-automation",
    kind: "webinar",
    status: "published",
    title: "Advanced API automation: webhooks, retries and bulk sync",
    summary: "A hands-on workshop for developers: verifying webhook signatures, backing off on HTTP 429 and incremental bulk sync.",
    description:
      "A small, hands-on workshop: bring a laptop with Node.js or Python and your API token.\n\n" +
      "We will write a sync job together that:\n\n1. verifies the `X-Hearth-Signature` of incoming webhooks,\n2. backs off on `429 Too Many Requests` using `Retry-After`,\n3. syncs only what changed since the last run with cursors.\n\n" +
      "```bash\ncurl -sS https://api.example.com/v1/users?cursor=$NEXT -H \"Authorization: Bearer $TOKEN\"\n```\n\n" +
      "Seats are limited so that everyone gets help; join the waitlist if it is full.",
    agenda: "- Webhooks and signatures (25 min)\n- Rate limits and retries (25 min)\n- Incremental sync with cursors (30 min)\n- Wrap-up (10 min)",
    speakers: [{ name: "Marcus Bell", title: "Platform engineer, Northwind Traders" }],
    level: "advanced",
    language: "en",
    tags: ["api", "webhooks", "automation"],
    day: 12,
    localTime: "15:00",
    minutes: 90,
    timeZone: "Europe/London",
    capacity: 2,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/advanced-api-automation",
    createdBy: "priya",
    registrations: [
      { who: "ava", status: "registered" },
      { who: "arjun", status: "registered" },
      { who: "rachel", status: "waitlisted" },
      { who: "tom", status: "waitlisted" },
    ],
  },
  {
    // Ended ten days ago with a recording and slides. Olivia registered but did NOT attend (she gets the recording).
    slug: "sso-deep-dive",
    kind: "webinar",
    status: "published",
    title: "SSO deep dive: SAML, SCIM and troubleshooting sign-in",
    summary: "Everything about single sign-on: setting up SAML with Okta and Azure AD, provisioning with SCIM, and fixing the usual errors.",
    description:
      "Single sign-on is the most asked-about topic in the community. This session walks through a complete setup and the errors we see most.\n\n" +
      "## Topics\n\n- SAML attributes Hearth needs, and the audience (Entity ID) check\n- SCIM provisioning of users and groups\n- Reading the audit log when a sign-in fails\n\n" +
      "> [!TIP]\n> Most *invalid assertion* errors come from a missing trailing slash in the Entity ID.",
    agenda: "1. How Hearth reads a SAML assertion\n2. Okta and Azure AD, side by side\n3. SCIM\n4. Troubleshooting, live",
    speakers: [
      { name: "Olivia Chen", title: "Workspace admin, Northwind Traders" },
      { name: "Priya Raman", title: "Customer Success Lead, Hearth" },
    ],
    level: "intermediate",
    language: "en",
    tags: ["sso", "saml", "scim"],
    day: -10,
    localTime: "12:00",
    minutes: 60,
    timeZone: "America/Chicago",
    capacity: 200,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/sso-deep-dive",
    recordingUrl: "https://videos.example.com/hearth/sso-deep-dive",
    slidesUrl: "https://slides.example.com/hearth/sso-deep-dive.pdf",
    createdBy: "priya",
    registrations: [
      { who: "marcus", status: "registered", attended: 58 },
      { who: "olivia", status: "registered" },
      { who: "james", status: "registered", attended: 47 },
      { who: "rachel", status: "registered", attended: 60 },
      { who: "mia", status: "cancelled" },
      { who: "chloe", status: "registered", attended: 31 },
      { who: "omar", status: "registered", attended: 55 },
      { who: "ethan", status: "registered" },
      { who: "noah", status: "registered", attended: 22 },
      { who: "liam", status: "registered" },
      { who: "sam", status: "registered", attended: 60 },
    ],
    surveys: [
      { who: "marcus", rating: 5, comment: "The Entity ID check solved our invalid-assertion errors the same afternoon. More sessions like this, please." },
      { who: "rachel", rating: 4, comment: "Great SCIM section. I would have liked more time for questions at the end." },
      { who: "james", rating: 5, comment: "Clear and practical." },
      { who: "omar", rating: 3, comment: "Good content, but the audio dropped twice in the first ten minutes." },
    ],
  },
  {
    // Japanese, upcoming, Tokyo time. Haruto is not registered.
    slug: "dashboard-nyumon",
    kind: "webinar",
    status: "published",
    title: "ダッシュボード入門",
    summary: "はじめての方向けに、データの接続からグラフ作成、フィルター、チームへの共有までを 1 時間で解説します。",
    description:
      "ダッシュボードをこれから使い始める方のためのウェビナーです。実際の画面を使って、チーム用のダッシュボードを一から作成します。\n\n" +
      "## 内容\n\n- データソースの接続とグラフの選び方\n- フィルターと保存済みビュー\n- 閲覧のみの権限での共有\n- 毎週のレポートをメールで受け取る設定\n\n" +
      "事前準備は不要です。登録者には後日録画をお送りします。",
    agenda: "1. ダッシュボード編集画面の紹介（10 分）\n2. ライブデモ（30 分）\n3. 共有と定期レポート（10 分）\n4. 質疑応答（10 分）",
    speakers: [
      { name: "渡辺 健二", title: "カスタマーサクセス、Hearth" },
      { name: "高橋 美桜", title: "データ分析、さくらシステムズ" },
    ],
    level: "beginner",
    language: "ja",
    tags: ["dashboards", "getting-started"],
    day: 8,
    localTime: "14:00",
    minutes: 60,
    timeZone: "Asia/Tokyo",
    capacity: 50,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/dashboard-nyumon",
    createdBy: "kenji",
    registrations: [
      { who: "yui", status: "registered" },
      { who: "ren", status: "registered" },
      { who: "sota", status: "registered" },
      { who: "hina", status: "registered" },
      { who: "daiki", status: "registered" },
      { who: "sakura", status: "registered" },
      { who: "rin", status: "registered" },
      { who: "kaito", status: "cancelled" },
    ],
  },
  {
    slug: "reporting-best-practices",
    kind: "webinar",
    status: "published",
    title: "Reporting best practices: from raw data to a monthly report",
    summary: "How experienced admins structure monthly reporting: exports, scheduled reports, and dashboards executives actually read.",
    description:
      "Three admins show how they turned a pile of exports into one monthly report that leadership reads.\n\n" +
      "- CSV exports that open cleanly in Excel (UTF-8 with BOM)\n- Scheduled reports instead of screenshots\n- One dashboard per audience",
    speakers: [
      { name: "James Okafor", title: "Data team, Northwind Traders" },
      { name: "Hannah Weber", title: "Operations, Globex Logistics" },
    ],
    level: "intermediate",
    language: "en",
    tags: ["reporting", "export", "dashboards"],
    day: -38,
    localTime: "10:00",
    minutes: 45,
    timeZone: "Europe/London",
    capacity: 300,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/reporting-best-practices",
    recordingUrl: "https://videos.example.com/hearth/reporting-best-practices",
    slidesUrl: "https://slides.example.com/hearth/reporting-best-practices.pdf",
    createdBy: "priya",
    registrations: [
      { who: "sophie", status: "registered", attended: 40 },
      { who: "grace", status: "registered" },
      { who: "olivia", status: "registered", attended: 45 },
      { who: "ben", status: "registered", attended: 12 },
      { who: "lucas", status: "registered", attended: 38 },
      { who: "zoe", status: "registered" },
    ],
    surveys: [
      { who: "sophie", rating: 4, comment: "The scheduled-report tips alone saved me an hour a week." },
      { who: "olivia", rating: 5, comment: "" },
    ],
  },
  {
    slug: "api-renkei-kiso",
    kind: "webinar",
    status: "published",
    title: "API 連携の基礎：認証からページングまで",
    summary: "API トークンの発行、レート制限への対処、カーソルによるページングなど、API 連携の基本を実例で紹介しました。",
    description:
      "社内システムと Hearth を API で連携するための基本を解説したウェビナーの録画です。\n\n" +
      "- API トークンの発行と権限\n- `429` が返ってきたときの待ち方（`Retry-After`）\n- `next_cursor` を使った全件取得",
    speakers: [{ name: "佐藤 陽翔", title: "情報システム部、さくらシステムズ" }],
    level: "beginner",
    language: "ja",
    tags: ["api", "getting-started"],
    day: -24,
    localTime: "15:00",
    minutes: 60,
    timeZone: "Asia/Tokyo",
    capacity: 100,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/api-renkei-kiso",
    recordingUrl: "https://videos.example.com/hearth/api-renkei-kiso",
    createdBy: "kenji",
    registrations: [
      { who: "yuto", status: "registered", attended: 55 },
      { who: "takumi", status: "registered" },
      { who: "kaito", status: "registered", attended: 48 },
      { who: "hina", status: "registered", attended: 30 },
      { who: "aoi", status: "registered", attended: 60 },
    ],
    surveys: [{ who: "yuto", rating: 5, comment: "ページングの説明がとてもわかりやすかったです。" }],
  },
  {
    // Staff are still writing it: visible only in the staff pages.
    slug: "whats-new-this-quarter",
    kind: "webinar",
    status: "draft",
    title: "What's new in Hearth this quarter",
    summary: "A tour of this quarter's release: the new report builder, faster search and SCIM group sync.",
    description: "Draft: confirm the speakers and the demo workspace before publishing.",
    level: "all",
    language: "en",
    tags: ["release", "product"],
    day: 30,
    localTime: "09:00",
    minutes: 45,
    timeZone: "America/Los_Angeles",
    capacity: 500,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/whats-new-this-quarter",
    createdBy: "priya",
  },
  {
    slug: "mobile-app-preview",
    kind: "webinar",
    status: "cancelled",
    title: "Preview: the Hearth mobile app",
    summary: "A first look at the mobile app for iOS and Android, with the product team.",
    description: "See the mobile app before its release and tell the product team what you need from it.",
    level: "all",
    language: "en",
    tags: ["mobile", "product"],
    day: 3,
    localTime: "10:00",
    minutes: 45,
    timeZone: "America/New_York",
    capacity: 200,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/mobile-app-preview",
    createdBy: "priya",
    cancelReason: "Our speaker is unwell. We will announce a new date soon and let everyone who registered know.",
    registrations: [
      { who: "grace", status: "registered" },
      { who: "zoe", status: "registered" },
      { who: "felix", status: "registered" },
    ],
  },
  {
    // In person in Tokyo, three weeks ahead; Haruto (the leader) is not registered.
    slug: "tokyo-meetup-december",
    kind: "group_event",
    status: "published",
    group: "tokyo-user-group",
    title: "東京ユーザー会 定例ミートアップ",
    summary: "丸の内の Hearth 東京オフィスで、ダッシュボード活用事例の発表と懇親会を行います。",
    description:
      "東京ユーザー会の定例ミートアップです。今回はメンバー 2 名による活用事例の発表のあと、軽食を囲んで懇親会を行います。\n\n" +
      "- 受付は 18:45 から、ビル 1 階の受付で「Hearth ユーザー会」とお伝えください。\n- 参加費無料、定員 30 名です。\n\n" +
      "参加できなくなった場合は「不参加」に変更してください。キャンセル待ちの方に席をお譲りします。",
    agenda: "- 19:00 開会\n- 19:10 発表「問い合わせ対応をダッシュボードで見える化」\n- 19:40 発表「API で社内ポータルと連携」\n- 20:10 懇親会",
    speakers: [
      { name: "田中 結衣", title: "さくらシステムズ" },
      { name: "森 海斗", title: "Globex Logistics" },
    ],
    level: "all",
    language: "ja",
    tags: ["meetup", "dashboards", "api"],
    day: 21,
    localTime: "19:00",
    minutes: 120,
    timeZone: "Asia/Tokyo",
    capacity: 30,
    attendanceMode: "in_person",
    venueName: "Hearth 東京オフィス 8F セミナールーム",
    venueAddress: "東京都千代田区丸の内 2-4-1 丸の内ビルディング 8F",
    mapUrl: "https://www.openstreetmap.org/?mlat=35.68115&mlon=139.76426#map=18/35.68115/139.76426",
    createdBy: "haruto",
    approvedBy: "kenji",
    registrations: [
      { who: "yui", status: "registered" },
      { who: "ren", status: "registered" },
      { who: "mio", status: "registered" },
      { who: "tom", status: "registered" },
      { who: "kaito", status: "registered" },
      { who: "daiki", status: "registered" },
      { who: "sakura", status: "registered" },
      { who: "sota", status: "maybe" },
      { who: "aoi", status: "maybe" },
      { who: "takumi", status: "cancelled" },
    ],
  },
  {
    slug: "tokyo-user-group-kickoff",
    kind: "group_event",
    status: "published",
    group: "tokyo-user-group",
    title: "東京ユーザー会 キックオフ",
    summary: "ユーザー会の最初の集まりでした。自己紹介と、今後取り上げたいテーマを話し合いました。",
    description: "東京ユーザー会の第 1 回です。参加者全員の自己紹介と、今後のミートアップで取り上げたいテーマについて話し合いました。",
    level: "all",
    language: "ja",
    tags: ["meetup"],
    day: -60,
    localTime: "19:00",
    minutes: 120,
    timeZone: "Asia/Tokyo",
    capacity: 30,
    attendanceMode: "in_person",
    venueName: "Hearth 東京オフィス 8F セミナールーム",
    venueAddress: "東京都千代田区丸の内 2-4-1 丸の内ビルディング 8F",
    mapUrl: "https://www.openstreetmap.org/?mlat=35.68115&mlon=139.76426#map=18/35.68115/139.76426",
    createdBy: "haruto",
    approvedBy: "kenji",
    registrations: [
      { who: "haruto", status: "registered", attended: null },
      { who: "yui", status: "registered", attended: null },
      { who: "ren", status: "registered", attended: null },
      { who: "mio", status: "registered", attended: null },
      { who: "tom", status: "registered", attended: null },
      { who: "sota", status: "registered" },
      { who: "yuto", status: "maybe" },
    ],
  },
  {
    // Online, no seat limit; Olivia is not in the group and not registered.
    slug: "api-builders-online-hour",
    kind: "group_event",
    status: "published",
    group: "api-builders",
    title: "API Builders online hour",
    summary: "Our monthly hour online: two short demos, then open questions about the API, webhooks and SCIM.",
    description:
      "Our monthly get-together, online. Two members show something they built, then we work through questions together.\n\n" +
      "This month: **a webhook relay on a serverless function** and **retrying with jitter**. Bring your own questions, too.",
    speakers: [
      { name: "Ava Patel", title: "Automation, Northwind Traders" },
      { name: "Arjun Mehta", title: "Integrations, Globex Logistics" },
    ],
    level: "intermediate",
    language: "en",
    tags: ["api", "webhooks", "meetup"],
    day: 14,
    localTime: "11:00",
    minutes: 60,
    timeZone: "America/Chicago",
    capacity: null,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/api-builders-online-hour",
    createdBy: "marcus",
    approvedBy: "priya",
    registrations: [
      { who: "ava", status: "registered" },
      { who: "arjun", status: "registered" },
      { who: "rachel", status: "registered" },
      { who: "noah", status: "registered" },
      { who: "hannah", status: "registered" },
      { who: "felix", status: "maybe" },
      { who: "david", status: "maybe" },
    ],
  },
  {
    // Drafted by a group leader, waiting for staff approval.
    slug: "healthcare-dashboards-roundtable",
    kind: "group_event",
    status: "pending_approval",
    group: "healthcare-analytics-circle",
    title: "Roundtable: dashboards for clinical operations",
    summary: "Members share the dashboards they use for bed occupancy, staffing and waiting times, and how they keep patient data out of them.",
    description: "An informal online roundtable. Each member brings one dashboard (with test data) and five minutes to talk about it.",
    level: "intermediate",
    language: "en",
    tags: ["dashboards", "healthcare", "privacy"],
    day: 35,
    localTime: "12:00",
    minutes: 60,
    timeZone: "America/New_York",
    capacity: 25,
    attendanceMode: "online",
    joinUrl: "https://meet.example.com/hearth/healthcare-dashboards-roundtable",
    createdBy: "olivia",
  },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The instant of `localTime` on the calendar day `days` from today, both in the zone. */
function zonedDay(now: Date, days: number, localTime: string, timeZone: string): Date {
  const date = utcToZonedLocal(new Date(now.getTime() + days * DAY), timeZone).slice(0, 10);
  const at = zonedLocalToUtc(`${date}T${localTime}`, timeZone);
  if (!at) throw new Error(`seedDemoEvents: bad local time ${date}T${localTime} in ${timeZone}`);
  return at;
}

/** Spread `count` moments evenly over (from, to), oldest first. */
function spread(from: Date, to: Date, count: number): Date[] {
  const step = (to.getTime() - from.getTime()) / (count + 1);
  return Array.from({ length: count }, (_, i) => new Date(from.getTime() + Math.round(step * (i + 1))));
}

/** Whether the demo's events or groups are already there (the seed then does nothing). */
export async function hasDemoEvents(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(db, sql`select exists (select 1 from events) or exists (select 1 from user_groups) as found`);
  return row?.found === true;
}

/**
 * Seeds demo groups, webinars (upcoming, full with a waitlist, past with recordings, a draft, a cancelled
 * one), group events and registrations, with counters, queue order, attendance, survey answers and the
 * ledger entries real use would have written (all dated in the past). Needs the demo members of
 * db/seed.ts. Idempotent: does nothing when any event or group exists. Returns what it wrote.
 */
export async function seedDemoEvents(db: Db, options: { now?: Date } = {}): Promise<{ groups: number; events: number; registrations: number }> {
  const now = options.now ?? new Date();
  if (await hasDemoEvents(db)) return { groups: 0, events: 0, registrations: 0 };
  // Rendered before the transaction, as the commands do.
  const renderedGroups = GROUPS.map((g) => renderMarkdown(g.description, { locale: g.language }).html);
  const renderedEvents = EVENTS.map((e) => ({
    description: renderMarkdown(e.description, { locale: e.language }).html,
    agenda: e.agenda ? renderMarkdown(e.agenda, { locale: e.language }).html : "",
  }));

  return db.transaction(async (tx) => {
    // Checked again under the transaction: two boots racing on one server must not seed twice.
    if (await hasDemoEvents(tx)) return { groups: 0, events: 0, registrations: 0 };
    const people = await tx.select({ id: users.id, email: users.email, createdAt: users.createdAt }).from(users).where(inArray(users.email, Object.values(PEOPLE)));
    const byEmail = new Map(people.map((p) => [p.email, p]));
    const person = (who: Who) => {
      const found = byEmail.get(PEOPLE[who]);
      if (!found) throw new Error(`seedDemoEvents: demo member ${PEOPLE[who]} is missing (run the demo seed first)`);
      return found;
    };
    const activities: ActivityInput[] = [];
    const revoked: { key: string; at: Date }[] = [];

    // Groups and memberships: members joined one after another since the group started, never before
    // their own account existed.
    const groupIds = new Map<string, number>();
    for (const [i, g] of GROUPS.entries()) {
      const createdAt = new Date(now.getTime() - g.createdDaysAgo * DAY);
      const active = [...g.leaders, ...g.members];
      const [row] = await tx
        .insert(userGroups)
        .values({
          slug: g.slug,
          name: g.name,
          kind: g.kind,
          summary: g.summary,
          descriptionMd: g.description,
          descriptionHtml: renderedGroups[i]!,
          joinPolicy: g.joinPolicy,
          memberCount: active.length,
          createdAt,
          updatedAt: createdAt,
        })
        .returning({ id: userGroups.id });
      const groupId = row!.id;
      groupIds.set(g.slug, groupId);
      const joinTimes = spread(createdAt, new Date(now.getTime() - 2 * DAY), active.length);
      const memberships: (typeof groupMemberships.$inferInsert)[] = active.map((who, j) => {
        const user = person(who);
        const joinedAt = new Date(Math.min(now.getTime() - HOUR, Math.max(joinTimes[j]!.getTime(), user.createdAt.getTime() + DAY)));
        activities.push(groupJoinedActivity(groupId, user.id, joinedAt));
        return { groupId, userId: user.id, role: j < g.leaders.length ? "leader" : "member", status: "active", requestedAt: joinedAt, joinedAt };
      });
      for (const [j, who] of (g.pending ?? []).entries()) {
        memberships.push({ groupId, userId: person(who).id, role: "member", status: "pending", requestedAt: new Date(now.getTime() - (j + 2) * DAY), joinedAt: null });
      }
      await tx.insert(groupMemberships).values(memberships);
    }

    let registrationCount = 0;
    for (const [i, e] of EVENTS.entries()) {
      const startsAt = zonedDay(now, e.day, e.localTime, e.timeZone);
      const endsAt = new Date(startsAt.getTime() + e.minutes * 60_000);
      const createdAt = new Date(Math.min(startsAt.getTime() - 40 * DAY, now.getTime() - 5 * DAY));
      const live = e.status === "published" || e.status === "cancelled";
      const publishedAt = live ? new Date(Math.min(startsAt.getTime() - 30 * DAY, now.getTime() - 3 * DAY)) : null;
      const cancelledAt = e.status === "cancelled" ? new Date(now.getTime() - 2 * DAY) : null;
      const ended = endsAt.getTime() <= now.getTime();
      const questions = e.questions ? parseRegistrationQuestions(e.questions) : [];
      const registrations = e.registrations ?? [];
      const count = (status: RegistrationStatus) => registrations.filter((r) => r.status === status).length;
      const attendedCount = registrations.filter((r) => r.attended !== undefined).length;
      const [row] = await tx
        .insert(events)
        .values({
          kind: e.kind,
          slug: e.slug,
          title: e.title,
          summary: e.summary,
          descriptionMd: e.description,
          descriptionHtml: renderedEvents[i]!.description,
          agendaMd: e.agenda ?? "",
          agendaHtml: renderedEvents[i]!.agenda,
          speakers: e.speakers ?? [],
          level: e.level ?? "all",
          language: e.language,
          tags: e.tags,
          startsAt,
          endsAt,
          timeZone: e.timeZone,
          capacity: e.capacity,
          status: e.status,
          attendanceMode: e.attendanceMode,
          joinUrl: e.joinUrl ?? null,
          venueName: e.venueName ?? null,
          venueAddress: e.venueAddress ?? null,
          mapUrl: e.mapUrl ?? null,
          groupId: e.group ? groupIds.get(e.group)! : null,
          recordingUrl: e.recordingUrl ?? null,
          slidesUrl: e.slidesUrl ?? null,
          registrationQuestions: questions,
          registeredCount: count("registered"),
          waitlistCount: count("waitlisted"),
          maybeCount: count("maybe"),
          attendedCount,
          createdById: person(e.createdBy).id,
          approvedById: e.approvedBy ? person(e.approvedBy).id : null,
          publishedAt,
          cancelledAt,
          cancelReason: e.cancelReason ?? null,
          // The after-session mails of past events went out long ago; the demo must not send them at boot.
          followUpQueuedAt: ended && live ? new Date(endsAt.getTime() + HOUR) : null,
          createdAt,
          updatedAt: cancelledAt ?? publishedAt ?? createdAt,
        })
        .returning({ id: events.id });
      const eventId = row!.id;
      if (registrations.length === 0) continue;

      // Members signed up one after another between publication and the start (or now).
      const times = spread(publishedAt ?? createdAt, new Date(Math.min(startsAt.getTime() - HOUR, now.getTime() - HOUR)), registrations.length);
      const answerIds = (answers: Record<string, string> | undefined) =>
        Object.fromEntries(Object.entries(answers ?? {}).map(([label, value]) => [questions.find((q) => q.label === label)!.id, value]));
      const values = registrations.map((r, j) => {
        const at = times[j]!;
        const seated = r.status === "registered";
        const attendedAt = r.attended !== undefined ? new Date(startsAt.getTime() + (2 + (j % 5)) * 60_000) : null;
        const cancelAt = r.status === "cancelled" ? new Date(Math.min(at.getTime() + 2 * DAY, now.getTime() - HOUR, startsAt.getTime() - HOUR)) : null;
        return {
          eventId,
          userId: person(r.who).id,
          status: r.status,
          answers: answerIds(r.answers),
          queueSeq: sql`nextval('event_queue_seq')` as unknown as number,
          registeredAt: seated || r.status === "cancelled" ? at : null,
          waitlistedAt: r.status === "waitlisted" ? at : null,
          cancelledAt: cancelAt,
          attendedAt,
          attendedMinutes: typeof r.attended === "number" ? r.attended : null,
          attendanceSource: attendedAt ? (e.kind === "webinar" ? ("import" as const) : ("manual" as const)) : null,
          reminderDaySentAt: seated && ended ? new Date(startsAt.getTime() - DAY) : null,
          reminderHourSentAt: seated && ended ? new Date(startsAt.getTime() - HOUR) : null,
          followUpSentAt: seated && ended && e.kind === "webinar" ? new Date(endsAt.getTime() + 2 * HOUR) : null,
          createdAt: at,
          updatedAt: attendedAt ?? cancelAt ?? at,
        };
      });
      // One statement, rows in arrival order, so queue_seq follows the order seats were asked for.
      const inserted = await tx.insert(eventRegistrations).values(values).returning({ userId: eventRegistrations.userId, queueSeq: eventRegistrations.queueSeq });
      const seqByUser = new Map(inserted.map((r) => [r.userId, r.queueSeq]));
      registrationCount += inserted.length;

      for (const [j, r] of registrations.entries()) {
        const v = values[j]!;
        const userId = v.userId;
        if (e.kind === "webinar") {
          const activity = webinarRegisteredActivity(eventId, userId, seqByUser.get(userId)!, v.createdAt);
          activities.push(activity);
          if (v.cancelledAt) revoked.push({ key: activity.idempotencyKey, at: v.cancelledAt });
        } else {
          const choice = r.status === "registered" ? "going" : r.status === "maybe" ? "maybe" : "not_going";
          activities.push(eventRsvpActivity(eventId, userId, choice, v.createdAt));
        }
        if (v.attendedAt) activities.push(attendedActivity(e.kind, eventId, userId, v.attendedMinutes, v.attendedAt));
      }

      if (e.surveys?.length) {
        const answeredAt = spread(endsAt, new Date(Math.min(endsAt.getTime() + 3 * DAY, now.getTime() - HOUR)), e.surveys.length);
        await tx.insert(eventSurveyResponses).values(
          e.surveys.map((s, j) => ({ eventId, userId: person(s.who).id, rating: s.rating, comment: s.comment, createdAt: answeredAt[j]!, updatedAt: answeredAt[j]! })),
        );
        e.surveys.forEach((s, j) => activities.push({ ...surveyAnsweredActivity(eventId, person(s.who).id, s.rating), occurredAt: answeredAt[j]! }));
      }
    }

    await recordActivities(tx, activities);
    for (const r of revoked) await revokeActivity(tx, r.key, r.at);
    return { groups: GROUPS.length, events: EVENTS.length, registrations: registrationCount };
  });
}
