import { z } from "zod";
import { buildIcs, icsFileName, type IcsEvent } from "../events/ics";
import { isValidTimeZone } from "../events/zoned-time";
import { formatDate, formatDateTime, timeZoneName } from "../i18n/format";

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

/**
 * An event as the event mails carry it: what the text shows and what the .ics attachment needs (built
 * with eventMailParams in features/events/jobs.server.ts). Times are ISO strings, since the params travel
 * as a job's JSON payload.
 */
const isoTime = z.iso.datetime({ offset: true });
const mailEvent = z.object({
  kind: z.enum(["webinar", "group_event"]),
  slug: z.string().min(1).max(200),
  uid: z.string().min(1).max(300),
  title: z.string().trim().min(1).max(300),
  summary: z.string().max(1000),
  url: linkUrl,
  startsAt: isoTime,
  endsAt: isoTime,
  /** A venue and address, or the event page's URL. */
  location: z.string().max(1000),
  status: z.enum(["CONFIRMED", "CANCELLED"]),
  sequence: z.number().int().min(0),
  updatedAt: isoTime,
});
export type MailEvent = z.infer<typeof mailEvent>;
/** The recipient's zone: every time in an event mail is shown in it, with its name. */
const recipientTimeZone = z.string().refine(isValidTimeZone, "invalid time zone");
const eventCommon = { displayName, timeZone: recipientTimeZone, event: mailEvent };

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
  /** A seat is held; the .ics is attached. */
  event_registered: z.object(eventCommon),
  /** The event is full; `position` is the 1-based place in the waitlist. */
  event_waitlisted: z.object({ ...eventCommon, position: z.number().int().min(1) }),
  /** A seat came free and is now the member's; the .ics is attached. */
  event_promoted: z.object(eventCommon),
  /** The day-before or hour-before reminder; the join link only in the hour reminder (it opens shortly before). */
  event_reminder: z.object({ ...eventCommon, when: z.enum(["day", "hour"]), joinUrl: linkUrl.nullable() }),
  /** The event was cancelled; the attached .ics carries STATUS:CANCELLED so calendar apps drop it. */
  event_cancelled: z.object({ ...eventCommon, reason: z.string().max(2000) }),
  /** To registrants who did not attend: the recording (through the page that records "watched"). */
  event_recording: z.object({ ...eventCommon, recordingUrl: linkUrl }),
  /** To attendees: the short survey (rating and comment). */
  event_survey: z.object({ ...eventCommon, surveyUrl: linkUrl }),
} as const;

export type MailTemplateName = keyof typeof MAIL_TEMPLATE_PARAMS;
export const MAIL_TEMPLATE_NAMES = Object.keys(MAIL_TEMPLATE_PARAMS) as MailTemplateName[];
export type MailTemplateParams<T extends MailTemplateName> = z.infer<(typeof MAIL_TEMPLATE_PARAMS)[T]>;

/** A template with its parameters, discriminated by `template`. */
export type MailTemplateMessage = {
  [T in MailTemplateName]: { template: T; locale: MailLocale; params: MailTemplateParams<T> };
}[MailTemplateName];

/** A file sent with a message; structurally the same as db/schema/mail.ts MailAttachment (this module stays free of db imports). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
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
  attachments?: MailAttachment[];
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
  event_registered: {
    en: (p) => ({
      subject: `You're registered: ${p.event.title}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `You have a seat at the ${eventNoun(p.event.kind, "en")} “${p.event.title}”.` },
        { kind: "p", text: `When: ${eventWhen(p, "en")}` },
        ...eventPlaceBlocks(p.event, "en"),
        { kind: "button", label: `View the ${eventNoun(p.event.kind, "en")}`, url: p.event.url },
        { kind: "note", text: "The calendar file (.ics) is attached. Can't make it after all? Cancel on the page, so someone on the waitlist gets your seat." },
      ],
      attachments: [eventIcsAttachment(p.event)],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】お申し込みを受け付けました：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `${eventNoun(p.event.kind, "ja")}「${p.event.title}」へのお申し込みを受け付けました。お席を確保しています。` },
        { kind: "p", text: `日時：${eventWhen(p, "ja")}` },
        ...eventPlaceBlocks(p.event, "ja"),
        { kind: "button", label: `${eventNoun(p.event.kind, "ja")}のページを見る`, url: p.event.url },
        { kind: "note", text: "カレンダー用ファイル（.ics）を添付しています。ご都合が悪くなった場合は、キャンセル待ちの方のためにページからキャンセルしてください。" },
      ],
      attachments: [eventIcsAttachment(p.event)],
    }),
  },
  event_waitlisted: {
    en: (p) => ({
      subject: `You're on the waitlist: ${p.event.title}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `The ${eventNoun(p.event.kind, "en")} “${p.event.title}” is full, so you are number ${p.position} on the waitlist.` },
        { kind: "p", text: `When: ${eventWhen(p, "en")}` },
        { kind: "p", text: "When a seat comes free it goes to the next person on the waitlist automatically, and we'll email you if it's yours." },
        { kind: "button", label: `View the ${eventNoun(p.event.kind, "en")}`, url: p.event.url },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】キャンセル待ちに登録しました：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `${eventNoun(p.event.kind, "ja")}「${p.event.title}」は満席のため、キャンセル待ち（${p.position} 番目）として登録しました。` },
        { kind: "p", text: `日時：${eventWhen(p, "ja")}` },
        { kind: "p", text: "空席が出ると、キャンセル待ちの順に自動で繰り上がります。お席が確保できた場合はメールでお知らせします。" },
        { kind: "button", label: `${eventNoun(p.event.kind, "ja")}のページを見る`, url: p.event.url },
      ],
    }),
  },
  event_promoted: {
    en: (p) => ({
      subject: `A seat is yours: ${p.event.title}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `Good news: a seat came free at “${p.event.title}” and it is now yours. You're registered.` },
        { kind: "p", text: `When: ${eventWhen(p, "en")}` },
        ...eventPlaceBlocks(p.event, "en"),
        { kind: "button", label: `View the ${eventNoun(p.event.kind, "en")}`, url: p.event.url },
        { kind: "note", text: "The calendar file (.ics) is attached. If you can no longer come, please cancel on the page so the next person gets the seat." },
      ],
      attachments: [eventIcsAttachment(p.event)],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】お席が確保できました：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `「${p.event.title}」に空席が出たため、キャンセル待ちから繰り上がりました。お申し込みが確定しています。` },
        { kind: "p", text: `日時：${eventWhen(p, "ja")}` },
        ...eventPlaceBlocks(p.event, "ja"),
        { kind: "button", label: `${eventNoun(p.event.kind, "ja")}のページを見る`, url: p.event.url },
        { kind: "note", text: "カレンダー用ファイル（.ics）を添付しています。ご都合が悪くなった場合は、ページからキャンセルしてください。" },
      ],
      attachments: [eventIcsAttachment(p.event)],
    }),
  },
  event_reminder: {
    en: (p) => ({
      subject: p.when === "day" ? `Reminder: ${p.event.title}` : `Starting soon: ${p.event.title}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        {
          kind: "p",
          text: p.when === "day" ? `A reminder that “${p.event.title}” is coming up soon.` : `“${p.event.title}” starts in less than an hour.`,
        },
        { kind: "p", text: `When: ${eventWhen(p, "en")}` },
        ...eventPlaceBlocks(p.event, "en"),
        ...(p.joinUrl
          ? ([
              { kind: "button", label: "Join", url: p.joinUrl },
              { kind: "link", intro: "Event page:", url: p.event.url },
            ] satisfies Block[])
          : ([{ kind: "button", label: `View the ${eventNoun(p.event.kind, "en")}`, url: p.event.url }] satisfies Block[])),
        ...(p.when === "day" && p.event.kind === "webinar" ? ([{ kind: "note", text: "The join link appears on the page shortly before the start, and we'll send it an hour before." }] satisfies Block[]) : []),
      ],
    }),
    ja: (p) => ({
      subject: p.when === "day" ? `【${PRODUCT}】開催のご案内：${p.event.title}` : `【${PRODUCT}】まもなく開始：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: p.when === "day" ? `「${p.event.title}」の開催が近づいてきました。` : `「${p.event.title}」はまもなく（1 時間以内に）始まります。` },
        { kind: "p", text: `日時：${eventWhen(p, "ja")}` },
        ...eventPlaceBlocks(p.event, "ja"),
        ...(p.joinUrl
          ? ([
              { kind: "button", label: "参加する", url: p.joinUrl },
              { kind: "link", intro: "イベントページ：", url: p.event.url },
            ] satisfies Block[])
          : ([{ kind: "button", label: `${eventNoun(p.event.kind, "ja")}のページを見る`, url: p.event.url }] satisfies Block[])),
        ...(p.when === "day" && p.event.kind === "webinar" ? ([{ kind: "note", text: "参加用リンクは開始直前にページに表示され、開始 1 時間前のメールでもお送りします。" }] satisfies Block[]) : []),
      ],
    }),
  },
  event_cancelled: {
    en: (p) => ({
      subject: `Cancelled: ${p.event.title}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `We're sorry: the ${eventNoun(p.event.kind, "en")} “${p.event.title}” (${eventWhen(p, "en")}) has been cancelled.` },
        ...(p.reason.trim() ? ([{ kind: "p", text: `Reason: ${p.reason.trim()}` }] satisfies Block[]) : []),
        { kind: "button", label: `View the ${eventNoun(p.event.kind, "en")}`, url: p.event.url },
        { kind: "note", text: "The attached calendar file (.ics) marks it cancelled in your calendar." },
      ],
      attachments: [eventIcsAttachment({ ...p.event, status: "CANCELLED" })],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】開催中止のお知らせ：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `誠に申し訳ございませんが、${eventNoun(p.event.kind, "ja")}「${p.event.title}」（${eventWhen(p, "ja")}）は開催中止となりました。` },
        ...(p.reason.trim() ? ([{ kind: "p", text: `理由：${p.reason.trim()}` }] satisfies Block[]) : []),
        { kind: "button", label: "ページを見る", url: p.event.url },
        { kind: "note", text: "添付のカレンダー用ファイル（.ics）を開くと、カレンダー上の予定が中止として更新されます。" },
      ],
      attachments: [eventIcsAttachment({ ...p.event, status: "CANCELLED" })],
    }),
  },
  event_recording: {
    en: (p) => ({
      subject: `Recording available: ${p.event.title}`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `Sorry we missed you at “${p.event.title}”. The recording is now available, so you can watch it when it suits you.` },
        { kind: "button", label: "Watch the recording", url: p.recordingUrl },
        { kind: "fallbackLink", intro: "If the button doesn't work, copy this link into your browser:", url: p.recordingUrl },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】録画を公開しました：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `「${p.event.title}」にお申し込みいただき、ありがとうございました。録画を公開しましたので、ご都合のよいときにご覧ください。` },
        { kind: "button", label: "録画を見る", url: p.recordingUrl },
        { kind: "fallbackLink", intro: "ボタンが開けない場合は、次のリンクをブラウザに貼り付けてください。", url: p.recordingUrl },
      ],
    }),
  },
  event_survey: {
    en: (p) => ({
      subject: `How was “${p.event.title}”?`,
      blocks: [
        { kind: "p", text: `Hi ${p.displayName},` },
        { kind: "p", text: `Thanks for attending “${p.event.title}”. Tell us how it went: a rating from 1 to 5 and, if you like, a comment. It takes under a minute.` },
        { kind: "button", label: "Answer the survey", url: p.surveyUrl },
        { kind: "fallbackLink", intro: "If the button doesn't work, copy this link into your browser:", url: p.surveyUrl },
      ],
    }),
    ja: (p) => ({
      subject: `【${PRODUCT}】アンケートのお願い：${p.event.title}`,
      blocks: [
        { kind: "p", text: `${p.displayName} 様` },
        { kind: "p", text: `「${p.event.title}」にご参加いただき、ありがとうございました。5 段階の評価と、よろしければコメントをお聞かせください（1 分ほどで終わります）。` },
        { kind: "button", label: "アンケートに回答する", url: p.surveyUrl },
        { kind: "fallbackLink", intro: "ボタンが開けない場合は、次のリンクをブラウザに貼り付けてください。", url: p.surveyUrl },
      ],
    }),
  },
};

const eventNoun = (kind: MailEvent["kind"], locale: MailLocale) =>
  locale === "ja" ? (kind === "webinar" ? "ウェビナー" : "イベント") : kind === "webinar" ? "webinar" : "event";

/** "Mar 8, 2026, 10:00 AM – 11:00 AM (Eastern Daylight Time)": in the recipient's zone, named. */
function eventWhen(p: { timeZone: string; event: MailEvent }, locale: MailLocale): string {
  const start = new Date(p.event.startsAt);
  const end = new Date(p.event.endsAt);
  const endText =
    formatDate(start, locale, p.timeZone) === formatDate(end, locale, p.timeZone)
      ? new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { timeStyle: "short", timeZone: p.timeZone }).format(end)
      : formatDateTime(end, locale, p.timeZone);
  return `${formatDateTime(start, locale, p.timeZone)} – ${endText} (${timeZoneName(p.timeZone, locale, start)})`;
}

/** The place line, for in-person events only (an online event's location is just its page). */
function eventPlaceBlocks(event: MailEvent, locale: MailLocale): Block[] {
  if (!event.location || event.location === event.url) return [];
  return [{ kind: "p", text: `${locale === "ja" ? "会場" : "Where"}: ${event.location}` }];
}

function eventIcsAttachment(event: MailEvent): MailAttachment {
  const icsEvent: IcsEvent = {
    uid: event.uid,
    title: event.title,
    description: event.summary ? `${event.summary}\n\n${event.url}` : event.url,
    url: event.url,
    startsAt: new Date(event.startsAt),
    endsAt: new Date(event.endsAt),
    location: event.location,
    status: event.status,
    sequence: event.sequence,
    updatedAt: new Date(event.updatedAt),
  };
  return {
    filename: icsFileName(event.slug),
    contentType: "text/calendar; charset=utf-8; method=PUBLISH",
    content: buildIcs({ calendarName: event.title, events: [icsEvent] }),
  };
}

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
    attachments: content.attachments ?? [],
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
