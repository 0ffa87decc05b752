// A cancel in the middle of a syscall capture's ingest keeps what was read, every event in a block
// of the event store (the views work on it), and no rollup: the analyses do not run.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect, it } from 'vitest';
import { corpus, scratchDir } from '../helpers/paths';
import { ingestCancelledAfter } from '../helpers/cancel';
import { openIndexDb } from '../helpers/index-db';

/** Event block types of the scap format (the others are state blocks: written once, first). */
const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);

/** curl_google.scap with its event blocks repeated `rounds` times (timestamps as they are: it is only read). */
function repeated(rounds: number): Buffer {
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

it('a cancelled scap ingest keeps the events read, in blocks, and stores no rollup', async () => {
  const dir = scratchDir('scap-cancel');
  const file = path.join(dir, 'long.scap');
  fs.writeFileSync(file, repeated(200));
  const dbPath = path.join(dir, 'long.sqlite');
  const outcome = await ingestCancelledAfter(file, dbPath, fs.statSync(file).size / 4);
  expect(outcome.state).toBe('cancelled');
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const { n, last } = db.prepare('SELECT count(*) AS n, max(num) AS last FROM events').get() as { n: number; last: number };
    expect(n).toBeGreaterThan(1536 * 10);
    expect(n).toBeLessThan(1536 * 200);
    expect(last).toBe(n);
    expect(db.prepare('SELECT sum(rows) FROM event_store_blocks').pluck().get()).toBe(n);
    expect(db.prepare('SELECT num FROM events WHERE pid = (SELECT pid FROM events WHERE num = ?) AND num >= ? ORDER BY source_id, num LIMIT 1').pluck().get(n, n)).toBe(n);
    expect(db.prepare('SELECT count(*) FROM rollup').pluck().get()).toBe(0);
    expect(db.prepare('SELECT status FROM sources').pluck().get()).toBe('cancelled');
  } finally {
    db.close();
  }
});
