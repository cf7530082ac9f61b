import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { seedDemoForum } from "../../app/features/forum/demo.server";
import { listStaffQueue } from "../../app/features/forum/queues.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let seeded: Awaited<ReturnType<typeof seedDemoForum>>;

beforeAll(async () => {
  handle = await createTestDb();
  // Any hash will do: these tests never sign in.
  await seedDemo(handle.db, { passwordHash: "x" });
  seeded = await seedDemoForum(handle.db);
}, 60_000);
afterAll(async () => {
  await handle.close();
});

const one = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T> => (await queryRows<T>(handle.db, query))[0]!;

describe("demo forum", () => {
  it("asks a dozen questions in English and Japanese, with answers, votes and comments", async () => {
    expect(seeded.questions).toBe(13);
    const counts = await one<{ en: number; ja: number; answers: number; comments: number; votes: number }>(sql`select
      (select count(*)::int from forum_questions where locale = 'en') as en, (select count(*)::int from forum_questions where locale = 'ja') as ja,
      (select count(*)::int from forum_answers) as answers, (select count(*)::int from forum_comments) as comments, (select count(*)::int from forum_votes) as votes`);
    expect(counts).toMatchObject({ answers: seeded.answers, comments: seeded.comments, votes: seeded.votes });
    expect(counts.ja).toBeGreaterThanOrEqual(4);
    expect(counts.en).toBeGreaterThanOrEqual(6);
  });

  it("accepts answers by champions and gives them reputation from the ledger", async () => {
    const accepted = await one<{ n: number }>(sql`select count(*)::int as n from forum_questions where accepted_answer_id is not null`);
    expect(accepted.n).toBeGreaterThanOrEqual(5);
    const olivia = await one<{ reputation: number }>(sql`select r.reputation from member_reputation r join users u on u.id = r.user_id where u.handle = 'olivia_chen'`);
    expect(olivia.reputation).toBeGreaterThan(30);
  });

  it("closes one question as a duplicate of the original and leaves one unanswered", async () => {
    const closed = await one<{ n: number; original: string }>(sql`select count(*)::int as n, max(d.title) as original from forum_questions q
      join forum_questions d on d.id = q.duplicate_of_question_id where q.close_reason = 'duplicate'`);
    expect(closed.n).toBe(1);
    expect(closed.original).toMatch(/Okta/);
    expect((await one<{ n: number }>(sql`select count(*)::int as n from forum_questions where answer_count = 0 and closed_at is null`)).n).toBeGreaterThanOrEqual(1);
  });

  it("spreads the questions over past weeks, answers after their question, so the staff queue has an old unanswered one", async () => {
    const spread = await one<{ oldest_days: number; newest_days: number; answers_before_question: number; future: number }>(sql`select
      extract(epoch from now() - min(created_at))::float / 86400 as oldest_days, extract(epoch from now() - max(created_at))::float / 86400 as newest_days,
      (select count(*)::int from forum_answers a join forum_questions q on q.id = a.question_id where a.created_at <= q.created_at) as answers_before_question,
      (select count(*)::int from activities where occurred_at > now()) as future
      from forum_questions`);
    expect(spread.oldest_days).toBeGreaterThan(25);
    expect(spread.newest_days).toBeGreaterThan(1);
    expect(spread.answers_before_question).toBe(0);
    expect(spread.future).toBe(0);
    const queue = await listStaffQueue(handle.db);
    expect(queue.some((item) => item.unanswered && item.ageHours > 48)).toBe(true);
  });
});
