import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { queryRows } from "./client";
import { activityPermutation, hash01, inBulkTransaction, SCALE_ADMIN_EMAIL } from "./scale";
import {
  SCALE_ANSWER_TEXTS,
  SCALE_COMMENT_TEXTS,
  SCALE_FORUM_TAGS,
  SCALE_FORUM_TITLE_SUFFIXES,
  SCALE_QUESTION_TEXTS,
} from "./scale-forum-texts";

/**
 * The Q&A forum at customer scale, on top of the seed:scale members: questions, answers, tags, votes,
 * accepted answers, comments, the forum's ledger entries and member_reputation, all consistent with each
 * other (every counter equals what it counts; reputation follows features/forum/reputation.ts from the
 * ledger rows written here). Same schema as the app writes (DESIGN.md); rows are written set-based, with
 * every "random" choice a hash of the row number, so runs with the same options give the same forum.
 *
 * Ledger rows carry the keys the forum commands use (features/forum/activity.ts), so a vote generated
 * here is withdrawn by castVote exactly like one cast through the app.
 *
 * Markdown is rendered by the caller, once per template (db/ does not import app code, and rendering
 * 400k bodies one by one would take minutes); posts reuse the rendered HTML of their template.
 */

/** The question the question-page benchmark reads: exactly SCALE_FORUM_BENCH_ANSWERS answers, with comments. */
export const SCALE_FORUM_BENCH_TITLE = "Scale benchmark: one question with thirty answers";
export const SCALE_FORUM_BENCH_ANSWERS = 30;
/** Comments under the benchmark question: 3 on the question and 2 on each answer. */
export const SCALE_FORUM_BENCH_COMMENTS = 3 + 2 * SCALE_FORUM_BENCH_ANSWERS;

const SCALE_USER_LIKE = "%@scale-%.example";
const SCALE_MEMBER_EMAIL_LIKE = "member%@scale-%.example";

export interface RenderedText {
  html: string;
  text: string;
}

/** renderMarkdown from features/markdown, passed in by the caller. */
export type ScaleMarkdownRenderer = (markdown: string, locale: "en" | "ja") => RenderedText;

export interface ScaleForumOptions {
  questions: number;
  answers: number;
  votes: number;
  comments: number;
  /** Scale members 1..memberCount (from generateScaleData) ask, answer, vote and comment. */
  memberCount: number;
  render: ScaleMarkdownRenderer;
  /** Questions are spread over the `days` before `now`. Defaults: now, 365 days. */
  now?: Date;
  days?: number;
  /** Share of all questions with an accepted answer. Default 0.4. */
  acceptedShare?: number;
  /** Drop secondary indexes of the written tables during the load and rebuild them after; default when the load is big. */
  rebuildIndexes?: boolean;
  onProgress?: (step: string, elapsedMs: number) => void;
}

export interface ScaleForumSummary {
  tags: number;
  questions: number;
  answers: number;
  acceptedAnswers: number;
  votes: number;
  comments: number;
  activities: number;
  benchQuestionId: number;
  timingsMs: Record<string, number>;
}

/** Template rows as the SQL reads them (kind q/a/c, locale, 1-based index within kind and locale). */
function renderTemplates(render: ScaleMarkdownRenderer) {
  const rows: { kind: "q" | "a" | "c"; locale: "en" | "ja"; title: string; bodyMd: string; bodyHtml: string; bodyText: string }[] = [];
  for (const t of SCALE_QUESTION_TEXTS) rows.push({ kind: "q", locale: t.locale, title: t.title, bodyMd: t.bodyMd, ...htmlAndText(render(t.bodyMd, t.locale)) });
  for (const t of SCALE_ANSWER_TEXTS) rows.push({ kind: "a", locale: t.locale, title: "", bodyMd: t.bodyMd, ...htmlAndText(render(t.bodyMd, t.locale)) });
  for (const t of SCALE_COMMENT_TEXTS) rows.push({ kind: "c", locale: t.locale, title: "", bodyMd: t.body, ...htmlAndText(render(t.body, t.locale)) });
  const counts = (kind: "q" | "a" | "c", locale: "en" | "ja") => rows.filter((r) => r.kind === kind && r.locale === locale).length;
  return { rows, counts };
}

function htmlAndText(r: RenderedText) {
  return { bodyHtml: r.html, bodyText: r.text };
}

/**
 * questionSlug (features/forum/forum.schema.ts) in SQL, for the titles generated here (short, unaccented):
 * lower-case ASCII words joined by hyphens; "question" for a Japanese title.
 */
function slugSql(title: SQL): SQL {
  return sql`case when ${title} ~ ${"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"} then 'question'
                  else coalesce(nullif(trim(both '-' from regexp_replace(lower(replace(${title}, '''', '')), '[^a-z0-9]+', '-', 'g')), ''), 'question') end`;
}

const iso = (t: SQL) => sql`to_char((${t}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Writes the forum in one transaction (an interrupted run leaves nothing behind), then vacuums, so `db`
 * must not be a transaction. Needs the scale members (generateScaleData) and no scale forum yet
 * (deleteScaleData removes it).
 */
export async function generateScaleForum(db: Db, options: ScaleForumOptions): Promise<ScaleForumSummary> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const { questions: Q, answers: A, votes: V, comments: C, memberCount: M } = options;
  for (const [name, value] of Object.entries({ questions: Q, answers: A, votes: V, comments: C, memberCount: M })) {
    if (!Number.isInteger(value) || value < 0) throw new Error(`generateScaleForum: ${name} must be a non-negative integer`);
  }
  if (Q < 2) throw new Error("generateScaleForum: at least 2 questions (one is the benchmark question)");
  if (A < SCALE_FORUM_BENCH_ANSWERS) throw new Error(`generateScaleForum: at least ${SCALE_FORUM_BENCH_ANSWERS} answers`);
  if (C < SCALE_FORUM_BENCH_COMMENTS) throw new Error(`generateScaleForum: at least ${SCALE_FORUM_BENCH_COMMENTS} comments`);
  if (M <= SCALE_FORUM_BENCH_ANSWERS) throw new Error(`generateScaleForum: more than ${SCALE_FORUM_BENCH_ANSWERS} members`);
  const now = options.now ?? new Date();
  const days = options.days ?? 365;
  const acceptedShare = options.acceptedShare ?? 0.4;
  const rebuild = options.rebuildIndexes ?? Q >= 10_000;
  const templates = renderTemplates(options.render);

  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await run();
    timings[name] = Math.round(performance.now() - t);
    options.onProgress?.(name, performance.now() - started);
    return result;
  };

  // Members rank by activity through the same permutation as the scale ledger, so the scale champions
  // (the most active ranks) are also the forum's most prolific answerers.
  const { p: memberP } = activityPermutation(M);
  const { p: questionP } = activityPermutation(Q - 1);
  const randomAnswers = A - SCALE_FORUM_BENCH_ANSWERS;
  const memberOf = (u: SQL, exponent: number) =>
    sql`((floor(${M}::int * power(${u}, ${exponent}::float8))::bigint * ${memberP.toString()}::bigint) % ${M}::bigint + 1)::int`;
  const nTags = SCALE_FORUM_TAGS.length;
  const accountAt = (m: string, t: SQL) =>
    sql`case when ${sql.raw(m)}.moved_at is not null and ${t} < ${sql.raw(m)}.moved_at then ${sql.raw(m)}.prev_account_id else ${sql.raw(m)}.account_id end`;

  const summary = await inBulkTransaction(db, async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    const dropped = rebuild ? await dropSecondaryIndexes(tx, ["forum_questions", "forum_answers", "forum_comments", "forum_votes", "forum_question_tags", "forum_post_revisions", "activities"]) : [];

    const [admin] = await queryRows<{ id: number }>(tx, sql`select id from users where email = ${SCALE_ADMIN_EMAIL}`);
    const [bases] = await queryRows<{ q: number; a: number; c: number }>(
      tx,
      sql`select (select coalesce(max(id), 0) from forum_questions)::int as q, (select coalesce(max(id), 0) from forum_answers)::int as a,
                 (select coalesce(max(id), 0) from forum_comments)::int as c`,
    );

    await step("setup", async () => {
      await tx.execute(sql`
        create temp table sf_c on commit drop as
        select ${now.toISOString()}::timestamptz as gen_now, ${now.toISOString()}::timestamptz - ${days}::int * interval '1 day' as window_start`);
      await tx.execute(sql`
        create temp table sf_tpl on commit drop as
        select e->>'kind' as kind, e->>'locale' as locale,
               (row_number() over (partition by e->>'kind', e->>'locale' order by ord))::int as i,
               e->>'title' as title, e->>'bodyMd' as body_md, e->>'bodyHtml' as body_html, e->>'bodyText' as body_text
        from jsonb_array_elements(${JSON.stringify(templates.rows)}::jsonb) with ordinality as t(e, ord)`);
      await tx.execute(sql`alter table sf_tpl add primary key (kind, locale, i)`);
      // A member's forum life starts when they joined (verified their email), as in the scale ledger;
      // before a staff move their account was the previous one.
      await tx.execute(sql`
        create temp table sf_m on commit drop as
        select substring(u.email from '^member([0-9]+)@')::int as m, u.id as user_id, u.locale,
               coalesce(u.email_verified_at, u.created_at) as active_from, am.account_id,
               hl.account_id as prev_account_id, hl.at as moved_at
        from users u
        join account_members am on am.user_id = u.id
        left join account_membership_history hl on hl.user_id = u.id and hl.change = 'left'
        where u.email like ${SCALE_MEMBER_EMAIL_LIKE}`);
      await tx.execute(sql`delete from sf_m where m > ${M}::int`);
      await tx.execute(sql`alter table sf_m add primary key (m)`);
      await tx.execute(sql`create index on sf_m (user_id)`);
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from sf_m`);
      if (n !== M) throw new Error(`generateScaleForum: ${M} scale members wanted, ${n} found (run seed:scale first)`);
      await tx.execute(sql`analyze sf_m`);

      // Tags: the scale admin created them (which is how deleteScaleForumData recognises them).
      await tx.execute(sql`
        insert into forum_tags (slug, name, description, created_by_id, created_at, updated_at)
        select t->>0, t->>0, t->>1, ${admin?.id ?? null}::int, c.window_start, c.window_start
        from jsonb_array_elements(${JSON.stringify(SCALE_FORUM_TAGS)}::jsonb) as t, sf_c c
        on conflict (slug) do nothing`);
      await tx.execute(sql`
        create temp table sf_tag on commit drop as
        select o.i::int as i, ft.id, o.t->>1 as topic_en, o.t->>2 as topic_ja
        from jsonb_array_elements(${JSON.stringify(SCALE_FORUM_TAGS)}::jsonb) with ordinality as o(t, i)
        join forum_tags ft on ft.slug = o.t->>0`);
      await tx.execute(sql`alter table sf_tag add primary key (i)`);
    });

    const q = sql`g.q`;
    await step("questions", async () => {
      // Question Q is the benchmark question, asked three days ago; the others are spread over the window,
      // more of them recently (the community grows). Ids follow creation time, as they would.
      await tx.execute(sql`
        create temp table sf_q on commit drop as
        with g as (
          select g.q, ${hash01(q, 301)} as ua, ${hash01(q, 302)} as ub, ${hash01(q, 303)} as ut, ${hash01(q, 304)} as utpl,
                 ${hash01(q, 305)} as usfx, ${hash01(q, 306)} as utag
          from generate_series(1, ${Q}::int) as g(q)
        ),
        t as (
          select g.*, ${memberOf(sql`g.ua`, 2)} as ma, ${memberOf(sql`g.ub`, 2)} as mb,
                 case when g.q = ${Q}::int then c.gen_now - interval '3 days'
                      else c.window_start + power(g.ut, 0.7) * (c.gen_now - c.window_start) end as raw_at
          from g, sf_c c
        ),
        w as (
          select t.q, t.utpl, t.usfx, t.utag, case when a.active_from <= t.raw_at then a.m else b.m end as m,
                 least((select gen_now from sf_c), greatest(t.raw_at, case when a.active_from <= t.raw_at then a.active_from else b.active_from end)) as created_at
          from t join sf_m a on a.m = t.ma join sf_m b on b.m = t.mb
        )
        select w.q, (${bases!.q}::int + row_number() over (order by w.created_at, w.q))::int as id,
               mm.user_id, ${accountAt("mm", sql`w.created_at`)} as account_id, w.created_at,
               case when w.q = ${Q}::int then 'en' else mm.locale end as locale,
               w.utpl, w.usfx, 1 + floor(${nTags}::int * power(w.utag, 2.2))::int as tag_i
        from w join sf_m mm on mm.m = w.m`);
      await tx.execute(sql`alter table sf_q add primary key (q)`);
      await tx.execute(sql`analyze sf_q`);
      const enSfx = sql`string_to_array(${SCALE_FORUM_TITLE_SUFFIXES.en.join("|")}, '|')`;
      const jaSfx = sql`string_to_array(${SCALE_FORUM_TITLE_SUFFIXES.ja.join("|")}, '|')`;
      await tx.execute(sql`
        insert into forum_questions (id, author_id, account_id, title, slug, body_md, body_html, body_text, locale,
                                     last_activity_at, created_at, updated_at)
        overriding system value
        select x.id, x.user_id, x.account_id, x.title, ${slugSql(sql`x.title`)}, x.body_md, x.body_html, x.body_text, x.locale,
               x.created_at, x.created_at, x.created_at
        from (
          select s.id, s.user_id, s.account_id, s.locale, s.created_at, tpl.body_md, tpl.body_html, tpl.body_text,
                 case when s.q = ${Q}::int then ${SCALE_FORUM_BENCH_TITLE}
                      when s.locale = 'ja' then replace(tpl.title, '{topic}', tg.topic_ja) || sj[1 + floor(s.usfx * array_length(sj, 1))::int]
                      else replace(tpl.title, '{topic}', tg.topic_en) || se[1 + floor(s.usfx * array_length(se, 1))::int] end as title
          from sf_q s
          join sf_tag tg on tg.i = s.tag_i
          join sf_tpl tpl on tpl.kind = 'q' and tpl.locale = s.locale
                         and tpl.i = 1 + floor(s.utpl * (case when s.locale = 'ja' then ${templates.counts("q", "ja")}::int else ${templates.counts("q", "en")}::int end))::int,
          ${enSfx} as se, ${jaSfx} as sj
        ) x`);
      // One to four tags: the first names the title's topic; popular tags are much more common.
      await tx.execute(sql`
        insert into forum_question_tags (question_id, tag_id)
        select distinct s.id, tg.id
        from (
          select s.id, s.tag_i as ti from sf_q s
          union all
          select s.id, 1 + floor(${nTags}::int * power(${hash01(sql`s.q * 4 + k.k`, 311)}, 1.6))::int
          from sf_q s cross join generate_series(1, 3) as k(k)
          where ${hash01(sql`s.q * 4 + k.k`, 312)} < (array[0.55, 0.3, 0.1])[k.k]
        ) s
        join sf_tag tg on tg.i = s.ti`);
      // Revision 1 of every post is the original (the history page and edits rely on it).
      await tx.execute(sql`
        insert into forum_post_revisions (post_type, post_id, number, title, tags, body_md, author_id, created_at)
        select 'question', q.id, 1, q.title,
               coalesce((select jsonb_agg(t.name order by t.id) from forum_question_tags qt join forum_tags t on t.id = qt.tag_id where qt.question_id = q.id), '[]'::jsonb),
               q.body_md, q.author_id, q.created_at
        from forum_questions q where q.id > ${bases!.q}::int`);
    });

    const a = sql`g.a`;
    await step("answers", async () => {
      // Answers go to questions with a skewed popularity (some get many, ~10% none), soon after the
      // question more often than late; the benchmark question gets exactly its 30 from 30 members.
      await tx.execute(sql`
        create temp table sf_a on commit drop as
        with g as (
          select g.a, ((floor(${Q - 1}::int * power(${hash01(a, 401)}, 1.6))::bigint * ${questionP.toString()}::bigint) % ${Q - 1}::bigint + 1)::int as q,
                 ${hash01(a, 402)} as ut, ${memberOf(sql`${hash01(a, 403)}`, 2.5)} as ma, ${memberOf(sql`${hash01(a, 404)}`, 2.5)} as mb,
                 ${hash01(a, 405)} as utpl
          from generate_series(1, ${randomAnswers}::int) as g(a)
          union all
          select ${randomAnswers}::int + k, ${Q}::int, k::float8 / ${SCALE_FORUM_BENCH_ANSWERS + 1}::float8,
                 ((k::bigint * 7919 + 11) % ${M}::bigint + 1)::int, ((k::bigint * 7919 + 11) % ${M}::bigint + 1)::int, ${hash01(sql`k`, 406)}
          from generate_series(1, ${SCALE_FORUM_BENCH_ANSWERS}::int) as k
        ),
        t as (
          select g.a, g.utpl, qq.id as question_id, qq.user_id as asker_id, qq.locale,
                 case when g.q = ${Q}::int then qq.created_at + g.ut * (c.gen_now - qq.created_at)
                      else qq.created_at + power(g.ut, 3) * (c.gen_now - qq.created_at) end as raw_at,
                 ma.m as a_m, ma.user_id as a_user, ma.active_from as a_from, mb.m as b_m, mb.active_from as b_from
          from g join sf_q qq on qq.q = g.q join sf_m ma on ma.m = g.ma join sf_m mb on mb.m = g.mb, sf_c c
        ),
        w as (
          select t.a, t.utpl, t.question_id, t.locale,
                 case when t.a_from <= t.raw_at and t.a_user <> t.asker_id then t.a_m else t.b_m end as m,
                 least((select gen_now from sf_c),
                       greatest(t.raw_at, case when t.a_from <= t.raw_at and t.a_user <> t.asker_id then t.a_from else t.b_from end)) as created_at
          from t
        )
        select w.a, (${bases!.a}::int + row_number() over (order by w.created_at, w.a))::int as id, w.question_id, w.locale,
               mm.user_id, ${accountAt("mm", sql`w.created_at`)} as account_id, w.created_at, w.utpl
        from w join sf_m mm on mm.m = w.m`);
      await tx.execute(sql`alter table sf_a add primary key (a)`);
      await tx.execute(sql`analyze sf_a`);
      await tx.execute(sql`
        insert into forum_answers (id, question_id, author_id, account_id, body_md, body_html, body_text, created_at, updated_at)
        overriding system value
        select s.id, s.question_id, s.user_id, s.account_id, tpl.body_md, tpl.body_html, tpl.body_text, s.created_at, s.created_at
        from sf_a s
        join sf_tpl tpl on tpl.kind = 'a' and tpl.locale = s.locale
                       and tpl.i = 1 + floor(s.utpl * (case when s.locale = 'ja' then ${templates.counts("a", "ja")}::int else ${templates.counts("a", "en")}::int end))::int`);
      await tx.execute(sql`
        insert into forum_post_revisions (post_type, post_id, number, body_md, author_id, created_at)
        select 'answer', s.id, 1, a.body_md, s.user_id, s.created_at from sf_a s join forum_answers a on a.id = s.id`);
    });

    const v = sql`g.v`;
    await step("votes", async () => {
      // A quarter on questions, the rest on answers, popular posts far more often; 9 in 10 up. Candidates
      // are drawn with headroom, then one vote per member per post, never on one's own post.
      const candidates = Math.ceil(V * 1.15) + 100;
      await tx.execute(sql`
        create temp table sf_vg on commit drop as
        select g.v, ${hash01(v, 501)} < 0.25 as on_question,
               ((floor(${Q}::int * power(${hash01(v, 502)}, 2))::bigint * ${activityPermutation(Q).p.toString()}::bigint) % ${Q}::bigint + 1)::int as qi,
               ((floor(${A}::int * power(${hash01(v, 502)}, 2))::bigint * ${activityPermutation(A).p.toString()}::bigint) % ${A}::bigint + 1)::int as ai,
               (case when ${hash01(v, 503)} < 0.9 then 1 else -1 end)::smallint as value, ${hash01(v, 504)} as u_at,
               ${memberOf(sql`${hash01(v, 505)}`, 1.5)} as voter_m
        from generate_series(1, ${candidates}::int) as g(v)`);
      await tx.execute(sql`
        insert into forum_votes (post_type, post_id, voter_id, value, ledger_version, created_at, updated_at)
        select post_type, post_id, voter_id, value, ${iso(sql`at`)}, at, at
        from (
          select distinct on (post_type, post_id, voter_id) *
          from (
            select p.v, p.post_type, p.post_id, vm.user_id as voter_id, p.value, p.author_id,
                   least(c.gen_now, greatest(vm.active_from, p.created_at + power(p.u_at, 2) * (c.gen_now - p.created_at))) as at
            from (
              select g.v, 'question'::text as post_type, s.id as post_id, s.user_id as author_id, s.created_at, g.value, g.u_at, g.voter_m
              from sf_vg g join sf_q s on s.q = g.qi where g.on_question
              union all
              select g.v, 'answer', s.id, s.user_id, s.created_at, g.value, g.u_at, g.voter_m
              from sf_vg g join sf_a s on s.a = g.ai where not g.on_question
            ) p
            join sf_m vm on vm.m = p.voter_m, sf_c c
          ) x
          where x.voter_id <> x.author_id
          order by post_type, post_id, voter_id, v
        ) d
        order by v
        limit ${V}::int`);
    });

    const k = sql`g.k`;
    await step("comments", async () => {
      // A third on questions, the rest on answers; the benchmark question gets 3 plus 2 on each answer.
      const randomComments = C - SCALE_FORUM_BENCH_COMMENTS;
      await tx.execute(sql`
        create temp table sf_cm on commit drop as
        with g as (
          select g.k, ${hash01(k, 601)} as u_kind, ${hash01(k, 602)} as u_post, ${hash01(k, 603)} as ut, ${hash01(k, 606)} as utpl,
                 ${memberOf(sql`${hash01(k, 604)}`, 2)} as ma, ${memberOf(sql`${hash01(k, 605)}`, 2)} as mb
          from generate_series(1, ${randomComments}::int) as g(k)
        ),
        targets as (
          select g.*, 'question'::text as post_type, s.id as post_id, s.id as question_id, s.created_at as post_at, s.locale
          from g join sf_q s on s.q = ((floor(${Q - 1}::int * power(g.u_post, 1.5))::bigint * ${questionP.toString()}::bigint) % ${Q - 1}::bigint + 1)::int
          where g.u_kind < 0.35
          union all
          select g.*, 'answer', s.id, s.question_id, s.created_at, s.locale
          from g join sf_a s on s.a = 1 + floor(${randomAnswers}::int * g.u_post)::int
          where g.u_kind >= 0.35
          union all
          select ${randomComments}::int + i, 0, 0, i::float8 / 4, ${hash01(sql`i`, 607)}, ((i::bigint * 104729 + 3) % ${M}::bigint + 1)::int, 1,
                 'question', s.id, s.id, s.created_at, s.locale
          from generate_series(1, 3) as i, sf_q s where s.q = ${Q}::int
          union all
          select ${randomComments + 3}::int + (s.a - ${randomAnswers}::int) * 2 + j - 2, 0, 0, j::float8 / 3, ${hash01(sql`s.a * 2 + j`, 608)},
                 ((s.a::bigint * 2 + j) * 104729 % ${M}::bigint + 1)::int, 1, 'answer', s.id, s.question_id, s.created_at, s.locale
          from sf_a s, generate_series(1, 2) as j where s.a > ${randomAnswers}::int
        ),
        w as (
          select t.k, t.post_type, t.post_id, t.question_id, t.locale, t.utpl,
                 case when a.active_from <= t.post_at then a.m else b.m end as m,
                 least(c.gen_now, greatest(case when a.active_from <= t.post_at then a.active_from else b.active_from end,
                                           t.post_at + power(t.ut, 3) * (c.gen_now - t.post_at))) as created_at
          from targets t join sf_m a on a.m = t.ma join sf_m b on b.m = t.mb, sf_c c
        )
        select w.*, (${bases!.c}::int + row_number() over (order by w.created_at, w.k))::int as id, mm.user_id,
               ${accountAt("mm", sql`w.created_at`)} as account_id
        from w join sf_m mm on mm.m = w.m`);
      await tx.execute(sql`
        insert into forum_comments (id, post_type, post_id, question_id, author_id, body, body_html, created_at, updated_at)
        overriding system value
        select s.id, s.post_type, s.post_id, s.question_id, s.user_id, tpl.body_md, tpl.body_html, s.created_at, s.created_at
        from sf_cm s
        join sf_tpl tpl on tpl.kind = 'c' and tpl.locale = s.locale
                       and tpl.i = 1 + floor(s.utpl * (case when s.locale = 'ja' then ${templates.counts("c", "ja")}::int else ${templates.counts("c", "en")}::int end))::int`);
    });

    await step("counters", async () => {
      await tx.execute(sql`
        update forum_answers a set score = v.score, upvote_count = v.up, downvote_count = v.down
        from (select post_id, sum(value)::int as score, count(*) filter (where value = 1)::int as up, count(*) filter (where value = -1)::int as down
              from forum_votes where post_type = 'answer' and post_id > ${bases!.a}::int group by post_id) v
        where a.id = v.post_id`);
      await tx.execute(sql`
        update forum_answers a set comment_count = x.n
        from (select post_id, count(*)::int as n from forum_comments where post_type = 'answer' and id > ${bases!.c}::int group by post_id) x
        where a.id = x.post_id`);
      await tx.execute(sql`
        update forum_questions q set score = coalesce(v.score, 0), upvote_count = coalesce(v.up, 0), downvote_count = coalesce(v.down, 0),
               answer_count = coalesce(an.n, 0), comment_count = coalesce(cm.n, 0)
        from sf_q s
        left join (select post_id, sum(value)::int as score, count(*) filter (where value = 1)::int as up, count(*) filter (where value = -1)::int as down
                   from forum_votes where post_type = 'question' and post_id > ${bases!.q}::int group by post_id) v on v.post_id = s.id
        left join (select question_id, count(*)::int as n from forum_answers where id > ${bases!.a}::int group by question_id) an on an.question_id = s.id
        left join (select post_id, count(*)::int as n from forum_comments where post_type = 'question' and id > ${bases!.c}::int group by post_id) cm on cm.post_id = s.id
        where q.id = s.id`);
    });

    await step("accepted", async () => {
      // ~acceptedShare of all questions: among answered ones, the asker accepted the best-scored answer
      // by someone else, a while after it was posted. The benchmark question has one too.
      const [answered] = await queryRows<{ share: number }>(
        tx,
        sql`select (count(*) filter (where answer_count > 0))::float8 / greatest(count(*), 1) as share from forum_questions where id > ${bases!.q}::int`,
      );
      const threshold = Math.min(1, acceptedShare / Math.max(Number(answered?.share ?? 1), 0.01));
      await tx.execute(sql`
        with chosen as (
          select distinct on (a.question_id) a.id, a.created_at, s.user_id as asker_id
          from sf_q s join forum_answers a on a.question_id = s.id
          where (s.q = ${Q}::int or ${hash01(sql`s.q`, 701)} < ${threshold}::float8) and a.author_id <> s.user_id
          order by a.question_id, a.score desc, a.id
        )
        update forum_answers a
        set accepted_at = least(c.gen_now, ch.created_at + power(${hash01(sql`ch.id`, 702)}, 2) * 0.3 * (c.gen_now - ch.created_at)),
            accepted_by_id = ch.asker_id
        from chosen ch, sf_c c
        where a.id = ch.id`);
      await tx.execute(sql`
        update forum_questions q set accepted_answer_id = a.id
        from forum_answers a where a.question_id = q.id and a.accepted_at is not null and q.id > ${bases!.q}::int`);
      // Last activity: the question, its latest answer, accept or comment (on it or its answers).
      await tx.execute(sql`
        update forum_questions q set last_activity_at = greatest(q.created_at, x.last_at)
        from (
          select question_id, max(at) as last_at from (
            select question_id, greatest(created_at, accepted_at) as at from forum_answers where id > ${bases!.a}::int
            union all
            select question_id, created_at from forum_comments where id > ${bases!.c}::int
          ) e group by question_id
        ) x
        where q.id = x.question_id`);
      await tx.execute(sql`
        update forum_tags t set question_count = x.n
        from (select qt.tag_id, count(*)::int as n from forum_question_tags qt join forum_questions q on q.id = qt.question_id
              where q.deleted_at is null and qt.tag_id in (select id from sf_tag) group by qt.tag_id) x
        where t.id = x.tag_id`);
    });

    const activities = await step("ledger", async () => {
      const before = await countRows(tx, sql`select count(*)::int as n from activities`);
      await tx.execute(sql`
        insert into activities (type, occurred_at, user_id, account_id, subject_type, subject_id, metadata, idempotency_key)
        select 'forum.question.asked', s.created_at, s.user_id, s.account_id, 'forum_question', s.id::text, '{}'::jsonb,
               'forum.question.asked:' || s.id
        from sf_q s
        union all
        select 'forum.answer.posted', s.created_at, s.user_id, s.account_id, 'forum_answer', s.id::text,
               jsonb_build_object('questionId', s.question_id), 'forum.answer.posted:' || s.id
        from sf_a s
        union all
        select 'forum.comment.posted', s.created_at, s.user_id, s.account_id, 'forum_comment', s.id::text,
               jsonb_build_object('questionId', s.question_id), 'forum.comment.posted:' || s.id
        from sf_cm s`);
      // Accepts: the answerer's entry (reputation) and the acceptor's, versioned by the accept time.
      await tx.execute(sql`
        insert into activities (type, occurred_at, user_id, account_id, subject_type, subject_id, metadata, idempotency_key)
        select 'forum.answer.accepted', a.accepted_at, r.user_id, ${accountAt("m", sql`a.accepted_at`)}, 'forum_answer', a.id::text,
               jsonb_build_object('role', r.role, 'questionId', a.question_id, 'answererId', a.author_id, 'acceptedById', a.accepted_by_id),
               'forum.answer.accepted:' || a.id || ':' || r.role || ':' || ${iso(sql`a.accepted_at`)}
        from forum_answers a
        cross join lateral (values ('answerer', a.author_id), ('acceptor', a.accepted_by_id)) as r(role, user_id)
        join sf_m m on m.user_id = r.user_id
        where a.id > ${bases!.a}::int and a.accepted_at is not null`);
      // Votes: the voter's entry and the author's (which carries the reputation), as castVote writes them.
      await tx.execute(sql`
        insert into activities (type, occurred_at, user_id, account_id, subject_type, subject_id, metadata, idempotency_key)
        select case when r.role = 'cast' then 'forum.vote.cast' else 'forum.vote.received' end, v.created_at, r.user_id,
               ${accountAt("m", sql`v.created_at`)}, 'forum_' || v.post_type, v.post_id::text,
               case when r.role = 'cast' then jsonb_build_object('postType', v.post_type, 'value', v.value)
                    else jsonb_build_object('postType', v.post_type, 'value', v.value, 'voterId', v.voter_id) end,
               'forum.vote.' || r.role || ':' || v.post_type || ':' || v.post_id || ':' || v.voter_id || ':' || v.ledger_version
        from (
          select fv.*, coalesce(q.author_id, an.author_id) as author_id
          from forum_votes fv
          left join forum_questions q on fv.post_type = 'question' and q.id = fv.post_id
          left join forum_answers an on fv.post_type = 'answer' and an.id = fv.post_id
          where (fv.post_type = 'question' and fv.post_id > ${bases!.q}::int) or (fv.post_type = 'answer' and fv.post_id > ${bases!.a}::int)
        ) v
        cross join lateral (values ('cast', v.voter_id), ('received', v.author_id)) as r(role, user_id)
        join sf_m m on m.user_id = r.user_id`);
      return (await countRows(tx, sql`select count(*)::int as n from activities`)) - before;
    });

    await step("reputation", () => writeScaleReputation(tx));

    await step("indexes", async () => {
      for (const index of dropped) await tx.execute(sql.raw(index.definition));
      // Explicit ids bypassed the identity sequences; move them past the rows written.
      for (const table of ["forum_questions", "forum_answers", "forum_comments"]) {
        await tx.execute(sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select greatest(max(id), 1) from ${sql.identifier(table)}))`);
      }
    });

    const [counts] = await queryRows<Record<string, number>>(
      tx,
      sql`select (select count(*)::int from sf_tag) as tags, (select count(*)::int from sf_q) as questions, (select count(*)::int from sf_a) as answers,
                 (select count(*)::int from forum_answers where id > ${bases!.a}::int and accepted_at is not null) as accepted,
                 (select count(*)::int from forum_votes v join sf_q s on v.post_type = 'question' and v.post_id = s.id)
                   + (select count(*)::int from forum_votes v join sf_a s on v.post_type = 'answer' and v.post_id = s.id) as votes,
                 (select count(*)::int from sf_cm) as comments,
                 (select id from sf_q where q = ${Q}::int) as bench`,
    );
    return {
      tags: Number(counts!.tags),
      questions: Number(counts!.questions),
      answers: Number(counts!.answers),
      acceptedAnswers: Number(counts!.accepted),
      votes: Number(counts!.votes),
      comments: Number(counts!.comments),
      activities,
      benchQuestionId: Number(counts!.bench),
    };
  });

  await step("vacuum", async () => {
    // The counter and accept updates above left a dead version of most post rows (measured: the list
    // index held 3.3 entries per live question). Benchmarks must not measure that bloat, and fresh
    // statistics give the plans production would get. VACUUM cannot run in a transaction: pass the
    // database handle, not a transaction.
    await db.execute(
      sql`vacuum analyze forum_questions, forum_answers, forum_comments, forum_votes, forum_question_tags, forum_tags, forum_post_revisions, member_reputation, activities`,
    );
  });
  return { ...summary, timingsMs: { ...timings, total: Math.round(performance.now() - started) } };
}

/**
 * member_reputation for every scale member, from the ledger as features/forum/reputation.ts defines it:
 * 1 to start; votes received +5/+10 up and −2 down, with at most DAILY_VOTE_REPUTATION_CAP (200) points
 * a UTC day from upvotes; accepted answers +15 to the answerer and +2 to the acceptor, exempt from the
 * cap; never below 1. Counts of questions, answers and accepted answers are the visible posts.
 */
async function writeScaleReputation(tx: Db): Promise<void> {
  await tx.execute(sql`
    insert into member_reputation (user_id, reputation, accepted_answers, answers, questions, updated_at)
    select m.user_id, greatest(1, 1 + coalesce(vp.points, 0) + coalesce(ap.points, 0))::int,
           coalesce(pc.accepted, 0), coalesce(pc.answers, 0), coalesce(qc.questions, 0), (select gen_now from sf_c)
    from sf_m m
    left join (
      select user_id, sum(least(up, 200) + down)::int as points
      from (
        select user_id, (occurred_at at time zone 'UTC')::date as day,
               sum(case when (metadata->>'value')::int = 1 then case when metadata->>'postType' = 'question' then 5 else 10 end else 0 end) as up,
               sum(case when (metadata->>'value')::int = -1 then -2 else 0 end) as down
        from activities
        where type = 'forum.vote.received' and revoked_at is null and user_id in (select user_id from sf_m)
        group by user_id, day
      ) d group by user_id
    ) vp on vp.user_id = m.user_id
    left join (
      select user_id, sum(case when metadata->>'role' = 'answerer' then 15 else 2 end)::int as points
      from activities
      where type = 'forum.answer.accepted' and revoked_at is null and user_id in (select user_id from sf_m)
      group by user_id
    ) ap on ap.user_id = m.user_id
    left join (
      select author_id, count(*)::int as answers, count(*) filter (where accepted_at is not null)::int as accepted
      from forum_answers where deleted_at is null and hidden_at is null group by author_id
    ) pc on pc.author_id = m.user_id
    left join (
      select author_id, count(*)::int as questions from forum_questions where deleted_at is null and hidden_at is null group by author_id
    ) qc on qc.author_id = m.user_id
    on conflict (user_id) do update set reputation = excluded.reputation, accepted_answers = excluded.accepted_answers,
      answers = excluded.answers, questions = excluded.questions, updated_at = excluded.updated_at`);
}

async function countRows(db: Db, statement: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, statement);
  return Number(row?.n ?? 0);
}

/**
 * Drops the indexes of these tables that back no constraint (primary keys stay, so ON CONFLICT still
 * works) and returns their definitions to recreate. Maintaining them row by row costs about as much as
 * the load itself; in a transaction, a failed run rolls the drop back too.
 */
async function dropSecondaryIndexes(tx: Db, tables: string[]): Promise<{ name: string; definition: string }[]> {
  const indexes = await queryRows<{ name: string; definition: string }>(
    tx,
    sql`select i.relname as name, pg_get_indexdef(i.oid) as definition
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
        where t.relname in (${sql.join(tables.map((t) => sql`${t}`), sql`, `)}) and t.relnamespace = 'public'::regnamespace
          and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`,
  );
  for (const index of indexes) await tx.execute(sql`drop index ${sql.identifier(index.name)}`);
  return indexes;
}

/** Whether scale forum rows exist (questions asked by scale users). */
export async function hasScaleForumData(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from forum_questions q join users u on u.id = q.author_id where u.email like ${SCALE_USER_LIKE}) as found`,
  );
  return row?.found === true;
}

/** The benchmark question (exactly SCALE_FORUM_BENCH_ANSWERS answers), or null. */
export async function findScaleBenchQuestion(db: Db): Promise<{ id: number; slug: string } | null> {
  const [row] = await queryRows<{ id: number; slug: string }>(
    db,
    sql`select id, slug from forum_questions where title = ${SCALE_FORUM_BENCH_TITLE} order by id desc limit 1`,
  );
  return row ?? null;
}

/**
 * Deletes the forum rows of scale users (their questions with everything under them, their answers,
 * comments and votes elsewhere, their forum ledger entries) and the tags the scale admin created, then
 * recounts what other rows count. Called by deleteScaleData before the users go (posts restrict deletes).
 */
export async function deleteScaleForumData(db: Db): Promise<void> {
  const scaleUsers = sql`(select id from users where email like ${SCALE_USER_LIKE})`;
  await db.execute(sql`delete from activities where type like 'forum.%' and user_id in ${scaleUsers}`);
  await db.execute(sql`delete from forum_questions where author_id in ${scaleUsers}`);
  await db.execute(sql`delete from forum_answers where author_id in ${scaleUsers}`);
  await db.execute(sql`delete from forum_comments where author_id in ${scaleUsers}`);
  await db.execute(sql`delete from forum_votes where voter_id in ${scaleUsers}`);
  await db.execute(sql`
    delete from forum_votes v where (v.post_type = 'question' and not exists (select 1 from forum_questions q where q.id = v.post_id))
       or (v.post_type = 'answer' and not exists (select 1 from forum_answers a where a.id = v.post_id))`);
  await db.execute(sql`delete from forum_tags where created_by_id in ${scaleUsers}`);
  // Other members' posts may have had scale answers, comments or votes: recount what remains.
  await db.execute(sql`
    update forum_questions q set
      answer_count = (select count(*) from forum_answers a where a.question_id = q.id and a.deleted_at is null and a.hidden_at is null),
      comment_count = (select count(*) from forum_comments c where c.post_type = 'question' and c.post_id = q.id and c.deleted_at is null and c.hidden_at is null),
      score = coalesce((select sum(value) from forum_votes v where v.post_type = 'question' and v.post_id = q.id), 0),
      upvote_count = (select count(*) from forum_votes v where v.post_type = 'question' and v.post_id = q.id and v.value = 1),
      downvote_count = (select count(*) from forum_votes v where v.post_type = 'question' and v.post_id = q.id and v.value = -1),
      accepted_answer_id = (select a.id from forum_answers a where a.question_id = q.id and a.accepted_at is not null)`);
  await db.execute(sql`
    update forum_answers a set
      comment_count = (select count(*) from forum_comments c where c.post_type = 'answer' and c.post_id = a.id and c.deleted_at is null and c.hidden_at is null),
      score = coalesce((select sum(value) from forum_votes v where v.post_type = 'answer' and v.post_id = a.id), 0),
      upvote_count = (select count(*) from forum_votes v where v.post_type = 'answer' and v.post_id = a.id and v.value = 1),
      downvote_count = (select count(*) from forum_votes v where v.post_type = 'answer' and v.post_id = a.id and v.value = -1)`);
  await db.execute(sql`
    update forum_tags t set question_count = (select count(*) from forum_question_tags qt join forum_questions q on q.id = qt.question_id
                                               where qt.tag_id = t.id and q.deleted_at is null)`);
}
