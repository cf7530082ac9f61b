import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { queryRows } from "../../db/client";
import { findScaleBenchQuestion, generateScaleForum, hasScaleForumData, type ScaleForumSummary } from "../../db/scale-forum";
import { renderMarkdown } from "../../app/features/markdown/render.server";

/**
 * The forum for bench:qa, on top of the seed:scale members: 100,000 questions, 300,000 answers, 500,000
 * votes and 100,000 comments by default (db/scale-forum.ts), generated once into the bench data set.
 */
export const QA_BENCH_FORUM = { questions: 100_000, answers: 300_000, votes: 500_000, comments: 100_000 } as const;

export async function ensureScaleForum(
  db: Db,
  sizes: { questions: number; answers: number; votes: number; comments: number } = QA_BENCH_FORUM,
  log: (line: string) => void = () => {},
): Promise<ScaleForumSummary | null> {
  if (await hasScaleForumData(db)) {
    if (!(await findScaleBenchQuestion(db))) throw new Error("the scale forum has no benchmark question: delete the bench data directory and run again");
    return null;
  }
  const [members] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from users where email like 'member%@scale-%.example'`);
  if (!members || members.n === 0) throw new Error("run seed:scale first: there are no scale members");
  log(`Generating the forum: ${sizes.questions} questions, ${sizes.answers} answers, ${sizes.votes} votes, ${sizes.comments} comments (once)…`);
  const started = performance.now();
  return generateScaleForum(db, {
    ...sizes,
    memberCount: members.n,
    render: (markdown, locale) => renderMarkdown(markdown, { locale }),
    onProgress: (step) => log(`forum ${step} (${((performance.now() - started) / 1000).toFixed(1)}s)`),
  });
}
