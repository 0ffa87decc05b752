// The two ways the scap writer can put rows into the index (the row_batch extension reading whole
// batches in C, or JavaScript binding every value) give the same index: every corpus capture is
// indexed both ways and every table the scap ingest writes is compared row by row.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { corpus, scratchDir } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

const scratch = scratchDir('scap-ways');
const TABLES = ['events', 'threads', 'containers', 'users', 'fds', 'streams', 'chunks', 'machine'];
const captures = fs.readdirSync(corpus('scap')).filter((f) => f.endsWith('.scap') || f.endsWith('.scap.gz'));

async function indexWith(way: 'native' | 'js', file: string): Promise<Record<string, string[]>> {
  const before = process.env.CAPSCOPE_ROW_BATCH;
  if (way === 'js') process.env.CAPSCOPE_ROW_BATCH = 'js';
  const dbPath = path.join(scratch, `${path.basename(file)}-${way}.sqlite`);
  try {
    await runIngest({ file, dbPath });
  } finally {
    if (before === undefined) delete process.env.CAPSCOPE_ROW_BATCH;
    else process.env.CAPSCOPE_ROW_BATCH = before;
  }
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const tables: Record<string, string[]> = {};
    for (const table of TABLES) {
      // Rows as text with their types (a number stored as text must not pass for the number).
      const rows = db.prepare(`SELECT * FROM ${table}`).raw().safeIntegers().all() as unknown[][];
      tables[table] = rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `int:${v}` : Buffer.isBuffer(v) ? `bytes:${v.toString('hex')}` : v))).sort();
    }
    return tables;
  } finally {
    db.close();
  }
}

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the row_batch extension and JavaScript binding write the same index', () => {
  it.each(captures)('%s', async (name) => {
    const file = corpus('scap', name);
    const native = await indexWith('native', file);
    const js = await indexWith('js', file);
    expect(native.events!.length).toBeGreaterThan(0);
    for (const table of TABLES) expect(native[table], table).toEqual(js[table]);
  });
});
