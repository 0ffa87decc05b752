// Keeps the ingest thread's heap near what it holds alive. A network capture of many short
// connections makes a few objects per connection (its stream, its TCP state, its HTTP parse) that
// outlive the young generation's collections and die in the old one, and V8 lets the old
// generation grow to two or three times what is alive before it collects it in full: 200,000
// short connections took 680-790 MiB of resident memory for about 160 MiB alive.
//
// A cap on the old generation (the worker's resourceLimits.maxOldGenerationSizeMb) bounds that
// too, but it is a cliff, measured: capped at 256 MiB the same ingest spent 114 CPU s collecting
// (against 36), and at 384 MiB a capture of 250,000 connections left open (a SYN flood's shape,
// about 5 KiB alive each) ended with "JS heap out of memory". So the ingest asks for a full
// collection itself, when the heap has grown half as large again as what was alive after the last
// one (and past a floor, so that small captures pay nothing), and once more at the end of the
// capture, so the analyses after it start from what is alive: the heap follows what is alive and
// never fails for it (docs/benchmarks.md, issue 21).

import v8 from 'node:v8';
import vm from 'node:vm';

/** Below this heap size nothing is collected early. */
export const HEAP_TRIM_FLOOR_BYTES = 192 * 1024 * 1024;
/** The heap may grow to this times what was alive after the last full collection. */
const GROWTH = 1.5;

export class HeapTrim {
  private readonly collect = fullCollection();
  private threshold: number;
  /** Full collections asked for. */
  collections = 0;

  constructor(private readonly floorBytes = HEAP_TRIM_FLOOR_BYTES) {
    this.threshold = floorBytes;
  }

  /** Called now and then (every 16 MiB of capture read): collects in full if the heap outgrew what was alive. */
  check(): void {
    if (this.collect !== null && usedHeap() >= this.threshold) this.now();
  }

  /** Collects in full now, if the heap is past the floor. */
  now(): void {
    if (this.collect === null || usedHeap() < this.floorBytes) return;
    this.collect();
    this.collections++;
    this.threshold = Math.max(this.floorBytes, GROWTH * usedHeap());
  }
}

function usedHeap(): number {
  return v8.getHeapStatistics().used_heap_size;
}

/**
 * V8's full collection, as --expose-gc gives it: setting the flag only adds `gc` to the contexts
 * made after it, so nothing else changes. Null where this V8 does not give it (then nothing is
 * collected early, as before).
 */
function fullCollection(): (() => void) | null {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('typeof gc === "function" ? gc : null');
  return typeof gc === 'function' ? (gc as () => void) : null;
}
