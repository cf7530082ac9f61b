import { z } from "zod";

/**
 * Mail templates, in every supported language. Pure: rendering is a function of (template, locale, params),
 * so the worker, the staff preview and tests all produce the same message. Every parameter is escaped in
 * HTML; URLs are limited to http(s) so a parameter can never become a script link.
 */

export const MAIL_LOCALES = ["en", "ja"] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

const displayName = z.string().trim().min(1).max(200);
const linkUrl = z.url({ protocol: /^https?$/ }).max(2000);

/**
 * The kinds of forum notification (db/schema/forum.ts NOTIFICATION_TYPES, repeated here because this module
 * stays free of db imports; notifications.server.ts fails to compile if the two lists drift apart).
 */
export const MAIL_NOTIFICATION_TYPES = ["answer_posted", "answer_accepted", "comment_posted", "mentioned", "question_tagged", "badge_awarded", "champion_granted", "post_edited"] as const;
export type MailNotificationType = (typeof MAIL_NOTIFICATION_TYPES)[number];

/** At most this many notifications are listed in one mail; the rest are counted ("and 3 more"). */
export const MAIL_NOTIFICATION_ITEMS_MAX = 20;

const notificationItem = z.object({
  type: z.enum(MAIL_NOTIFICATION_TYPES),
  /** Who did it; null when unknown (a deleted account, an automatic badge). */
  actorName: z.string().trim().min(1).max(200).nullable(),
  /** The question's title, or the badge's name in the recipient's language. */
  title: z.string().trim().min(1).max(300).nullable(),
  url: linkUrl,
});
export type MailNotificationItem = z.infer<typeof notificationItem>;
const notificationItems = z.array(notificationItem).min(1).max(MAIL_NOTIFICATION_ITEMS_MAX);
const moreCount = z.number().int().min(0);

/** Parameters of each template; the one definition behind both validation and the TypeScript types. */
export const MAIL_TEMPLATE_PARAMS = {
  verify_email: z.object({ displayName, url: linkUrl }),
  reset_password: z.object({ displayName, url: linkUrl }),
  /** Sent instead of a second sign-up for a registered address, so the sign-up form never reveals who is a member. */
  account_exists: z.object({ displayName, signInUrl: linkUrl, resetUrl: linkUrl }),
  test: z.object({ displayName }),
  /** Forum notifications mailed as they happen (digest setting "immediate"); several when they came in a burst. */
  forum_notification: z.object({ displayName, items: notificationItems, moreCount, notificationsUrl: linkUrl, settingsUrl: linkUrl }),
  /** The daily or weekly summary of forum notifications not mailed yet; never sent empty (items.min(1)). */
  forum_digest: z.object({
    displayName,
    period: z.enum(["daily", "weekly"]),
    items: notificationItems,
    moreCount,
    notificationsUrl: linkUrl,
    settingsUrl: linkUrl,
  }),
} as const;

export type MailTemplateName = keyof typeof MAIL_TEMPLATE_PARAMS;
export const MAIL_TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATE_PARAMS) as MailTemplateName[];
export type MailTemplateParams<T extends MailTemplateName> = z.infer<(typeof MAIL_TEMPLATE_PARAMS)[T]>;

/** A template with its parameters, discriminated by `template`. */
export type MailTemplateMessage = {
  [T in MailTemplateName]: { template: T; locale: MailLocale; params: MailTemplateParams<T> };
}[MailTemplateName];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const PRODUCT = "Hearth";

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Blocks are the shared shape of every template, rendered once as text and once as HTML. */
type Block =
  | { kind: "p"; text: string }
  | { kind: "button"; label: string; url: string }
  /** The button's URL again for clients that cannot open it; the text part already has it. */
  | { kind: "fallbackLink"; intro: string; url: string }
  | { kind: "link"; intro: string; url: string }
  | { kind: "note"; text: string }
  /** One entry of a list of things that happened, linked to where it happened. */
  | { kind: "item"; text: string; url: string };

interface Content {
  subject: string;
  blocks: Block[];
}

type Templates = { [T in MailTemplateName]: Record<MailLocale, (p: MailTemplateParams<T>) => Content> };

const templates: Templates = {
  verify_email: {
    en: (p) => ({
      subject: `Confirm your email address for ${PRODUCT}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `Thanks for joining the ${PRODUCT} community. Please confirm your email address so we know it's really you.` },
        { kind: "button", label: "Confirm email address", url: p.url },
        { kind: "fallbackLink", intro: "If the button doesn't work, copy this link into your browser:", url: p.url },
        { kind: "note", text: "If you didn't create an account, you can ignore this email." },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】メールアドレスのご確認`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `${PRODUCT} コミュニティにご登録いただき、ありがとうございます。下のボタンから、メールアドレスの確認を完了してください。` },
        { kind: "button", label: "メールアドレスを確認する", url: p.url },
        { kind: "fallbackLink", intro: "ボタンが開けない場合は、次のリンクをブラウザに貼り付けてください。", url: p.url },
        { kind: "note", text: "このメールにお心当たりのない場合は、お手数ですが破棄してください。" },
      ],
    }),
  },
  reset_password: {
    en: (p) => ({
      subject: `Reset your ${PRODUCT} password`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: "We received a request to reset your password. Choose a new one with the button below." },
        { kind: "button", label: "Reset password", url: p.url },
        { kind: "fallbackLink", intro: "If the button doesn't work, copy this link into your browser:", url: p.url },
        { kind: "note", text: "If you didn't ask for this, ignore this email: your password stays the same." },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】パスワード再設定のご案内`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: "パスワード再設定のリクエストを受け付けました。下のボタンから新しいパスワードを設定してください。" },
        { kind: "button", label: "パスワードを再設定する", url: p.url },
        { kind: "fallbackLink", intro: "ボタンが開けない場合は、次のリンクをブラウザに貼り付けてください。", url: p.url },
        { kind: "note", text: "お心当たりのない場合は、このメールを無視してください。パスワードは変更されません。" },
      ],
    }),
  },
  account_exists: {
    en: (p) => ({
      subject: `You already have a ${PRODUCT} account`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `Someone, probably you, tried to sign up for ${PRODUCT} with this email address. You already have an account, so you can simply sign in.` },
        { kind: "button", label: "Sign in", url: p.signInUrl },
        { kind: "fallbackLink", intro: "If the button doesn't work, copy this link into your browser:", url: p.signInUrl },
        { kind: "link", intro: "Forgot your password? Choose a new one here:", url: p.resetUrl },
        { kind: "note", text: "If this wasn't you, you can ignore this email. Nothing has changed on your account." },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】このメールアドレスはすでに登録されています`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `このメールアドレスで ${PRODUCT} への新規登録のお申し込みがありましたが、このアドレスのアカウントはすでに登録済みです。下のボタンからサインインしてください。` },
        { kind: "button", label: "サインインする", url: p.signInUrl },
        { kind: "fallbackLink", intro: "ボタンが開けない場合は、次のリンクをブラウザに貼り付けてください。", url: p.signInUrl },
        { kind: "link", intro: "パスワードをお忘れの場合は、こちらから再設定できます。", url: p.resetUrl },
        { kind: "note", text: "お心当たりのない場合は、このメールを無視してください。アカウントに変更はありません。" },
      ],
    }),
  },
  test: {
    en: (p) => ({
      subject: `${PRODUCT} test email`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `This is a test email from ${PRODUCT}. If you can read it, mail delivery is working.` },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】テストメール`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `${PRODUCT} から送信したテストメールです。このメールが届いていれば、メール配信は正しく設定されています。` },
      ],
    }),
  },
  forum_notification: {
    en: (p) => ({
      subject: p.items.length + p.moreCount === 1 ? notificationItemText(p.items[0]!, "en") : `${p.items.length + p.moreCount} new notifications on ${PRODUCT}`,
      blocks: [{ kind: "p", text: `Hi ${p.displayName},` }, ...notificationBlocks(p, "en")],
    }),
    ja: (p) => ({
      subject:
        p.items.length + p.moreCount === 1 ? `【${PRODUCT}】${notificationItemText(p.items[0]!, "ja")}` : `【${PRODUCT}】新しいお知らせが ${p.items.length + p.moreCount} 件あります`,
      blocks: [{ kind: "p", text: `${p.displayName} 様` }, ...notificationBlocks(p, "ja")],
    }),
  },
  forum_digest: {
    en: (p) => {
      const count = p.items.length + p.moreCount;
      const period = p.period === "daily" ? "daily" : "weekly";
      return {
        subject: `Your ${period} ${PRODUCT} digest: ${count} new notification${count === 1 ? "" : "s"}`,
        blocks: [
          { kind: "p", text: `Hi ${p.displayName},` },
          { kind: "p", text: p.period === "daily" ? "Here is what happened in the community since your last digest." : "Here is your week in the community." },
          ...notificationBlocks(p, "en"),
        ],
      };
    },
    ja: (p) => {
      const count = p.items.length + p.moreCount;
      return {
        subject: `【${PRODUCT}】${p.period === "daily" ? "デイリー" : "ウィークリー"}ダイジェスト：新しいお知らせ ${count} 件`,
        blocks: [
          { kind: "p", text: `${p.displayName} 様` },
          { kind: "p", text: p.period === "daily" ? "前回のダイジェスト以降のコミュニティの動きをお知らせします。" : "今週のコミュニティの動きをお知らせします。" },
          ...notificationBlocks(p, "ja"),
        ],
      };
    },
  },
};

function notificationItemText(item: MailNotificationItem, locale: MailLocale): string {
  const title = item.title ?? (locale === "ja" ? "（無題）" : "(untitled)");
  if (locale === "ja") {
    const actor = item.actorName ? `${item.actorName} さん` : "メンバー";
    switch (item.type) {
      case "answer_posted":
        return `${actor}が「${title}」に回答しました`;
      case "answer_accepted":
        return `「${title}」で回答が採用されました`;
      case "comment_posted":
        return `${actor}が「${title}」にコメントしました`;
      case "mentioned":
        return `${actor}が「${title}」であなたについて言及しました`;
      case "question_tagged":
        return `フォロー中のタグに新しい質問があります：「${title}」`;
      case "badge_awarded":
        return `バッジ「${title}」を獲得しました`;
      case "champion_granted":
        return "コミュニティチャンピオンに認定されました";
      case "post_edited":
        return `${actor}が「${title}」のあなたの投稿を編集しました`;
    }
  }
  const actor = item.actorName ?? "A member";
  switch (item.type) {
    case "answer_posted":
      return `${actor} answered “${title}”`;
    case "answer_accepted":
      return `An answer was accepted on “${title}”`;
    case "comment_posted":
      return `${actor} commented on “${title}”`;
    case "mentioned":
      return `${actor} mentioned you in “${title}”`;
    case "question_tagged":
      return `New question in a tag you follow: “${title}”`;
    case "badge_awarded":
      return `You earned the “${title}” badge`;
    case "champion_granted":
      return "You are now a community champion";
    case "post_edited":
      return `${actor} edited your post in “${title}”`;
  }
}

function notificationBlocks(
  p: { items: MailNotificationItem[]; moreCount: number; notificationsUrl: string; settingsUrl: string },
  locale: MailLocale,
): Block[] {
  const items: Block[] = p.items.map((item) => ({ kind: "item", text: notificationItemText(item, locale), url: item.url }));
  const more: Block[] =
    p.moreCount > 0 ? [{ kind: "p", text: locale === "ja" ? `ほか ${p.moreCount} 件のお知らせがあります。` : `…and ${p.moreCount} more.` }] : [];
  return [
    ...items,
    ...more,
    { kind: "button", label: locale === "ja" ? "すべてのお知らせを見る" : "See all notifications", url: p.notificationsUrl },
    {
      kind: "link",
      intro: locale === "ja" ? "メールの頻度はこちらで変更・停止できます。" : "Change how often we email you, or turn these emails off:",
      url: p.settingsUrl,
    },
  ];
}

/** Renders a template in a language. Parameters should already be validated (MAIL_TEMPLATE_PARAMS). */
export function renderMail(message: MailTemplateMessage): RenderedMail {
  const render = templates[message.template][message.locale] as (p: MailTemplateMessage["params"]) => Content;
  const content = render(message.params);
  return {
    subject: content.subject,
    text: renderText(content),
    html: renderHtml(content, message.locale),
  };
}

function renderText(content: Content): string {
  const parts = content.blocks.map((b) => {
    switch (b.kind) {
      case "p":
      case "note":
        return b.text;
      case "button":
        return `${b.label}:\n${b.url}`;
      case "link":
        return `${b.intro}\n${b.url}`;
      case "item":
        return `• ${b.text}\n  ${b.url}`;
      case "fallbackLink":
        // The text part already shows the URL with the button block.
        return null;
    }
  });
  return `${parts.filter((p) => p !== null).join("\n\n")}\n\n— ${PRODUCT}\n`;
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI','Hiragino Sans','Hiragino Kaku Gothic ProN',Meiryo,sans-serif";

function renderHtml(content: Content, locale: MailLocale): string {
  const body = content.blocks
    .map((b) => {
      switch (b.kind) {
        case "p":
          return `<p style="margin:0 0 16px;">${escapeHtml(b.text)}</p>`;
        case "note":
          return `<p style="margin:24px 0 0;color:#52525b;font-size:14px;">${escapeHtml(b.text)}</p>`;
        case "button":
          return (
            `<p style="margin:24px 0;"><a href="${escapeHtml(safeHref(b.url))}" ` +
            `style="display:inline-block;padding:12px 20px;background:#b45309;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600;">` +
            `${escapeHtml(b.label)}</a></p>`
          );
        case "item":
          return `<p style="margin:0 0 12px;"><a href="${escapeHtml(safeHref(b.url))}" style="color:#b45309;">${escapeHtml(b.text)}</a></p>`;
        case "fallbackLink":
        case "link":
          return (
            `<p style="margin:0 0 16px;color:#52525b;font-size:14px;">${escapeHtml(b.intro)}<br>` +
            `<a href="${escapeHtml(safeHref(b.url))}" style="color:#b45309;word-break:break-all;">${escapeHtml(b.url)}</a></p>`
          );
      }
    })
    .join("\n");
  return [
    "<!doctype html>",
    `<html lang="${locale}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f4f4f5;color:#18181b;${FONT};font-size:16px;line-height:1.6;">`,
    `<div role="article" aria-label="${escapeHtml(content.subject)}" lang="${locale}" style="max-width:560px;margin:0 auto;padding:32px;background:#ffffff;border-radius:8px;">`,
    body,
    `<p style="margin:32px 0 0;color:#71717a;font-size:13px;">${PRODUCT}</p>`,
    "</div>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** Defence in depth behind the zod check: a non-http(s) URL never becomes a link target. */
function safeHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : "#";
}
