// A cancel in the middle of a syscall capture's ingest keeps what was read, every event in a block
// of the event store (the views work on it), and no rollup: the analyses do not run.

import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths';
import { ingestCancelledAfter } from '../helpers/cancel';
import { openIndexDb } from '../helpers/index-db';
import { repeatedCurlGoogle } from '../helpers/repeated-scap';

it('a cancelled scap ingest keeps the events read, in blocks, and stores no rollup', async () => {
  const dir = scratchDir('scap-cancel');
  const file = path.join(dir, 'long.scap');
  fs.writeFileSync(file, repeatedCurlGoogle(200));
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
