/**
 * "Did you mean ...?" for names typed by hand (slave names in --limit and SLAVE arguments):
 * the known names nearest by edit distance, so `slav-1` and `slave1` find `slave-1`, not only
 * a difference of case.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours, each 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known names nearest to `typed` (case ignored), at most `max` of them, or none when
 * nothing is near: a name is near when at most a third of its characters differ (at least 1,
 * at most 3 edits), so a long name tolerates more typos than a short one.
 */
export function nearest(typed: string, known: readonly string[], max = 3): string[] {
  const t = typed.toLowerCase();
  let best = Infinity;
  let hits: string[] = [];
  for (const k of known) {
    const d = editDistance(t, k.toLowerCase());
    const limit = Math.min(3, Math.max(1, Math.floor(Math.max(t.length, k.length) / 3)));
    if (d > limit || d > best) continue;
    if (d < best) {
      best = d;
      hits = [];
    }
    hits.push(k);
  }
  return hits.slice(0, max);
}

/** ` (did you mean "a" or "b"?)`, or "" when nothing is near. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const hits = nearest(typed, known);
  if (hits.length === 0) return "";
  const quoted = hits.map((h) => `"${h}"`);
  return ` (did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`}?)`;
}
