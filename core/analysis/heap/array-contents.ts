// The contents of byte[] and char[] arrays, as they stream by: a 64-bit hash of each (for
// duplicate strings: the arrays themselves are not kept) and, while a budget lasts, their first
// bytes (to show string values and thread names).

import { GrowI32, GrowU32, GrowU8 } from './growable';
import type { ArrayContents } from './graph';

/** Bytes kept from the start of each array while the text budget lasts. */
const TEXT_PREFIX = 256;

export class ArrayContentRecorder {
  private readonly node = new GrowI32();
  private readonly hashHi = new GrowU32();
  private readonly hashLo = new GrowU32();
  private readonly textStart = new GrowI32();
  private readonly textLength = new GrowI32();
  private readonly text = new GrowU8(1 << 16);
  private current = -1;
  private length = 0;
  private left = 0;
  private h1 = 0;
  private h2 = 0;
  private word = 0;
  private wordBytes = 0;
  private keptStart = -1;
  private kept = 0;

  constructor(private readonly textBudget: number) {}

  /** An array of `length` elements of `elementBytes` each begins; its bytes follow in `data`. */
  begin(node: number, elementType: number, length: number, elementBytes: number): void {
    this.finish();
    this.current = node;
    this.length = length;
    this.left = length * elementBytes;
    this.h1 = 0x811c9dc5 ^ elementType;
    this.h2 = 0x9747b28c;
    this.word = 0;
    this.wordBytes = 0;
    this.kept = 0;
    this.keptStart = this.text.length + TEXT_PREFIX <= this.textBudget ? this.text.length : -1;
    if (this.left === 0) this.finish();
  }

  data(buf: Uint8Array, start: number, byteLength: number): void {
    if (this.current < 0) return;
    // Four bytes at a time, carrying a partial word across pieces: where the pieces break depends
    // on buffering, the hash must not.
    let h1 = this.h1;
    let h2 = this.h2;
    let word = this.word;
    let have = this.wordBytes;
    let p = start;
    const end = start + byteLength;
    while (have > 0 && have < 4 && p < end) word |= buf[p++]! << (8 * have++);
    if (have === 4) {
      h1 = Math.imul(h1 ^ word, 0x01000193);
      h2 = Math.imul(h2 ^ word, 0x5bd1e995);
      h2 ^= h2 >>> 15;
      have = 0;
      word = 0;
    }
    const whole = end - ((end - p) & 3);
    for (; p < whole; p += 4) {
      const w = buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h2 = Math.imul(h2 ^ w, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    while (p < end) word |= buf[p++]! << (8 * have++);
    this.h1 = h1;
    this.h2 = h2;
    this.word = word;
    this.wordBytes = have;
    if (this.keptStart >= 0 && this.kept < TEXT_PREFIX) {
      const take = Math.min(byteLength, TEXT_PREFIX - this.kept);
      this.text.append(buf, start, take);
      this.kept += take;
    }
    this.left -= byteLength;
    if (this.left <= 0) this.finish();
  }

  /** Closes the array being read (also one cut short by the end of the dump). */
  finish(): void {
    if (this.current < 0) return;
    let h1 = this.h1;
    let h2 = this.h2;
    if (this.wordBytes > 0) {
      h1 = Math.imul(h1 ^ this.word, 0x01000193);
      h2 = Math.imul(h2 ^ this.word, 0x5bd1e995);
    }
    h1 ^= this.length;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
    h2 ^= Math.imul(this.length, 0x27d4eb2d);
    h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
    this.node.push(this.current);
    this.hashHi.push(h1 >>> 0);
    this.hashLo.push(h2 >>> 0);
    this.textStart.push(this.keptStart);
    this.textLength.push(this.keptStart >= 0 ? this.kept : 0);
    this.current = -1;
  }

  /** Everything recorded (arrays in the order they were read, which is object order). */
  result(): ArrayContents {
    this.finish();
    return {
      count: this.node.length,
      node: this.node.finish(),
      hashHi: this.hashHi.finish(),
      hashLo: this.hashLo.finish(),
      textStart: this.textStart.finish(),
      textLength: this.textLength.finish(),
      text: this.text.finish(),
    };
  }
}
