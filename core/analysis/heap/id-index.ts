// Object identifier → object index.
//
// VMs dump the heap in address order: in HotSpot and ART dumps the identifiers (addresses) of
// instances and arrays strictly increase through the file, class objects aside, and most
// references point to an object dumped nearby. So the usual lookup is a search of the id array
// itself, starting at the referring object and galloping outwards (a few probes in memory that
// is already in cache), then a binary search through a sample of every 64th id (small enough to
// stay in cache) for references that point far away. Class objects go in a small map. A dump
// whose ids are not in order gets an open-addressing hash table instead.

import { KIND_CLASS } from './graph';

export interface IdLookup {
  /** The index of the object with identifier `id`, or -1. `near` is an index to start from (-1: none). */
  get(id: number, near: number): number;
  /** Indices whose identifier was already taken by an earlier object (the first one wins). */
  readonly duplicates: number[];
}

export function buildIdLookup(ids: Float64Array, kind: Uint8Array, count: number): IdLookup {
  return SortedIdLookup.tryBuild(ids, kind, count) ?? new HashIdLookup(ids, count);
}

const SAMPLE_EVERY = 64;
const GALLOP_LIMIT = 4096;

class SortedIdLookup implements IdLookup {
  readonly duplicates: number[] = [];

  private constructor(
    private readonly ids: Float64Array,
    private readonly kind: Uint8Array,
    private readonly count: number,
    private readonly classes: Map<number, number>,
    /** Every SAMPLE_EVERY-th non-class object: its id and its index. */
    private readonly sampleIds: Float64Array,
    private readonly sampleNodes: Int32Array,
  ) {}

  static tryBuild(ids: Float64Array, kind: Uint8Array, count: number): SortedIdLookup | null {
    const classes = new Map<number, number>();
    let last = -1;
    let objects = 0;
    for (let i = 0; i < count; i++) {
      if (kind[i] === KIND_CLASS) {
        if (!classes.has(ids[i]!)) classes.set(ids[i]!, i);
        continue;
      }
      if (ids[i]! <= last) return null;
      last = ids[i]!;
      objects++;
    }
    const samples = Math.ceil(objects / SAMPLE_EVERY);
    const sampleIds = new Float64Array(samples);
    const sampleNodes = new Int32Array(samples);
    let seen = 0;
    for (let i = 0, s = 0; i < count; i++) {
      if (kind[i] === KIND_CLASS) continue;
      if (seen++ % SAMPLE_EVERY === 0) {
        sampleIds[s] = ids[i]!;
        sampleNodes[s++] = i;
      }
    }
    const lookup = new SortedIdLookup(ids, kind, count, classes, sampleIds, sampleNodes);
    // An instance that reuses a class object's id: the class object wins, as it does by file order
    // with the hash table in HotSpot dumps (classes come first).
    for (const id of classes.keys()) {
      const object = lookup.findObject(id, -1);
      if (object >= 0) lookup.duplicates.push(object);
    }
    return lookup;
  }

  get(id: number, near: number): number {
    const cls = this.classes.get(id);
    if (cls !== undefined) return cls;
    return this.findObject(id, near);
  }

  /** The non-class object with this id, or -1. */
  private findObject(id: number, near: number): number {
    const ids = this.ids;
    const n = this.count;
    const at = near >= 0 && near < n ? this.objectAtOrAfter(near) : -1;
    if (at >= 0) {
      const here = ids[at]!;
      if (here === id) return at;
      if (here < id) {
        let lo = at;
        for (let step = 1; step <= GALLOP_LIMIT; step *= 2) {
          const p = at + step < n ? this.objectAtOrAfter(at + step) : -1;
          if (p < 0) return this.bisect(id, lo, n);
          const v = ids[p]!;
          if (v === id) return p;
          if (v > id) return this.bisect(id, lo, p);
          lo = p;
        }
      } else {
        let hi = at;
        for (let step = 1; step <= GALLOP_LIMIT; step *= 2) {
          const p = at - step >= 0 ? this.objectAtOrBefore(at - step) : -1;
          if (p < 0) return this.bisect(id, -1, hi);
          const v = ids[p]!;
          if (v === id) return p;
          if (v < id) return this.bisect(id, p, hi);
          hi = p;
        }
      }
    }
    // Far away: the sample brackets it within SAMPLE_EVERY objects.
    const sampleIds = this.sampleIds;
    let lo = 0;
    let hi = sampleIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sampleIds[mid]! <= id) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return -1;
    const from = this.sampleNodes[lo - 1]!;
    if (ids[from] === id) return from;
    return this.bisect(id, from, lo < sampleIds.length ? this.sampleNodes[lo]! : n);
  }

  /** The non-class object with `id` strictly between indices lo and hi, or -1. */
  private bisect(id: number, lo: number, hi: number): number {
    const ids = this.ids;
    const kind = this.kind;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      // Class objects sit among the others in some dumps (Android): step over them.
      let probe = mid;
      while (probe < hi && kind[probe] === KIND_CLASS) probe++;
      if (probe === hi) {
        probe = mid - 1;
        while (probe > lo && kind[probe] === KIND_CLASS) probe--;
        if (probe === lo) return -1;
      }
      const v = ids[probe]!;
      if (v === id) return probe;
      if (v < id) lo = probe;
      else hi = probe;
    }
    return -1;
  }

  private objectAtOrAfter(i: number): number {
    while (i < this.count && this.kind[i] === KIND_CLASS) i++;
    return i < this.count ? i : -1;
  }

  private objectAtOrBefore(i: number): number {
    while (i >= 0 && this.kind[i] === KIND_CLASS) i--;
    return i;
  }
}

/** Open addressing over indices (the ids stay in the graph's array): 4 bytes per slot, load ≤ 1/2. */
export class HashIdLookup implements IdLookup {
  private readonly table: Int32Array;
  private readonly mask: number;
  readonly duplicates: number[] = [];

  constructor(
    private readonly ids: Float64Array,
    count: number,
  ) {
    let capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    this.table = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    for (let i = 0; i < count; i++) this.insert(i);
  }

  get(id: number): number {
    const table = this.table;
    const ids = this.ids;
    let slot = hash(id) & this.mask;
    for (;;) {
      const at = table[slot]!;
      if (at < 0) return -1;
      if (ids[at] === id) return at;
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(index: number): void {
    const id = this.ids[index]!;
    const table = this.table;
    let slot = hash(id) & this.mask;
    for (;;) {
      const at = table[slot]!;
      if (at < 0) {
        table[slot] = index;
        return;
      }
      if (this.ids[at] === id) {
        this.duplicates.push(index);
        return;
      }
      slot = (slot + 1) & this.mask;
    }
  }
}

/** Mixes both halves of an identifier (object addresses are 8-aligned: the low bits carry nothing). */
function hash(id: number): number {
  const lo = id >>> 0;
  const hi = ((id - lo) / 4294967296) | 0;
  let h = Math.imul(lo ^ (lo >>> 16), 0x7feb352d) ^ Math.imul(hi, 0x846ca68b);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return h ^ (h >>> 16);
}
