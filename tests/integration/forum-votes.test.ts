import { and, eq, inArray, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "../../db/client";
import { createUser, type UserRow } from "../../db/factories";
import { activities, championNominations, forumAnswers, forumQuestions, forumVotes, memberBadges, users } from "../../db/schema";
import { acceptAnswer, unacceptAnswer } from "../../app/features/forum/accept.server";
import { forumActivity } from "../../app/features/forum/activity";
import { awardBadge, listMemberBadges } from "../../app/features/forum/badges.server";
import { confirmChampion, getLeaderboard, listChampions, listNominations, revokeChampion } from "../../app/features/forum/champions.server";
import { getReputation, getReputationHistory, refreshMemberStats } from "../../app/features/forum/member-stats.server";
import { getMemberProfilePage } from "../../app/features/forum/profiles.server";
import { DAILY_VOTE_REPUTATION_CAP, MINIMUM_REPUTATION, REPUTATION_POINTS } from "../../app/features/forum/reputation";
import type { ForumActor } from "../../app/features/forum/result";
import { castVote } from "../../app/features/forum/votes.server";
import { recordActivities } from "../../app/features/engagement/activities.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let staff: UserRow;
let moderator: UserRow;

const actor = (user: UserRow): ForumActor => ({ id: user.id, role: user.role });

beforeAll(async () => {
  handle = await createTestDb();
  staff = await createUser(handle.db, { role: "staff" });
  moderator = await createUser(handle.db, { role: "moderator" });
});
afterAll(async () => {
  await handle.close();
});

// Posts are inserted directly (the asking and answering commands are tested in their own files); the
// ledger entries those commands write are added too where a test reads them.
async function makeQuestion(author: UserRow, overrides: Partial<typeof forumQuestions.$inferInsert> = {}) {
  const [q] = await handle.db
    .insert(forumQuestions)
    .values({ authorId: author.id, title: "How do I rotate the SSO certificate?", slug: "how-do-i-rotate-the-sso-certificate", bodyMd: "Body", bodyHtml: "<p>Body</p>", bodyText: "Body", ...overrides })
    .returning();
  await recordActivities(handle.db, [forumActivity.questionAsked(q!.id, author.id)]);
  await refreshMemberStats(handle.db, [author.id]);
  return q!;
}

async function makeAnswer(questionId: number, author: UserRow, overrides: Partial<typeof forumAnswers.$inferInsert> = {}) {
  const [a] = await handle.db
    .insert(forumAnswers)
    .values({ questionId, authorId: author.id, bodyMd: "Answer", bodyHtml: "<p>Answer</p>", bodyText: "Answer", ...overrides })
    .returning();
  await recordActivities(handle.db, [forumActivity.answerPosted(a!.id, questionId, author.id)]);
  await refreshMemberStats(handle.db, [author.id]);
  return a!;
}

async function answerRow(id: number) {
  const [row] = await handle.db.select().from(forumAnswers).where(eq(forumAnswers.id, id));
  return row!;
}

async function members(n: number) {
  return Promise.all(Array.from({ length: n }, () => createUser(handle.db)));
}

/** A member who has earned `upvotes` answer upvotes (10 points each) on an answer of theirs. */
async function memberWithUpvotes(upvotes: number) {
  const member = await createUser(handle.db);
  const asker = await createUser(handle.db);
  const q = await makeQuestion(asker);
  const a = await makeAnswer(q.id, member);
  for (const voter of await members(upvotes)) expect(await castVote(handle.db, actor(voter), { postType: "answer", postId: a.id, value: 1 })).toMatchObject({ ok: true });
  return member;
}

describe("castVote", () => {
  it("keeps the exact total when 50 members vote on one answer at once", async () => {
    const [asker, answerer, bystander] = await members(3);
    const q = await makeQuestion(asker!);
    const a = await makeAnswer(q.id, answerer!);
    const other = await makeAnswer(q.id, bystander!);
    const voters = await members(50);

    const results = await Promise.all(voters.map((v) => castVote(handle.db, actor(v), { postType: "answer", postId: a.id, value: 1 })));
    expect(results.every((r) => r.ok)).toBe(true);

    const row = await answerRow(a.id);
    expect([row.score, row.upvoteCount, row.downvoteCount]).toEqual([50, 50, 0]);
    const votes = await handle.db.select().from(forumVotes).where(and(eq(forumVotes.postType, "answer"), eq(forumVotes.postId, a.id)));
    expect(votes).toHaveLength(50);
    // 50 × 10 points in one day, capped at 200.
    expect(await getReputation(handle.db, answerer!.id)).toBe(MINIMUM_REPUTATION + DAILY_VOTE_REPUTATION_CAP);
    const history = await getReputationHistory(handle.db, answerer!.id);
    expect(history).toHaveLength(50);
    expect(history.filter((e) => e.points === REPUTATION_POINTS.answerUpvoted)).toHaveLength(DAILY_VOTE_REPUTATION_CAP / REPUTATION_POINTS.answerUpvoted);
    expect(history.filter((e) => e.cappedByDailyLimit)).toHaveLength(50 - DAILY_VOTE_REPUTATION_CAP / REPUTATION_POINTS.answerUpvoted);

    // Isolation: the other answer on the same question and its author are untouched.
    expect((await answerRow(other.id)).score).toBe(0);
    expect(await getReputation(handle.db, bystander!.id)).toBe(MINIMUM_REPUTATION);
  });

  it("changes and withdraws a vote, revoking the old ledger entries each time", async () => {
    const [asker, answerer] = await members(2);
    const q = await makeQuestion(asker!);
    const a = await makeAnswer(q.id, answerer!);

    expect(await castVote(handle.db, actor(moderator), { postType: "answer", postId: a.id, value: 1 })).toEqual({ ok: true, score: 1, myVote: 1 });
    expect(await getReputation(handle.db, answerer!.id)).toBe(1 + REPUTATION_POINTS.answerUpvoted);
    // The same vote again changes nothing.
    expect(await castVote(handle.db, actor(moderator), { postType: "answer", postId: a.id, value: 1 })).toEqual({ ok: true, score: 1, myVote: 1 });

    expect(await castVote(handle.db, actor(moderator), { postType: "answer", postId: a.id, value: -1 })).toEqual({ ok: true, score: -1, myVote: -1 });
    let row = await answerRow(a.id);
    expect([row.score, row.upvoteCount, row.downvoteCount]).toEqual([-1, 0, 1]);
    // Reputation never drops below the floor.
    expect(await getReputation(handle.db, answerer!.id)).toBe(MINIMUM_REPUTATION);

    expect(await castVote(handle.db, actor(moderator), { postType: "answer", postId: a.id, value: 0 })).toEqual({ ok: true, score: 0, myVote: 0 });
    row = await answerRow(a.id);
    expect([row.score, row.upvoteCount, row.downvoteCount]).toEqual([0, 0, 0]);
    expect(await handle.db.select().from(forumVotes).where(and(eq(forumVotes.postId, a.id), eq(forumVotes.voterId, moderator.id)))).toHaveLength(0);

    // Up, then down, then withdrawn: three cast/received pairs, all revoked; history shows nothing that counts.
    const ledger = await handle.db
      .select()
      .from(activities)
      .where(and(inArray(activities.type, ["forum.vote.cast", "forum.vote.received"]), eq(activities.subjectType, "forum_answer"), eq(activities.subjectId, String(a.id))));
    expect(ledger).toHaveLength(4);
    expect(ledger.every((e) => e.revokedAt !== null)).toBe(true);
    expect(await getReputationHistory(handle.db, answerer!.id)).toEqual([]);

    // Voting again after withdrawing records a fresh pair.
    expect(await castVote(handle.db, actor(moderator), { postType: "answer", postId: a.id, value: 1 })).toEqual({ ok: true, score: 1, myVote: 1 });
    expect(await getReputation(handle.db, answerer!.id)).toBe(1 + REPUTATION_POINTS.answerUpvoted);
  });

  it("refuses a vote on your own post", async () => {
    const [asker] = await members(1);
    const q = await makeQuestion(asker!);
    expect(await castVote(handle.db, actor(asker!), { postType: "question", postId: q.id, value: 1 })).toEqual({ ok: false, reason: "forbidden" });
    const [row] = await handle.db.select().from(forumQuestions).where(eq(forumQuestions.id, q.id));
    expect(row!.score).toBe(0);
    expect(await getReputation(handle.db, asker!.id)).toBe(MINIMUM_REPUTATION);
  });

  it("lets members downvote only from the downvote privilege's reputation", async () => {
    const [asker] = await members(1);
    const q = await makeQuestion(asker!);
    const newcomer = await createUser(handle.db);
    expect(await castVote(handle.db, actor(newcomer), { postType: "question", postId: q.id, value: -1 })).toEqual({ ok: false, reason: "forbidden" });
    // Upvoting needs no privilege.
    expect(await castVote(handle.db, actor(newcomer), { postType: "question", postId: q.id, value: 1 })).toMatchObject({ ok: true, score: 1 });
    expect(await getReputation(handle.db, asker!.id)).toBe(1 + REPUTATION_POINTS.questionUpvoted);

    const earned = await memberWithUpvotes(5); // 1 + 5 × 10 = 51 ≥ 50
    expect(await getReputation(handle.db, earned.id)).toBe(51);
    expect(await castVote(handle.db, actor(earned), { postType: "question", postId: q.id, value: -1 })).toEqual({ ok: true, score: 0, myVote: -1 });
    expect(await getReputation(handle.db, asker!.id)).toBe(1 + REPUTATION_POINTS.questionUpvoted + REPUTATION_POINTS.questionDownvoted);
  });

  it("refuses votes on locked, deleted and hidden posts, and bad input with field errors", async () => {
    const [asker, voter] = await members(2);
    const locked = await makeQuestion(asker!, { lockedAt: new Date() });
    const deleted = await makeQuestion(asker!, { deletedAt: new Date() });
    const open = await makeQuestion(asker!);
    const hiddenAnswer = await makeAnswer(open.id, asker!, { hiddenAt: new Date() });
    const vote = (postType: "question" | "answer", postId: number) => castVote(handle.db, actor(voter!), { postType, postId, value: 1 });
    expect(await vote("question", locked.id)).toEqual({ ok: false, reason: "locked" });
    expect(await vote("question", deleted.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await vote("answer", hiddenAnswer.id)).toEqual({ ok: false, reason: "not_found" });
    expect(await vote("answer", 2_000_000_000)).toEqual({ ok: false, reason: "not_found" });
    expect(await castVote(handle.db, actor(voter!), { postType: "answer", postId: open.id, value: 2 as 1 })).toMatchObject({ ok: false, fieldErrors: { value: expect.any(Array) } });
  });
});

describe("reputation from the ledger", () => {
  it("caps vote points per UTC day, exempts accepts, and drops revoked entries", async () => {
    const member = await createUser(handle.db);
    const entries = [];
    // Day one: 25 upvotes (250 points, 200 count) and an accept (15, exempt from the cap).
    for (let i = 0; i < 25; i++) {
      entries.push({ ...forumActivity.voteReceived({ postType: "answer", postId: 900_000 + i, voterId: 1, authorId: member.id, value: 1, version: `cap-${member.id}-${i}` }), occurredAt: new Date("2030-01-01T10:00:00Z") });
    }
    entries.push({
      ...forumActivity.answerAccepted("answerer", { answerId: 900_100, questionId: 900_200, userId: member.id, answererId: member.id, acceptedById: staff.id, version: `a-${member.id}` }),
      occurredAt: new Date("2030-01-01T23:00:00Z"),
    });
    // Day two: 3 upvotes count in full.
    for (let i = 0; i < 3; i++) {
      entries.push({ ...forumActivity.voteReceived({ postType: "question", postId: 910_000 + i, voterId: 1, authorId: member.id, value: 1, version: `cap2-${member.id}-${i}` }), occurredAt: new Date("2030-01-02T01:00:00Z") });
    }
    await recordActivities(handle.db, entries);
    await refreshMemberStats(handle.db, [member.id]);
    expect(await getReputation(handle.db, member.id)).toBe(1 + 200 + 15 + 3 * REPUTATION_POINTS.questionUpvoted);

    const history = await getReputationHistory(handle.db, member.id);
    expect(history.reduce((sum, e) => sum + e.points, MINIMUM_REPUTATION)).toBe(await getReputation(handle.db, member.id));
    expect(history.filter((e) => e.cappedByDailyLimit)).toHaveLength(5);
    expect(history.find((e) => e.reason === "answerAccepted")).toMatchObject({ points: 15, cappedByDailyLimit: false });

    // Revoking a day-two vote takes its points away; a revoked day-one vote changes nothing (still over the cap).
    await handle.db.update(activities).set({ revokedAt: new Date() }).where(eq(activities.idempotencyKey, `forum.vote.received:question:910000:1:cap2-${member.id}-0`));
    await handle.db.update(activities).set({ revokedAt: new Date() }).where(eq(activities.idempotencyKey, `forum.vote.received:answer:900000:1:cap-${member.id}-0`));
    await refreshMemberStats(handle.db, [member.id]);
    expect(await getReputation(handle.db, member.id)).toBe(1 + 200 + 15 + 2 * REPUTATION_POINTS.questionUpvoted);
  });
});

describe("acceptAnswer", () => {
  it("leaves exactly one accepted answer when two accepts race", async () => {
    const [asker, first, second] = await members(3);
    const q = await makeQuestion(asker!);
    const a1 = await makeAnswer(q.id, first!);
    const a2 = await makeAnswer(q.id, second!);
    const results = await Promise.all([acceptAnswer(handle.db, actor(asker!), a1.id), acceptAnswer(handle.db, actor(moderator), a2.id)]);
    expect(results.every((r) => r.ok)).toBe(true);

    const accepted = await handle.db.select().from(forumAnswers).where(and(eq(forumAnswers.questionId, q.id)));
    const marked = accepted.filter((a) => a.acceptedAt !== null);
    expect(marked).toHaveLength(1);
    const [question] = await handle.db.select().from(forumQuestions).where(eq(forumQuestions.id, q.id));
    expect(question!.acceptedAnswerId).toBe(marked[0]!.id);
    // Only the winner holds the accept's reputation.
    const winner = marked[0]!.authorId === first!.id ? first! : second!;
    const loser = winner === first ? second! : first!;
    expect(await getReputation(handle.db, winner.id)).toBe(1 + REPUTATION_POINTS.answerAccepted);
    expect(await getReputation(handle.db, loser.id)).toBe(MINIMUM_REPUTATION);
  });

  it("moves reputation when the asker changes the accepted answer, and takes it back on unaccept", async () => {
    const [asker, first, second, outsider] = await members(4);
    const q = await makeQuestion(asker!);
    const a1 = await makeAnswer(q.id, first!);
    const a2 = await makeAnswer(q.id, second!);

    expect(await acceptAnswer(handle.db, actor(outsider!), a1.id)).toEqual({ ok: false, reason: "forbidden" });
    expect(await acceptAnswer(handle.db, actor(asker!), a1.id)).toEqual({ ok: true, changed: true });
    expect(await getReputation(handle.db, first!.id)).toBe(1 + REPUTATION_POINTS.answerAccepted);
    expect(await getReputation(handle.db, asker!.id)).toBe(1 + REPUTATION_POINTS.acceptedAnAnswer);
    expect(await acceptAnswer(handle.db, actor(asker!), a1.id)).toEqual({ ok: true, changed: false });

    expect(await acceptAnswer(handle.db, actor(asker!), a2.id)).toEqual({ ok: true, changed: true });
    expect(await getReputation(handle.db, first!.id)).toBe(MINIMUM_REPUTATION);
    expect(await getReputation(handle.db, second!.id)).toBe(1 + REPUTATION_POINTS.answerAccepted);
    expect(await getReputation(handle.db, asker!.id)).toBe(1 + REPUTATION_POINTS.acceptedAnAnswer);
    expect((await answerRow(a1.id)).acceptedAt).toBeNull();
    expect((await answerRow(a2.id)).acceptedById).toBe(asker!.id);

    // The ledger shows both decisions: the first revoked, the second standing.
    const ledger = await handle.db.select().from(activities).where(and(eq(activities.type, "forum.answer.accepted"), inArray(activities.subjectId, [String(a1.id), String(a2.id)])));
    expect(ledger.filter((e) => e.revokedAt === null).map((e) => [e.subjectId, e.metadata.role])).toEqual(
      expect.arrayContaining([
        [String(a2.id), "answerer"],
        [String(a2.id), "acceptor"],
      ]),
    );
    expect(ledger.filter((e) => e.revokedAt !== null)).toHaveLength(2);

    expect(await unacceptAnswer(handle.db, actor(asker!), q.id)).toEqual({ ok: true, changed: true });
    expect(await getReputation(handle.db, second!.id)).toBe(MINIMUM_REPUTATION);
    expect(await getReputation(handle.db, asker!.id)).toBe(MINIMUM_REPUTATION);
    const [question] = await handle.db.select().from(forumQuestions).where(eq(forumQuestions.id, q.id));
    expect(question!.acceptedAnswerId).toBeNull();
    // Accepting the first answer again works (fresh ledger keys).
    expect(await acceptAnswer(handle.db, actor(asker!), a1.id)).toEqual({ ok: true, changed: true });
    expect(await getReputation(handle.db, first!.id)).toBe(1 + REPUTATION_POINTS.answerAccepted);
  });

  it("gives no reputation for accepting your own answer", async () => {
    const [asker] = await members(1);
    const q = await makeQuestion(asker!);
    const own = await makeAnswer(q.id, asker!);
    expect(await acceptAnswer(handle.db, actor(asker!), own.id)).toEqual({ ok: true, changed: true });
    expect(await getReputation(handle.db, asker!.id)).toBe(MINIMUM_REPUTATION);
    expect((await getReputationHistory(handle.db, asker!.id)).map((e) => e.reason)).toEqual(["selfAccepted"]);
  });
});

describe("badges", () => {
  it("awards automatic badges once, however often stats are refreshed", async () => {
    const [asker, answerer] = await members(2);
    const q = await makeQuestion(asker!);
    await makeQuestion(asker!);
    const a = await makeAnswer(q.id, answerer!);
    await acceptAnswer(handle.db, actor(asker!), a.id);
    await refreshMemberStats(handle.db, [asker!.id, answerer!.id]);
    await refreshMemberStats(handle.db, [asker!.id, answerer!.id]);

    expect((await listMemberBadges(handle.db, asker!.id)).map((b) => b.slug)).toEqual(["first-question"]);
    expect((await listMemberBadges(handle.db, answerer!.id)).map((b) => b.slug).sort()).toEqual(["first-accepted-answer", "first-answer"]);
    const earned = await handle.db.select().from(activities).where(and(eq(activities.type, "forum.badge.earned"), eq(activities.userId, answerer!.id)));
    expect(earned).toHaveLength(2);
  });

  it("awards the helpful streak for answers upvoted on seven days in a row", async () => {
    const member = await createUser(handle.db);
    const asker = await createUser(handle.db);
    const q = await makeQuestion(asker);
    const a = await makeAnswer(q.id, member);
    const vote = (day: number) => ({
      ...forumActivity.voteReceived({ postType: "answer", postId: a.id, voterId: asker.id, authorId: member.id, value: 1, version: `streak-${day}` }),
      occurredAt: new Date(Date.UTC(2030, 2, day, 12)),
    });
    // Six days, a gap, then seven in a row.
    await recordActivities(handle.db, [1, 2, 3, 4, 5, 6].map(vote));
    await refreshMemberStats(handle.db, [member.id]);
    expect((await listMemberBadges(handle.db, member.id)).map((b) => b.slug)).not.toContain("helpful-streak");
    await recordActivities(handle.db, [8, 9, 10, 11, 12, 13, 14, 15].map(vote));
    await refreshMemberStats(handle.db, [member.id]);
    await refreshMemberStats(handle.db, [member.id]);
    expect((await listMemberBadges(handle.db, member.id)).filter((b) => b.slug === "helpful-streak")).toHaveLength(1);
  });

  it("lets staff award a manual badge with a reason, once", async () => {
    const member = await createUser(handle.db);
    const input = { handle: member.handle, badge: "community-hero" as const, reason: "Ran the spring meetup" };
    expect(await awardBadge(handle.db, actor(member), input)).toEqual({ ok: false, reason: "forbidden" });
    expect(await awardBadge(handle.db, actor(staff), input)).toMatchObject({ ok: true, userId: member.id });
    expect(await awardBadge(handle.db, actor(staff), input)).toEqual({ ok: false, fieldErrors: { badge: ["members.admin.alreadyAwarded"] } });
    expect(await awardBadge(handle.db, actor(staff), { ...input, handle: "nobody_here" })).toEqual({ ok: false, fieldErrors: { handle: ["members.admin.unknownMember"] } });
    expect(await awardBadge(handle.db, actor(staff), { ...input, reason: " " })).toMatchObject({ ok: false, fieldErrors: { reason: ["form.required"] } });
    const badges = await listMemberBadges(handle.db, member.id);
    expect(badges).toMatchObject([{ slug: "community-hero", kind: "manual", reason: "Ran the spring meetup" }]);
  });
});

describe("champions", () => {
  it("makes a member a candidate at the thresholds, and lets staff confirm and revoke with a note", async () => {
    const champion = await createUser(handle.db);
    const bystander = await createUser(handle.db);
    // Five accepted answers (5 × 15) and 13 upvotes (13 × 10): 1 + 75 + 130 = 206 ≥ 200.
    const answers: Array<{ id: number }> = [];
    for (let i = 0; i < 5; i++) {
      const asker = await createUser(handle.db);
      const q = await makeQuestion(asker);
      const a = await makeAnswer(q.id, champion);
      answers.push(a);
      await acceptAnswer(handle.db, actor(asker), a.id);
    }
    expect(await listNominations(handle.db, "candidate")).not.toContainEqual(expect.objectContaining({ userId: champion.id }));
    await Promise.all((await members(13)).map((v) => castVote(handle.db, actor(v), { postType: "answer", postId: answers[0]!.id, value: 1 })));
    expect(await getReputation(handle.db, champion.id)).toBe(206);

    const candidates = await listNominations(handle.db, "candidate");
    expect(candidates).toContainEqual(expect.objectContaining({ userId: champion.id, evidence: expect.objectContaining({ acceptedAnswers: 5 }) }));
    expect(candidates.map((c) => c.userId)).not.toContain(bystander.id);

    const decision = { userId: champion.id, note: "Consistently great answers" };
    expect(await confirmChampion(handle.db, actor(champion), decision)).toEqual({ ok: false, reason: "forbidden" });
    expect(await confirmChampion(handle.db, actor(staff), { ...decision, note: "" })).toMatchObject({ ok: false, fieldErrors: { note: ["form.required"] } });
    expect(await confirmChampion(handle.db, actor(staff), decision)).toEqual({ ok: true, changed: true });
    const [user] = await handle.db.select().from(users).where(eq(users.id, champion.id));
    expect(user!.championAt).not.toBeNull();
    expect((await listChampions(handle.db)).map((c) => c.userId)).toContain(champion.id);
    const granted = await handle.db.select().from(activities).where(and(eq(activities.type, "forum.champion.granted"), eq(activities.userId, champion.id)));
    expect(granted).toHaveLength(1);

    expect(await revokeChampion(handle.db, actor(staff), { userId: champion.id, note: "Left the company" })).toEqual({ ok: true, changed: true });
    const [after] = await handle.db.select().from(users).where(eq(users.id, champion.id));
    expect(after!.championAt).toBeNull();
    const [nomination] = await handle.db.select().from(championNominations).where(eq(championNominations.userId, champion.id));
    expect(nomination).toMatchObject({ status: "revoked", note: "Left the company", decidedById: staff.id });
    // A revoked member is not nominated again automatically.
    await refreshMemberStats(handle.db, [champion.id]);
    expect((await listNominations(handle.db, "candidate")).map((c) => c.userId)).not.toContain(champion.id);
    // Isolation: nobody else became a champion.
    const [other] = await handle.db.select().from(users).where(eq(users.id, bystander.id));
    expect(other!.championAt).toBeNull();
  });
});

describe("leaderboards", () => {
  it("ranks by points earned in 30 days, 90 days and all time", async () => {
    const recent = await createUser(handle.db);
    const older = await createUser(handle.db);
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const accept = (user: UserRow, answerId: number, at: Date) => ({
      ...forumActivity.answerAccepted("answerer", { answerId, questionId: 1, userId: user.id, answererId: user.id, acceptedById: staff.id, version: at.toISOString() }),
      occurredAt: at,
    });
    // `older` earned 10 accepts 60 days ago and 20 a year ago; `recent` 12 accepts this week.
    await recordActivities(handle.db, [
      ...Array.from({ length: 12 }, (_, i) => accept(recent, 800_000 + i, daysAgo(2))),
      ...Array.from({ length: 10 }, (_, i) => accept(older, 810_000 + i, daysAgo(60))),
      ...Array.from({ length: 20 }, (_, i) => accept(older, 820_000 + i, daysAgo(365))),
    ]);
    await refreshMemberStats(handle.db, [recent.id, older.id]);

    const rank = (rows: Array<{ userId: number; points: number }>) => rows.filter((r) => r.userId === recent.id || r.userId === older.id).map((r) => [r.userId, r.points]);
    expect(rank(await getLeaderboard(handle.db, "30d"))).toEqual([[recent.id, 180]]);
    expect(rank(await getLeaderboard(handle.db, "90d"))).toEqual([
      [recent.id, 180],
      [older.id, 150],
    ]);
    expect(rank(await getLeaderboard(handle.db, "all"))).toEqual([
      [older.id, 450],
      [recent.id, 180],
    ]);
  });
});

describe("member profile", () => {
  it("shows visible posts, accepted answers, reputation history and badges, not hidden posts", async () => {
    const [member, asker] = await members(2);
    const q = await makeQuestion(asker!);
    const a = await makeAnswer(q.id, member!);
    const hiddenQ = await makeQuestion(asker!, { hiddenAt: new Date(), title: "A hidden question about secrets" });
    await makeAnswer(hiddenQ.id, member!);
    await acceptAnswer(handle.db, actor(asker!), a.id);

    const page = await getMemberProfilePage(handle.db, member!.handle);
    expect(page!.profile).toMatchObject({ id: member!.id, reputation: 1 + REPUTATION_POINTS.answerAccepted, acceptedAnswers: 1 });
    expect(page!.answers.map((x) => x.id)).toEqual([a.id]);
    expect(page!.acceptedAnswers.map((x) => x.id)).toEqual([a.id]);
    expect(page!.history).toMatchObject([{ reason: "answerAccepted", points: 15, question: { id: q.id } }]);
    expect(page!.badges.map((b) => b.slug).sort()).toEqual(["first-accepted-answer", "first-answer"]);
    expect(await getMemberProfilePage(handle.db, "no_such_member")).toBeNull();
    // The awarded badges are unique per reason.
    const keys = await handle.db.select({ key: memberBadges.awardKey }).from(memberBadges).where(and(eq(memberBadges.userId, member!.id), isNull(memberBadges.reason)));
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
  });
});
