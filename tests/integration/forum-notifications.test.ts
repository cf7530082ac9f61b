import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import {
  badges,
  forumAnswers,
  forumComments,
  forumFollows,
  forumQuestions,
  forumTags,
  jobs,
  memberBadges,
  memberSettings,
  notifications,
  users,
} from "../../db/schema";
import type { ClaimedJob } from "../../app/features/jobs/queue.server";
import { followAsParticipant, isFollowing, listFollowedTags, setFollow } from "../../app/features/forum/follows.server";
import { extractMentions, MAX_MENTIONS_PER_POST } from "../../app/features/forum/mentions";
import {
  countUnread,
  FORUM_NOTIFY_IMMEDIATE_JOB,
  getDigestSettings,
  isDigestDue,
  listNotifications,
  mailPendingNotifications,
  markAllRead,
  markRead,
  notifyImmediateJob,
  sendDueDigests,
  setDigestFrequency,
} from "../../app/features/forum/notifications.server";
import { notifyForumEvent } from "../../app/features/forum/notify.server";
import type { ForumActor } from "../../app/features/forum/result";
import type { MailJobPayload } from "../../app/features/mail/mail.server";
import { createTestDb } from "../support/db";

// Questions, answers and comments are written with drizzle directly and notifyForumEvent is called as the
// posting commands call it, so these tests pin the notification rules on their own.

let handle: DbHandle;
let db: Db;
const logger = pino({ level: "silent" });
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const asActor = (user: UserRow): ForumActor => ({ id: user.id, role: user.role });
const member = (overrides: Parameters<typeof createUser>[1] = {}) => createUser(db, { role: "member", ...overrides });

async function makeQuestion(author: UserRow, title = "How do I rotate the SCIM token?") {
  const [row] = await db
    .insert(forumQuestions)
    .values({ authorId: author.id, title, slug: "how-do-i-rotate-the-scim-token", bodyMd: "Body", bodyHtml: "<p>Body</p>", bodyText: "Body" })
    .returning({ id: forumQuestions.id });
  // The asker follows their question, as askQuestion does.
  await followAsParticipant(db, author.id, row!.id);
  return row!.id;
}

async function makeAnswer(author: UserRow, questionId: number, text = "Use the admin console.") {
  const [row] = await db
    .insert(forumAnswers)
    .values({ questionId, authorId: author.id, bodyMd: text, bodyHtml: `<p>${text}</p>`, bodyText: text })
    .returning({ id: forumAnswers.id });
  await followAsParticipant(db, author.id, questionId);
  await notifyForumEvent(db, { type: "answer_posted", questionId, answerId: row!.id, actorId: author.id, text });
  return row!.id;
}

async function makeComment(author: UserRow, questionId: number, body: string) {
  const [row] = await db
    .insert(forumComments)
    .values({ postType: "question", postId: questionId, questionId, authorId: author.id, body, bodyHtml: `<p>${body}</p>` })
    .returning({ id: forumComments.id });
  await notifyForumEvent(db, { type: "comment_posted", questionId, answerId: null, commentId: row!.id, actorId: author.id, text: body });
  return row!.id;
}

async function makeTag(name: string) {
  const [row] = await db.insert(forumTags).values({ slug: `${name}-${Math.random().toString(36).slice(2, 8)}`, name }).returning({ id: forumTags.id });
  return row!.id;
}

async function notificationsOf(user: UserRow) {
  return db.select().from(notifications).where(eq(notifications.userId, user.id)).orderBy(notifications.id);
}

async function followerCount(questionId: number) {
  const [row] = await db.select({ n: forumQuestions.followerCount }).from(forumQuestions).where(eq(forumQuestions.id, questionId));
  return row!.n;
}

async function mailJobs(to?: UserRow): Promise<MailJobPayload[]> {
  const rows = await db.select({ payload: jobs.payload }).from(jobs).where(eq(jobs.type, "mail.send")).orderBy(jobs.id);
  const payloads = rows.map((r) => r.payload as unknown as MailJobPayload);
  return to ? payloads.filter((p) => p.userId === to.id) : payloads;
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
});
afterAll(async () => {
  await handle.close();
});
beforeEach(async () => {
  // Mail and digest state from one test must not leak into the next; users and posts are per test.
  await db.delete(jobs);
  await db.update(notifications).set({ emailedAt: new Date() }).where(sql`${notifications.emailedAt} is null`);
});

describe("following", () => {
  it("keeps follower_count exact: following twice is one follow, unfollowing takes it back", async () => {
    const asker = await member();
    const reader = await member();
    const questionId = await makeQuestion(asker);
    expect(await followerCount(questionId)).toBe(1);

    expect(await setFollow(db, asActor(reader), { targetType: "question", targetId: questionId, follow: true })).toEqual({ ok: true, following: true });
    expect(await setFollow(db, asActor(reader), { targetType: "question", targetId: questionId, follow: true })).toEqual({ ok: true, following: true });
    expect(await followerCount(questionId)).toBe(2);
    expect(await isFollowing(db, reader.id, "question", questionId)).toBe(true);

    await setFollow(db, asActor(reader), { targetType: "question", targetId: questionId, follow: false });
    await setFollow(db, asActor(reader), { targetType: "question", targetId: questionId, follow: false });
    expect(await followerCount(questionId)).toBe(1);
    expect(await isFollowing(db, reader.id, "question", questionId)).toBe(false);
  });

  it("counts concurrent follows exactly", async () => {
    const asker = await member();
    const questionId = await makeQuestion(asker);
    const readers = await Promise.all(Array.from({ length: 12 }, () => member()));
    await Promise.all(
      readers.flatMap((r) => [
        setFollow(db, asActor(r), { targetType: "question", targetId: questionId, follow: true }),
        setFollow(db, asActor(r), { targetType: "question", targetId: questionId, follow: true }),
      ]),
    );
    expect(await followerCount(questionId)).toBe(13);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(forumFollows)
      .where(and(eq(forumFollows.targetType, "question"), eq(forumFollows.targetId, questionId)));
    expect(row!.n).toBe(13);
  });

  it("refuses a suspended member and a question that does not exist; lists followed tags", async () => {
    const suspended = await member({ suspendedAt: new Date() });
    const reader = await member();
    const tagId = await makeTag("sso");
    expect(await setFollow(db, asActor(suspended), { targetType: "tag", targetId: tagId, follow: true })).toEqual({ ok: false, reason: "suspended" });
    expect(await setFollow(db, asActor(reader), { targetType: "question", targetId: 999_999, follow: true })).toEqual({ ok: false, reason: "not_found" });
    expect(await setFollow(db, asActor(reader), { targetType: "tag", targetId: tagId, follow: true })).toMatchObject({ ok: true });
    expect((await listFollowedTags(db, reader.id)).map((t) => t.name)).toEqual(["sso"]);
    expect(await listFollowedTags(db, suspended.id)).toEqual([]);
  });
});

describe("who is notified", () => {
  it("notifies the asker and followers once about a new answer, and never the one who answered", async () => {
    const asker = await member();
    const follower = await member();
    const answerer = await member();
    const bystander = await member();
    const questionId = await makeQuestion(asker);
    await setFollow(db, asActor(follower), { targetType: "question", targetId: questionId, follow: true });

    const answerId = await makeAnswer(answerer, questionId);
    // A retried command notifies nobody twice.
    await notifyForumEvent(db, { type: "answer_posted", questionId, answerId, actorId: answerer.id, text: "Use the admin console." });

    for (const user of [asker, follower]) {
      const rows = await notificationsOf(user);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type: "answer_posted", questionId, answerId, actorId: answerer.id, readAt: null });
    }
    expect(await notificationsOf(answerer)).toHaveLength(0);
    expect(await notificationsOf(bystander)).toHaveLength(0);
    // The answerer now follows the question and hears about the next answer.
    const second = await member();
    await makeAnswer(second, questionId);
    expect((await notificationsOf(answerer)).map((n) => n.type)).toEqual(["answer_posted"]);
  });

  it("tells the answer's author and the followers about an accept, not the member who accepted", async () => {
    const asker = await member();
    const answerer = await member();
    const follower = await member();
    const questionId = await makeQuestion(asker);
    await setFollow(db, asActor(follower), { targetType: "question", targetId: questionId, follow: true });
    const answerId = await makeAnswer(answerer, questionId);
    await setFollow(db, asActor(answerer), { targetType: "question", targetId: questionId, follow: false });

    await notifyForumEvent(db, { type: "answer_accepted", questionId, answerId, actorId: asker.id, answerAuthorId: answerer.id });
    expect((await notificationsOf(answerer)).map((n) => n.type)).toEqual(["answer_accepted"]);
    expect((await notificationsOf(follower)).map((n) => n.type)).toEqual(["answer_posted", "answer_accepted"]);
    expect((await notificationsOf(asker)).map((n) => n.type)).toEqual(["answer_posted"]);
  });

  it("tells followers of a question's tags about a new question", async () => {
    const asker = await member();
    const tagFollower = await member();
    const otherTagFollower = await member();
    const sso = await makeTag("sso");
    const billing = await makeTag("billing");
    await setFollow(db, asActor(tagFollower), { targetType: "tag", targetId: sso, follow: true });
    await setFollow(db, asActor(otherTagFollower), { targetType: "tag", targetId: billing, follow: true });
    await setFollow(db, asActor(asker), { targetType: "tag", targetId: sso, follow: true });

    const questionId = await makeQuestion(asker);
    await notifyForumEvent(db, { type: "question_asked", questionId, actorId: asker.id, tagIds: [sso], text: "Body" });
    expect((await notificationsOf(tagFollower)).map((n) => n.type)).toEqual(["question_tagged"]);
    expect(await notificationsOf(otherTagFollower)).toHaveLength(0);
    expect(await notificationsOf(asker)).toHaveLength(0);
  });

  it("notifies @mentioned members, ignoring handles in code, unknown handles and the author", async () => {
    const asker = await member();
    const mentioned = await member({ handle: "ada_lovelace" });
    const inCode = await member({ handle: "grace_hopper" });
    const questionId = await makeQuestion(asker);
    await makeComment(
      asker,
      questionId,
      `Maybe @Ada_Lovelace knows? Not \`@grace_hopper\` in code, nor @nobody_here, nor me @${asker.handle}, nor mail@ada_lovelace.example.`,
    );
    const rows = await notificationsOf(mentioned);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: "mentioned", questionId, actorId: asker.id });
    expect(await notificationsOf(inCode)).toHaveLength(0);
    expect(await notificationsOf(asker)).toHaveLength(0);
  });

  it("gives one notification to a follower who is also mentioned", async () => {
    const asker = await member();
    const follower = await member({ handle: "both_reasons" });
    const answerer = await member();
    const questionId = await makeQuestion(asker);
    await setFollow(db, asActor(follower), { targetType: "question", targetId: questionId, follow: true });
    await makeAnswer(answerer, questionId, "As @both_reasons said, and @both_reasons again.");
    const rows = await notificationsOf(follower);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.type).toBe("mentioned");
    expect((await notificationsOf(asker)).map((n) => n.type)).toEqual(["answer_posted"]);
  });

  it("sends suspended members nothing, even when they follow or are mentioned", async () => {
    const asker = await member();
    const suspended = await member({ handle: "on_a_break" });
    const questionId = await makeQuestion(asker);
    await setFollow(db, asActor(suspended), { targetType: "question", targetId: questionId, follow: true });
    await db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, suspended.id));
    await makeAnswer(await member(), questionId, "Ping @on_a_break");
    expect(await notificationsOf(suspended)).toHaveLength(0);
  });

  it("tells a member about their badge, with its name", async () => {
    const earner = await member();
    const [badge] = await db.insert(badges).values({ slug: `first-answer-${earner.id}`, nameEn: "First answer", nameJa: "はじめての回答", kind: "automatic" }).returning();
    const [award] = await db.insert(memberBadges).values({ userId: earner.id, badgeId: badge!.id, awardKey: `first-answer:${earner.id}` }).returning();
    await notifyForumEvent(db, { type: "badge_awarded", userId: earner.id, memberBadgeId: award!.id, badgeSlug: badge!.slug, actorId: null });
    const list = await listNotifications(db, earner.id, { page: 1, locale: "ja" });
    expect(list.items).toMatchObject([{ type: "badge_awarded", title: "はじめての回答", href: `/members/${earner.handle}` }]);
  });
});

describe("mentions", () => {
  it("reads handles outside code only, once each, at most ten", () => {
    const text = ["```", "@in_fence", "```", "", "    @indented_code", "", "Hi @One, @two and @one; `@span`."].join("\n");
    expect(extractMentions(text)).toEqual(["one", "two"]);
    const many = Array.from({ length: 15 }, (_, i) => `@member_${i}`).join(" ");
    expect(extractMentions(many)).toHaveLength(MAX_MENTIONS_PER_POST);
    expect(extractMentions("write to someone@example.com or see https://x.test/@profile")).toEqual([]);
  });

  it("notifies at most ten mentioned members per post", async () => {
    const asker = await member();
    const mentioned = await Promise.all(Array.from({ length: 12 }, (_, i) => member({ handle: `cap_${i}_${asker.id}` })));
    const questionId = await makeQuestion(asker);
    await makeComment(asker, questionId, mentioned.map((m) => `@${m.handle}`).join(" "));
    const counts = await Promise.all(mentioned.map(async (m) => (await notificationsOf(m)).length));
    expect(counts.filter((n) => n === 1)).toHaveLength(10);
    expect(counts.slice(10)).toEqual([0, 0]);
  });
});

describe("the bell and the notifications page", () => {
  it("counts unread, marks one and all read, and never touches another member's notifications", async () => {
    const asker = await member();
    const other = await member();
    const questionId = await makeQuestion(asker);
    await setFollow(db, asActor(other), { targetType: "question", targetId: questionId, follow: true });
    const answerId = await makeAnswer(await member(), questionId);
    await makeAnswer(await member(), questionId);

    expect(await countUnread(db, asker.id)).toBe(2);
    expect(await countUnread(db, other.id)).toBe(2);
    const [mine] = await notificationsOf(asker);
    const [theirs] = await notificationsOf(other);

    expect(await markRead(db, asActor(asker), { notificationId: theirs!.id })).toEqual({ ok: false, reason: "not_found" });
    expect(await countUnread(db, other.id)).toBe(2);

    expect(await markRead(db, asActor(asker), { notificationId: mine!.id })).toEqual({ ok: true });
    expect(await countUnread(db, asker.id)).toBe(1);
    expect(await markAllRead(db, asActor(asker))).toEqual({ ok: true, marked: 1 });
    expect(await countUnread(db, asker.id)).toBe(0);
    expect(await countUnread(db, other.id)).toBe(2);

    const list = await listNotifications(db, asker.id, { page: 1, locale: "en" });
    expect(list.items).toHaveLength(2);
    expect(list.items[1]).toMatchObject({ type: "answer_posted", read: true, title: "How do I rotate the SCIM token?" });
    expect(list.items[1]!.href).toBe(`/questions/${questionId}/how-do-i-rotate-the-scim-token#answer-${answerId}`);
  });

  it("pages the list and hides the link to a post that was since hidden", async () => {
    const asker = await member();
    const questionId = await makeQuestion(asker);
    for (let i = 0; i < 3; i++) await makeAnswer(await member(), questionId);
    const first = await listNotifications(db, asker.id, { page: 1, locale: "en", pageSize: 2 });
    const second = await listNotifications(db, asker.id, { page: 2, locale: "en", pageSize: 2 });
    expect([first.items.length, first.hasNext, second.items.length, second.hasNext]).toEqual([2, true, 1, false]);

    await db.update(forumQuestions).set({ hiddenAt: new Date() }).where(eq(forumQuestions.id, questionId));
    const hidden = await listNotifications(db, asker.id, { page: 1, locale: "en" });
    expect(hidden.items.every((n) => n.href === null && n.title === null)).toBe(true);
  });
});

describe("email", () => {
  it("defaults to a daily digest and validates the setting", async () => {
    const user = await member();
    expect(await getDigestSettings(db, user.id)).toEqual({ frequency: "daily", lastDigestAt: null });
    expect(await setDigestFrequency(db, asActor(user), { frequency: "weekly" })).toEqual({ ok: true });
    expect((await getDigestSettings(db, user.id)).frequency).toBe("weekly");
    const bad = await setDigestFrequency(db, asActor(user), { frequency: "hourly" as never });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { frequency: ["notifications.settings.frequencyRequired"] } });
  });

  it("never sends an empty digest", async () => {
    const quiet = await member();
    const now = new Date();
    expect(await sendDueDigests(db, { now })).toEqual({ mailed: 0 });
    expect(await mailPendingNotifications(db, quiet.id, { mode: "digest", now })).toBe(false);
    expect(await mailJobs()).toEqual([]);

    // Pending notifications only about a post that was since hidden: nothing to list, no mail, not retried.
    const asker = await member();
    const questionId = await makeQuestion(asker);
    await makeAnswer(await member(), questionId);
    await db.update(forumQuestions).set({ hiddenAt: new Date() }).where(eq(forumQuestions.id, questionId));
    expect(await sendDueDigests(db, { now })).toEqual({ mailed: 0 });
    expect(await mailJobs()).toEqual([]);
    expect((await notificationsOf(asker)).every((n) => n.emailedAt !== null)).toBe(true);
  });

  it("mails each pending notification once, even when the digest runs twice or at the same time", async () => {
    const asker = await member({ locale: "ja" });
    const questionId = await makeQuestion(asker);
    await makeAnswer(await member({ displayName: "Ada" }), questionId);
    const now = new Date();

    const [first, second] = await Promise.all([sendDueDigests(db, { now }), sendDueDigests(db, { now })]);
    expect(first.mailed + second.mailed).toBe(1);
    expect(await sendDueDigests(db, { now })).toEqual({ mailed: 0 });

    const mails = await mailJobs(asker);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ template: "forum_digest", locale: "ja", to: asker.email, params: { period: "daily", moreCount: 0 } });
    expect(mails[0]!.template === "forum_digest" && mails[0]!.params.items).toMatchObject([{ type: "answer_posted", actorName: "Ada", title: "How do I rotate the SCIM token?" }]);
    expect((await notificationsOf(asker)).every((n) => n.emailedAt !== null)).toBe(true);

    // A new notification within the day waits for the next digest, which then lists only it.
    await makeAnswer(await member(), questionId);
    await sendDueDigests(db, { now: new Date(now.getTime() + HOUR) });
    expect(await mailJobs(asker)).toHaveLength(1);
    await sendDueDigests(db, { now: new Date(now.getTime() + DAY) });
    const again = await mailJobs(asker);
    expect(again).toHaveLength(2);
    expect(again[1]!.template === "forum_digest" && again[1]!.params.items).toHaveLength(1);
  });

  it("sends daily digests after a day and weekly ones after a week", async () => {
    const start = new Date("2026-03-02T09:00:00Z");
    expect(isDigestDue("daily", null, start)).toBe(true);
    expect(isDigestDue("daily", start, new Date(start.getTime() + 23 * HOUR))).toBe(false);
    // The job runs every 15 minutes: a digest a few seconds short of a day is due, so times do not drift.
    expect(isDigestDue("daily", start, new Date(start.getTime() + DAY - 5_000))).toBe(true);
    expect(isDigestDue("weekly", start, new Date(start.getTime() + 6 * DAY))).toBe(false);
    expect(isDigestDue("weekly", start, new Date(start.getTime() + 7 * DAY))).toBe(true);
    expect(isDigestDue("off", null, start)).toBe(false);
    expect(isDigestDue("immediate", null, start)).toBe(false);

    const daily = await member();
    const weekly = await member();
    const off = await member();
    await setDigestFrequency(db, asActor(weekly), { frequency: "weekly" });
    await setDigestFrequency(db, asActor(off), { frequency: "off" });
    await db.update(memberSettings).set({ lastDigestAt: start }).where(eq(memberSettings.userId, weekly.id));
    await db.insert(memberSettings).values({ userId: daily.id, digestFrequency: "daily", lastDigestAt: start });
    const questionId = await makeQuestion(await member());
    for (const user of [daily, weekly, off]) await setFollow(db, asActor(user), { targetType: "question", targetId: questionId, follow: true });
    await makeAnswer(await member(), questionId);

    await sendDueDigests(db, { now: new Date(start.getTime() + 2 * DAY) });
    expect([(await mailJobs(daily)).length, (await mailJobs(weekly)).length, (await mailJobs(off)).length]).toEqual([1, 0, 0]);
    await sendDueDigests(db, { now: new Date(start.getTime() + 7 * DAY) });
    expect([(await mailJobs(daily)).length, (await mailJobs(weekly)).length, (await mailJobs(off)).length]).toEqual([1, 1, 0]);
    expect((await mailJobs(weekly))[0]).toMatchObject({ template: "forum_digest", params: { period: "weekly" } });
  });

  it("mails an immediate member one message per burst of notifications", async () => {
    const asker = await member();
    await setDigestFrequency(db, asActor(asker), { frequency: "immediate" });
    const questionId = await makeQuestion(asker);
    await makeAnswer(await member(), questionId);
    await makeAnswer(await member(), questionId);

    // Two notifications, one waiting job for the member.
    const waiting = await db.select().from(jobs).where(eq(jobs.type, FORUM_NOTIFY_IMMEDIATE_JOB));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.payload).toEqual({ userId: asker.id });

    const job = { ...waiting[0]!, lockedBy: "test", lockedUntil: new Date() } as ClaimedJob;
    await notifyImmediateJob({ db, job, logger });
    await notifyImmediateJob({ db, job, logger });
    const mails = await mailJobs(asker);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.template).toBe("forum_notification");
    expect(mails[0]!.template === "forum_notification" && mails[0]!.params.items).toHaveLength(2);
    // The daily digest does not mail them again.
    await sendDueDigests(db, { now: new Date(Date.now() + 2 * DAY) });
    expect(await mailJobs(asker)).toHaveLength(1);
  });
});
