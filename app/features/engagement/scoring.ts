import type { ActivityType } from "./activities.server";

/**
 * The engagement scoring model and the member and account scores it defines, as pure functions of ledger
 * rows. This module is the reference: obviously correct and unit-tested on hand-made histories. The
 * rollups that run over millions of rows compute the same figures set-based in SQL and are tested against
 * these functions on random histories.
 *
 * Scores are staff-only inputs to customer health scores; reputation (features/forum/reputation.ts) is the
 * public, fixed-points figure and is unrelated.
 */

export type MemberLevel = "champion" | "contributor" | "participant" | "observer";

export interface ActivityCap {
  /** At most this many activities of the type count per member in one period… */
  max: number;
  /** …of this many UTC days (1 = per day, 7 = per week), counted from the Unix epoch. */
  periodDays: number;
}

export interface ScoringModel {
  version: number;
  /** Points per activity before decay; types without a weight count nothing. */
  weights: Partial<Record<ActivityType, number>>;
  /** Points halve every halfLifeDays: last month's answer counts more than last year's. */
  halfLifeDays: number;
  caps: Partial<Record<ActivityType, ActivityCap>>;
  /** Decayed points at which a member's score is 50: score = 100 × p / (p + saturation). */
  memberSaturation: number;
  /** Decayed points of a whole account at which its depth component is 50. */
  accountSaturation: number;
  /** Member score thresholds for the levels (champion ≥ contributor ≥ participant > 0). */
  levels: { champion: number; contributor: number; participant: number };
  /** Weights of the account components in the overall score; they sum to 1. */
  accountWeights: { breadth: number; depth: number; champions: number; selfService: number; trend: number };
  /** The largest share of the overall score friction can take away (0.3 = up to 30%). */
  frictionPenalty: number;
  /** Champions (level champion) at which the champions component is full. */
  championsTarget: number;
}

/**
 * The default model. Weights follow effort and value to other customers: an accepted answer solved
 * someone's problem (10); attending an event (10) or a webinar (8) is an hour given to the product;
 * answering (5) and asking (3) are participation in public; a view, a search or a sign-in is presence,
 * worth little on its own and capped per day so a reload loop cannot buy a score.
 */
export const DEFAULT_SCORING_MODEL: ScoringModel = {
  version: 1,
  weights: {
    "forum.answer.accepted": 10,
    "event.attended": 10,
    "webinar.attended": 8,
    "forum.answer.posted": 5,
    "forum.question.asked": 3,
    "webinar.recording_watched": 3,
    "group.joined": 3,
    "search.deflected": 2,
    "webinar.registered": 2,
    "webinar.survey_answered": 2,
    "forum.comment.posted": 1,
    "forum.vote.received": 1,
    "kb.feedback.given": 1,
    "event.rsvp": 1,
    "auth.signed_up": 1,
    "forum.vote.cast": 0.5,
    "kb.article.viewed": 0.2,
    "auth.signed_in": 0.2,
    "search.performed": 0.1,
  },
  halfLifeDays: 45,
  caps: {
    "kb.article.viewed": { max: 20, periodDays: 1 },
    "search.performed": { max: 10, periodDays: 1 },
    "auth.signed_in": { max: 1, periodDays: 1 },
    "forum.vote.cast": { max: 20, periodDays: 1 },
    "forum.vote.received": { max: 20, periodDays: 1 },
    "forum.comment.posted": { max: 10, periodDays: 1 },
    "forum.answer.posted": { max: 10, periodDays: 1 },
    "forum.question.asked": { max: 5, periodDays: 1 },
    "webinar.recording_watched": { max: 3, periodDays: 7 },
  },
  memberSaturation: 20,
  accountSaturation: 100,
  levels: { champion: 70, contributor: 40, participant: 10 },
  accountWeights: { breadth: 0.3, depth: 0.3, champions: 0.15, selfService: 0.15, trend: 0.1 },
  frictionPenalty: 0.3,
  championsTarget: 2,
};

export interface LedgerActivity {
  type: string;
  occurredAt: Date;
  revoked: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day number of an instant (days since the Unix epoch). */
export function utcDayNumber(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

/**
 * The activities that count for one member: known weight, not revoked, not after asOf, and within each
 * type's cap per period (the earliest ones in a period count; later ones in the same period do not).
 */
export function countableActivities(model: ScoringModel, activities: readonly LedgerActivity[], asOf: Date): LedgerActivity[] {
  const sorted = activities
    .filter((a) => !a.revoked && a.occurredAt.getTime() <= asOf.getTime() && (model.weights[a.type as ActivityType] ?? 0) !== 0)
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const used = new Map<string, number>();
  const kept: LedgerActivity[] = [];
  for (const activity of sorted) {
    const cap = model.caps[activity.type as ActivityType];
    if (cap) {
      const bucket = `${activity.type}|${Math.floor(utcDayNumber(activity.occurredAt) / cap.periodDays)}`;
      const n = used.get(bucket) ?? 0;
      if (n >= cap.max) continue;
      used.set(bucket, n + 1);
    }
    kept.push(activity);
  }
  return kept;
}

/** Points of one activity as seen at asOf: weight × ½^(age / half-life). */
export function decayedPoints(model: ScoringModel, type: string, occurredAt: Date, asOf: Date): number {
  const weight = model.weights[type as ActivityType] ?? 0;
  const ageDays = Math.max(0, (asOf.getTime() - occurredAt.getTime()) / DAY_MS);
  return weight * Math.pow(0.5, ageDays / model.halfLifeDays);
}

export interface MemberScore {
  /** Decayed, capped points. */
  points: number;
  /** 0–100, a fixed function of points for a model version, so scores compare across time. */
  score: number;
  level: MemberLevel;
  lastActiveAt: Date | null;
  /** Decayed points per activity type, largest first: the "why". */
  breakdown: Array<{ type: string; count: number; points: number }>;
}

export function scoreFromPoints(points: number, saturation: number): number {
  if (points <= 0) return 0;
  return Math.round((1000 * points) / (points + saturation)) / 10;
}

export function levelForScore(model: ScoringModel, score: number): MemberLevel {
  if (score >= model.levels.champion) return "champion";
  if (score >= model.levels.contributor) return "contributor";
  if (score >= model.levels.participant) return "participant";
  return "observer";
}

export function scoreMember(model: ScoringModel, activities: readonly LedgerActivity[], asOf: Date): MemberScore {
  const counted = countableActivities(model, activities, asOf);
  const byType = new Map<string, { count: number; points: number }>();
  let points = 0;
  for (const activity of counted) {
    const p = decayedPoints(model, activity.type, activity.occurredAt, asOf);
    points += p;
    const entry = byType.get(activity.type) ?? { count: 0, points: 0 };
    entry.count += 1;
    entry.points += p;
    byType.set(activity.type, entry);
  }
  const lastActive = activities
    .filter((a) => !a.revoked && a.occurredAt.getTime() <= asOf.getTime())
    .reduce<Date | null>((latest, a) => (latest === null || a.occurredAt > latest ? a.occurredAt : latest), null);
  const score = scoreFromPoints(points, model.memberSaturation);
  return {
    points,
    score,
    level: levelForScore(model, score),
    lastActiveAt: lastActive,
    breakdown: [...byType.entries()].map(([type, v]) => ({ type, ...v })).sort((a, b) => b.points - a.points || a.type.localeCompare(b.type)),
  };
}

/** Undecayed, capped points in [from, to): the raw activity volume that trend compares. */
export function windowPoints(model: ScoringModel, activities: readonly LedgerActivity[], from: Date, to: Date): number {
  return countableActivities(model, activities, new Date(to.getTime() - 1))
    .filter((a) => a.occurredAt.getTime() >= from.getTime())
    .reduce((sum, a) => sum + (model.weights[a.type as ActivityType] ?? 0), 0);
}

export interface AccountInputs {
  /** Current members of the account (staff and moderators already excluded), with their ledger rows. */
  members: ReadonlyArray<{ userId: number; activities: readonly LedgerActivity[] }>;
  licensedSeats: number | null;
  /** Self-service and friction counts over the last 90 days (from the forum, kb and search tables). */
  questionsAsked: number;
  questionsAnswered: number;
  questionsUnansweredOver48h: number;
  articlesHelpful: number;
  articlesNotHelpful: number;
  searchesWithoutResults: number;
}

export interface AccountComponent {
  name: "breadth" | "depth" | "champions" | "selfService" | "trend";
  /** The component on 0–1. */
  value: number;
  weight: number;
  /** value × weight × 100: what it adds to the overall score before friction. */
  points: number;
}

export interface AccountScore {
  formulaVersion: number;
  score: number;
  activeMembers: number;
  memberCount: number;
  champions: number;
  depthPoints: number;
  /** (last 30 days − previous 30) ÷ previous 30, clamped to [−1, 1]; null when both are empty. */
  trend: number | null;
  /** 0–1: how much friction takes away, as a share of frictionPenalty. */
  friction: number;
  components: AccountComponent[];
  /** Points removed by friction. */
  frictionPoints: number;
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/**
 * An account's score from named components CS can explain: breadth (active members in 30 days ÷ members,
 * or ÷ licensed seats when known), depth (all members' decayed points), champions (members at champion
 * level, full at championsTarget), self-service (answered questions and helpful articles among all
 * outcomes; neutral 0.5 without data), trend (last 30 days against the previous 30; neutral 0.5 without
 * data) — weighted — minus friction (unanswered questions over 48 h, not-helpful votes, failed searches).
 */
export function scoreAccount(model: ScoringModel, inputs: AccountInputs, asOf: Date): AccountScore {
  const thirtyDaysAgo = new Date(asOf.getTime() - 30 * DAY_MS);
  const sixtyDaysAgo = new Date(asOf.getTime() - 60 * DAY_MS);
  const end = new Date(asOf.getTime() + 1);
  let depthPoints = 0;
  let activeMembers = 0;
  let champions = 0;
  let recent = 0;
  let previous = 0;
  for (const member of inputs.members) {
    const score = scoreMember(model, member.activities, asOf);
    depthPoints += score.points;
    if (score.level === "champion") champions += 1;
    if (member.activities.some((a) => !a.revoked && a.occurredAt > thirtyDaysAgo && a.occurredAt <= asOf)) activeMembers += 1;
    recent += windowPoints(model, member.activities, thirtyDaysAgo, end);
    previous += windowPoints(model, member.activities, sixtyDaysAgo, thirtyDaysAgo);
  }
  const memberCount = inputs.members.length;
  const seats = inputs.licensedSeats && inputs.licensedSeats > 0 ? inputs.licensedSeats : memberCount;
  const breadth = seats > 0 ? clamp01(activeMembers / seats) : 0;
  const depth = depthPoints / (depthPoints + model.accountSaturation);
  const championsValue = clamp01(champions / model.championsTarget);
  const outcomes = inputs.questionsAsked + inputs.articlesHelpful + inputs.articlesNotHelpful;
  const selfService = outcomes > 0 ? clamp01((inputs.questionsAnswered + inputs.articlesHelpful) / outcomes) : 0.5;
  const trend = recent === 0 && previous === 0 ? null : previous === 0 ? 1 : Math.max(-1, Math.min(1, (recent - previous) / previous));
  const trendValue = trend === null ? 0.5 : (trend + 1) / 2;
  const values = { breadth, depth, champions: championsValue, selfService, trend: trendValue };
  const components = (Object.keys(model.accountWeights) as Array<keyof ScoringModel["accountWeights"]>).map((name) => ({
    name,
    value: values[name],
    weight: model.accountWeights[name],
    points: values[name] * model.accountWeights[name] * 100,
  }));
  const before = components.reduce((sum, c) => sum + c.points, 0);
  const frictionUnits = inputs.questionsUnansweredOver48h * 2 + inputs.articlesNotHelpful + inputs.searchesWithoutResults * 0.5;
  const friction = clamp01(frictionUnits / 10);
  const frictionPoints = before * friction * model.frictionPenalty;
  return {
    formulaVersion: model.version,
    score: Math.round((before - frictionPoints) * 10) / 10,
    activeMembers,
    memberCount,
    champions,
    depthPoints,
    trend,
    friction,
    components,
    frictionPoints,
  };
}
