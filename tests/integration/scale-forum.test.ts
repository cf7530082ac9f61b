import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DbHandle } from "../../db/client";
import { createUser } from "../../db/factories";
import { forumQuestions, forumTags } from "../../db/schema";
import { deleteScaleData, generateScaleData } from "../../db/scale";
import {
  findScaleBenchQuestion,
  generateScaleForum,
  SCALE_FORUM_BENCH_ANSWERS,
  SCALE_FORUM_BENCH_COMMENTS,
  SCALE_FORUM_BENCH_TITLE,
  type ScaleForumSummary,
} from "../../db/scale-forum";
import { questionSlug } from "../../app/features/forum/forum.schema";
import { cappedSql, ledgerPointsSql } from "../../app/features/forum/member-stats.server";
import { DAILY_VOTE_REPUTATION_CAP } from "../../app/features/forum/reputation";
import { renderMarkdown } from "../../app/features/markdown/render.server";
import { createTestDb } from "../support/db";

let handle: DbHandle;
let forum: ScaleForumSummary;
const now = new Date();
const options = { questions: 200, answers: 600, votes: 1500, comments: 200 };
// A real member's question, asked before the generator runs: it must come through untouched.
let bystander: { questionId: number; tagId: number };

const rows = <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => queryRows<T>(handle.db, query);
const count = async (query: ReturnType<typeof sql>): Promise<number> => {
  const [row] = await rows<{ n: number | string }>(query);
  return Number(row?.n ?? 0);
};

beforeAll(async () => {
  handle = await createTestDb();
  const user = await createUser(handle.db, { email: "asker@real-customer.test" });
  const [tag] = await handle.db.insert(forumTags).values({ slug: "sso", name: "sso", questionCount: 1 }).returning({ id: forumTags.id });
  const [question] = await handle.db
    .insert(forumQuestions)
    .values({ authorId: user.id, title: "A real question about SSO", slug: "a-real-question-about-sso", bodyMd: "Real.", bodyHtml: "<p>Real.</p>", bodyText: "Real." })
    .returning({ id: forumQuestions.id });
  await handle.db.execute(sql`insert into forum_question_tags (question_id, tag_id) values (${question!.id}, ${tag!.id})`);
  bystander = { questionId: question!.id, tagId: tag!.id };

  await generateScaleData(handle.db, { accounts: 12, members: 300, activities: 0, passwordHash: "!scale-test", now, memberBatchSize: 100 });
  forum = await generateScaleForum(handle.db, {
    ...options,
    memberCount: 300,
    now,
    render: (markdown, locale) => renderMarkdown(markdown, { locale }),
    // Exercise the bulk path (indexes dropped and rebuilt) on a small set.
    rebuildIndexes: true,
  });
}, 120_000);
afterAll(async () => {
  await handle.close();
});

describe("scale forum generator", () => {
  it("writes the requested questions, answers and comments, and votes up to the requested number", async () => {
    expect(forum).toMatchObject({ questions: 200, answers: 600, comments: 200 });
    expect(forum.votes).toBeGreaterThan(1400);
    expect(forum.votes).toBeLessThanOrEqual(1500);
    expect(await count(sql`select count(*) as n from forum_questions`)).toBe(201);
    expect(await count(sql`select count(*) as n from forum_answers`)).toBe(600);
    expect(await count(sql`select count(*) as n from forum_votes`)).toBe(forum.votes);
  });

  it("keeps answer, comment and vote counters equal to what they count", async () => {
    expect(await count(sql`select count(*) as n from forum_questions q
      where answer_count <> (select count(*) from forum_answers a where a.question_id = q.id and a.deleted_at is null and a.hidden_at is null)
         or comment_count <> (select count(*) from forum_comments c where c.post_type = 'question' and c.post_id = q.id)
         or score <> coalesce((select sum(value) from forum_votes v where v.post_type = 'question' and v.post_id = q.id), 0)
         or upvote_count <> (select count(*) from forum_votes v where v.post_type = 'question' and v.post_id = q.id and v.value = 1)
         or downvote_count <> (select count(*) from forum_votes v where v.post_type = 'question' and v.post_id = q.id and v.value = -1)`)).toBe(0);
    expect(await count(sql`select count(*) as n from forum_answers a
      where comment_count <> (select count(*) from forum_comments c where c.post_type = 'answer' and c.post_id = a.id)
         or score <> coalesce((select sum(value) from forum_votes v where v.post_type = 'answer' and v.post_id = a.id), 0)
         or upvote_count <> (select count(*) from forum_votes v where v.post_type = 'answer' and v.post_id = a.id and v.value = 1)`)).toBe(0);
    // Some questions are popular, some unanswered; votes are never on one's own post.
    expect(await count(sql`select count(*) as n from forum_questions where answer_count = 0`)).toBeGreaterThan(5);
    expect(await count(sql`select max(answer_count) as n from forum_questions`)).toBeGreaterThanOrEqual(SCALE_FORUM_BENCH_ANSWERS);
    expect(await count(sql`select count(*) as n from forum_votes v join forum_answers a on v.post_type = 'answer' and a.id = v.post_id where a.author_id = v.voter_id`)).toBe(0);
  });

  it("accepts at most one answer per question, on about 40% of questions, never the asker's own", async () => {
    expect(await count(sql`select count(*) as n from (select question_id from forum_answers where accepted_at is not null group by question_id having count(*) > 1) x`)).toBe(0);
    expect(await count(sql`select count(*) as n from forum_questions q
      where accepted_answer_id is distinct from (select a.id from forum_answers a where a.question_id = q.id and a.accepted_at is not null)`)).toBe(0);
    expect(forum.acceptedAnswers).toBeGreaterThan(55);
    expect(forum.acceptedAnswers).toBeLessThan(110);
    expect(await count(sql`select count(*) as n from forum_answers a join forum_questions q on q.id = a.question_id
      where a.accepted_at is not null and (a.author_id = q.author_id or a.accepted_by_id <> q.author_id or a.accepted_at < a.created_at)`)).toBe(0);
  });

  it("moves last activity to the latest answer, accept or comment", async () => {
    expect(await count(sql`select count(*) as n from forum_questions q where q.id <> ${bystander.questionId} and last_activity_at <> greatest(q.created_at,
        (select max(greatest(a.created_at, a.accepted_at)) from forum_answers a where a.question_id = q.id),
        (select max(c.created_at) from forum_comments c where c.question_id = q.id))`)).toBe(0);
    expect(await count(sql`select count(*) as n from forum_answers a join forum_questions q on q.id = a.question_id where a.created_at < q.created_at or a.created_at > ${now.toISOString()}::timestamptz`)).toBe(0);
  });

  it("counts each tag's questions exactly and favours popular tags", async () => {
    expect(await count(sql`select count(*) as n from forum_tags t
      where question_count <> (select count(*) from forum_question_tags qt join forum_questions q on q.id = qt.question_id where qt.tag_id = t.id and q.deleted_at is null)`)).toBe(0);
    const tags = await rows<{ slug: string; question_count: number }>(sql`select slug, question_count from forum_tags order by question_count desc`);
    expect(tags.length).toBeGreaterThanOrEqual(55);
    expect(tags[0]!.question_count).toBeGreaterThan(5 * tags[30]!.question_count);
  });

  it("gives every question the slug the app derives from its title, in both languages", async () => {
    const questions = await rows<{ title: string; slug: string; locale: string }>(sql`select title, slug, locale from forum_questions`);
    for (const q of questions) expect(q.slug, q.title).toBe(questionSlug(q.title));
    expect(questions.filter((q) => q.locale === "ja").length).toBeGreaterThan(5);
    const [sample] = await rows<{ body_html: string }>(sql`select body_html from forum_questions where body_md like '%${sql.raw("```")}%' limit 1`);
    expect(sample?.body_html).toContain("<pre");
  });

  it("has one findable question with exactly 30 answers and its comments", async () => {
    const bench = await findScaleBenchQuestion(handle.db);
    expect(bench).toMatchObject({ id: forum.benchQuestionId, slug: questionSlug(SCALE_FORUM_BENCH_TITLE) });
    expect(await count(sql`select answer_count as n from forum_questions where id = ${bench!.id}`)).toBe(SCALE_FORUM_BENCH_ANSWERS);
    expect(await count(sql`select count(distinct author_id) as n from forum_answers where question_id = ${bench!.id}`)).toBe(SCALE_FORUM_BENCH_ANSWERS);
    expect(await count(sql`select count(*) as n from forum_comments where question_id = ${bench!.id}`)).toBe(SCALE_FORUM_BENCH_COMMENTS);
    expect(await count(sql`select count(*) as n from forum_answers where question_id = ${bench!.id} and accepted_at is not null`)).toBe(1);
  });

  it("writes the ledger entries the forum commands write, with their keys", async () => {
    expect(await count(sql`select count(*) as n from activities where type = 'forum.question.asked'`)).toBe(200);
    expect(await count(sql`select count(*) as n from activities where type = 'forum.answer.posted'`)).toBe(600);
    expect(await count(sql`select count(*) as n from activities where type = 'forum.comment.posted'`)).toBe(200);
    expect(await count(sql`select count(*) as n from activities where type = 'forum.answer.accepted'`)).toBe(2 * forum.acceptedAnswers);
    // Every vote has its cast and received entry under the key castVote revokes (voteKeys with ledger_version).
    expect(await count(sql`select count(*) as n from forum_votes v where not exists (select 1 from activities a
      where a.idempotency_key = 'forum.vote.received:' || v.post_type || ':' || v.post_id || ':' || v.voter_id || ':' || v.ledger_version)
      or not exists (select 1 from activities a where a.idempotency_key = 'forum.vote.cast:' || v.post_type || ':' || v.post_id || ':' || v.voter_id || ':' || v.ledger_version)`)).toBe(0);
    expect(await count(sql`select count(*) as n from activities where type like 'forum.%' and account_id is null`)).toBe(0);
  });

  it("stores each member's reputation as the ledger rules compute it", async () => {
    expect(await count(sql`select count(*) as n from member_reputation r join users u on u.id = r.user_id where u.email like 'member%@scale-%.example'`)).toBe(300);
    const mismatches = await count(sql`
      with e as (
        select a.user_id, (a.occurred_at at time zone 'UTC')::date as day, ${ledgerPointsSql("a")} as points, ${cappedSql("a")} as capped
        from activities a where a.type in ('forum.vote.received', 'forum.answer.accepted') and a.revoked_at is null
      ), d as (
        select user_id, least(${DAILY_VOTE_REPUTATION_CAP}::int, coalesce(sum(points) filter (where capped), 0)) + coalesce(sum(points) filter (where not capped), 0) as points
        from e group by user_id, day
      ), t as (select user_id, greatest(1, 1 + sum(points)) as rep from d group by user_id)
      select count(*) as n from member_reputation r left join t on t.user_id = r.user_id where r.reputation <> coalesce(t.rep, 1)`);
    expect(mismatches).toBe(0);
    expect(await count(sql`select count(*) as n from member_reputation r
      where answers <> (select count(*) from forum_answers a where a.author_id = r.user_id)
         or questions <> (select count(*) from forum_questions q where q.author_id = r.user_id)
         or accepted_answers <> (select count(*) from forum_answers a where a.author_id = r.user_id and a.accepted_at is not null)`)).toBe(0);
    expect(await count(sql`select count(*) as n from member_reputation where reputation >= 50`)).toBeGreaterThan(10);
  });

  it("leaves a real member's question alone, and --reset removes only the scale forum", async () => {
    expect(await count(sql`select answer_count + comment_count + score as n from forum_questions where id = ${bystander.questionId}`)).toBe(0);
    await deleteScaleData(handle.db);
    expect(await count(sql`select count(*) as n from forum_questions`)).toBe(1);
    expect(await count(sql`select count(*) as n from forum_answers`)).toBe(0);
    expect(await count(sql`select count(*) as n from activities where type like 'forum.%'`)).toBe(0);
    expect(await count(sql`select question_count as n from forum_tags where id = ${bystander.tagId}`)).toBe(1);
    expect(await count(sql`select count(*) as n from forum_tags`)).toBe(1);
  });
});
