import { and, eq, sql } from "drizzle-orm";
import { Parser } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "../../db/client";
import { addMembership, createAccount, createUser, type UserRow } from "../../db/factories";
import { activities, badges, forumAnswers, forumComments, forumPostRevisions, forumQuestions, forumTags, jobs, kbArticles, memberBadges, memberReputation, notifications, users } from "../../db/schema";
import pino from "pino";
import type { ClaimedJob } from "../../app/features/jobs/queue.server";
import { FORUM_MEMBER_STATS_JOB, refreshMemberStatsJob } from "../../app/features/forum/member-stats.server";
import { askQuestion, editAnswer, editQuestion, postAnswer, postComment, promoteAcceptedAnswer } from "../../app/features/forum/questions.server";
import { getQuestionPage, listPostRevisions, listPublicQuestionsForSitemap, listQuestions, resolveDuplicateTarget } from "../../app/features/forum/reads.server";
import type { ForumActor } from "../../app/features/forum/result";
import { countQuestionView, flushQuestionViews } from "../../app/features/forum/views.server";
import { xssPayloads } from "../support/xss-payloads";
import { createTestDb } from "../support/db";
import { makeCollection } from "./kb-fixtures";

let handle: DbHandle;
let db: Db;
let moderator: UserRow;

const asActor = (user: UserRow): ForumActor => ({ id: user.id, role: user.role });
const LIST = { sort: "newest", filter: "all" } as const;

/** A member with enough reputation to be past the new-member posting limits. */
async function member(reputation = 1): Promise<UserRow> {
  const user = await createUser(db, { role: "member" });
  if (reputation !== 1) await db.insert(memberReputation).values({ userId: user.id, reputation });
  return user;
}

async function ask(user: UserRow, overrides: Partial<{ title: string; bodyMd: string; tags: string }> = {}) {
  const result = await askQuestion(db, asActor(user), {
    title: overrides.title ?? "How do I rotate the SAML signing certificate?",
    bodyMd: overrides.bodyMd ?? "Our IdP certificate expires next week. What is the order of steps?",
    tags: overrides.tags ?? "",
  });
  if (!result.ok) throw new Error(`ask failed: ${JSON.stringify(result)}`);
  return result.questionId;
}

async function answer(user: UserRow, questionId: number, bodyMd = "Upload the new certificate first, then switch.") {
  const result = await postAnswer(db, asActor(user), { questionId, bodyMd });
  if (!result.ok) throw new Error(`answer failed: ${JSON.stringify(result)}`);
  return result.answerId;
}

async function questionRow(id: number) {
  const [row] = await db.select().from(forumQuestions).where(eq(forumQuestions.id, id));
  return row!;
}

async function tagCount(slug: string) {
  const [row] = await db.select({ n: forumTags.questionCount }).from(forumTags).where(eq(forumTags.slug, slug));
  return row?.n ?? null;
}

beforeAll(async () => {
  handle = await createTestDb();
  db = handle.db;
  moderator = await createUser(db, { role: "moderator" });
  // Existing tags, as a moderator creates them by asking.
  await ask(moderator, { title: "Seeding the tags for the forum tests", tags: "SSO, Billing, Webhooks" });
});

afterAll(async () => {
  await handle.close();
});

describe("asking", () => {
  it("stores the question with its tags, revision 1 and a ledger entry, and counts the tags", async () => {
    const asker = await member();
    const before = await tagCount("sso");
    const result = await askQuestion(db, asActor(asker), {
      title: "  Why does SSO log me out after an hour?  ",
      bodyMd: "It happens **every** hour.\r\n\r\nAny idea?",
      tags: "sso, billing",
    });
    expect(result).toMatchObject({ ok: true, slug: "why-does-sso-log-me-out-after-an-hour" });
    if (!result.ok) return;
    const q = await questionRow(result.questionId);
    expect(q).toMatchObject({ title: "Why does SSO log me out after an hour?", bodyMd: "It happens **every** hour.\n\nAny idea?", revisionNumber: 1, answerCount: 0 });
    expect(q.bodyHtml).toContain("<strong>every</strong>");
    expect(await tagCount("sso")).toBe(before! + 1);
    const revisions = await listPostRevisions(db, "question", result.questionId);
    expect(revisions).toMatchObject([{ number: 1, title: "Why does SSO log me out after an hour?", tags: ["SSO", "Billing"] }]);
    const ledger = await db.select().from(activities).where(eq(activities.idempotencyKey, `forum.question.asked:${result.questionId}`));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.userId).toBe(asker.id);
    const page = await getQuestionPage(db, asActor(asker), result.questionId);
    expect(page?.question.tags.map((t) => t.name).sort()).toEqual(["Billing", "SSO"]);
  });

  it("refuses a tag that does not exist for a member without the reputation, and writes nothing", async () => {
    const asker = await member();
    const questionsBefore = (await db.select({ n: sql<number>`count(*)::int` }).from(forumQuestions))[0]!.n;
    const result = await askQuestion(db, asActor(asker), { title: "A question with a brand new tag", bodyMd: "Body text here.", tags: "sso, brand-new-tag" });
    expect(result).toEqual({ ok: false, fieldErrors: { tags: ["forum.form.tagCreateNotAllowed"] } });
    expect(await tagCount("brand-new-tag")).toBeNull();
    expect((await db.select({ n: sql<number>`count(*)::int` }).from(forumQuestions))[0]!.n).toBe(questionsBefore);
  });

  it("creates a new tag for a member with the createTags reputation, and for a moderator", async () => {
    const trusted = await member(150);
    expect(await askQuestion(db, asActor(trusted), { title: "Question creating the tag audit-log", bodyMd: "Body.", tags: "Audit log" })).toMatchObject({ ok: true });
    expect(await tagCount("audit-log")).toBe(1);
    expect(await askQuestion(db, asActor(moderator), { title: "Moderator creating the tag exports", bodyMd: "Body.", tags: "exports" })).toMatchObject({ ok: true });
    expect(await tagCount("exports")).toBe(1);
  });

  it("answers bad input with field errors", async () => {
    const asker = await member();
    const result = await askQuestion(db, asActor(asker), { title: "Too short", bodyMd: "   ", tags: "a, b, c, d, e, f" });
    expect(result).toMatchObject({ ok: false, fieldErrors: { title: ["forum.form.titleTooShort"], bodyMd: ["form.required"], tags: ["forum.form.tooManyTags"] } });
    const long = await askQuestion(db, asActor(asker), { title: "x".repeat(151), bodyMd: "y".repeat(30_001), tags: "" });
    expect(long).toMatchObject({ ok: false, fieldErrors: { title: ["forum.form.titleTooLong"], bodyMd: ["forum.form.bodyTooLong"] } });
  });

  it("refuses a suspended member", async () => {
    const suspended = await member();
    await db.update(users).set({ suspendedAt: new Date(), suspendedReason: "spam" }).where(eq(users.id, suspended.id));
    expect(await askQuestion(db, asActor(suspended), { title: "Suspended members cannot ask this", bodyMd: "Body.", tags: "" })).toEqual({ ok: false, reason: "suspended" });
  });
});

describe("answering and commenting", () => {
  it("counts the answer on the question, moves its activity and leaves other questions alone", async () => {
    const asker = await member();
    const answerer = await member();
    const questionId = await ask(asker);
    const otherId = await ask(asker, { title: "An unrelated question about billing" });
    const before = await questionRow(questionId);
    const answerId = await answer(answerer, questionId);
    const after = await questionRow(questionId);
    expect(after.answerCount).toBe(1);
    expect(after.lastActivityAt.getTime()).toBeGreaterThanOrEqual(before.lastActivityAt.getTime());
    expect((await questionRow(otherId)).answerCount).toBe(0);
    expect(await listPostRevisions(db, "answer", answerId)).toMatchObject([{ number: 1 }]);
    expect(await db.select().from(activities).where(eq(activities.idempotencyKey, `forum.answer.posted:${answerId}`))).toHaveLength(1);
  });

  it("keeps answer_count exact when many members answer at once", async () => {
    const asker = await member();
    const questionId = await ask(asker);
    const answerers = await Promise.all(Array.from({ length: 20 }, () => member()));
    const results = await Promise.all(answerers.map((a, i) => postAnswer(db, asActor(a), { questionId, bodyMd: `Answer number ${i}` })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await questionRow(questionId)).answerCount).toBe(20);
    const page = await getQuestionPage(db, null, questionId);
    expect(page?.answers).toHaveLength(20);
  });

  it("refuses answers on a closed question and, for members, on a locked one", async () => {
    const asker = await member();
    const answerer = await member();
    const closedId = await ask(asker);
    await db.update(forumQuestions).set({ closedAt: new Date(), closeReason: "off_topic" }).where(eq(forumQuestions.id, closedId));
    expect(await postAnswer(db, asActor(answerer), { questionId: closedId, bodyMd: "Late answer" })).toEqual({ ok: false, reason: "closed" });
    const lockedId = await ask(asker);
    await db.update(forumQuestions).set({ lockedAt: new Date() }).where(eq(forumQuestions.id, lockedId));
    expect(await postAnswer(db, asActor(answerer), { questionId: lockedId, bodyMd: "Answer" })).toEqual({ ok: false, reason: "locked" });
    expect(await postComment(db, asActor(answerer), { postType: "question", postId: lockedId, body: "Comment" })).toEqual({ ok: false, reason: "locked" });
    expect(await postAnswer(db, asActor(moderator), { questionId: lockedId, bodyMd: "Moderator answer" })).toMatchObject({ ok: true });
    expect(await postAnswer(db, asActor(answerer), { questionId: 2_000_000_000, bodyMd: "Nowhere" })).toEqual({ ok: false, reason: "not_found" });
  });

  it("counts comments on the question and on answers and validates their length", async () => {
    const asker = await member();
    const commenter = await member();
    const questionId = await ask(asker);
    const answerId = await answer(asker, questionId);
    expect(await postComment(db, asActor(commenter), { postType: "question", postId: questionId, body: "Which IdP do you use?" })).toMatchObject({ ok: true, questionId });
    expect(await postComment(db, asActor(commenter), { postType: "answer", postId: answerId, body: "This worked, thanks [docs](https://example.com)" })).toMatchObject({
      ok: true,
      questionId,
    });
    expect((await questionRow(questionId)).commentCount).toBe(1);
    const [a] = await db.select({ n: forumAnswers.commentCount }).from(forumAnswers).where(eq(forumAnswers.id, answerId));
    expect(a!.n).toBe(1);
    const page = await getQuestionPage(db, null, questionId);
    expect(page?.question.comments.map((c) => c.bodyHtml)).toEqual([expect.stringContaining("Which IdP do you use?")]);
    expect(page?.answers[0]!.comments[0]!.bodyHtml).toContain('href="https://example.com"');
    expect(await postComment(db, asActor(commenter), { postType: "question", postId: questionId, body: "x".repeat(601) })).toEqual({
      ok: false,
      fieldErrors: { body: ["forum.form.commentTooLong"] },
    });
    expect(await postComment(db, asActor(commenter), { postType: "question", postId: questionId, body: "  " })).toEqual({ ok: false, fieldErrors: { body: ["form.required"] } });
  });
});

describe("editing", () => {
  it("lets the author edit, keeps every revision and moves tag counts", async () => {
    const asker = await member();
    const questionId = await ask(asker, { tags: "webhooks" });
    const webhooksBefore = await tagCount("webhooks");
    const billingBefore = await tagCount("billing");
    const result = await editQuestion(db, asActor(asker), questionId, {
      title: "How do I rotate the SAML signing certificate safely?",
      bodyMd: "Updated body",
      tags: "billing",
      note: "clarified",
    });
    expect(result).toMatchObject({ ok: true, changed: true, revisionNumber: 2, slug: "how-do-i-rotate-the-saml-signing-certificate-safely" });
    expect(await tagCount("webhooks")).toBe(webhooksBefore! - 1);
    expect(await tagCount("billing")).toBe(billingBefore! + 1);
    const revisions = await listPostRevisions(db, "question", questionId);
    expect(revisions.map((r) => [r.number, r.note])).toEqual([
      [2, "clarified"],
      [1, null],
    ]);
    expect((await questionRow(questionId)).bodyHtml).toContain("Updated body");
    // Saving the same text again writes nothing.
    expect(await editQuestion(db, asActor(asker), questionId, { title: "How do I rotate the SAML signing certificate safely?", bodyMd: "Updated body", tags: "billing" })).toMatchObject({
      ok: true,
      changed: false,
      revisionNumber: 2,
    });
    expect(await listPostRevisions(db, "question", questionId)).toHaveLength(2);
  });

  it("tells the author when someone else edits their post, and nobody when they edit their own", async () => {
    const asker = await member();
    const editor = await member(600);
    const questionId = await ask(asker);
    const answerId = await answer(asker, questionId);
    const editedNotifications = () =>
      db
        .select({ userId: notifications.userId, actorId: notifications.actorId, answerId: notifications.answerId })
        .from(notifications)
        .where(and(eq(notifications.type, "post_edited"), eq(notifications.questionId, questionId)))
        .orderBy(notifications.id);
    expect(await editAnswer(db, asActor(asker), answerId, { bodyMd: "My own fix" })).toMatchObject({ ok: true, changed: true });
    expect(await editedNotifications()).toEqual([]);
    expect(await editAnswer(db, asActor(editor), answerId, { bodyMd: "Improved by a peer" })).toMatchObject({ ok: true, changed: true });
    expect(
      await editQuestion(db, asActor(moderator), questionId, { title: "How do I rotate the SAML signing certificate? (clarified)", bodyMd: "Clarified", tags: "" }),
    ).toMatchObject({ ok: true, changed: true });
    expect(await editedNotifications()).toEqual([
      { userId: asker.id, actorId: editor.id, answerId },
      { userId: asker.id, actorId: moderator.id, answerId: null },
    ]);
  });

  it("refuses another member without the privilege and allows moderators and high-reputation members", async () => {
    const asker = await member();
    const other = await member();
    const editor = await member(600);
    const questionId = await ask(asker);
    const answerId = await answer(asker, questionId);
    const input = { title: "How do I rotate the SAML signing certificate? (edited)", bodyMd: "Edited by someone else", tags: "" };
    expect(await editQuestion(db, asActor(other), questionId, input)).toEqual({ ok: false, reason: "forbidden" });
    expect(await editAnswer(db, asActor(other), answerId, { bodyMd: "Hijacked" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await editQuestion(db, asActor(moderator), questionId, input)).toMatchObject({ ok: true, changed: true });
    expect(await editAnswer(db, asActor(editor), answerId, { bodyMd: "Improved answer" })).toMatchObject({ ok: true, changed: true, revisionNumber: 2 });
    const [row] = await db.select({ bodyMd: forumAnswers.bodyMd }).from(forumAnswers).where(eq(forumAnswers.id, answerId));
    expect(row!.bodyMd).toBe("Improved answer");
    const revisionRows = await db
      .select({ number: forumPostRevisions.number, authorId: forumPostRevisions.authorId })
      .from(forumPostRevisions)
      .where(and(eq(forumPostRevisions.postType, "answer"), eq(forumPostRevisions.postId, answerId)))
      .orderBy(forumPostRevisions.number);
    expect(revisionRows).toEqual([
      { number: 1, authorId: asker.id },
      { number: 2, authorId: editor.id },
    ]);
  });
});

describe("the list", () => {
  let people: { a: UserRow; b: UserRow; colleague: UserRow };
  let ids: { old: number; popular: number; answered: number; accepted: number; tagged: number; hidden: number; deleted: number };

  beforeAll(async () => {
    const account = await createAccount(db);
    people = { a: await member(), b: await member(), colleague: await member() };
    await addMembership(db, { userId: people.a.id, accountId: account.id, source: "staff" });
    await addMembership(db, { userId: people.colleague.id, accountId: account.id, source: "staff" });
    const old = await ask(people.a, { title: "List test: the oldest question of all" });
    const popular = await ask(people.b, { title: "List test: the most popular question" });
    const answered = await ask(people.b, { title: "List test: a question with an answer" });
    const accepted = await ask(people.colleague, { title: "List test: a question with an accepted answer" });
    const tagged = await ask(people.b, { title: "List test: a question tagged webhooks", tags: "webhooks" });
    const hidden = await ask(people.b, { title: "List test: a question hidden by moderators" });
    const deleted = await ask(people.b, { title: "List test: a question deleted by moderators" });
    await db.update(forumQuestions).set({ createdAt: sql`now() - interval '10 days'`, lastActivityAt: sql`now() - interval '10 days'` }).where(eq(forumQuestions.id, old));
    await db.update(forumQuestions).set({ score: 1000 }).where(eq(forumQuestions.id, popular));
    await answer(people.a, answered);
    const acceptedAnswer = await answer(people.a, accepted);
    await db.update(forumAnswers).set({ acceptedAt: new Date() }).where(eq(forumAnswers.id, acceptedAnswer));
    await db.update(forumQuestions).set({ acceptedAnswerId: acceptedAnswer }).where(eq(forumQuestions.id, accepted));
    await db.update(forumQuestions).set({ hiddenAt: new Date() }).where(eq(forumQuestions.id, hidden));
    await db.update(forumQuestions).set({ deletedAt: new Date() }).where(eq(forumQuestions.id, deleted));
    ids = { old, popular, answered, accepted, tagged, hidden, deleted };
  });

  const idsOf = (page: { questions: { id: number }[] }) => page.questions.map((q) => q.id);

  it("sorts by newest, votes and activity and never lists hidden or deleted questions", async () => {
    const newest = idsOf(await listQuestions(db, null, LIST, 500));
    expect(newest.indexOf(ids.tagged)).toBeLessThan(newest.indexOf(ids.popular));
    expect(newest).not.toContain(ids.hidden);
    expect(newest).not.toContain(ids.deleted);
    expect(newest.indexOf(ids.old)).toBe(newest.length - 1);
    expect(idsOf(await listQuestions(db, null, { ...LIST, sort: "votes" }, 1))).toEqual([ids.popular]);
    const activity = idsOf(await listQuestions(db, null, { ...LIST, sort: "activity" }, 500));
    expect(activity.indexOf(ids.accepted)).toBeLessThan(activity.indexOf(ids.tagged));
    // The moderator's list is the readers' list: hidden content is reviewed on its page.
    expect(idsOf(await listQuestions(db, asActor(moderator), LIST, 500))).not.toContain(ids.hidden);
  });

  it("filters unanswered, no accepted answer, tag, mine and my account's", async () => {
    const unanswered = idsOf(await listQuestions(db, null, { ...LIST, filter: "unanswered" }, 500));
    expect(unanswered).toContain(ids.popular);
    expect(unanswered).not.toContain(ids.answered);
    const unaccepted = idsOf(await listQuestions(db, null, { ...LIST, filter: "unaccepted" }, 500));
    expect(unaccepted).toContain(ids.answered);
    expect(unaccepted).not.toContain(ids.accepted);
    const tagged = await listQuestions(db, null, { ...LIST, tag: "webhooks" }, 500);
    expect(idsOf(tagged)).toContain(ids.tagged);
    expect(idsOf(tagged)).not.toContain(ids.popular);
    expect(tagged.tag?.name).toBe("Webhooks");
    expect((await listQuestions(db, null, { ...LIST, tag: "no-such-tag" })).questions).toEqual([]);
    expect(idsOf(await listQuestions(db, asActor(people.a), { ...LIST, filter: "mine" }))).toEqual([ids.old]);
    expect(idsOf(await listQuestions(db, asActor(people.a), { ...LIST, filter: "account" }))).toEqual([ids.accepted, ids.old]);
    // Another member's "mine" and an anonymous "account" show none of these.
    expect(idsOf(await listQuestions(db, asActor(people.b), { ...LIST, filter: "mine" }))).not.toContain(ids.old);
    expect((await listQuestions(db, null, { ...LIST, filter: "account" })).questions).toEqual([]);
  });

  it("pages with a cursor without skipping or repeating a question, in every sort", async () => {
    for (const sort of ["newest", "votes", "activity"] as const) {
      const all = idsOf(await listQuestions(db, null, { ...LIST, sort }, 1000));
      const paged: number[] = [];
      let after: string | undefined;
      for (let i = 0; i < 200; i++) {
        const page = await listQuestions(db, null, { ...LIST, sort, after }, 7);
        paged.push(...idsOf(page));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      expect(paged).toEqual(all);
    }
  });
});

describe("visibility", () => {
  it("shows hidden and deleted posts and comments only to moderators", async () => {
    const asker = await member();
    const answerer = await member();
    const questionId = await ask(asker);
    const visibleAnswer = await answer(answerer, questionId, "Visible answer");
    const hiddenAnswer = await answer(answerer, questionId, "Hidden answer");
    await postComment(db, asActor(answerer), { postType: "question", postId: questionId, body: "Deleted comment" });
    await db.update(forumAnswers).set({ hiddenAt: new Date() }).where(eq(forumAnswers.id, hiddenAnswer));
    await db.update(forumComments).set({ deletedAt: new Date() }).where(eq(forumComments.questionId, questionId));

    const forMember = await getQuestionPage(db, asActor(asker), questionId);
    expect(forMember?.answers.map((a) => a.id)).toEqual([visibleAnswer]);
    expect(forMember?.question.comments).toEqual([]);
    const forModerator = await getQuestionPage(db, asActor(moderator), questionId);
    expect(forModerator?.answers.map((a) => [a.id, a.hidden])).toEqual([
      [visibleAnswer, false],
      [hiddenAnswer, true],
    ]);
    expect(forModerator?.question.comments.map((c) => c.deleted)).toEqual([true]);

    await db.update(forumQuestions).set({ hiddenAt: new Date() }).where(eq(forumQuestions.id, questionId));
    expect(await getQuestionPage(db, asActor(asker), questionId)).toBeNull();
    expect(await getQuestionPage(db, null, questionId)).toBeNull();
    expect((await listPublicQuestionsForSitemap(db)).map((q) => q.path)).not.toContain(forMember!.question.path);
    expect((await getQuestionPage(db, asActor(moderator), questionId))?.question.hidden).toBe(true);
    // Hidden questions take no answers from members either.
    expect(await postAnswer(db, asActor(answerer), { questionId, bodyMd: "Answer" })).toEqual({ ok: false, reason: "not_found" });
  });

  it("pins the accepted answer first, then orders by score, and carries the viewer's votes and author marks", async () => {
    const asker = await member();
    const champion = await member();
    await db.update(users).set({ championAt: new Date() }).where(eq(users.id, champion.id));
    const questionId = await ask(asker);
    const low = await answer(champion, questionId, "Low score");
    const high = await answer(asker, questionId, "High score");
    await db.update(forumAnswers).set({ score: 5 }).where(eq(forumAnswers.id, high));
    await db.update(forumAnswers).set({ acceptedAt: new Date() }).where(eq(forumAnswers.id, low));
    const page = await getQuestionPage(db, asActor(asker), questionId);
    expect(page?.answers.map((a) => [a.id, a.accepted])).toEqual([
      [low, true],
      [high, false],
    ]);
    expect(page?.answers[0]!.author).toMatchObject({ id: champion.id, champion: true, reputation: 1 });
    expect(page?.answers[1]!.author.champion).toBe(false);
    expect(page?.answers.every((a) => a.myVote === 0)).toBe(true);
  });
});

describe("closed as a duplicate", () => {
  it("links the original question, which a moderator may name by URL or number", async () => {
    const asker = await member();
    const original = await ask(asker, { title: "The original question about certificates" });
    const copy = await ask(asker, { title: "A copy of the question about certificates" });
    const originalPath = (await getQuestionPage(db, null, original))!.question.path;
    expect(await resolveDuplicateTarget(db, asActor(moderator), `https://hearth.example${originalPath}`)).toEqual({ questionId: original });
    expect(await resolveDuplicateTarget(db, asActor(moderator), String(original))).toEqual({ questionId: original });
    expect(await resolveDuplicateTarget(db, asActor(moderator), "/questions/2000000000/x")).toBeNull();
    expect(await resolveDuplicateTarget(db, asActor(moderator), "/kb/no-such/article")).toBeNull();
    await db
      .update(forumQuestions)
      .set({ closedAt: new Date(), closeReason: "duplicate", duplicateOfQuestionId: original })
      .where(eq(forumQuestions.id, copy));
    const page = await getQuestionPage(db, null, copy);
    expect(page?.duplicateOf).toEqual({ kind: "question", id: original, title: "The original question about certificates", path: originalPath });
  });
});

describe("promote to article", () => {
  it("lets staff turn an accepted answer into one KB draft and remembers it", async () => {
    const staff = await createUser(db, { role: "staff" });
    await makeCollection(db, staff);
    const asker = await member();
    const answerer = await member();
    const questionId = await ask(asker);
    const accepted = await answer(answerer, questionId, "The accepted way to do it.");
    const other = await answer(answerer, questionId, "Another way.");
    await db.update(forumAnswers).set({ acceptedAt: new Date() }).where(eq(forumAnswers.id, accepted));

    expect(await promoteAcceptedAnswer(db, asActor(asker), accepted)).toEqual({ ok: false, reason: "forbidden" });
    expect(await promoteAcceptedAnswer(db, asActor(staff), other)).toEqual({ ok: false, reason: "forbidden" });
    const first = await promoteAcceptedAnswer(db, asActor(staff), accepted);
    expect(first).toMatchObject({ ok: true, created: true });
    if (!first.ok) return;
    const [article] = await db.select().from(kbArticles).where(eq(kbArticles.id, first.articleId));
    expect(article).toMatchObject({ status: "draft", title: "How do I rotate the SAML signing certificate?", bodyMd: "The accepted way to do it." });
    const [row] = await db.select({ promoted: forumAnswers.promotedArticleId }).from(forumAnswers).where(eq(forumAnswers.id, accepted));
    expect(row!.promoted).toBe(first.articleId);
    // Promoting again opens the same draft instead of making a second one.
    expect(await promoteAcceptedAnswer(db, asActor(staff), accepted)).toEqual({ ok: true, articleId: first.articleId, created: false });
  });
});

describe("views", () => {
  it("counts views in batches, only on the question viewed", async () => {
    const asker = await member();
    const viewed = await ask(asker);
    const other = await ask(asker);
    for (let i = 0; i < 3; i++) countQuestionView(db, viewed);
    await flushQuestionViews();
    expect((await questionRow(viewed)).viewCount).toBe(3);
    expect((await questionRow(other)).viewCount).toBe(0);
  });
});

describe("the question page's cost", () => {
  // Counts the statements PGlite receives; on the server the same reads run, uncounted.
  it.skipIf(process.env.TEST_DB_KIND === "postgres")(
    "reads a question with 30 answers and their comments in a fixed number of queries",
    async () => {
      const asker = await member();
      const questionId = await ask(asker);
      for (let i = 0; i < 30; i++) {
        const answerId = await answer(moderator, questionId, `Answer ${i}`);
        await postComment(db, asActor(moderator), { postType: "answer", postId: answerId, body: `Comment on answer ${i}` });
      }
      const pglite = handle.pglite!;
      const original = pglite.query.bind(pglite);
      let queries = 0;
      pglite.query = ((...args: Parameters<typeof original>) => {
        queries++;
        return original(...args);
      }) as typeof pglite.query;
      try {
        const page = await getQuestionPage(db, asActor(asker), questionId);
        expect(page?.answers).toHaveLength(30);
        expect(page?.answers.every((a) => a.comments.length === 1)).toBe(true);
      } finally {
        pglite.query = original;
      }
      // The question, then answers, comments, tags, votes, follow state and reputation: none per answer.
      expect(queries).toBeGreaterThan(2);
      expect(queries).toBeLessThanOrEqual(8);
    },
  );
});

describe("markdown safety", () => {
  const FORBIDDEN = new Set(["script", "style", "iframe", "svg", "math", "object", "embed", "base", "meta", "form", "link", "template", "noscript", "textarea", "frame", "frameset", "button", "select"]);

  function violations(html: string): string[] {
    const problems: string[] = [];
    const parser = new Parser(
      {
        onopentag(name, attributes) {
          if (FORBIDDEN.has(name)) problems.push(`<${name}>`);
          for (const [attribute, value] of Object.entries(attributes)) {
            if (/^on/i.test(attribute) || attribute === "style" || attribute === "srcdoc") problems.push(`${name}[${attribute}]`);
            // eslint-disable-next-line no-control-regex -- browsers ignore these inside a scheme ("java\u0000script:")
            if ((attribute === "href" || attribute === "src") && /^(javascript|vbscript|data):/i.test(value.replace(/[\u0000-\u0020]+/g, ""))) {
              problems.push(`${name}[${attribute}=${value}]`);
            }
          }
        },
      },
      { decodeEntities: true },
    );
    parser.write(html);
    parser.end();
    return problems;
  }

  it("stores no script, handler or dangerous URL from the XSS corpus in questions, answers or comments", async () => {
    // The moderator posts them: the corpus is larger than a member's hourly posting limit.
    const asker = asActor(moderator);
    const failures: string[] = [];
    let sampleQuestion = 0;
    for (const payload of xssPayloads) {
      const result = await askQuestion(db, asker, { title: `XSS corpus: ${payload.category} payload`, bodyMd: payload.source, tags: "" });
      if (!result.ok) {
        // A payload the renderer refuses (nesting) never reaches storage, which is also safe.
        expect(result).toMatchObject({ ok: false, fieldErrors: { bodyMd: expect.any(Array) } });
        continue;
      }
      sampleQuestion = result.questionId;
      const q = await questionRow(result.questionId);
      for (const problem of violations(q.bodyHtml)) failures.push(`${payload.source} → ${problem}`);
    }
    expect(failures).toEqual([]);

    for (const payload of xssPayloads.slice(0, 80)) {
      const a = await postAnswer(db, asker, { questionId: sampleQuestion, bodyMd: payload.source });
      if (a.ok) {
        const [row] = await db.select({ html: forumAnswers.bodyHtml }).from(forumAnswers).where(eq(forumAnswers.id, a.answerId));
        for (const problem of violations(row!.html)) failures.push(`answer ${payload.source} → ${problem}`);
      }
      const c = await postComment(db, asker, { postType: "question", postId: sampleQuestion, body: payload.source.slice(0, 600) });
      if (c.ok) {
        const [row] = await db.select({ html: forumComments.bodyHtml }).from(forumComments).where(eq(forumComments.id, c.commentId));
        for (const problem of violations(row!.html)) failures.push(`comment ${payload.source} → ${problem}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("member stats after posting", () => {
  it("queues one stats refresh per member, and the job counts the answer and awards the first-answer badge", async () => {
    const asker = await member(50);
    const answerer = await member(50);
    const questionId = await ask(asker, { title: "Where do member counts come from after posting?" });
    await answer(answerer, questionId);
    await answer(answerer, questionId, "A second answer from the same member, for the dedupe.");
    const queued = await db.select().from(jobs).where(and(eq(jobs.dedupeKey, `${FORUM_MEMBER_STATS_JOB}:${answerer.id}`), eq(jobs.status, "queued")));
    expect(queued).toHaveLength(1);

    await refreshMemberStatsJob({ db, job: queued[0] as ClaimedJob, logger: pino({ level: "silent" }) });
    const [stats] = await db.select().from(memberReputation).where(eq(memberReputation.userId, answerer.id));
    expect(stats?.answers).toBe(2);
    const earned = await db
      .select({ slug: badges.slug })
      .from(memberBadges)
      .innerJoin(badges, eq(badges.id, memberBadges.badgeId))
      .where(eq(memberBadges.userId, answerer.id));
    expect(earned.map((b) => b.slug)).toContain("first-answer");
    // The asker's own refresh is separate and untouched by the answerer's.
    const [askerStats] = await db.select().from(memberReputation).where(eq(memberReputation.userId, asker.id));
    expect(askerStats?.answers ?? 0).toBe(0);
  });
});
