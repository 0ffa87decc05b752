// A small seeded pseudo-random generator (mulberry32): every fuzz input is a pure function of its
// seed, so a failure found in a long random run is reproduced from the seed alone, on any machine.

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    if (n <= 0) throw new RangeError(`Prng.below(${n}): n must be positive`);
    return Math.floor((this.next() / 0x1_0000_0000) * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** A fresh 32-bit seed for a random (non-reproducible-by-default) run. */
export function randomSeed(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}
