// Duplicate strings: String objects a root reaches whose values are equal, and what the copies
// cost. Values are compared by a 64-bit hash of their array's content (and coder, and JDK 6's
// offset/count window), computed while the dump streamed by — the arrays themselves are not kept.
// Copies that share one array waste only the String object; copies with their own arrays waste
// the arrays too.

import type { DuplicateStringInfo } from '../../domain/heap/contract';
import type { HeapGraph } from './graph';
import type { Reachability } from './reachability';
import { shown, type ArrayTexts } from './text';

/** A group of equal Strings as the heap view and `capscope heap --json` show it. */
export type DuplicateString = DuplicateStringInfo;

/** Groups of reachable Strings with equal values (independent of the size model). */
export interface StringGroups {
  /** Per group: the number of copies, distinct value arrays, and one member (an index into graph.stringObjects). */
  count: Int32Array;
  arrays: Int32Array;
  first: Int32Array;
}

export function groupDuplicateStrings(graph: HeapGraph, reach: Reachability, texts: ArrayTexts): StringGroups {
  const s = graph.stringObjects;
  const a = graph.arrays;
  // A 53-bit key per reachable String with a hashed value (exact in a double, sortable natively).
  const keys = new Float64Array(s.count);
  const members = new Int32Array(s.count);
  let m = 0;
  for (let i = 0; i < s.count; i++) {
    const value = s.value[i]!;
    if (value < 0 || !reach.reached[s.node[i]!]) continue;
    const e = texts.entry(value);
    if (e < 0) continue;
    let lo = a.hashLo[e]! ^ Math.imul(s.coder[i]! + 2, 0x9e3779b1) ^ Math.imul(s.offset[i]! + 1, 0x85ebca6b) ^ Math.imul(s.length[i]! + 1, 0xc2b2ae35);
    lo = Math.imul(lo ^ (lo >>> 15), 0x2c1b3c6d) >>> 0;
    keys[m] = a.hashHi[e]! * 2097152 + (lo >>> 11);
    members[m++] = i;
  }
  const sorted = keys.slice(0, m).sort();
  const duplicated = new Map<number, number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1] && !duplicated.has(sorted[i]!)) duplicated.set(sorted[i]!, duplicated.size);
  const groups = duplicated.size;
  const count = new Int32Array(groups);
  const arrays = new Int32Array(groups);
  const first = new Int32Array(groups).fill(-1);
  const arrayGroup = new Map<number, number>();
  for (let j = 0; j < m; j++) {
    const g = duplicated.get(keys[j]!);
    if (g === undefined) continue;
    const i = members[j]!;
    if (count[g] === 0) first[g] = i;
    count[g]!++;
    const value = s.value[i]!;
    if (arrayGroup.get(value) !== g) {
      arrayGroup.set(value, g);
      arrays[g]!++;
    }
  }
  return { count, arrays, first };
}

/** The duplicated values that waste the most under a size model. */
export function findDuplicateStrings(graph: HeapGraph, groups: StringGroups, shallow: Float64Array, texts: ArrayTexts, top: number): DuplicateString[] {
  const s = graph.stringObjects;
  const wasted = new Float64Array(groups.count.length);
  const order: number[] = [];
  for (let g = 0; g < groups.count.length; g++) {
    const i = groups.first[g]!;
    wasted[g] = (groups.count[g]! - 1) * shallow[s.node[i]!]! + (groups.arrays[g]! - 1) * shallow[s.value[i]!]!;
    order.push(g);
  }
  order.sort((x, y) => wasted[y]! - wasted[x]! || groups.count[y]! - groups.count[x]!);
  return order.slice(0, top).map((g) => {
    const i = groups.first[g]!;
    const value = s.value[i]!;
    const text = texts.decode(value, s.coder[i]!, s.offset[i]!, s.length[i]!);
    const units = graph.aux[value]!;
    const length = s.length[i]! >= 0 ? s.length[i]! : s.coder[i] === 1 ? units >> 1 : units;
    return {
      value: text ? shown(text) : '(value not kept: the text budget was used up)',
      count: groups.count[g]!,
      wastedBytes: wasted[g]!,
      length,
      arrays: groups.arrays[g]!,
      objectId: `0x${graph.ids[s.node[i]!]!.toString(16)}`,
    };
  });
}
