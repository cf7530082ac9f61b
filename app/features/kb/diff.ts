/**
 * A readable line diff between two texts (revision bodies), grouped into unified-diff style hunks.
 * Pure, no dependencies, safe in the browser.
 *
 * Myers' O(ND) algorithm gives a shortest edit script when the texts are close, which is what two
 * revisions of one article almost always are. Its cost grows with the number of edits, so past
 * MAX_MYERS_EDITS a region is split at lines that occur exactly once on each side (patience anchoring)
 * and the pieces are diffed again; a region without such anchors is shown as replaced. That keeps a
 * worst case (two unrelated 100,000-character bodies) in milliseconds, with a still-readable result.
 */

export type DiffLineKind = "context" | "added" | "removed";

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** 1-based line number in the old text; null for added lines. */
  oldNumber: number | null;
  /** 1-based line number in the new text; null for removed lines. */
  newNumber: number | null;
}

export interface DiffHunk {
  /** Unified-diff header numbers: first line of the hunk on each side (or the line before it when the side is empty). */
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface LineDiff {
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3); Infinity shows the whole text as one hunk. */
  context?: number;
}

const DEFAULT_CONTEXT = 3;
/** Beyond this many edits in one region Myers' trace grows quadratically; switch to anchoring. */
const MAX_MYERS_EDITS = 1500;

/** Lines of a text; CRLF and CR count as LF, and a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The line diff from `before` to `after`. Identical texts give no hunks. */
export function diffLines(before: string, after: string, options: DiffOptions = {}): LineDiff {
  const oldLines = splitLines(before);
  const newLines = splitLines(after);
  // Compare small integers instead of strings: equal lines get equal ids.
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const a = Int32Array.from(oldLines, idOf);
  const b = Int32Array.from(newLines, idOf);

  const ops: Op[] = [];
  diffRange(a, 0, a.length, b, 0, b.length, ops);

  let added = 0;
  let removed = 0;
  const lines: DiffLine[] = ops.map((op) => {
    if (op.kind === "added") {
      added++;
      return { kind: "added", text: newLines[op.newIndex]!, oldNumber: null, newNumber: op.newIndex + 1 };
    }
    if (op.kind === "removed") {
      removed++;
      return { kind: "removed", text: oldLines[op.oldIndex]!, oldNumber: op.oldIndex + 1, newNumber: null };
    }
    return { kind: "context", text: oldLines[op.oldIndex]!, oldNumber: op.oldIndex + 1, newNumber: op.newIndex + 1 };
  });
  return { hunks: groupHunks(lines, options.context ?? DEFAULT_CONTEXT), added, removed };
}

/** Renders a diff as unified-diff text ("@@ -1,3 +1,4 @@", "+added", "-removed", " context"). */
export function formatUnifiedDiff(diff: LineDiff): string {
  const out: string[] = [];
  for (const hunk of diff.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) out.push(`${line.kind === "added" ? "+" : line.kind === "removed" ? "-" : " "}${line.text}`);
  }
  return out.join("\n");
}

type Op =
  | { kind: "context"; oldIndex: number; newIndex: number }
  | { kind: "removed"; oldIndex: number; newIndex?: undefined }
  | { kind: "added"; newIndex: number; oldIndex?: undefined };

/** Appends the edit script turning a[aLo, aHi) into b[bLo, bHi) to `out`, in order. */
function diffRange(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, out: Op[]): void {
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) out.push({ kind: "context", oldIndex: aLo++, newIndex: bLo++ });
  let aEnd = aHi;
  let bEnd = bHi;
  while (aEnd > aLo && bEnd > bLo && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }

  if (aLo === aEnd) {
    for (let j = bLo; j < bEnd; j++) out.push({ kind: "added", newIndex: j });
  } else if (bLo === bEnd) {
    for (let i = aLo; i < aEnd; i++) out.push({ kind: "removed", oldIndex: i });
  } else if (!myers(a, aLo, aEnd, b, bLo, bEnd, out)) {
    const anchors = uniqueCommonAnchors(a, aLo, aEnd, b, bLo, bEnd);
    if (anchors.length === 0) {
      // Nothing to hold on to: the region was rewritten. Removed lines first, then added, like git.
      for (let i = aLo; i < aEnd; i++) out.push({ kind: "removed", oldIndex: i });
      for (let j = bLo; j < bEnd; j++) out.push({ kind: "added", newIndex: j });
    } else {
      let i = aLo;
      let j = bLo;
      for (const [ai, bi] of anchors) {
        diffRange(a, i, ai, b, j, bi, out);
        out.push({ kind: "context", oldIndex: ai, newIndex: bi });
        i = ai + 1;
        j = bi + 1;
      }
      diffRange(a, i, aEnd, b, j, bEnd, out);
    }
  }

  for (let k = 0; aEnd + k < aHi; k++) out.push({ kind: "context", oldIndex: aEnd + k, newIndex: bEnd + k });
}

/**
 * Myers' greedy shortest edit script for a[aLo, aHi) → b[bLo, bHi), appended to `out`. Returns false
 * (appending nothing) when more than MAX_MYERS_EDITS edits would be needed.
 * v[k] holds the furthest x reached on diagonal k = x - y; one snapshot per edit count is kept for the
 * walk back, each only as wide as the diagonals that step can read.
 */
function myers(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number, out: Op[]): boolean {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.min(n + m, MAX_MYERS_EDITS);
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];

  let found = -1;
  search: for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break search;
      }
    }
  }
  if (found < 0) return false;

  const reversed: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d >= 0; d--) {
    const snapshot = trace[d]!;
    // snapshot[k + d + 1] is v[k] as it was before step d.
    const at = (k: number) => snapshot[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      reversed.push({ kind: "context", oldIndex: aLo + x, newIndex: bLo + y });
    }
    if (d > 0) {
      if (x === prevX) reversed.push({ kind: "added", newIndex: bLo + prevY });
      else reversed.push({ kind: "removed", oldIndex: aLo + prevX });
    }
    x = prevX;
    y = prevY;
  }
  for (let i = reversed.length - 1; i >= 0; i--) out.push(reversed[i]!);
  return true;
}

/**
 * Patience anchoring: lines occurring exactly once in each range, matched up, reduced to the longest
 * chain that is increasing on both sides. Returned as [oldIndex, newIndex] pairs in order.
 */
function uniqueCommonAnchors(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number): Array<[number, number]> {
  const seen = new Map<number, { inA: number; inB: number; ai: number; bi: number }>();
  for (let i = aLo; i < aHi; i++) {
    const entry = seen.get(a[i]!);
    if (entry) entry.inA++;
    else seen.set(a[i]!, { inA: 1, inB: 0, ai: i, bi: -1 });
  }
  for (let j = bLo; j < bHi; j++) {
    const entry = seen.get(b[j]!);
    if (entry) {
      entry.inB++;
      entry.bi = j;
    }
  }
  const pairs: Array<[number, number]> = [];
  for (const entry of seen.values()) if (entry.inA === 1 && entry.inB === 1) pairs.push([entry.ai, entry.bi]);
  pairs.sort((p, q) => p[0] - q[0]);
  return longestIncreasingByNew(pairs);
}

/** Longest subsequence of pairs (already ordered by old index) whose new indexes increase; O(n log n). */
function longestIncreasingByNew(pairs: Array<[number, number]>): Array<[number, number]> {
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  for (let p = 0; p < pairs.length; p++) {
    const value = pairs[p]![1];
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tails[mid]!]![1] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[p] = tails[lo - 1]!;
    tails[lo] = p;
  }
  const chain: Array<[number, number]> = [];
  for (let p = tails.length > 0 ? tails[tails.length - 1]! : -1; p >= 0; p = previous[p]!) chain.push(pairs[p]!);
  return chain.reverse();
}

/** Groups changed lines with `context` unchanged lines around them; changes closer than 2·context share a hunk. */
function groupHunks(lines: DiffLine[], context: number): DiffHunk[] {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.kind === "context") continue;
    let end = i;
    while (end + 1 < lines.length && lines[end + 1]!.kind !== "context") end++;
    const start = Math.max(0, i - context);
    const stop = Math.min(lines.length - 1, end + context);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1] + 1) last[1] = stop;
    else ranges.push([start, stop]);
    i = end;
  }

  return ranges.map(([start, stop]) => {
    const hunkLines = lines.slice(start, stop + 1);
    // Lines of each side before the hunk: the numbers unified diff uses when a side is empty.
    let oldBefore = 0;
    let newBefore = 0;
    for (let i = 0; i < start; i++) {
      if (lines[i]!.oldNumber !== null) oldBefore++;
      if (lines[i]!.newNumber !== null) newBefore++;
    }
    const oldCount = hunkLines.filter((l) => l.oldNumber !== null).length;
    const newCount = hunkLines.filter((l) => l.newNumber !== null).length;
    return {
      oldStart: oldCount > 0 ? oldBefore + 1 : oldBefore,
      oldLines: oldCount,
      newStart: newCount > 0 ? newBefore + 1 : newBefore,
      newLines: newCount,
      lines: hunkLines,
    };
  });
}
