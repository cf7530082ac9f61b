import crypto from "node:crypto";
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { kbArticleDailyViews, kbArticleViews, kbArticles, kbFeedback } from "../../../db/schema";
import { recordActivities, recordActivity, revokeActivity, utcDay } from "../engagement/activities.server";
import { issuesToFieldErrors, type FieldErrors } from "../forms/parse";
import type { JobHandler } from "../jobs/registry.server";
import { feedbackSchema, type FeedbackInput } from "./kb.schema";
import { visibleArticleFilter, type Viewer } from "./reads.server";

/**
 * Stored in place of whatever the route derived an anonymous reader's key from (a cookie id, or IP and
 * user agent): the dedupe still works, and nothing identifying lands in the database.
 */
function anonymousViewerKey(anonymousKey: string): string {
  return `a:${crypto.createHash("sha256").update(anonymousKey).digest("hex").slice(0, 32)}`;
}

export interface RecordArticleViewInput {
  articleId: number;
  /** The signed-in reader, or null. */
  userId: number | null;
  /** Required when userId is null: a stable key for the anonymous reader (hashed before storing). */
  anonymousKey: string | null;
  at?: Date;
}

/**
 * Counts one view per reader per article per UTC day. The first view of the day inserts the dedupe row
 * (ON CONFLICT DO NOTHING on kb_article_views), bumps kb_article_daily_views and view_count_total, and
 * writes a `kb.article.viewed` activity (userId null for anonymous readers: counted, not attributed);
 * later views that day write nothing. Call after the article was loaded through a reader read (so the
 * viewer may see it), for human requests only (the route filters bots). Returns whether it counted.
 */
export async function recordArticleView(db: Db, input: RecordArticleViewInput): Promise<{ counted: boolean }> {
  return { counted: (await recordArticleViews(db, [input])) > 0 };
}

/**
 * recordArticleView for many views in one transaction and a handful of statements, whatever the batch
 * size (the page buffers views and writes them here, see view-buffer.server.ts). Duplicates inside the
 * batch count once. Rows are written in article order, so concurrent batches cannot deadlock on the
 * counters. Returns how many views counted.
 */
export async function recordArticleViews(db: Db, inputs: readonly RecordArticleViewInput[]): Promise<number> {
  const unique = new Map<string, { articleId: number; day: string; viewerKey: string; userId: number | null; at: Date }>();
  for (const input of inputs) {
    const viewerKey = input.userId !== null ? `u:${input.userId}` : input.anonymousKey ? anonymousViewerKey(input.anonymousKey) : null;
    if (viewerKey === null) continue;
    const at = input.at ?? new Date();
    const day = utcDay(at);
    const key = `${input.articleId}|${day}|${viewerKey}`;
    if (!unique.has(key)) unique.set(key, { articleId: input.articleId, day, viewerKey, userId: input.userId, at });
  }
  if (unique.size === 0) return 0;
  const views = [...unique.values()].sort((a, b) => a.articleId - b.articleId || a.day.localeCompare(b.day));
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(kbArticleViews)
      .values(views.map(({ articleId, day, viewerKey }) => ({ articleId, day, viewerKey })))
      .onConflictDoNothing()
      .returning({ articleId: kbArticleViews.articleId, day: kbArticleViews.day, viewerKey: kbArticleViews.viewerKey });
    if (inserted.length === 0) return 0;
    const insertedKeys = new Set(inserted.map((row) => `${row.articleId}|${row.day}|${row.viewerKey}`));
    const counted = views.filter((v) => insertedKeys.has(`${v.articleId}|${v.day}|${v.viewerKey}`));

    const perDay = new Map<string, { articleId: number; day: string; views: number }>();
    const perArticle = new Map<number, number>();
    for (const view of counted) {
      const dayKey = `${view.articleId}|${view.day}`;
      const entry = perDay.get(dayKey) ?? { articleId: view.articleId, day: view.day, views: 0 };
      entry.views += 1;
      perDay.set(dayKey, entry);
      perArticle.set(view.articleId, (perArticle.get(view.articleId) ?? 0) + 1);
    }
    await tx
      .insert(kbArticleDailyViews)
      .values([...perDay.values()])
      .onConflictDoUpdate({ target: [kbArticleDailyViews.articleId, kbArticleDailyViews.day], set: { views: sql`${kbArticleDailyViews.views} + excluded.views` } });
    // Not updated_at: a view is not a change to the article.
    const increments = sql.join(
      [...perArticle].map(([articleId, n]) => sql`(${articleId}::int, ${n}::int)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${kbArticles} set view_count_total = ${kbArticles.viewCountTotal} + v.n from (values ${increments}) as v(id, n) where ${kbArticles.id} = v.id`,
    );
    await recordActivities(
      tx,
      counted.map((view) => ({
        type: "kb.article.viewed" as const,
        userId: view.userId,
        subjectType: "kb_article",
        subjectId: view.articleId,
        idempotencyKey: `kb.article.viewed:${view.articleId}:${view.viewerKey}:${view.day}`,
        occurredAt: view.at,
      })),
    );
    return counted.length;
  });
}

export type GiveFeedbackResult =
  | { ok: true; outcome: "recorded" | "changed" | "unchanged" | "duplicate" }
  | { ok: false; fieldErrors: FieldErrors }
  | { ok: false; reason: "not_found" };

const feedbackKey = (feedbackId: number, version: number) => `kb.feedback.given:${feedbackId}:${version}`;

/**
 * "Was this helpful?". A signed-in member has one answer per article: answering again replaces it, and
 * the article's helpful_yes/helpful_no change by exactly the difference, in the same transaction (row
 * locks make concurrent answers add up exactly). An anonymous reader may answer once per anonymousKey per
 * article per UTC day ("duplicate" afterwards). Articles the viewer may not read answer not_found.
 * Side effects: activity `kb.feedback.given` with { helpful, reason }; a replaced answer's activity is
 * revoked, not deleted.
 */
export async function giveFeedback(
  db: Db,
  viewer: Viewer,
  rawInput: FeedbackInput & { anonymousKey?: string | null },
  at: Date = new Date(),
): Promise<GiveFeedbackResult> {
  const parsed = feedbackSchema.safeParse(rawInput);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  const input = parsed.data;
  if (!viewer && !rawInput.anonymousKey) return { ok: false, fieldErrors: { _form: ["kb.form.anonymousKeyMissing"] } };
  const day = utcDay(at);
  const metadata = { helpful: input.helpful, reason: input.reason };
  const activity = (feedbackId: number, version: number) => ({
    type: "kb.feedback.given" as const,
    userId: viewer?.id ?? null,
    subjectType: "kb_article",
    subjectId: input.articleId,
    metadata,
    idempotencyKey: feedbackKey(feedbackId, version),
    occurredAt: at,
  });

  return db.transaction(async (tx): Promise<GiveFeedbackResult> => {
    const [article] = await tx
      .select({ id: kbArticles.id })
      .from(kbArticles)
      .where(and(eq(kbArticles.id, input.articleId), visibleArticleFilter(viewer)));
    if (!article) return { ok: false, reason: "not_found" };

    const values = { articleId: input.articleId, day, helpful: input.helpful, reason: input.reason, comment: input.comment, createdAt: at, updatedAt: at };
    if (!viewer) {
      const [row] = await tx
        .insert(kbFeedback)
        .values({ ...values, anonymousKey: anonymousViewerKey(rawInput.anonymousKey!) })
        .onConflictDoNothing({ target: [kbFeedback.articleId, kbFeedback.anonymousKey, kbFeedback.day], where: sql`anonymous_key is not null` })
        .returning({ id: kbFeedback.id });
      if (!row) return { ok: true, outcome: "duplicate" };
      await bumpHelpfulCounts(tx, input.articleId, null, input.helpful);
      await recordActivity(tx, activity(row.id, 1));
      return { ok: true, outcome: "recorded" };
    }

    // A concurrent first answer by the same member makes this wait for it, then fall through to "change".
    const [created] = await tx
      .insert(kbFeedback)
      .values({ ...values, userId: viewer.id })
      .onConflictDoNothing({ target: [kbFeedback.articleId, kbFeedback.userId], where: sql`user_id is not null` })
      .returning({ id: kbFeedback.id });
    if (created) {
      await bumpHelpfulCounts(tx, input.articleId, null, input.helpful);
      await recordActivity(tx, activity(created.id, 1));
      return { ok: true, outcome: "recorded" };
    }

    const [existing] = await tx
      .select()
      .from(kbFeedback)
      .where(and(eq(kbFeedback.articleId, input.articleId), eq(kbFeedback.userId, viewer.id)))
      .for("update");
    if (!existing) throw new Error(`kb_feedback row of user ${viewer.id} on article ${input.articleId} vanished mid-transaction`);
    if (existing.helpful === input.helpful && existing.reason === input.reason && existing.comment === input.comment) {
      return { ok: true, outcome: "unchanged" };
    }
    const version = existing.version + 1;
    await tx
      .update(kbFeedback)
      .set({ helpful: input.helpful, reason: input.reason, comment: input.comment, day, version, updatedAt: at })
      .where(eq(kbFeedback.id, existing.id));
    await bumpHelpfulCounts(tx, input.articleId, existing.helpful, input.helpful);
    await revokeActivity(tx, feedbackKey(existing.id, existing.version), at);
    await recordActivity(tx, activity(existing.id, version));
    return { ok: true, outcome: "changed" };
  });
}

/** Moves the article's counters from the previous answer (null: none) to the new one, atomically in SQL. */
async function bumpHelpfulCounts(db: Db, articleId: number, previous: boolean | null, next: boolean): Promise<void> {
  if (previous === next) return;
  const yesDelta = (next ? 1 : 0) - (previous === true ? 1 : 0);
  const noDelta = (next ? 0 : 1) - (previous === false ? 1 : 0);
  await db
    .update(kbArticles)
    .set({ helpfulYes: sql`${kbArticles.helpfulYes} + ${yesDelta}`, helpfulNo: sql`${kbArticles.helpfulNo} + ${noDelta}` })
    .where(eq(kbArticles.id, articleId));
}

/** The viewer's current answer for the article page ("You said this was helpful"); null if none. */
export async function getMyFeedback(db: Db, userId: number, articleId: number) {
  const [row] = await db
    .select({ helpful: kbFeedback.helpful, reason: kbFeedback.reason, comment: kbFeedback.comment, updatedAt: kbFeedback.updatedAt })
    .from(kbFeedback)
    .where(and(eq(kbFeedback.articleId, articleId), eq(kbFeedback.userId, userId)));
  return row ?? null;
}

export const KB_PRUNE_VIEWS_JOB = "kb.prune_views";
/** Dedupe rows are needed for the current UTC day only; a spare day covers clocks and late requests. */
const VIEW_DEDUPE_KEEP_DAYS = 2;
const PRUNE_BATCH_SIZE = 5000;

/** Deletes view dedupe rows older than `keepDays` UTC days, in batches. The daily counts stay. Returns the number deleted. */
export async function pruneArticleViews(db: Db, keepDays = VIEW_DEDUPE_KEEP_DAYS): Promise<number> {
  const cutoff = sql`(now() at time zone 'UTC')::date - ${keepDays}::integer`;
  let total = 0;
  for (;;) {
    const batch = db
      .select({ articleId: kbArticleViews.articleId, day: kbArticleViews.day, viewerKey: kbArticleViews.viewerKey })
      .from(kbArticleViews)
      .where(lt(kbArticleViews.day, cutoff))
      .limit(PRUNE_BATCH_SIZE);
    const deleted = await db
      .delete(kbArticleViews)
      .where(inArray(sql`(${kbArticleViews.articleId}, ${kbArticleViews.day}, ${kbArticleViews.viewerKey})`, batch))
      .returning({ articleId: kbArticleViews.articleId });
    total += deleted.length;
    if (deleted.length < PRUNE_BATCH_SIZE) return total;
  }
}

/** The daily `kb.prune_views` job; deleting old rows twice is harmless. */
export const pruneArticleViewsJob: JobHandler = async ({ db, logger }) => {
  const deleted = await pruneArticleViews(db);
  logger.info({ deleted }, "kb view dedupe rows pruned");
};
