import { describe, expect, it } from "vitest";
import { detectSignals, type SignalAccountFacts } from "../../app/features/engagement/signals";

const now = new Date("2026-11-23T12:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
const context = { tierBenchmark: 60, championScore: 70 };

const healthy: SignalAccountFacts = {
  accountId: 7,
  tier: "high_touch",
  score: 55,
  memberCount: 10,
  activeMembers30d: 6,
  points30d: 100,
  pointsPrevious30d: 90,
  champions: [
    { userId: 1, lastActiveAt: daysAgo(1), stillMember: true },
    { userId: 2, lastActiveAt: daysAgo(2), stillMember: true },
  ],
  unansweredQuestions: [],
  notHelpfulLast7d: 0,
  notHelpfulPrevious8Weeks: 0,
  members: [],
};

const types = (facts: SignalAccountFacts, ctx: { tierBenchmark: number | null; championScore: number } = context) => detectSignals(facts, now, ctx).map((s) => s.type);

describe("signals", () => {
  it("raises nothing for a healthy account", () => {
    expect(types(healthy)).toEqual([]);
  });

  it("raises a drop of 30% or more, but not a small account's noise", () => {
    expect(types({ ...healthy, points30d: 63, pointsPrevious30d: 90 })).toEqual(["risk.engagement_drop"]);
    expect(types({ ...healthy, points30d: 64, pointsPrevious30d: 90 })).toEqual([]);
    expect(types({ ...healthy, points30d: 1, pointsPrevious30d: 5 })).toEqual([]);
  });

  it("raises an account with members but nobody active in 30 days", () => {
    expect(types({ ...healthy, activeMembers30d: 0 })).toContain("risk.no_active_members");
    expect(types({ ...healthy, memberCount: 0, activeMembers30d: 0 })).not.toContain("risk.no_active_members");
  });

  it("watches an only champion, not one of two", () => {
    const only = (c: SignalAccountFacts["champions"][number]) => ({ ...healthy, champions: [c] });
    expect(types(only({ userId: 1, lastActiveAt: daysAgo(30), stillMember: true }))).toEqual(["risk.champion_inactive"]);
    expect(types(only({ userId: 1, lastActiveAt: daysAgo(29), stillMember: true }))).toEqual([]);
    expect(types(only({ userId: 1, lastActiveAt: daysAgo(1), stillMember: false }))).toEqual(["risk.champion_left"]);
    expect(types({ ...healthy, champions: [{ userId: 1, lastActiveAt: daysAgo(90), stillMember: true }, { userId: 2, lastActiveAt: daysAgo(1), stillMember: true }] })).toEqual([]);
  });

  it("keys a signal by what it is about, so it is raised once while it holds", () => {
    const [signal] = detectSignals({ ...healthy, champions: [{ userId: 1, lastActiveAt: null, stillMember: true }] }, now, context);
    expect(signal!.key).toBe("risk.champion_inactive:7:user:1");
    const [again] = detectSignals({ ...healthy, champions: [{ userId: 1, lastActiveAt: null, stillMember: true }] }, new Date(now.getTime() + 86_400_000), context);
    expect(again!.key).toBe(signal!.key);
  });

  it("raises questions unanswered for 48 hours with the oldest one", () => {
    const [signal] = detectSignals({ ...healthy, unansweredQuestions: [{ questionId: 5, askedAt: daysAgo(1) }, { questionId: 3, askedAt: daysAgo(3) }, { questionId: 4, askedAt: daysAgo(2) }] }, now, context);
    expect(signal).toMatchObject({ type: "risk.unanswered_questions", facts: { count: 2, oldestQuestionId: 3 } });
  });

  it("raises a spike of not-helpful votes against the usual weekly level", () => {
    expect(types({ ...healthy, notHelpfulLast7d: 3, notHelpfulPrevious8Weeks: 8 })).toEqual(["risk.not_helpful_spike"]);
    expect(types({ ...healthy, notHelpfulLast7d: 3, notHelpfulPrevious8Weeks: 16 })).toEqual([]);
    expect(types({ ...healthy, notHelpfulLast7d: 2, notHelpfulPrevious8Weeks: 0 })).toEqual([]);
  });

  it("finds lower-touch accounts engaging like high-touch ones", () => {
    expect(types({ ...healthy, tier: "tech_touch", score: 61 })).toEqual(["opportunity.outperforming_tier"]);
    expect(types({ ...healthy, tier: "low_touch", score: 59 })).toEqual([]);
    expect(types({ ...healthy, tier: "tech_touch", score: 90 }, { ...context, tierBenchmark: null })).toEqual([]);
  });

  it("projects members on track to become champions", () => {
    const members = [
      { userId: 11, score: 50, score30dAgo: 30, level: "contributor" },
      { userId: 12, score: 50, score30dAgo: 49, level: "contributor" },
      { userId: 13, score: 20, score30dAgo: 0, level: "participant" },
      { userId: 14, score: 80, score30dAgo: 60, level: "champion" },
    ];
    const signals = detectSignals({ ...healthy, members }, now, context);
    expect(signals.map((s) => s.subject)).toEqual([{ kind: "user", id: 11 }]);
  });
});
