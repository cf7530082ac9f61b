import crypto from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import {
  forumAnswers,
  forumComments,
  forumFlags,
  forumQuestionTags,
  forumQuestions,
  forumTags,
  memberReputation,
  moderationActions,
  sessions,
  users,
} from "../../db/schema";
import { castVote } from "../../app/features/forum/votes.server";
import {
  closeQuestion,
  flagPost,
  moderatePost,
  reopenQuestion,
  resolveFlags,
  suspendMember,
  unsuspendMember,
} from "../../app/features/forum/moderation.server";
import { listAuditLog, listFlagQueue, listStaffQueue } from "../../app/features/forum/queues.server";
import { askQuestion, postAnswer, postComment } from "../../app/features/forum/questions.server";
import { FLAGS_TO_HIDE, NEW_MEMBER_REPUTATION, POSTING_LIMITS, PRIVILEGES, UNANSWERED_ALERT_HOURS } from "../../app/features/forum/reputation";
import type { ForumActor } from "../../app/features/forum/result";
import { checkPostingAllowed, countLinks } from "../../app/features/forum/trust.server";
import { createKbPeople, makeArticle, makeCollection } from "./kb-fixtures";
import { createTestDb } from "../support/db";

// Forum rows are inserted directly (not through askQuestion/postAnswer), so these tests pin the moderation
// rules alone; the posting commands are called only to check that they refuse suspended members.

let handle: DbHandle;
let db: Db;
let moderator: UserRow;
let staff: UserRow;
let admin: UserRow;

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  moderator = await createUser(db, { role: "moderator" });
  staff = await createUser(db, { role: "staff" });
  admin = await createUser(db, { role: "admin" });
});
afterAll(async () => {
  await handle.close();
});

const asActor = (user: UserRow): ForumActor => ({ id: user.id, role: user.role });

async function member(reputation?: number): Promise<UserRow> {
  const user = await createUser(db, { role: "member" });
  if (reputation !== undefined) await db.insert(memberReputation).values({ userId: user.id, reputation });
  return user;
}

async function makeQuestion(author: UserRow, overrides: Partial<typeof forumQuestions.$inferInsert> = {}) {
  const [q] = await db
    .insert(forumQuestions)
    .values({ authorId: author.id, title: "How do I rotate the SSO certificate?", slug: "rotate-sso", bodyMd: "Body", bodyHtml: "<p>Body</p>", bodyText: "Body", ...overrides })
    .returning();
  return q!;
}

/** An answer as postAnswer leaves it: the question's answer_count includes it. */
async function makeAnswer(questionId: number, author: UserRow, overrides: Partial<typeof forumAnswers.$inferInsert> = {}) {
  const [a] = await db
    .insert(forumAnswers)
    .values({ questionId, authorId: author.id, bodyMd: "Answer", bodyHtml: "<p>Answer</p>", bodyText: "Answer text", ...overrides })
    .returning();
  await db.update(forumQuestions).set({ answerCount: 1 + (await questionRow(questionId)).answerCount }).where(eq(forumQuestions.id, questionId));
  return a!;
}

async function makeComment(questionId: number, post: { type: "question" | "answer"; id: number }, author: UserRow, createdAt?: Date) {
  const [c] = await db
    .insert(forumComments)
    .values({ questionId, postType: post.type, postId: post.id, authorId: author.id, body: "A comment", bodyHtml: "<p>A comment</p>", ...(createdAt ? { createdAt } : {}) })
    .returning();
  if (post.type === "answer") {
    const [a] = await db.select().from(forumAnswers).where(eq(forumAnswers.id, post.id));
    await db.update(forumAnswers).set({ commentCount: a!.commentCount + 1 }).where(eq(forumAnswers.id, post.id));
  } else {
    await db.update(forumQuestions).set({ commentCount: (await questionRow(questionId)).commentCount + 1 }).where(eq(forumQuestions.id, questionId));
  }
  return c!;
}

async function questionRow(id: number) {
  const [row] = await db.select().from(forumQuestions).where(eq(forumQuestions.id, id));
  return row!;
}
async function answerRow(id: number) {
  const [row] = await db.select().from(forumAnswers).where(eq(forumAnswers.id, id));
  return row!;
}
async function auditRows(targetType: string, targetId: number) {
  return db
    .select()
    .from(moderationActions)
    .where(and(eq(moderationActions.targetType, targetType), eq(moderationActions.targetId, targetId)))
    .orderBy(moderationActions.id);
}

async function suspend(user: UserRow) {
  expect(await suspendMember(db, asActor(moderator), { userId: user.id, reason: "Spam run" })).toMatchObject({ ok: true });
}

describe("a suspended member can do nothing but read", () => {
  it("is refused by every forum command, and their sessions are gone", async () => {
    const asker = await member(500);
    const target = await member(2000);
    const question = await makeQuestion(asker);
    const answer = await makeAnswer(question.id, asker);
    await db.insert(sessions).values({ id: crypto.randomBytes(20).toString("hex"), userId: target.id, expiresAt: new Date(Date.now() + 86_400_000) });

    await suspend(target);
    const [row] = await db.select().from(users).where(eq(users.id, target.id));
    expect(row!.suspendedAt).not.toBeNull();
    expect(row!.suspendedReason).toBe("Spam run");
    expect(await db.select().from(sessions).where(eq(sessions.userId, target.id))).toEqual([]);

    const actor = asActor(target);
    for (const kind of ["question", "answer", "comment", "edit", "vote", "flag"] as const) {
      expect(await checkPostingAllowed(db, actor, { kind, bodyMd: "hello" })).toEqual({ ok: false, reason: "suspended" });
    }
    expect(await flagPost(db, actor, { targetType: "answer", targetId: answer.id, reason: "spam" })).toEqual({ ok: false, reason: "suspended" });
    expect(await moderatePost(db, actor, { targetType: "answer", targetId: answer.id, action: "hide", reason: "x" })).toEqual({ ok: false, reason: "suspended" });
    expect(await resolveFlags(db, actor, { targetType: "answer", targetId: answer.id, decision: "dismiss", reason: "x" })).toEqual({ ok: false, reason: "suspended" });
    expect(await castVote(db, actor, { postType: "answer", postId: answer.id, value: 1 })).toEqual({ ok: false, reason: "suspended" });
    expect(await askQuestion(db, actor, { title: "A question long enough to pass", bodyMd: "Body text", tags: [] })).toEqual({ ok: false, reason: "suspended" });
    expect(await postAnswer(db, actor, { questionId: question.id, bodyMd: "An answer" })).toEqual({ ok: false, reason: "suspended" });
    expect(await postComment(db, actor, { postType: "question", postId: question.id, body: "A comment" })).toEqual({ ok: false, reason: "suspended" });

    // Nothing was written in their name.
    expect(await db.select().from(forumFlags).where(eq(forumFlags.flaggerId, target.id))).toEqual([]);
    expect(await db.select().from(forumQuestions).where(eq(forumQuestions.authorId, target.id))).toEqual([]);
    expect(await db.select().from(forumAnswers).where(eq(forumAnswers.authorId, target.id))).toEqual([]);
    expect((await answerRow(answer.id)).score).toBe(0);
  });

  it("can post again once unsuspended, and both decisions are in the audit log with their reasons", async () => {
    const target = await member(50);
    await suspend(target);
    expect(await unsuspendMember(db, asActor(moderator), { userId: target.id, reason: "Appeal accepted" })).toEqual({ ok: true, changed: true });
    expect(await checkPostingAllowed(db, asActor(target), { kind: "question", bodyMd: "hello" })).toEqual({ ok: true });
    const rows = await auditRows("user", target.id);
    expect(rows.map((r) => [r.action, r.actorId, r.reason])).toEqual([
      ["suspend", moderator.id, "Spam run"],
      ["unsuspend", moderator.id, "Appeal accepted"],
    ]);
  });

  it("needs a reason to suspend", async () => {
    const target = await member();
    const result = await suspendMember(db, asActor(moderator), { userId: target.id, reason: "  " });
    expect(result).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(Array) } });
    const [row] = await db.select().from(users).where(eq(users.id, target.id));
    expect(row!.suspendedAt).toBeNull();
  });

  it("lets moderators suspend members only, staff any non-staff, and nobody themselves", async () => {
    const otherModerator = await createUser(db, { role: "moderator" });
    const plain = await member();
    expect(await suspendMember(db, asActor(moderator), { userId: staff.id, reason: "No" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendMember(db, asActor(moderator), { userId: admin.id, reason: "No" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendMember(db, asActor(moderator), { userId: otherModerator.id, reason: "No" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendMember(db, asActor(moderator), { userId: moderator.id, reason: "No" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendMember(db, asActor(plain), { userId: (await member()).id, reason: "No" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await suspendMember(db, asActor(staff), { userId: admin.id, reason: "No" })).toEqual({ ok: false, reason: "forbidden" });
    const [staffRow] = await db.select().from(users).where(eq(users.id, staff.id));
    expect(staffRow!.suspendedAt).toBeNull();
    expect(await suspendMember(db, asActor(staff), { userId: otherModerator.id, reason: "Abused the tools" })).toMatchObject({ ok: true });
    // A suspended moderator keeps the role but loses every moderation command.
    const q = await makeQuestion(plain);
    expect(await moderatePost(db, asActor(otherModerator), { targetType: "question", targetId: q.id, action: "lock", reason: "x" })).toEqual({ ok: false, reason: "suspended" });
  });
});

describe("new-member limits", () => {
  it("limits a new member's posts per rolling hour with a form error, but not an established member's", async () => {
    const newbie = await member();
    const q = await makeQuestion(await member());
    const limit = POSTING_LIMITS.newMember.postsPerHour;
    // Posts older than an hour do not count.
    await makeQuestion(newbie, { createdAt: new Date(Date.now() - 2 * 3_600_000) });
    for (let i = 0; i < limit - 1; i++) await makeAnswer(q.id, newbie);
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "answer", bodyMd: "ok" })).toEqual({ ok: true });
    await makeQuestion(newbie);
    const refused = await checkPostingAllowed(db, asActor(newbie), { kind: "question", bodyMd: "ok" });
    expect(refused).toEqual({ ok: false, fieldErrors: { _form: ["moderation.limit.postsNewMember"] } });
    // Votes and flags are not posts.
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "vote" })).toEqual({ ok: true });

    const regular = await member(NEW_MEMBER_REPUTATION);
    for (let i = 0; i < limit; i++) await makeAnswer(q.id, regular);
    expect(await checkPostingAllowed(db, asActor(regular), { kind: "answer", bodyMd: "ok" })).toEqual({ ok: true });
    // Moderators are exempt.
    for (let i = 0; i < POSTING_LIMITS.member.postsPerHour; i++) await makeAnswer(q.id, moderator);
    expect(await checkPostingAllowed(db, asActor(moderator), { kind: "answer", bodyMd: "ok" })).toEqual({ ok: true });
  });

  it("limits comments per hour", async () => {
    const newbie = await member();
    const q = await makeQuestion(await member());
    for (let i = 0; i < POSTING_LIMITS.newMember.commentsPerHour; i++) await makeComment(q.id, { type: "question", id: q.id }, newbie);
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "comment", bodyMd: "hi" })).toEqual({
      ok: false,
      fieldErrors: { _form: ["moderation.limit.commentsNewMember"] },
    });
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "answer", bodyMd: "hi" })).toEqual({ ok: true });
  });

  it("limits links per post with an error on the body field", async () => {
    const newbie = await member();
    const three = "See [docs](https://a.example/docs), <https://b.example> and https://c.example/x";
    expect(countLinks(three)).toBe(3);
    expect(countLinks("[https://a.example](https://a.example) ![img](https://i.example/x.png) `code`")).toBe(1);
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "answer", bodyMd: three })).toEqual({
      ok: false,
      fieldErrors: { bodyMd: ["moderation.limit.linksNewMember"] },
    });
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "edit", bodyMd: three })).toMatchObject({ ok: false, fieldErrors: { bodyMd: expect.any(Array) } });
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "comment", bodyMd: three })).toMatchObject({ ok: false, fieldErrors: { body: expect.any(Array) } });
    expect(await checkPostingAllowed(db, asActor(newbie), { kind: "answer", bodyMd: "Two: https://a.example and www.b.example" })).toEqual({ ok: true });
    const regular = await member(NEW_MEMBER_REPUTATION);
    expect(await checkPostingAllowed(db, asActor(regular), { kind: "answer", bodyMd: three })).toEqual({ ok: true });
  });
});

describe("flags", () => {
  it("refuses a second open flag from the same member, and flags on your own post", async () => {
    const author = await member();
    const flagger = await member();
    const q = await makeQuestion(author);
    expect(await flagPost(db, asActor(flagger), { targetType: "question", targetId: q.id, reason: "spam" })).toEqual({ ok: true, hidden: false });
    expect(await flagPost(db, asActor(flagger), { targetType: "question", targetId: q.id, reason: "offensive" })).toEqual({
      ok: false,
      fieldErrors: { _form: ["moderation.flag.alreadyFlagged"] },
    });
    expect(await flagPost(db, asActor(author), { targetType: "question", targetId: q.id, reason: "spam" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await flagPost(db, asActor(flagger), { targetType: "answer", targetId: 2_000_000_000, reason: "spam" })).toEqual({ ok: false, reason: "not_found" });
    expect(await flagPost(db, asActor(flagger), { targetType: "question", targetId: q.id, reason: "rude" as never })).toMatchObject({ ok: false, fieldErrors: { reason: expect.any(Array) } });
    expect(await db.select().from(forumFlags).where(eq(forumFlags.targetId, q.id))).toHaveLength(1);
  });

  it(`hides a post after ${FLAGS_TO_HIDE} trusted flags, not after untrusted ones, and the counters follow`, async () => {
    const q = await makeQuestion(await member());
    const answer = await makeAnswer(q.id, await member());
    const bystander = await makeAnswer(q.id, await member());
    expect((await questionRow(q.id)).answerCount).toBe(2);

    for (let i = 0; i < FLAGS_TO_HIDE + 1; i++) {
      expect(await flagPost(db, asActor(await member(PRIVILEGES.trustedFlagger - 1)), { targetType: "answer", targetId: answer.id, reason: "spam" })).toEqual({ ok: true, hidden: false });
    }
    expect((await answerRow(answer.id)).hiddenAt).toBeNull();

    for (let i = 0; i < FLAGS_TO_HIDE - 1; i++) {
      expect(await flagPost(db, asActor(await member(PRIVILEGES.trustedFlagger)), { targetType: "answer", targetId: answer.id, reason: "offensive" })).toEqual({ ok: true, hidden: false });
    }
    expect(await flagPost(db, asActor(await member(PRIVILEGES.trustedFlagger)), { targetType: "answer", targetId: answer.id, reason: "spam", note: "Link farm" })).toEqual({
      ok: true,
      hidden: true,
    });
    const hidden = await answerRow(answer.id);
    expect(hidden.hiddenAt).not.toBeNull();
    expect(hidden.hiddenReason).toBe("flags");
    expect((await questionRow(q.id)).answerCount).toBe(1);
    expect((await answerRow(bystander.id)).hiddenAt).toBeNull();

    const [auto] = await auditRows("answer", answer.id);
    expect(auto).toMatchObject({ action: "hide", actorId: null, reason: "flags", metadata: expect.objectContaining({ automatic: true }) });

    // The review queue shows it grouped, with counts per reason and the note.
    const item = (await listFlagQueue(db)).find((i) => i.targetType === "answer" && i.targetId === answer.id);
    expect(item).toMatchObject({
      flagCount: FLAGS_TO_HIDE * 2 + 1,
      trustedCount: FLAGS_TO_HIDE,
      excerpt: "Answer text",
      notes: ["Link farm"],
      hiddenReason: "flags",
      questionTitle: q.title,
    });
    expect(item!.reasons).toEqual([
      { reason: "spam", count: FLAGS_TO_HIDE + 2 },
      { reason: "offensive", count: FLAGS_TO_HIDE - 1 },
    ]);

    // Dismissing brings the post (and its count) back and empties the queue for it.
    const reviewer = await member(PRIVILEGES.reviewQueue);
    expect(await resolveFlags(db, asActor(reviewer), { targetType: "answer", targetId: answer.id, decision: "dismiss", reason: "Legit link" })).toEqual({
      ok: true,
      resolved: FLAGS_TO_HIDE * 2 + 1,
    });
    expect((await answerRow(answer.id)).hiddenAt).toBeNull();
    expect((await questionRow(q.id)).answerCount).toBe(2);
    expect((await listFlagQueue(db)).some((i) => i.targetType === "answer" && i.targetId === answer.id)).toBe(false);
    expect((await auditRows("answer", answer.id)).map((r) => [r.action, r.reason])).toEqual([
      ["hide", "flags"],
      ["dismiss_flags", "Legit link"],
      ["unhide", "Legit link"],
    ]);
    // Resolving again finds nothing open.
    expect(await resolveFlags(db, asActor(moderator), { targetType: "answer", targetId: answer.id, decision: "uphold", reason: "late" })).toEqual({
      ok: false,
      fieldErrors: { _form: ["moderation.review.nothingOpen"] },
    });
  });

  it("hides exactly once when trusted flags arrive at the same time", async () => {
    const q = await makeQuestion(await member());
    const answer = await makeAnswer(q.id, await member());
    const flaggers = await Promise.all(Array.from({ length: FLAGS_TO_HIDE + 3 }, () => member(PRIVILEGES.trustedFlagger)));
    const results = await Promise.all(flaggers.map((f) => flagPost(db, asActor(f), { targetType: "answer", targetId: answer.id, reason: "spam" })));
    // Serialized on the answer's row: the flag that tips it hides it; later ones find a post members cannot see.
    expect(results.filter((r) => r.ok)).toHaveLength(FLAGS_TO_HIDE);
    expect(results.filter((r) => r.ok && r.hidden)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(3).fill({ ok: false, reason: "not_found" }));
    expect((await questionRow(q.id)).answerCount).toBe(0);
    expect((await auditRows("answer", answer.id)).map((r) => r.action)).toEqual(["hide"]);
  });

  it("upholds flags by hiding (reviewers) or deleting (moderators only)", async () => {
    const q = await makeQuestion(await member());
    const answer = await makeAnswer(q.id, await member());
    await flagPost(db, asActor(await member()), { targetType: "answer", targetId: answer.id, reason: "spam" });
    const reviewer = await member(PRIVILEGES.reviewQueue);
    const untrusted = await member(PRIVILEGES.reviewQueue - 1);
    expect(await resolveFlags(db, asActor(untrusted), { targetType: "answer", targetId: answer.id, decision: "uphold", reason: "Spam" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await resolveFlags(db, asActor(reviewer), { targetType: "answer", targetId: answer.id, decision: "uphold", outcome: "delete", reason: "Spam" })).toEqual({
      ok: false,
      reason: "forbidden",
    });
    expect(await resolveFlags(db, asActor(moderator), { targetType: "answer", targetId: answer.id, decision: "uphold", outcome: "delete", reason: "Spam" })).toEqual({ ok: true, resolved: 1 });
    expect((await answerRow(answer.id)).deletedAt).not.toBeNull();
    expect((await questionRow(q.id)).answerCount).toBe(0);
    const [flag] = await db.select().from(forumFlags).where(eq(forumFlags.targetId, answer.id));
    expect(flag).toMatchObject({ status: "upheld", resolvedById: moderator.id });
  });

  it("puts a question flagged as needing staff into the staff queue", async () => {
    const q = await makeQuestion(await member());
    await flagPost(db, asActor(await member()), { targetType: "question", targetId: q.id, reason: "needs_staff" });
    expect((await questionRow(q.id)).needsStaffAt).not.toBeNull();
    const item = (await listStaffQueue(db)).find((i) => i.questionId === q.id);
    expect(item).toMatchObject({ needsStaff: true, unanswered: false });
  });
});

describe("moderating posts", () => {
  it("keeps answer and comment counts exact through hide, delete and restore, and logs every change", async () => {
    const q = await makeQuestion(await member());
    const answer = await makeAnswer(q.id, await member());
    const onAnswer = await makeComment(q.id, { type: "answer", id: answer.id }, await member());
    const onQuestion = await makeComment(q.id, { type: "question", id: q.id }, await member());
    const mod = asActor(moderator);
    const act = (targetType: "question" | "answer" | "comment", targetId: number, action: "hide" | "unhide" | "delete" | "restore" | "lock" | "unlock", reason = `${action} it`) =>
      moderatePost(db, mod, { targetType, targetId, action, reason });

    expect(await act("answer", answer.id, "hide")).toEqual({ ok: true, changed: true });
    expect((await questionRow(q.id)).answerCount).toBe(0);
    // Deleting a hidden answer does not count it out twice.
    expect(await act("answer", answer.id, "delete")).toEqual({ ok: true, changed: true });
    expect((await questionRow(q.id)).answerCount).toBe(0);
    expect(await act("answer", answer.id, "unhide")).toEqual({ ok: true, changed: true });
    expect((await questionRow(q.id)).answerCount).toBe(0);
    expect(await act("answer", answer.id, "restore")).toEqual({ ok: true, changed: true });
    expect((await questionRow(q.id)).answerCount).toBe(1);
    // Hiding what is hidden changes and logs nothing.
    await act("answer", answer.id, "hide");
    expect(await act("answer", answer.id, "hide")).toEqual({ ok: true, changed: false });
    await act("answer", answer.id, "unhide");
    expect((await questionRow(q.id)).answerCount).toBe(1);

    await act("comment", onAnswer.id, "delete");
    await act("comment", onQuestion.id, "hide");
    expect((await answerRow(answer.id)).commentCount).toBe(0);
    expect((await questionRow(q.id)).commentCount).toBe(0);
    await act("comment", onAnswer.id, "restore");
    await act("comment", onQuestion.id, "unhide");
    expect((await answerRow(answer.id)).commentCount).toBe(1);
    expect((await questionRow(q.id)).commentCount).toBe(1);

    expect(await act("question", q.id, "lock")).toEqual({ ok: true, changed: true });
    expect((await questionRow(q.id)).lockedAt).not.toBeNull();
    expect(await act("answer", answer.id, "lock")).toMatchObject({ ok: false, fieldErrors: { action: expect.any(Array) } });
    await act("question", q.id, "unlock");

    const rows = await auditRows("answer", answer.id);
    expect(rows.map((r) => r.action)).toEqual(["hide", "delete", "unhide", "restore", "hide", "unhide"]);
    expect(rows.every((r) => r.actorId === moderator.id && r.reason === `${r.action} it`)).toBe(true);
    expect((await auditRows("comment", onAnswer.id)).map((r) => r.action)).toEqual(["delete", "restore"]);
    expect((await auditRows("question", q.id)).map((r) => r.action)).toEqual(["lock", "unlock"]);
  });

  it("moves tag counts when a question is deleted and restored", async () => {
    const q = await makeQuestion(await member());
    const [tag] = await db.insert(forumTags).values({ slug: `t-${q.id}`, name: `T ${q.id}`, questionCount: 1 }).returning();
    await db.insert(forumQuestionTags).values({ questionId: q.id, tagId: tag!.id });
    await moderatePost(db, asActor(moderator), { targetType: "question", targetId: q.id, action: "hide", reason: "Spam" });
    const tagCount = async () => (await db.select().from(forumTags).where(eq(forumTags.id, tag!.id)))[0]!.questionCount;
    expect(await tagCount()).toBe(1);
    await moderatePost(db, asActor(moderator), { targetType: "question", targetId: q.id, action: "delete", reason: "Spam" });
    expect(await tagCount()).toBe(0);
    await moderatePost(db, asActor(moderator), { targetType: "question", targetId: q.id, action: "restore", reason: "Mistake" });
    expect(await tagCount()).toBe(1);
  });

  it("requires a reason, and lets members with the review privilege only hide and unhide", async () => {
    const q = await makeQuestion(await member());
    expect(await moderatePost(db, asActor(moderator), { targetType: "question", targetId: q.id, action: "hide", reason: " " })).toMatchObject({
      ok: false,
      fieldErrors: { reason: ["moderation.form.reasonRequired"] },
    });
    const reviewer = asActor(await member(PRIVILEGES.reviewQueue));
    expect(await moderatePost(db, reviewer, { targetType: "question", targetId: q.id, action: "delete", reason: "x" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await moderatePost(db, reviewer, { targetType: "question", targetId: q.id, action: "hide", reason: "Spam" })).toEqual({ ok: true, changed: true });
    const plain = asActor(await member(PRIVILEGES.reviewQueue - 1));
    expect(await moderatePost(db, plain, { targetType: "question", targetId: q.id, action: "unhide", reason: "x" })).toEqual({ ok: false, reason: "forbidden" });
    expect((await questionRow(q.id)).hiddenAt).not.toBeNull();
    expect(await auditRows("question", q.id)).toHaveLength(1);
  });
});

describe("closing questions", () => {
  it("closes as a duplicate of a visible question, and reopens", async () => {
    const original = await makeQuestion(await member());
    const dup = await makeQuestion(await member());
    const hidden = await makeQuestion(await member(), { hiddenAt: new Date() });
    const mod = asActor(moderator);
    expect(await closeQuestion(db, mod, { questionId: dup.id, reason: "duplicate" })).toMatchObject({ ok: false, fieldErrors: { duplicateOf: expect.any(Array) } });
    expect(await closeQuestion(db, mod, { questionId: dup.id, reason: "duplicate", duplicateOfQuestionId: hidden.id })).toEqual({
      ok: false,
      fieldErrors: { duplicateOf: ["moderation.close.duplicateNotFound"] },
    });
    expect(await closeQuestion(db, mod, { questionId: dup.id, reason: "duplicate", duplicateOfQuestionId: dup.id })).toMatchObject({ ok: false });
    expect(await closeQuestion(db, asActor(await member(5000)), { questionId: dup.id, reason: "off_topic" })).toEqual({ ok: false, reason: "forbidden" });

    expect(await closeQuestion(db, mod, { questionId: dup.id, reason: "duplicate", duplicateOfQuestionId: original.id, note: "Same SSO question" })).toEqual({ ok: true });
    expect(await questionRow(dup.id)).toMatchObject({ closeReason: "duplicate", duplicateOfQuestionId: original.id, duplicateOfArticleId: null, closedById: moderator.id });
    expect(await closeQuestion(db, mod, { questionId: dup.id, reason: "off_topic" })).toEqual({ ok: false, reason: "closed" });

    expect(await reopenQuestion(db, mod, { questionId: dup.id, note: "" })).toMatchObject({ ok: false, fieldErrors: { note: expect.any(Array) } });
    expect(await reopenQuestion(db, mod, { questionId: dup.id, note: "Not the same after all" })).toEqual({ ok: true });
    expect(await questionRow(dup.id)).toMatchObject({ closedAt: null, closeReason: null, duplicateOfQuestionId: null });
    expect((await auditRows("question", dup.id)).map((r) => [r.action, r.reason])).toEqual([
      ["close", "Same SSO question"],
      ["reopen", "Not the same after all"],
    ]);
  });

  it("closes as a duplicate of a published KB article, never of a draft", async () => {
    const people = await createKbPeople(db);
    const collection = await makeCollection(db, people.staff);
    const article = await makeArticle(db, people.staff, collection.id);
    const draft = await makeArticle(db, people.staff, collection.id, { title: "Draft about SSO", publish: false });
    const q = await makeQuestion(await member());
    const mod = asActor(moderator);
    expect(await closeQuestion(db, mod, { questionId: q.id, reason: "duplicate", duplicateOfArticleId: draft.id })).toEqual({
      ok: false,
      fieldErrors: { duplicateOf: ["moderation.close.duplicateNotFound"] },
    });
    expect(await closeQuestion(db, mod, { questionId: q.id, reason: "duplicate", duplicateOfArticleId: article.id })).toEqual({ ok: true });
    expect(await questionRow(q.id)).toMatchObject({ closeReason: "duplicate", duplicateOfArticleId: article.id, duplicateOfQuestionId: null });
    const [row] = await auditRows("question", q.id);
    expect(row).toMatchObject({ action: "close", reason: "duplicate", metadata: expect.objectContaining({ duplicateOfArticleId: article.id }) });
  });
});

describe("queues and the audit log", () => {
  it("lists questions unanswered for the alert window, oldest first, with their age", async () => {
    const now = new Date();
    const hours = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const old = await makeQuestion(await member(), { createdAt: hours(UNANSWERED_ALERT_HOURS + 30) });
    const older = await makeQuestion(await member(), { createdAt: hours(UNANSWERED_ALERT_HOURS + 100) });
    const fresh = await makeQuestion(await member(), { createdAt: hours(UNANSWERED_ALERT_HOURS - 1) });
    const answered = await makeQuestion(await member(), { createdAt: hours(UNANSWERED_ALERT_HOURS + 50) });
    await makeAnswer(answered.id, await member());
    const deleted = await makeQuestion(await member(), { createdAt: hours(UNANSWERED_ALERT_HOURS + 50), deletedAt: now });

    const queue = await listStaffQueue(db, now);
    const ids = queue.map((i) => i.questionId);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(old.id));
    expect(ids).not.toContain(fresh.id);
    expect(ids).not.toContain(answered.id);
    expect(ids).not.toContain(deleted.id);
    expect(queue.find((i) => i.questionId === old.id)).toMatchObject({ unanswered: true, needsStaff: false, ageHours: UNANSWERED_ALERT_HOURS + 30 });
  });

  it("filters the audit log by action and actor", async () => {
    const q = await makeQuestion(await member());
    const lead = await createUser(db, { role: "staff" });
    await moderatePost(db, asActor(lead), { targetType: "question", targetId: q.id, action: "lock", reason: "Heated thread" });
    const byLead = await listAuditLog(db, { actor: `@${lead.handle}`, page: 1 });
    expect(byLead.items.map((i) => [i.action, i.targetId, i.reason, i.actorName])).toEqual([["lock", q.id, "Heated thread", lead.displayName]]);
    const locks = await listAuditLog(db, { action: "lock", page: 1 });
    expect(locks.items.every((i) => i.action === "lock")).toBe(true);
    expect((await listAuditLog(db, { actor: "nobody-has-this-handle", page: 1 })).total).toBe(0);
  });
});

describe("isolation", () => {
  it("leaves other members, posts and questions untouched", async () => {
    const bystander = await member(20);
    const bystanderQ = await makeQuestion(bystander);
    const bystanderA = await makeAnswer(bystanderQ.id, bystander);
    const before = { q: await questionRow(bystanderQ.id), a: await answerRow(bystanderA.id) };

    const spammer = await member();
    const q = await makeQuestion(spammer);
    const a = await makeAnswer(q.id, spammer);
    await moderatePost(db, asActor(moderator), { targetType: "answer", targetId: a.id, action: "delete", reason: "Spam" });
    await moderatePost(db, asActor(moderator), { targetType: "question", targetId: q.id, action: "hide", reason: "Spam" });
    await suspend(spammer);

    expect(await questionRow(bystanderQ.id)).toEqual(before.q);
    expect(await answerRow(bystanderA.id)).toEqual(before.a);
    const [row] = await db.select().from(users).where(eq(users.id, bystander.id));
    expect(row!.suspendedAt).toBeNull();
    expect(await checkPostingAllowed(db, asActor(bystander), { kind: "answer", bodyMd: "fine" })).toEqual({ ok: true });
    expect(await auditRows("question", bystanderQ.id)).toEqual([]);
  });
});
