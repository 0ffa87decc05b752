// "did you mean fd.sport?": the known field closest to a misspelt one.

import { ALIASES, FIELDS } from './fields';
import type { FilterTarget } from './targets';

/** Edit distance with adjacent swaps counted as one edit (sprot → sport is one). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest field of `target` within a few edits, or null. */
export function suggestField(name: string, target: FilterTarget): string | null {
  const lower = name.toLowerCase();
  const candidates = [...Object.keys(FIELDS[target]), ...Object.keys(ALIASES).filter((a) => FIELDS[target][ALIASES[a]!])];
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = editDistance(lower, c);
    if (distance < bestDistance) {
      best = ALIASES[c] ?? c;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  return bestDistance <= limit ? best : null;
}
