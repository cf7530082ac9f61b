import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import {
  forumAnswers,
  forumComments,
  forumQuestions,
  memberSettings,
  notifications,
  users,
  type DigestFrequency,
  type Locale,
  type NotificationType,
} from "../../../db/schema";
import { getEnv } from "../../env.server";
import { issuesToFieldErrors } from "../forms/parse";
import { scheduleRecurringJob } from "../jobs/queue.server";
import { PermanentJobError, registerJobHandler, type JobHandler } from "../jobs/registry.server";
import { enqueueMail } from "../mail/mail.server";
import { MAIL_NOTIFICATION_ITEMS_MAX, type MailNotificationItem, type MailNotificationType } from "../mail/templates";
import { questionPath } from "./forum.schema";
import { digestFrequencySchema, notificationsFormSchema, UNREAD_COUNT_CAP } from "./notifications.schema";
import { refuse, type ForumActor, type ForumResult } from "./result";

/**
 * In-app notifications (the bell and /notifications), each member's email setting, and the two jobs that
 * mail notifications: forum.notify_immediate (one member, "immediate") and forum.digest (every 15 minutes,
 * every member whose daily or weekly digest is due).
 *
 * Mail is sent at most once per notification: the transaction that queues a mail also stamps emailed_at on
 * exactly the notifications it lists, under a lock on the member's member_settings row, so two runs of the
 * job (a retry, an expired lease, two workers) cannot both mail the same notification. A mail is queued
 * only when it lists at least one notification.
 */

// The mail template repeats the notification types (it stays free of db imports); this keeps them equal.
const sameNotificationTypes: [NotificationType, MailNotificationType] extends [MailNotificationType, NotificationType] ? true : never = true;
void sameNotificationTypes;

export const FORUM_NOTIFY_IMMEDIATE_JOB = "forum.notify_immediate";
export const FORUM_DIGEST_JOB = "forum.digest";
const DIGEST_EVERY_SECONDS = 15 * 60;

export const NOTIFICATIONS_PAGE_SIZE = 30;

const DAY_MS = 24 * 60 * 60 * 1000;
const PERIOD_MS: Record<"daily" | "weekly", number> = { daily: DAY_MS, weekly: 7 * DAY_MS };
/**
 * A digest is due a little before a full period has passed: the job runs every 15 minutes, so without slack
 * a digest sent at 09:00:05 would next go out at 09:15, drifting a quarter hour a day. Less than the job's
 * interval, so two digests are never closer than a period minus 10 minutes.
 */
const DIGEST_SLACK_MS = 10 * 60 * 1000;
/** Pending notifications read per mail; anything beyond is mailed next time. */
const PENDING_BATCH = 500;

// ---------------------------------------------------------------------------------------------------------
// Paths

/** The question page, at the answer or comment the notification is about (#answer-<id>, #comment-<id>). */
function questionHref(row: { questionId: number | null; questionSlug: string | null; answerId: number | null; commentId: number | null }): string | null {
  if (row.questionId === null || row.questionSlug === null) return null;
  const anchor = row.commentId !== null ? `#comment-${row.commentId}` : row.answerId !== null ? `#answer-${row.answerId}` : "";
  return `${questionPath(row.questionId, row.questionSlug)}${anchor}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading notifications

const actors = alias(users, "notification_actor");

/** Notifications with what a reader needs to show them; `available` is false once the post is gone or hidden. */
function selectNotifications(db: Db) {
  return db
    .select({
      id: notifications.id,
      type: notifications.type,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
      data: notifications.data,
      questionId: notifications.questionId,
      answerId: notifications.answerId,
      commentId: notifications.commentId,
      actorName: actors.displayName,
      actorHandle: actors.handle,
      questionTitle: forumQuestions.title,
      questionSlug: forumQuestions.slug,
      available: sql<boolean>`(
        ${notifications.questionId} is null
        or (${forumQuestions.deletedAt} is null and ${forumQuestions.hiddenAt} is null
            and (${notifications.answerId} is null or (${forumAnswers.deletedAt} is null and ${forumAnswers.hiddenAt} is null))
            and (${notifications.commentId} is null or (${forumComments.deletedAt} is null and ${forumComments.hiddenAt} is null))))`,
    })
    .from(notifications)
    .leftJoin(actors, eq(actors.id, notifications.actorId))
    .leftJoin(forumQuestions, eq(forumQuestions.id, notifications.questionId))
    .leftJoin(forumAnswers, eq(forumAnswers.id, notifications.answerId))
    .leftJoin(forumComments, eq(forumComments.id, notifications.commentId));
}

type NotificationRow = Awaited<ReturnType<ReturnType<typeof selectNotifications>["execute"]>>[number];

export interface NotificationView {
  id: number;
  type: NotificationType;
  read: boolean;
  createdAt: Date;
  actorName: string | null;
  /** The question's title or the badge's name (in the viewer's language); null when no longer available. */
  title: string | null;
  /** Where the notification leads (question anchor or profile); null when the post is gone or hidden. */
  href: string | null;
}

function badgeName(data: Record<string, unknown>, locale: Locale): string | null {
  const name = locale === "ja" ? data.badgeNameJa : data.badgeNameEn;
  return typeof name === "string" && name.length > 0 ? name : typeof data.badgeSlug === "string" ? data.badgeSlug : null;
}

function toView(row: NotificationRow, locale: Locale, recipientHandle: string): NotificationView {
  const isMemberEvent = row.type === "badge_awarded" || row.type === "champion_granted";
  const available = row.available === true;
  return {
    id: row.id,
    type: row.type,
    read: row.readAt !== null,
    createdAt: row.createdAt,
    actorName: row.actorName,
    title: isMemberEvent ? (row.type === "badge_awarded" ? badgeName(row.data, locale) : null) : available ? row.questionTitle : null,
    href: isMemberEvent ? `/members/${recipientHandle}` : available ? questionHref(row) : null,
  };
}

async function handleOf(db: Db, userId: number): Promise<string> {
  const [row] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, userId));
  return row?.handle ?? "";
}

/** A member's notifications, newest first, a page at a time. Only ever the member's own. */
export async function listNotifications(
  db: Db,
  userId: number,
  input: { page: number; locale: Locale; pageSize?: number },
): Promise<{ items: NotificationView[]; page: number; hasNext: boolean }> {
  const pageSize = input.pageSize ?? NOTIFICATIONS_PAGE_SIZE;
  const page = Math.max(1, Math.floor(input.page));
  const rows = await selectNotifications(db)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  const handle = await handleOf(db, userId);
  return { items: rows.slice(0, pageSize).map((row) => toView(row, input.locale, handle)), page, hasNext: rows.length > pageSize };
}

/**
 * Unread notifications for the bell, counted up to UNREAD_COUNT_CAP: one scan of the partial index
 * notifications_unread_idx, bounded however many a member lets pile up. Runs in the root loader.
 */
export async function countUnread(db: Db, userId: number): Promise<number> {
  const unread = db
    .select({ one: sql`1` })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .limit(UNREAD_COUNT_CAP)
    .as("unread");
  const [row] = await db.select({ n: count() }).from(unread);
  return row?.n ?? 0;
}

const markReadSchema = notificationsFormSchema.options[0].pick({ notificationId: true });

/** Marks one of the actor's notifications read (idempotent). Someone else's notification is not_found, untouched. */
export async function markRead(db: Db, actor: ForumActor, input: { notificationId: number }): Promise<ForumResult> {
  const parsed = markReadSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const updated = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, parsed.data.notificationId), eq(notifications.userId, actor.id)))
    .returning({ id: notifications.id });
  return updated.length > 0 ? { ok: true } : refuse("not_found");
}

/** Marks every unread notification of the actor read; returns how many changed. */
export async function markAllRead(db: Db, actor: ForumActor): Promise<ForumResult<{ marked: number }>> {
  const updated = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { ok: true, marked: updated.length };
}

// ---------------------------------------------------------------------------------------------------------
// Settings

export interface DigestSettings {
  frequency: DigestFrequency;
  lastDigestAt: Date | null;
}

/** The member's email setting; "daily" for a member who never chose (no member_settings row). */
export async function getDigestSettings(db: Db, userId: number): Promise<DigestSettings> {
  const [row] = await db
    .select({ frequency: memberSettings.digestFrequency, lastDigestAt: memberSettings.lastDigestAt })
    .from(memberSettings)
    .where(eq(memberSettings.userId, userId));
  return row ?? { frequency: "daily", lastDigestAt: null };
}

/**
 * Sets how often the actor is emailed about notifications. Switching to "immediate" mails what is pending
 * at the next digest run rather than at once (the setting is not an event). Side effects: member_settings.
 */
export async function setDigestFrequency(db: Db, actor: ForumActor, input: { frequency: DigestFrequency }): Promise<ForumResult> {
  const parsed = digestFrequencySchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  await db
    .insert(memberSettings)
    .values({ userId: actor.id, digestFrequency: parsed.data.frequency })
    .onConflictDoUpdate({ target: memberSettings.userId, set: { digestFrequency: parsed.data.frequency, updatedAt: sql`now()` } });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------------
// Mail

/** Whether a member with this setting, last mailed at `lastDigestAt`, is due a digest at `now`. */
export function isDigestDue(frequency: DigestFrequency, lastDigestAt: Date | null, now: Date): boolean {
  if (frequency !== "daily" && frequency !== "weekly") return false;
  if (lastDigestAt === null) return true;
  return now.getTime() - lastDigestAt.getTime() >= PERIOD_MS[frequency] - DIGEST_SLACK_MS;
}

function absoluteUrl(path: string): string {
  return new URL(path, getEnv().APP_URL).toString();
}

/**
 * Mails a member's pending notifications (emailed_at null) if their setting asks for it now, in one
 * transaction: lock the member's settings row, re-check under the lock, queue the mail, stamp emailed_at
 * and last_digest_at. A concurrent run waits on the lock and then finds nothing pending. Notifications
 * about posts since hidden or deleted are stamped but not listed; a mail that would list nothing is not sent.
 * Returns whether a mail was queued.
 */
export async function mailPendingNotifications(db: Db, userId: number, input: { mode: "immediate" | "digest"; now: Date }): Promise<boolean> {
  return db.transaction(async (tx) => {
    // The lock needs a row; a member who never chose gets one with the defaults.
    await tx.insert(memberSettings).values({ userId }).onConflictDoNothing({ target: memberSettings.userId });
    const [settings] = await tx.select().from(memberSettings).where(eq(memberSettings.userId, userId)).for("update");
    if (!settings) return false;
    const dueNow = input.mode === "immediate" ? settings.digestFrequency === "immediate" : isDigestDue(settings.digestFrequency, settings.lastDigestAt, input.now);
    if (!dueNow) return false;

    const [member] = await tx
      .select({ email: users.email, displayName: users.displayName, handle: users.handle, locale: users.locale })
      .from(users)
      .where(and(eq(users.id, userId), isNull(users.suspendedAt), isNotNull(users.emailVerifiedAt)));
    if (!member) return false;

    const pending = await selectNotifications(tx)
      .where(and(eq(notifications.userId, userId), isNull(notifications.emailedAt)))
      .orderBy(asc(notifications.id))
      .limit(PENDING_BATCH);
    if (pending.length === 0) return false;

    const locale: Locale = member.locale ?? "en";
    const items: MailNotificationItem[] = [];
    let listed = 0;
    for (const row of [...pending].reverse()) {
      const view = toView(row, locale, member.handle);
      if (view.href === null) continue;
      listed++;
      if (items.length < MAIL_NOTIFICATION_ITEMS_MAX) items.push({ type: view.type, actorName: view.actorName, title: view.title, url: absoluteUrl(view.href) });
    }

    await tx
      .update(notifications)
      .set({ emailedAt: input.now })
      .where(inArray(notifications.id, pending.map((row) => row.id)));
    if (items.length === 0) return false;

    const common = { displayName: member.displayName, items, moreCount: listed - items.length, notificationsUrl: absoluteUrl("/notifications"), settingsUrl: absoluteUrl("/settings/notifications") };
    if (input.mode === "immediate") {
      await enqueueMail(tx, { to: member.email, userId, locale, template: "forum_notification", params: common });
    } else {
      const period = settings.digestFrequency === "weekly" ? "weekly" : "daily";
      await enqueueMail(tx, { to: member.email, userId, locale, template: "forum_digest", params: { ...common, period } });
    }
    await tx.update(memberSettings).set({ lastDigestAt: input.now, updatedAt: sql`now()` }).where(eq(memberSettings.userId, userId));
    return true;
  });
}

/**
 * Members who may be due a digest at `now`: daily or weekly (the default is daily), with pending
 * notifications, a verified address, not suspended, and no digest within their period. A hint only:
 * mailPendingNotifications decides again under the member's lock.
 */
async function listDigestCandidates(db: Db, now: Date): Promise<number[]> {
  const frequency = sql<string>`coalesce(${memberSettings.digestFrequency}, 'daily')`;
  const dueBefore = (kind: "daily" | "weekly"): SQL => sql`${new Date(now.getTime() - PERIOD_MS[kind] + DIGEST_SLACK_MS).toISOString()}::timestamptz`;
  const pendingUsers = db.selectDistinct({ userId: notifications.userId }).from(notifications).where(isNull(notifications.emailedAt)).as("pending_users");
  const rows = await db
    .select({ userId: pendingUsers.userId })
    .from(pendingUsers)
    .innerJoin(users, eq(users.id, pendingUsers.userId))
    .leftJoin(memberSettings, eq(memberSettings.userId, pendingUsers.userId))
    .where(
      and(
        isNull(users.suspendedAt),
        isNotNull(users.emailVerifiedAt),
        or(
          and(sql`${frequency} = 'daily'`, or(isNull(memberSettings.lastDigestAt), lte(memberSettings.lastDigestAt, dueBefore("daily")))),
          and(sql`${frequency} = 'weekly'`, or(isNull(memberSettings.lastDigestAt), lte(memberSettings.lastDigestAt, dueBefore("weekly")))),
        ),
      ),
    )
    .orderBy(asc(pendingUsers.userId));
  return rows.map((r) => r.userId);
}

/** One digest run: mails every member whose digest is due at `now`. Returns how many mails were queued. */
export async function sendDueDigests(db: Db, input: { now: Date }): Promise<{ mailed: number }> {
  let mailed = 0;
  for (const userId of await listDigestCandidates(db, input.now)) {
    if (await mailPendingNotifications(db, userId, { mode: "digest", now: input.now })) mailed++;
  }
  return { mailed };
}

/** The database's clock, shared by every process (as the job queue uses it). */
async function databaseNow(db: Db): Promise<Date> {
  const [row] = await queryRows<{ now: Date | string }>(db, sql`select now() as now`);
  return row ? new Date(row.now) : new Date();
}

const immediatePayload = z.object({ userId: z.number().int().positive() });

/** forum.notify_immediate: mails one "immediate" member what is pending (a burst collapses into one job). */
export const notifyImmediateJob: JobHandler = async ({ db, job, logger }) => {
  const parsed = immediatePayload.safeParse(job.payload);
  if (!parsed.success) throw new PermanentJobError(`Invalid ${FORUM_NOTIFY_IMMEDIATE_JOB} payload: ${z.prettifyError(parsed.error)}`);
  const mailed = await mailPendingNotifications(db, parsed.data.userId, { mode: "immediate", now: await databaseNow(db) });
  logger.info({ userId: parsed.data.userId, mailed }, "immediate notification mail");
};

/** forum.digest (every 15 minutes): daily and weekly digests that are due. */
export const digestJob: JobHandler = async ({ db, logger }) => {
  const { mailed } = await sendDueDigests(db, { now: await databaseNow(db) });
  logger.info({ mailed }, "notification digests queued");
};

/** The notification jobs; called from registerBuiltInJobHandlers. */
export function registerForumNotificationJobs(): void {
  registerJobHandler(FORUM_NOTIFY_IMMEDIATE_JOB, notifyImmediateJob);
  registerJobHandler(FORUM_DIGEST_JOB, digestJob);
}

/** The digest schedule; idempotent, called at every worker start. */
export async function scheduleForumNotificationJobs(db: Db): Promise<void> {
  await scheduleRecurringJob(db, { name: FORUM_DIGEST_JOB, type: FORUM_DIGEST_JOB, everySeconds: DIGEST_EVERY_SECONDS });
}
