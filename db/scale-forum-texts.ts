/**
 * Words for the scale forum (db/scale-forum.ts): tags with the topic they stand for in both languages,
 * and post templates in English and Japanese. Question titles carry a `{topic}` placeholder filled from
 * the question's first tag, so a few dozen templates give thousands of distinct titles; bodies are
 * rendered once per template by the caller and reused (rendering 400k posts would take minutes).
 */

/** slug | topic in English | topic in Japanese; listed from the most to the least used. */
export const SCALE_FORUM_TAGS: readonly (readonly [slug: string, en: string, ja: string])[] = [
  ["sso", "single sign-on", "シングルサインオン"],
  ["api", "the REST API", "REST API"],
  ["billing", "billing", "請求"],
  ["saml", "SAML", "SAML"],
  ["webhooks", "webhooks", "Webhook"],
  ["permissions", "permissions", "権限"],
  ["dashboards", "dashboards", "ダッシュボード"],
  ["export", "CSV export", "CSV エクスポート"],
  ["scim", "SCIM provisioning", "SCIM プロビジョニング"],
  ["notifications", "notifications", "通知"],
  ["reports", "reports", "レポート"],
  ["salesforce", "the Salesforce sync", "Salesforce 連携"],
  ["slack", "Slack alerts", "Slack 通知"],
  ["rate-limits", "API rate limits", "API のレート制限"],
  ["audit-log", "the audit log", "監査ログ"],
  ["custom-fields", "custom fields", "カスタムフィールド"],
  ["invoices", "invoices", "請求書"],
  ["two-factor", "two-factor authentication", "二要素認証"],
  ["mobile", "the mobile app", "モバイルアプリ"],
  ["search", "search", "検索"],
  ["import", "data import", "データインポート"],
  ["roles", "user roles", "ユーザーロール"],
  ["automation", "automation rules", "自動化ルール"],
  ["sandbox", "the sandbox", "サンドボックス"],
  ["data-retention", "data retention", "データ保持"],
  ["okta", "Okta", "Okta"],
  ["azure-ad", "Azure AD", "Azure AD"],
  ["google-workspace", "Google Workspace", "Google Workspace"],
  ["jira", "the Jira integration", "Jira 連携"],
  ["teams", "Microsoft Teams", "Microsoft Teams"],
  ["email", "email delivery", "メール配信"],
  ["templates", "templates", "テンプレート"],
  ["workflows", "workflows", "ワークフロー"],
  ["filters", "saved filters", "保存済みフィルター"],
  ["charts", "charts", "グラフ"],
  ["localization", "localization", "ローカライズ"],
  ["time-zones", "time zones", "タイムゾーン"],
  ["attachments", "attachments", "添付ファイル"],
  ["performance", "performance", "パフォーマンス"],
  ["onboarding", "onboarding", "オンボーディング"],
  ["seats", "seat licenses", "ライセンス数"],
  ["sdk", "the JavaScript SDK", "JavaScript SDK"],
  ["python", "the Python client", "Python クライアント"],
  ["graphql", "the GraphQL API", "GraphQL API"],
  ["oauth", "OAuth apps", "OAuth アプリ"],
  ["ip-allowlist", "the IP allowlist", "IP 許可リスト"],
  ["backups", "backups", "バックアップ"],
  ["calendar", "the calendar sync", "カレンダー連携"],
  ["forms", "forms", "フォーム"],
  ["approvals", "approvals", "承認フロー"],
  ["tags", "tagging", "タグ付け"],
  ["archiving", "archiving", "アーカイブ"],
  ["sla", "SLA timers", "SLA タイマー"],
  ["csat", "CSAT surveys", "CSAT アンケート"],
  ["chatbot", "the chatbot", "チャットボット"],
  ["accessibility", "accessibility", "アクセシビリティ"],
  ["browser-extension", "the browser extension", "ブラウザ拡張機能"],
  ["status-page", "the status page", "ステータスページ"],
  ["初心者", "getting started", "初心者向けの設定"],
  ["設定", "workspace settings", "ワークスペース設定"],
];

export const SCALE_FORUM_TITLE_SUFFIXES = {
  en: ["", "", "", " after upgrading", " in production", " for a large team", " with the API", " on mobile", " since last week", " for one account only"],
  ja: ["", "", "", "(本番環境)", "(アップグレード後)", "(大規模チーム)", "(API 経由)", "(先週から)", "(一部のユーザーのみ)"],
} as const;

export interface ScaleQuestionText {
  locale: "en" | "ja";
  /** Contains `{topic}`. */
  title: string;
  bodyMd: string;
}

export const SCALE_QUESTION_TEXTS: readonly ScaleQuestionText[] = [
  { locale: "en", title: "How do I set up {topic}?", bodyMd: "We are rolling this out to the whole company next month. Is there a checklist for the first setup, and what should we test before inviting everyone?" },
  { locale: "en", title: "{topic} stopped working", bodyMd: "Since this morning nothing happens when we use it. No error in the UI.\n\n```\nHTTP/1.1 502 Bad Gateway\nx-request-id: 7f3c9a\n```\n\nAnyone else seeing this?" },
  { locale: "en", title: "Best practices for {topic}?", bodyMd: "We have about **300 users** across four teams. How do other admins organise this? Any pitfalls you ran into?" },
  { locale: "en", title: "Can I limit {topic} to one team?", bodyMd: "Only the support team should see this for now. I found the workspace-wide switch but nothing per team. Did I miss a setting?" },
  { locale: "en", title: "Error 403 when using {topic}", bodyMd: "Our admin account gets a 403 as soon as we save:\n\n```json\n{ \"error\": \"forbidden\", \"detail\": \"missing scope\" }\n```\n\nWhich scope is missing?" },
  { locale: "en", title: "Is there an API for {topic}?", bodyMd: "We would like to automate this from our deployment pipeline instead of clicking through the admin console every time." },
  { locale: "en", title: "{topic} is slow for large accounts", bodyMd: "With more than 10,000 records it takes about 30 seconds. Is this expected, and is there a way to speed it up?" },
  { locale: "en", title: "How do you monitor {topic}?", bodyMd: "We want an alert when something goes wrong before our users notice. What do you use?" },
  { locale: "en", title: "Migrating {topic} from our old tool", bodyMd: "We are moving from a self-hosted system. Has anyone migrated existing data? Steps so far:\n\n1. Exported everything to CSV\n2. Mapped the fields\n3. Stuck on the import" },
  { locale: "en", title: "Unexpected behaviour with {topic}", bodyMd: "The docs say changes apply immediately, but we see the old setting for about an hour. Is there a cache somewhere?" },
  { locale: "en", title: "Who can change {topic}?", bodyMd: "A member changed this without asking and nobody knows how. Which roles are allowed to do it, and is it in the audit log?" },
  { locale: "en", title: "Testing {topic} in the sandbox", bodyMd: "Does the sandbox behave like production here? Our test passes in the sandbox and fails in production.\n\n```bash\ncurl -sS https://api.example.com/v1/ping -H \"Authorization: Bearer $TOKEN\"\n```" },
  { locale: "ja", title: "{topic}の設定方法を教えてください", bodyMd: "来月から全社で利用する予定です。最初に設定すべき項目と、展開前に確認しておくべきことはありますか?" },
  { locale: "ja", title: "{topic}が動かなくなりました", bodyMd: "今朝から操作しても何も起きません。画面にエラーは出ていません。\n\n```\nHTTP/1.1 502 Bad Gateway\n```\n\n同じ症状の方はいますか?" },
  { locale: "ja", title: "{topic}の運用のベストプラクティスは?", bodyMd: "4 つのチームで約 **300 名**が利用しています。他社の管理者の方はどのように運用していますか?" },
  { locale: "ja", title: "{topic}を特定のチームだけに制限できますか", bodyMd: "当面はサポートチームだけに表示したいです。ワークスペース全体の設定は見つかりましたが、チーム単位の設定が見当たりません。" },
  { locale: "ja", title: "{topic}で 403 エラーになります", bodyMd: "管理者アカウントで保存すると 403 が返ります。\n\n```json\n{ \"error\": \"forbidden\" }\n```\n\nどの権限が足りないのでしょうか?" },
  { locale: "ja", title: "{topic}を API で操作できますか", bodyMd: "デプロイのパイプラインから自動化したいと考えています。管理画面を毎回操作するのは避けたいです。" },
  { locale: "ja", title: "{topic}が大規模アカウントで遅い", bodyMd: "1 万件を超えると 30 秒ほどかかります。想定どおりでしょうか。改善する方法はありますか?" },
  { locale: "ja", title: "{topic}の変更履歴を確認したい", bodyMd: "誰かが設定を変更したようですが、経緯が分かりません。監査ログで確認できますか?" },
];

export interface ScaleAnswerText {
  locale: "en" | "ja";
  bodyMd: string;
}

export const SCALE_ANSWER_TEXTS: readonly ScaleAnswerText[] = [
  { locale: "en", bodyMd: "We had the same problem. Go to **Admin → Settings → Security** and turn the option off and on again; that cleared the cached configuration for us." },
  { locale: "en", bodyMd: "This is expected: the change applies to new sessions only. Ask your users to sign out and in again, or wait for the sessions to expire (8 hours by default)." },
  { locale: "en", bodyMd: "You need the `admin:write` scope on the token. Create a new token under **Developer → Tokens** and tick it explicitly; old tokens do not get new scopes." },
  { locale: "en", bodyMd: "We automated it with a small script:\n\n```python\nimport requests\nr = requests.post(URL, json=payload, headers={\"Authorization\": f\"Bearer {token}\"})\nr.raise_for_status()\n```\n\nRun it from CI after each deploy." },
  { locale: "en", bodyMd: "Check the audit log first: filter by the setting name and you will see who changed it and when. Only owners and admins can change it." },
  { locale: "en", bodyMd: "Support confirmed this is a known limitation for accounts with more than 10,000 records. Splitting the job by team brought it down to a few seconds for us." },
  { locale: "en", bodyMd: "Per-team limits are not available yet, but you can get close with a custom role that only the support team has." },
  { locale: "en", bodyMd: "+1 to the answer above. One more thing: the sandbox uses a different base URL, so double-check your environment variables." },
  { locale: "en", bodyMd: "We monitor it with a webhook to our alerting tool. Anything other than a 2xx for five minutes pages the on-call person." },
  { locale: "en", bodyMd: "Migration steps that worked for us:\n\n1. Import users first\n2. Then the records, in batches of 1,000\n3. Re-run the import for failed rows only\n\nThe import report lists the failed rows." },
  { locale: "en", bodyMd: "It is cached for up to an hour. You can force a refresh with:\n\n```bash\ncurl -X POST https://api.example.com/v1/cache/refresh -H \"Authorization: Bearer $TOKEN\"\n```" },
  { locale: "en", bodyMd: "Open a ticket with support and include the request id from the response headers; they can see exactly why it failed." },
  { locale: "ja", bodyMd: "同じ現象がありました。**管理 → 設定 → セキュリティ** で一度オフにしてからオンに戻すと解消しました。" },
  { locale: "ja", bodyMd: "仕様どおりの動きです。変更は新しいセッションにのみ反映されるので、一度ログアウトしてもらうか、セッションの期限切れ(既定で 8 時間)を待ってください。" },
  { locale: "ja", bodyMd: "トークンに `admin:write` スコープが必要です。**開発者 → トークン** で新しく作成し、明示的にチェックを入れてください。" },
  { locale: "ja", bodyMd: "弊社では次のスクリプトで自動化しています。\n\n```bash\ncurl -X POST https://api.example.com/v1/sync -H \"Authorization: Bearer $TOKEN\"\n```\n\nCI からデプロイ後に実行しています。" },
  { locale: "ja", bodyMd: "まず監査ログを確認するのがおすすめです。設定名で絞り込むと、誰がいつ変更したか分かります。" },
  { locale: "ja", bodyMd: "サポートに確認したところ、1 万件を超えるアカウントでの既知の制限とのことでした。チームごとに分けて実行すると数秒で終わりました。" },
  { locale: "ja", bodyMd: "チーム単位の制限はまだありませんが、サポートチームだけに付与するカスタムロールを作ればほぼ同じことができます。" },
  { locale: "ja", bodyMd: "上の回答に補足です。サンドボックスは API のベース URL が異なるので、環境変数を確認してみてください。" },
];

export const SCALE_COMMENT_TEXTS: readonly { locale: "en" | "ja"; body: string }[] = [
  { locale: "en", body: "Thanks, that fixed it for us." },
  { locale: "en", body: "Which plan are you on? I think this depends on the plan." },
  { locale: "en", body: "Same here since the last release." },
  { locale: "en", body: "Could you share the request id?" },
  { locale: "en", body: "This worked, but only after clearing the browser cache." },
  { locale: "en", body: "Is this documented anywhere? I could not find it in the KB." },
  { locale: "en", body: "We use `admin:write` too and it works fine." },
  { locale: "en", body: "Good point, I had not thought of the sandbox URL." },
  { locale: "ja", body: "ありがとうございます。解決しました。" },
  { locale: "ja", body: "どのプランをご利用ですか? プランによって異なるかもしれません。" },
  { locale: "ja", body: "こちらでも前回のリリース以降同じ現象です。" },
  { locale: "ja", body: "ブラウザのキャッシュを消したら動きました。" },
  { locale: "ja", body: "ナレッジベースに記載はありますか?" },
  { locale: "ja", body: "参考になりました。試してみます。" },
];
