// The streams the tables hold in memory are read in slices (keyset by id, with pauses between
// them): read in slices of a few rows they must be exactly what one read gives, and the background
// load must leave what the tables then use.

import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { runSteps } from '../../core/analysis/rollup/stepped';
import { heldConnections, heldConnectionsSteps, prepareHeldConnections } from '../../core/domain/tables/connection-list';
import { heldFiles, heldFilesSteps, prepareHeldFiles } from '../../core/domain/tables/file-groups';
import { corpus, scratchDir } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

const dir = scratchDir('explore-held-slices');
const dbs = new Map<string, Database.Database>();

beforeAll(async () => {
  for (const [name, file] of [
    ['curl', corpus('scap', 'curl_google.scap')],
    ['haproxy', corpus('pcap', 'haproxy-502.pcap')],
  ] as const) {
    const dbPath = path.join(dir, `${name}.sqlite`);
    expect((await runIngest({ file, dbPath })).state).toBe('done');
    dbs.set(name, openIndexDb(dbPath, { readonly: true }));
  }
});

describe('streams held in memory, read in slices', () => {
  it('are the same read 3 or 7 rows at a time as in one read', () => {
    for (const db of dbs.values()) {
      const files = runSteps(heldFilesSteps(db, 1_000_000));
      const connections = runSteps(heldConnectionsSteps(db, 1_000_000));
      for (const rows of [3, 7]) {
        expect(runSteps(heldFilesSteps(db, rows))).toEqual(files);
        expect(runSteps(heldConnectionsSteps(db, rows))).toEqual(connections);
      }
    }
    // Enough rows that the slices matter.
    expect(runSteps(heldFilesSteps(dbs.get('curl')!, 1_000_000)).count).toBeGreaterThan(20);
    expect(runSteps(heldConnectionsSteps(dbs.get('haproxy')!, 1_000_000)).length).toBe(170);
  });

  it('are left by the background load for the tables to take', async () => {
    const db = dbs.get('curl')!;
    await Promise.all([prepareHeldFiles(db), prepareHeldFiles(db), prepareHeldConnections(db)]);
    const files = heldFiles(db);
    expect(files).toEqual(runSteps(heldFilesSteps(db)));
    // Taken as kept, not read again.
    expect(heldFiles(db)).toBe(files);
    expect(heldConnections(db)).toBe(heldConnections(db));
  });
});
