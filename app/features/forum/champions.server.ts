import { and, asc, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import { activities, championNominations, memberReputation, moderationActions, users, type ChampionStatus } from "../../../db/schema";
import { can } from "../auth/permissions";
import { recordActivity } from "../engagement/activities.server";
import { issuesToFieldErrors } from "../forms/parse";
import { forumActivity } from "./activity";
import { cappedSql, ledgerPointsSql, REPUTATION_ACTIVITY_TYPES } from "./member-stats.server";
import { notifyForumEvent } from "./notify.server";
import { DAILY_VOTE_REPUTATION_CAP, MINIMUM_REPUTATION } from "./reputation";
import { refuse, type ForumActor, type ForumResult } from "./result";

export const CHAMPION_NOTE_MAX = 500;

export const championDecisionSchema = z.object({
  userId: z.preprocess((v) => (typeof v === "string" && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : v), z.number({ error: "form.invalid" }).int().min(1).max(2_147_483_647)),
  note: z.string({ error: "form.required" }).trim().min(1, "form.required").max(CHAMPION_NOTE_MAX, "members.admin.noteTooLong"),
});
export type ChampionDecisionInput = z.input<typeof championDecisionSchema>;

type Decision = ForumResult<{ changed: boolean }>;

/**
 * Staff (forum.staff) confirm a member as a champion, with a note (a candidate or anyone staff choose).
 * Side effects: users.champion_at (the visible mark), the nomination row confirmed, an audit row in
 * moderation_actions, ledger forum.champion.granted, champion_granted notification.
 */
export async function confirmChampion(db: Db, actor: ForumActor, input: ChampionDecisionInput): Promise<Decision> {
  const parsed = championDecisionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  if (!can(actor, "forum.staff")) return refuse("forbidden");
  const { userId, note } = parsed.data;
  return db.transaction(async (tx): Promise<Decision> => {
    const [member] = await tx.select({ id: users.id, championAt: users.championAt }).from(users).where(eq(users.id, userId)).for("update");
    if (!member) return refuse("not_found");
    if (member.championAt) return { ok: true, changed: false };
    const now = new Date();
    await tx.update(users).set({ championAt: now, updatedAt: now }).where(eq(users.id, userId));
    await tx
      .insert(championNominations)
      .values({ userId, status: "confirmed", evidence: { addedByStaff: true }, candidateAt: now, decidedAt: now, decidedById: actor.id, note })
      .onConflictDoUpdate({ target: championNominations.userId, set: { status: "confirmed", decidedAt: now, decidedById: actor.id, note, updatedAt: now } });
    await tx.insert(moderationActions).values({ actorId: actor.id, action: "champion.confirm", targetType: "user", targetId: userId, reason: note });
    await recordActivity(tx, { ...forumActivity.championGranted(userId, actor.id, now.toISOString()), occurredAt: now });
    await notifyForumEvent(tx, { type: "champion_granted", userId, actorId: actor.id });
    return { ok: true, changed: true };
  });
}

/**
 * Staff revoke a champion (or decline a candidate), with a note. Side effects: users.champion_at cleared,
 * the nomination marked revoked (so candidacy is not offered again automatically), an audit row. The
 * forum.champion.granted ledger entry stays: the grant happened; the audit log records the revocation.
 */
export async function revokeChampion(db: Db, actor: ForumActor, input: ChampionDecisionInput): Promise<Decision> {
  const parsed = championDecisionSchema.safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: issuesToFieldErrors(parsed.error.issues) };
  if (!can(actor, "forum.staff")) return refuse("forbidden");
  const { userId, note } = parsed.data;
  return db.transaction(async (tx): Promise<Decision> => {
    const [member] = await tx.select({ id: users.id, championAt: users.championAt }).from(users).where(eq(users.id, userId)).for("update");
    if (!member) return refuse("not_found");
    const [nomination] = await tx.select({ status: championNominations.status }).from(championNominations).where(eq(championNominations.userId, userId));
    if (!member.championAt && nomination?.status !== "candidate") return { ok: true, changed: false };
    const now = new Date();
    await tx.update(users).set({ championAt: null, updatedAt: now }).where(eq(users.id, userId));
    await tx
      .insert(championNominations)
      .values({ userId, status: "revoked", candidateAt: now, decidedAt: now, decidedById: actor.id, note })
      .onConflictDoUpdate({ target: championNominations.userId, set: { status: "revoked", decidedAt: now, decidedById: actor.id, note, updatedAt: now } });
    await tx.insert(moderationActions).values({ actorId: actor.id, action: "champion.revoke", targetType: "user", targetId: userId, reason: note });
    return { ok: true, changed: true };
  });
}

export interface ChampionSummary {
  userId: number;
  handle: string;
  displayName: string;
  championAt: Date;
  reputation: number;
  acceptedAnswers: number;
}

/** Confirmed champions (users.champion_at set, not suspended), longest-standing first. */
export async function listChampions(db: Db): Promise<ChampionSummary[]> {
  const rows = await db
    .select({
      userId: users.id,
      handle: users.handle,
      displayName: users.displayName,
      championAt: users.championAt,
      reputation: sql<number>`coalesce(${memberReputation.reputation}, ${MINIMUM_REPUTATION})`,
      acceptedAnswers: sql<number>`coalesce(${memberReputation.acceptedAnswers}, 0)`,
    })
    .from(users)
    .leftJoin(memberReputation, eq(memberReputation.userId, users.id))
    .where(and(isNotNull(users.championAt), isNull(users.suspendedAt)))
    .orderBy(asc(users.championAt), asc(users.id));
  return rows.map((r) => ({ ...r, championAt: r.championAt!, reputation: Number(r.reputation), acceptedAnswers: Number(r.acceptedAnswers) }));
}

export interface Nomination {
  userId: number;
  handle: string;
  displayName: string;
  status: ChampionStatus;
  evidence: Record<string, unknown>;
  candidateAt: Date;
  decidedAt: Date | null;
  note: string | null;
  reputation: number;
  acceptedAnswers: number;
}

/** Nominations with a given status (candidates for the staff page), oldest candidacy first. */
export async function listNominations(db: Db, status: ChampionStatus): Promise<Nomination[]> {
  const rows = await db
    .select({
      userId: championNominations.userId,
      handle: users.handle,
      displayName: users.displayName,
      status: championNominations.status,
      evidence: championNominations.evidence,
      candidateAt: championNominations.candidateAt,
      decidedAt: championNominations.decidedAt,
      note: championNominations.note,
      reputation: sql<number>`coalesce(${memberReputation.reputation}, ${MINIMUM_REPUTATION})`,
      acceptedAnswers: sql<number>`coalesce(${memberReputation.acceptedAnswers}, 0)`,
    })
    .from(championNominations)
    .innerJoin(users, eq(users.id, championNominations.userId))
    .leftJoin(memberReputation, eq(memberReputation.userId, championNominations.userId))
    .where(eq(championNominations.status, status))
    .orderBy(status === "candidate" ? asc(championNominations.candidateAt) : desc(championNominations.decidedAt), asc(championNominations.userId));
  return rows.map((r) => ({ ...r, reputation: Number(r.reputation), acceptedAnswers: Number(r.acceptedAnswers) }));
}

export const LEADERBOARD_PERIODS = ["30d", "90d", "all"] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];
export const LEADERBOARD_SIZE = 50;

export interface LeaderboardRow {
  userId: number;
  handle: string;
  displayName: string;
  isChampion: boolean;
  points: number;
}

const TYPES_SQL = sql.raw(REPUTATION_ACTIVITY_TYPES.map((type) => `'${type}'`).join(", "));

/**
 * The top LEADERBOARD_SIZE members by reputation earned in the period (the same rules and daily cap as
 * reputation), suspended members left out. All time reads the materialized member_reputation (its rank
 * index); 30 and 90 days are one grouped query over the ledger's (type, occurred_at) index.
 */
export async function getLeaderboard(db: Db, period: LeaderboardPeriod, now = new Date()): Promise<LeaderboardRow[]> {
  if (period === "all") {
    const rows = await db
      .select({
        userId: users.id,
        handle: users.handle,
        displayName: users.displayName,
        championAt: users.championAt,
        points: sql<number>`${memberReputation.reputation} - ${MINIMUM_REPUTATION}::int`,
      })
      .from(memberReputation)
      .innerJoin(users, eq(users.id, memberReputation.userId))
      .where(and(gt(memberReputation.reputation, MINIMUM_REPUTATION), isNull(users.suspendedAt)))
      .orderBy(desc(memberReputation.reputation), asc(memberReputation.userId))
      .limit(LEADERBOARD_SIZE);
    return rows.map(({ championAt, ...r }) => ({ ...r, points: Number(r.points), isChampion: championAt !== null }));
  }
  const since = new Date(now.getTime() - (period === "30d" ? 30 : 90) * 86_400_000);
  const rows = await queryRows<{ user_id: number; handle: string; display_name: string; champion_at: unknown; points: number | string }>(
    db,
    sql`with e as (
          select a.user_id, (a.occurred_at at time zone 'UTC')::date as day, ${ledgerPointsSql("a")} as points, ${cappedSql("a")} as capped
          from ${activities} a
          where a.type in (${TYPES_SQL}) and a.occurred_at >= ${since.toISOString()}::timestamptz and a.revoked_at is null and a.user_id is not null
        ), per_day as (
          select user_id, least(${DAILY_VOTE_REPUTATION_CAP}::int, coalesce(sum(points) filter (where capped), 0))
                 + coalesce(sum(points) filter (where not capped), 0) as points
          from e group by user_id, day
        ), totals as (
          select user_id, sum(points) as points from per_day group by user_id having sum(points) > 0
        )
        select t.user_id, u.handle, u.display_name, u.champion_at, t.points
        from totals t join ${users} u on u.id = t.user_id
        where u.suspended_at is null
        order by t.points desc, t.user_id
        limit ${LEADERBOARD_SIZE}::int`,
  );
  return rows.map((r) => ({ userId: Number(r.user_id), handle: r.handle, displayName: r.display_name, isChampion: r.champion_at !== null, points: Number(r.points) }));
}
