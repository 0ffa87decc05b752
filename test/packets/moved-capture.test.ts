// A packet list over a capture that changed since it was indexed: the page still lists every packet
// with what the index holds, and says in one line why the records were not read; the HTTP Info
// (which reads each message's first line back from the capture) does not make the page fail.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { openIndexDb } from '../helpers/index-db';
import { exploreApiOver } from '../helpers/explore-api';
import { corpus, scratchDir } from '../helpers/paths';

describe('the packet list over a capture changed since it was indexed', () => {
  it('lists the page from the index and says why its records were not read', async () => {
    const dir = scratchDir('moved-capture');
    const file = path.join(dir, 'haproxy-502.pcap');
    fs.copyFileSync(corpus('pcap', 'haproxy-502.pcap'), file);
    const dbPath = path.join(dir, 'index.sqlite');
    expect((await runIngest({ file, dbPath })).state).toBe('done');
    // Another capture in its place: same name, other bytes.
    const bytes = fs.readFileSync(file);
    bytes.fill(0x55, 4096);
    fs.writeFileSync(file, bytes);
    const dbs = new Map<string, Database.Database>([['c', openIndexDb(dbPath, { readonly: true })]]);
    const page = await exploreApiOver(dbs)['packets.page']({ caseId: 'c', scope: {}, offset: 0, limit: 100 });
    expect(page.rows).toHaveLength(100);
    expect(page.unread).toMatch(/haproxy-502\.pcap/);
    expect(page.rows.map((r) => r.cells[4])).toContain('TCP');
    expect(page.rows.every((r) => r.cells[4] !== 'HTTP')).toBe(true);
  });
});
