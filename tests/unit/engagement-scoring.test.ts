import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCORING_MODEL as model,
  countableActivities,
  decayedPoints,
  levelForScore,
  scoreAccount,
  scoreFromPoints,
  scoreMember,
  type AccountInputs,
  type LedgerActivity,
} from "../../app/features/engagement/scoring";

const asOf = new Date("2026-11-23T12:00:00Z");
const daysAgo = (n: number) => new Date(asOf.getTime() - n * 86_400_000);
const act = (type: string, days: number, revoked = false): LedgerActivity => ({ type, occurredAt: daysAgo(days), revoked });

describe("member scores", () => {
  it("halves an activity's points every half-life", () => {
    expect(decayedPoints(model, "forum.answer.accepted", asOf, asOf)).toBe(10);
    expect(decayedPoints(model, "forum.answer.accepted", daysAgo(45), asOf)).toBeCloseTo(5, 10);
    expect(decayedPoints(model, "forum.answer.accepted", daysAgo(90), asOf)).toBeCloseTo(2.5, 10);
  });

  it("scores a hand-made history to the known figure", () => {
    // 10 (accepted today) + 5 (answer today) + 8 × ½ (webinar 45 days ago) = 19 points → 100 × 19 / 39.
    const score = scoreMember(model, [act("forum.answer.accepted", 0), act("forum.answer.posted", 0), act("webinar.attended", 45)], asOf);
    expect(score.points).toBeCloseTo(19, 10);
    expect(score.score).toBe(48.7);
    expect(score.level).toBe("contributor");
    expect(score.breakdown.map((b) => b.type)).toEqual(["forum.answer.accepted", "forum.answer.posted", "webinar.attended"]);
    expect(score.lastActiveAt).toEqual(asOf);
  });

  it("caps views per day so a reload loop cannot buy a score", () => {
    const views = Array.from({ length: 500 }, () => act("kb.article.viewed", 0));
    expect(countableActivities(model, views, asOf)).toHaveLength(20);
    expect(scoreMember(model, views, asOf).points).toBeCloseTo(4, 10);
    // The next day's views count again.
    const twoDays = [...views, ...Array.from({ length: 30 }, () => act("kb.article.viewed", 1))];
    expect(countableActivities(model, twoDays, asOf)).toHaveLength(40);
  });

  it("ignores revoked rows, unknown types and anything after the as-of time", () => {
    const score = scoreMember(model, [act("forum.vote.cast", 0, true), act("made.up", 0), act("forum.answer.posted", -1)], asOf);
    expect(score.points).toBe(0);
    expect(score.score).toBe(0);
    expect(score.level).toBe("observer");
    // Any unrevoked row is a sign of life, weighted or not.
    expect(score.lastActiveAt).toEqual(asOf);
  });

  it("maps scores to levels at the documented thresholds", () => {
    expect(levelForScore(model, 70)).toBe("champion");
    expect(levelForScore(model, 69.9)).toBe("contributor");
    expect(levelForScore(model, 40)).toBe("contributor");
    expect(levelForScore(model, 10)).toBe("participant");
    expect(levelForScore(model, 9.9)).toBe("observer");
    expect(scoreFromPoints(20, 20)).toBe(50);
  });
});

describe("account scores", () => {
  const base: AccountInputs = {
    members: [],
    licensedSeats: null,
    questionsAsked: 0,
    questionsAnswered: 0,
    questionsUnansweredOver48h: 0,
    articlesHelpful: 0,
    articlesNotHelpful: 0,
    searchesWithoutResults: 0,
  };

  it("gives an empty account only the neutral self-service and trend halves", () => {
    const score = scoreAccount(model, base, asOf);
    // selfService 0.5 × 15 + trend 0.5 × 10 = 12.5
    expect(score.score).toBe(12.5);
    expect(score.trend).toBeNull();
    expect(score.activeMembers).toBe(0);
  });

  it("explains a hand-made account component by component", () => {
    const champion = { userId: 1, activities: Array.from({ length: 10 }, () => act("forum.answer.accepted", 1)) };
    const quiet = { userId: 2, activities: [act("kb.article.viewed", 40)] };
    const gone = { userId: 3, activities: [] };
    const score = scoreAccount(model, { ...base, members: [champion, quiet, gone], questionsAsked: 4, questionsAnswered: 3, articlesHelpful: 1, questionsUnansweredOver48h: 1 }, asOf);
    const byName = Object.fromEntries(score.components.map((c) => [c.name, c.value]));
    expect(score.activeMembers).toBe(1);
    expect(byName.breadth).toBeCloseTo(1 / 3, 10);
    expect(score.champions).toBe(1);
    expect(byName.champions).toBe(0.5);
    expect(byName.selfService).toBeCloseTo(4 / 5, 10);
    // All activity is recent (the view 40 days ago is in the previous window): trend = (100 − 0.2) / 0.2 → clamped to 1.
    expect(score.trend).toBe(1);
    expect(byName.trend).toBe(1);
    expect(score.friction).toBeCloseTo(0.2, 10);
    const before = score.components.reduce((s, c) => s + c.points, 0);
    expect(score.score).toBeCloseTo(Math.round((before - before * 0.2 * 0.3) * 10) / 10, 10);
  });

  it("measures breadth against licensed seats when they are known", () => {
    const active = { userId: 1, activities: [act("auth.signed_in", 2)] };
    expect(scoreAccount(model, { ...base, members: [active], licensedSeats: 4 }, asOf).components.find((c) => c.name === "breadth")!.value).toBe(0.25);
  });

  it("reports a falling account's negative trend", () => {
    const fading = { userId: 1, activities: [act("forum.answer.posted", 45), act("forum.answer.posted", 40), act("forum.answer.posted", 10)] };
    expect(scoreAccount(model, { ...base, members: [fading] }, asOf).trend).toBeCloseTo(-0.5, 10);
  });
});
