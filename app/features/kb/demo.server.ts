import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { users } from "../../../db/schema";
import type { Locale } from "../../../db/schema/identity";
import { DEMO_LOGINS } from "../../../db/seed";
import { createArticle, createCollection, linkTranslation, publishArticle, type Actor } from "./articles.server";
import type { KbVisibility } from "./kb.schema";

// Demo knowledge base for the zero-setup server and the e2e suite. Everything goes through the real kb
// commands, so the demo has revisions, rendered HTML, a table of contents and derived counts like real data.

interface DemoArticle {
  key: string;
  collection: "getting-started" | "billing" | "integrations";
  slug: string;
  title: string;
  summary: string;
  visibility?: KbVisibility;
  tags: string[];
  body: string;
  /** Review date in days from now; negative puts it in the review queue. */
  reviewInDays?: number;
  ja?: { slug: string; title: string; summary: string; tags: string[]; body: string };
}

const COLLECTIONS = [
  {
    slug: "getting-started",
    nameEn: "Getting started",
    nameJa: "はじめに",
    descriptionEn: "Set up your workspace, invite your team and learn the basics.",
    descriptionJa: "ワークスペースの準備、チームの招待、基本操作を紹介します。",
  },
  {
    slug: "billing",
    nameEn: "Billing",
    nameJa: "請求",
    descriptionEn: "Plans, invoices, payment methods and seats.",
    descriptionJa: "プラン、請求書、支払い方法、ライセンス数について。",
  },
  {
    slug: "integrations",
    nameEn: "Integrations",
    nameJa: "連携",
    descriptionEn: "Connect Hearth to single sign-on, Slack, webhooks and the API.",
    descriptionJa: "シングルサインオン、Slack、Webhook、API との連携方法。",
  },
] as const;

const ARTICLES: DemoArticle[] = [
  {
    key: "welcome",
    collection: "getting-started",
    slug: "welcome-to-hearth",
    title: "Welcome to Hearth",
    summary: "A five-minute tour of your workspace: projects, members and where to find help.",
    tags: ["basics", "onboarding"],
    body: `Hearth keeps your team's projects, conversations and files in one place. This tour covers what you need on day one.

## Your workspace

A workspace belongs to your company. Everyone who signs up with your company email domain joins it automatically.

### Projects

Projects group related work. Create one from **New project** in the sidebar and give it a short, clear name.

### Members and roles

| Role | Can invite | Can change billing |
| --- | --- | --- |
| Owner | Yes | Yes |
| Admin | Yes | No |
| Member | No | No |

## Getting help

> [!TIP]
> Press <kbd>?</kbd> anywhere in the app to see every keyboard shortcut.

Search this knowledge base first; if you are still stuck, ask the community.
`,
    ja: {
      slug: "welcome-to-hearth-ja",
      title: "Hearth へようこそ",
      summary: "ワークスペース、プロジェクト、メンバー、ヘルプの探し方を 5 分で紹介します。",
      tags: ["基本", "オンボーディング"],
      body: `Hearth は、チームのプロジェクト・会話・ファイルを一か所にまとめます。初日に知っておきたいことを紹介します。

## ワークスペース

ワークスペースは会社ごとに 1 つです。会社のメールドメインで登録したメンバーは自動的に参加します。

### プロジェクト

プロジェクトは関連する作業をまとめる単位です。サイドバーの **新規プロジェクト** から作成し、短く分かりやすい名前を付けてください。

### メンバーと権限

| 権限 | 招待 | 請求情報の変更 |
| --- | --- | --- |
| オーナー | できる | できる |
| 管理者 | できる | できない |
| メンバー | できない | できない |

## 困ったときは

> [!TIP]
> アプリのどこでも <kbd>?</kbd> キーを押すと、キーボードショートカットの一覧が表示されます。

まずこのナレッジベースを検索し、それでも解決しない場合はコミュニティで質問してください。
`,
    },
  },
  {
    key: "invite",
    collection: "getting-started",
    slug: "invite-your-team",
    title: "Invite your team",
    summary: "Add colleagues by email or let them join automatically with your company domain.",
    tags: ["onboarding", "members"],
    body: `## Invite by email

1. Open **Settings → Members**.
2. Choose **Invite**, enter one or more addresses and pick a role.
3. Invitations expire after 7 days; you can resend them from the same page.

## Join by domain

Verified company domains let colleagues join without an invitation. Ask your Customer Success manager to add a domain.

> [!NOTE]
> Guests from other companies always need an invitation.
`,
    ja: {
      slug: "invite-your-team-ja",
      title: "チームを招待する",
      summary: "メールで同僚を招待するか、会社のドメインで自動参加できるようにします。",
      tags: ["オンボーディング", "メンバー"],
      body: `## メールで招待する

1. **設定 → メンバー** を開きます。
2. **招待** を選び、メールアドレスを入力して権限を選びます。
3. 招待の有効期限は 7 日間です。同じ画面から再送できます。

## ドメインで参加する

会社のドメインを確認済みにすると、招待なしで同僚が参加できます。ドメインの追加はカスタマーサクセス担当にご依頼ください。

> [!NOTE]
> 社外のゲストは常に招待が必要です。
`,
    },
  },
  {
    key: "notifications",
    collection: "getting-started",
    slug: "notification-settings",
    title: "Choose which notifications you get",
    summary: "Turn email and in-app notifications on or off per project.",
    tags: ["basics", "notifications"],
    body: `## Per-project settings

Open a project, choose **Notify me** and pick *All activity*, *Mentions only* or *Nothing*.

## Email digests

Hearth can send one summary email a day instead of one email per event. Turn it on under **Settings → Notifications → Daily digest**.
`,
  },
  {
    key: "plans",
    collection: "billing",
    slug: "plans-and-seats",
    title: "Plans and seats explained",
    summary: "How seats are counted, what happens when you add people mid-term, and how to change plans.",
    tags: ["billing", "seats"],
    body: `## How seats are counted

A seat is any active member who signed in during the billing period. Suspended members do not use a seat.

## Adding seats mid-term

New seats are charged pro rata until your renewal date.

| Plan | Included seats | Extra seat |
| --- | --- | --- |
| Team | 10 | $8 / month |
| Business | 50 | $12 / month |
| Enterprise | Custom | Custom |

> [!IMPORTANT]
> Removing members does not refund the current period; the change applies from your next renewal.
`,
    ja: {
      slug: "plans-and-seats-ja",
      title: "プランとライセンス数について",
      summary: "ライセンスの数え方、期間途中の追加、プラン変更の方法を説明します。",
      tags: ["請求", "ライセンス"],
      body: `## ライセンスの数え方

請求期間中にログインした有効なメンバー 1 人につき 1 ライセンスとして数えます。利用停止中のメンバーは数えません。

## 期間途中での追加

追加したライセンスは、更新日までの日割りで請求されます。

| プラン | 含まれるライセンス数 | 追加 1 ライセンス |
| --- | --- | --- |
| Team | 10 | 月額 8 ドル |
| Business | 50 | 月額 12 ドル |
| Enterprise | 個別見積もり | 個別見積もり |

> [!IMPORTANT]
> メンバーを削除しても当期分は返金されません。変更は次回の更新日から反映されます。
`,
    },
  },
  {
    key: "invoices",
    collection: "billing",
    slug: "download-invoices",
    title: "Download invoices and receipts",
    summary: "Find past invoices, change the billing address and add a purchase order number.",
    visibility: "customers",
    tags: ["billing", "invoices"],
    body: `## Where to find invoices

Billing owners see every invoice under **Settings → Billing → Invoices**. Each one can be downloaded as PDF.

## Purchase order numbers

Add a PO number before the invoice is issued; it is printed on every later invoice.
`,
  },
  {
    key: "payment",
    collection: "billing",
    slug: "update-payment-method",
    title: "Update your payment method",
    summary: "Replace an expiring card or switch to bank transfer.",
    tags: ["billing", "payments"],
    reviewInDays: -14,
    body: `## Change the card

Open **Settings → Billing → Payment method** and choose **Replace card**. The new card is charged from the next invoice.

## Pay by bank transfer

Annual plans can be paid by bank transfer. Contact your Customer Success manager to switch.

> [!WARNING]
> If a payment fails three times, the workspace becomes read-only until the balance is paid.
`,
  },
  {
    key: "sso",
    collection: "integrations",
    slug: "set-up-single-sign-on",
    title: "Set up single sign-on (SAML)",
    summary: "Connect Okta, Microsoft Entra ID or any SAML 2.0 identity provider.",
    tags: ["sso", "security", "saml"],
    body: `Single sign-on lets your team sign in with your identity provider. You need the Owner role.

## Before you start

- An identity provider that supports SAML 2.0
- Your workspace URL, for example \`https://acme.hearth.example\`

## Configure your identity provider

### Okta

Create a new SAML app and use these values:

| Setting | Value |
| --- | --- |
| Single sign-on URL | \`https://acme.hearth.example/sso/acs\` |
| Audience URI | \`hearth\` |
| Name ID format | EmailAddress |

### Microsoft Entra ID

Add a non-gallery enterprise application and paste the same values under **Basic SAML configuration**.

## Turn it on in Hearth

Paste the metadata URL under **Settings → Security → Single sign-on** and choose **Test**.

> [!CAUTION]
> Keep one owner able to sign in with a password until the test succeeds, or you may lock everyone out.
`,
    ja: {
      slug: "set-up-single-sign-on-ja",
      title: "シングルサインオン (SAML) を設定する",
      summary: "Okta、Microsoft Entra ID など SAML 2.0 対応の IdP と接続します。",
      tags: ["sso", "セキュリティ", "saml"],
      body: `シングルサインオンを設定すると、チームは自社の ID プロバイダー (IdP) でログインできます。設定にはオーナー権限が必要です。

## 始める前に

- SAML 2.0 に対応した IdP
- ワークスペースの URL(例: \`https://acme.hearth.example\`)

## IdP を設定する

### Okta

新しい SAML アプリを作成し、次の値を入力します。

| 項目 | 値 |
| --- | --- |
| シングルサインオン URL | \`https://acme.hearth.example/sso/acs\` |
| オーディエンス URI | \`hearth\` |
| Name ID 形式 | EmailAddress |

### Microsoft Entra ID

ギャラリー以外のエンタープライズアプリケーションを追加し、**基本的な SAML 構成** に同じ値を貼り付けます。

## Hearth で有効にする

**設定 → セキュリティ → シングルサインオン** にメタデータ URL を貼り付け、**テスト** を選びます。

> [!CAUTION]
> テストが成功するまでは、パスワードでログインできるオーナーを 1 人残してください。全員がログインできなくなるおそれがあります。
`,
    },
  },
  {
    key: "webhooks",
    collection: "integrations",
    slug: "receive-webhooks",
    title: "Receive webhooks",
    summary: "Get an HTTP request whenever a project changes, and verify its signature.",
    tags: ["api", "webhooks"],
    body: `## Create an endpoint

Under **Settings → Integrations → Webhooks**, add the URL that should receive events and choose the events you want.

## Verify the signature

Every request carries an \`X-Hearth-Signature\` header: an HMAC-SHA256 of the body with your signing secret.

\`\`\`ts
import crypto from "node:crypto";

export function isValidSignature(body: string, header: string, secret: string): boolean {
  const expected = crypto.createHmac("sha256", secret).update(body).digest("hex");
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(header));
}
\`\`\`

## Retries

Hearth retries a failed delivery up to 8 times over 24 hours, with exponential back-off.
`,
  },
  {
    key: "slack",
    collection: "integrations",
    slug: "connect-slack",
    title: "Connect Slack",
    summary: "Post project updates to a Slack channel and create tasks from messages.",
    tags: ["slack", "notifications"],
    body: `## Install the app

Choose **Settings → Integrations → Slack → Connect** and approve the permissions in Slack.

## Pick a channel per project

In each project, open **Notify me → Slack** and choose a channel. Private channels need the Hearth app invited first:

\`\`\`
/invite @Hearth
\`\`\`
`,
  },
  {
    key: "escalations",
    collection: "integrations",
    slug: "integration-escalation-playbook",
    title: "Escalation playbook for integration incidents",
    summary: "Internal: who to page and what to collect when a customer's SSO or webhooks break.",
    visibility: "staff",
    tags: ["internal", "sso", "webhooks"],
    body: `## Severity

| Severity | Example | Page |
| --- | --- | --- |
| 1 | Nobody can sign in with SSO | On-call engineer, immediately |
| 2 | Webhooks delayed over an hour | Integrations team, business hours |

## Collect before escalating

- Workspace URL and account tier
- The SAML response or webhook delivery id
- When it last worked
`,
  },
];

/** The demo admin's user id: the author of the demo knowledge base. Null when the demo users were not seeded. */
export async function getDemoKnowledgeBaseAuthorId(db: Db): Promise<number | null> {
  const email = DEMO_LOGINS.find((login) => login.role === "admin")?.email;
  if (!email) return null;
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row?.id ?? null;
}

function isoDateInDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

function unwrap<T extends object>(what: string, result: { ok: true } & T | { ok: false }): T {
  if (!result.ok) throw new Error(`seedDemoKnowledgeBase: ${what} failed: ${JSON.stringify(result)}`);
  return result;
}

/**
 * Seeds the demo knowledge base (3 collections, 10 English articles, 4 Japanese translations; one
 * customers-only, one staff-only, one due for review) through the kb commands, in one transaction.
 * `authorId` must be a staff user. Meant for an empty knowledge base: slugs would collide otherwise.
 */
export async function seedDemoKnowledgeBase(db: Db, options: { authorId: number; now?: Date }): Promise<{ collections: number; articles: number }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const [author] = await tx.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, options.authorId));
    if (!author) throw new Error(`seedDemoKnowledgeBase: no user ${options.authorId}`);
    const actor: Actor = { id: author.id, role: author.role };

    const collectionIds = new Map<string, number>();
    for (const [position, collection] of COLLECTIONS.entries()) {
      const { collectionId } = unwrap("createCollection", await createCollection(tx, actor, { ...collection, position }));
      collectionIds.set(collection.slug, collectionId);
    }

    let articles = 0;
    const create = async (article: DemoArticle, locale: Locale, content: { slug: string; title: string; summary: string; tags: string[]; body: string }, translationOfId?: number) => {
      const { articleId } = unwrap(
        `createArticle ${content.slug}`,
        await createArticle(
          tx,
          actor,
          {
            title: content.title,
            slug: content.slug,
            collectionId: collectionIds.get(article.collection)!,
            locale,
            visibility: article.visibility ?? "public",
            summary: content.summary,
            bodyMd: content.body,
            tags: content.tags,
            ownerId: null,
            reviewBy: isoDateInDays(now, article.reviewInDays ?? 180),
            note: null,
          },
          { translationOfId },
        ),
      );
      unwrap(`publishArticle ${content.slug}`, await publishArticle(tx, actor, articleId));
      articles += 1;
      return articleId;
    };

    for (const article of ARTICLES) {
      const id = await create(article, "en", article);
      if (article.ja) {
        const jaId = await create(article, "ja", article.ja, id);
        // createArticle with translationOfId already groups them; linking again is a no-op that keeps this
        // correct should that option ever stop implying the link.
        unwrap(`linkTranslation ${article.slug}`, await linkTranslation(tx, actor, id, jaId));
      }
    }
    return { collections: COLLECTIONS.length, articles };
  });
}
