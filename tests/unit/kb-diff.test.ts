import { describe, expect, it } from "vitest";
import { diffLines, formatUnifiedDiff, splitLines, type LineDiff } from "../../app/features/kb/diff";

/** Both texts, rebuilt from a whole-text diff: proves the script is a correct edit script. */
function rebuild(diff: LineDiff): { before: string[]; after: string[] } {
  const lines = diff.hunks.flatMap((h) => h.lines);
  return {
    before: lines.filter((l) => l.kind !== "added").map((l) => l.text),
    after: lines.filter((l) => l.kind !== "removed").map((l) => l.text),
  };
}

function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** A small deterministic PRNG, so a failing case can be reproduced. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
}

describe("diffLines", () => {
  it("finds no changes between identical texts, whatever their line endings", () => {
    expect(diffLines("a\nb\n", "a\r\nb\r\n")).toEqual({ hunks: [], added: 0, removed: 0 });
    expect(diffLines("", "")).toEqual({ hunks: [], added: 0, removed: 0 });
  });

  it("shows an edit as a removed and an added line with three lines of context and unified numbers", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    const after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
    const diff = diffLines(before, after);
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(1);
    expect(diff.hunks).toHaveLength(1);
    expect(formatUnifiedDiff(diff)).toBe(["@@ -2,7 +2,7 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8"].join("\n"));
    expect(diff.hunks[0]!.lines[3]).toEqual({ kind: "removed", text: "5", oldNumber: 5, newNumber: null });
    expect(diff.hunks[0]!.lines[4]).toEqual({ kind: "added", text: "five", oldNumber: null, newNumber: 5 });
  });

  it("splits distant changes into separate hunks and merges close ones", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const far = [...lines];
    far[2] = "changed 3";
    far[25] = "changed 26";
    expect(diffLines(lines.join("\n"), far.join("\n")).hunks).toHaveLength(2);
    const near = [...lines];
    near[2] = "changed 3";
    near[8] = "changed 9";
    expect(diffLines(lines.join("\n"), near.join("\n")).hunks).toHaveLength(1);
    expect(diffLines(lines.join("\n"), far.join("\n"), { context: Infinity }).hunks).toHaveLength(1);
  });

  it("numbers insertions into and deletions from empty texts like unified diff", () => {
    expect(formatUnifiedDiff(diffLines("", "a\nb"))).toBe("@@ -0,0 +1,2 @@\n+a\n+b");
    expect(formatUnifiedDiff(diffLines("a\nb", ""))).toBe("@@ -1,2 +0,0 @@\n-a\n-b");
  });

  it("produces a shortest edit script that rebuilds both texts (random small cases)", () => {
    const random = prng(7);
    for (let round = 0; round < 300; round++) {
      const make = () => Array.from({ length: Math.floor(random() * 12) }, () => "abcd"[Math.floor(random() * 4)]!);
      const a = make();
      const b = make();
      const diff = diffLines(a.join("\n"), b.join("\n"), { context: Infinity });
      // Identical texts have no hunks to rebuild from.
      if (diff.hunks.length === 0) expect(a).toEqual(b);
      else expect(rebuild(diff)).toEqual({ before: a, after: b });
      expect(diff.added + diff.removed).toBe(a.length + b.length - 2 * lcsLength(a, b));
    }
  });

  it("stays fast and correct on two unrelated bodies of the maximum size", () => {
    const random = prng(11);
    const body = () => Array.from({ length: 3000 }, () => `${random().toString(36)} ${random().toString(36)}`).join("\n");
    const before = body();
    const after = body();
    const started = performance.now();
    const diff = diffLines(before, after, { context: Infinity });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(rebuild(diff)).toEqual({ before: splitLines(before), after: splitLines(after) });
    expect(diff.removed).toBe(3000);
    expect(diff.added).toBe(3000);
  });

  it("keeps unchanged lines as context when thousands of lines changed", () => {
    const before = Array.from({ length: 6000 }, (_, i) => `unique line ${i}`);
    // Every third line rewritten: more edits than Myers is allowed, so anchoring takes over.
    const after = before.map((line, i) => (i % 3 === 0 ? `${line} (edited)` : line));
    const started = performance.now();
    const diff = diffLines(before.join("\n"), after.join("\n"), { context: Infinity });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(rebuild(diff)).toEqual({ before, after });
    expect(diff.removed).toBe(2000);
    expect(diff.added).toBe(2000);
  });
});
