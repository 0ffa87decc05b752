// A larger syscall capture made from a real one: curl_google.scap's state blocks once, then its
// event blocks repeated (their times as they are: the tests that use it only read the capture).

import fs from 'node:fs';
import zlib from 'node:zlib';
import { corpus } from './paths';

/** Event block types of the scap format (the others are state blocks: written once, first). */
const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);

/** curl_google.scap with its event blocks repeated `rounds` times. */
export function repeatedCurlGoogle(rounds: number): Buffer {
  const raw = fs.readFileSync(corpus('scap', 'curl_google.scap'));
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
  const head: Buffer[] = [];
  const events: Buffer[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const type = bytes.readUInt32LE(at);
    const len = bytes.readUInt32LE(at + 4);
    if (len < 12) throw new Error(`block of ${len} bytes at ${at}`);
    (EVENT_BLOCKS.has(type) ? events : head).push(bytes.subarray(at, at + len));
    at += len;
  }
  const round = Buffer.concat(events);
  return Buffer.concat([...head, ...Array.from({ length: rounds }, () => round)]);
}
