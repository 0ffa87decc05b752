// The pcap ingest collects its heap in full when it has outgrown what is alive (core/formats/pcap/
// heap-trim.ts): many short connections leave garbage in V8's old generation that V8 itself lets
// grow to two or three times what is alive. These tests hold the trim to collecting then, and only
// then, with a small floor so that a few MiB of garbage show it.

import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { HeapTrim } from '../../core/formats/pcap/heap-trim';

const MiB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;

/** About `mib` MiB of objects (1 KiB each: an object, its string, an array of 120 small numbers). */
function objects(mib: number): { a: number[]; s: string }[] {
  const made: { a: number[]; s: string }[] = [];
  for (let i = 0; i < mib * 1024; i++) made.push({ a: new Array<number>(120).fill(i & 0xffff), s: `x${i}` });
  return made;
}

describe('the heap trim of the pcap ingest', () => {
  it('collects in full once the heap outgrows its floor, then lets it grow to half again what was alive', () => {
    const floor = used() + 8 * MiB;
    const trim = new HeapTrim(floor);
    trim.check();
    expect(trim.collections).toBe(0);
    // Objects kept alive until the heap is well past the floor (they leave the young generation),
    // then dropped at once: garbage in the old generation, as finished connections are.
    let alive: unknown[] = [];
    for (let round = 0; round < 20 && used() < floor + 24 * MiB; round++) alive.push(objects(8));
    alive = [];
    void alive;
    const before = used();
    expect(before).toBeGreaterThan(floor + 24 * MiB);
    trim.check();
    expect(trim.collections).toBe(1);
    expect(used()).toBeLessThan(before - 16 * MiB);
    // Just after a collection, the heap is below the new threshold: no second one.
    trim.check();
    expect(trim.collections).toBe(1);
  });

  it('collects nothing while the heap stays under the floor, even when asked to now', () => {
    const trim = new HeapTrim(used() + 512 * MiB);
    objects(10);
    trim.check();
    trim.now();
    expect(trim.collections).toBe(0);
  });
});
