import type { Tier } from "../../../db/schema/accounts";

/**
 * Risk and opportunity signals: calls to action for the CS team, decided by pure rules over an account's
 * current figures. Which signals are open is state (raised once, kept while the rule holds, resolved when
 * it stops); this module only says which rules hold now, each with a stable key, so the caller can open
 * the new ones, leave the held ones alone and resolve the rest.
 */

export const SIGNAL_TYPES = [
  "risk.engagement_drop",
  "risk.no_active_members",
  "risk.champion_inactive",
  "risk.champion_left",
  "risk.unanswered_questions",
  "risk.not_helpful_spike",
  "opportunity.outperforming_tier",
  "opportunity.rising_champion",
] as const;
export type SignalType = (typeof SIGNAL_TYPES)[number];

export interface SignalRules {
  /** Engagement (capped points, last 30 days against the previous 30) down by at least this share. */
  dropShare: number;
  /** …and the previous period had at least this many points, so a drop from 2 to 1 is not a signal. */
  dropMinPreviousPoints: number;
  inactiveDays: number;
  unansweredHours: number;
  /** "Not helpful" votes in the last 7 days at least this many… */
  notHelpfulMinimum: number;
  /** …and at least this multiple of the weekly average over the 8 weeks before. */
  notHelpfulMultiple: number;
  /** A member whose projected score reaches the champion level within this many days. */
  risingHorizonDays: number;
}

export const DEFAULT_SIGNAL_RULES: SignalRules = {
  dropShare: 0.3,
  dropMinPreviousPoints: 10,
  inactiveDays: 30,
  unansweredHours: 48,
  notHelpfulMinimum: 3,
  notHelpfulMultiple: 3,
  risingHorizonDays: 30,
};

export interface SignalAccountFacts {
  accountId: number;
  tier: Tier;
  score: number;
  memberCount: number;
  activeMembers30d: number;
  points30d: number;
  pointsPrevious30d: number;
  /** The account's champions: last activity, and whether they are still members of the account. */
  champions: ReadonlyArray<{ userId: number; lastActiveAt: Date | null; stillMember: boolean }>;
  /** Open questions from the account's members with no answer, and when each was asked. */
  unansweredQuestions: ReadonlyArray<{ questionId: number; askedAt: Date }>;
  notHelpfulLast7d: number;
  notHelpfulPrevious8Weeks: number;
  /** Members with their score now and 30 days ago (for the rising-champion projection). */
  members: ReadonlyArray<{ userId: number; score: number; score30dAgo: number; level: string }>;
}

export interface RaisedSignal {
  type: SignalType;
  accountId: number;
  /** The member or question the signal is about, when it is about one. */
  subject: { kind: "user" | "question"; id: number } | null;
  /** Stable while the condition holds: the open signal with this key is not raised again. */
  key: string;
  /** Figures for the "why", shown to CS and sent to webhooks. */
  facts: Record<string, string | number | null>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface SignalContext {
  /** The score from which a high-touch account counts as engaged (the median high-touch score); null without high-touch accounts. */
  tierBenchmark: number | null;
  /** The scoring model's champion level threshold, which rising members are projected against. */
  championScore: number;
}

/** The signals that hold for one account now. */
export function detectSignals(facts: SignalAccountFacts, now: Date, context: SignalContext, rules: SignalRules = DEFAULT_SIGNAL_RULES): RaisedSignal[] {
  const { tierBenchmark, championScore } = context;
  const signals: RaisedSignal[] = [];
  const raise = (type: SignalType, subject: RaisedSignal["subject"], details: RaisedSignal["facts"]) =>
    signals.push({ type, accountId: facts.accountId, subject, key: `${type}:${facts.accountId}${subject ? `:${subject.kind}:${subject.id}` : ""}`, facts: details });

  const change = facts.pointsPrevious30d > 0 ? (facts.points30d - facts.pointsPrevious30d) / facts.pointsPrevious30d : 0;
  // The epsilon keeps an exact 30% drop (63 of 90) from missing by a rounding error.
  if (facts.pointsPrevious30d >= rules.dropMinPreviousPoints && change <= -rules.dropShare + 1e-9) {
    raise("risk.engagement_drop", null, { points30d: round1(facts.points30d), pointsPrevious30d: round1(facts.pointsPrevious30d), changePercent: Math.round(change * 100) });
  }
  if (facts.memberCount > 0 && facts.activeMembers30d === 0) raise("risk.no_active_members", null, { memberCount: facts.memberCount, days: rules.inactiveDays });

  // Only an account's ONLY champion is a single point of failure; with two, one going quiet is not yet a risk.
  if (facts.champions.length === 1) {
    const champion = facts.champions[0]!;
    if (!champion.stillMember) raise("risk.champion_left", { kind: "user", id: champion.userId }, { lastActiveAt: champion.lastActiveAt?.toISOString() ?? null });
    else if (!champion.lastActiveAt || now.getTime() - champion.lastActiveAt.getTime() >= rules.inactiveDays * DAY_MS) {
      raise("risk.champion_inactive", { kind: "user", id: champion.userId }, { lastActiveAt: champion.lastActiveAt?.toISOString() ?? null, days: rules.inactiveDays });
    }
  }

  const overdue = facts.unansweredQuestions.filter((q) => now.getTime() - q.askedAt.getTime() >= rules.unansweredHours * HOUR_MS);
  if (overdue.length > 0) {
    const oldest = overdue.reduce((a, b) => (a.askedAt <= b.askedAt ? a : b));
    raise("risk.unanswered_questions", null, { count: overdue.length, oldestQuestionId: oldest.questionId, oldestAskedAt: oldest.askedAt.toISOString() });
  }

  const weeklyAverage = facts.notHelpfulPrevious8Weeks / 8;
  if (facts.notHelpfulLast7d >= rules.notHelpfulMinimum && facts.notHelpfulLast7d >= weeklyAverage * rules.notHelpfulMultiple) {
    raise("risk.not_helpful_spike", null, { last7d: facts.notHelpfulLast7d, weeklyAverage: round1(weeklyAverage) });
  }

  if (facts.tier !== "high_touch" && tierBenchmark !== null && facts.score >= tierBenchmark && facts.score > 0) {
    raise("opportunity.outperforming_tier", null, { tier: facts.tier, score: facts.score, highTouchBenchmark: tierBenchmark });
  }

  for (const member of facts.members) {
    if (member.level === "champion") continue;
    const gainPerDay = (member.score - member.score30dAgo) / 30;
    if (gainPerDay <= 0) continue;
    const projected = member.score + gainPerDay * rules.risingHorizonDays;
    // Half-way there already: a newcomer's first week would otherwise project to champion from almost nothing.
    if (projected >= championScore && member.score >= championScore / 2) {
      raise("opportunity.rising_champion", { kind: "user", id: member.userId }, { score: member.score, score30dAgo: member.score30dAgo, projected: round1(projected) });
    }
  }
  return signals;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
