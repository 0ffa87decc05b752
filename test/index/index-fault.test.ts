// A fault of the index itself said in one line naming the index and the evidence: SQLite's own
// SQLITE_FULL (made here by capping the database's pages), however it was wrapped on its way up.

import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexFaultMessage, isDiskFull } from '../../core/index/index-fault';
import { scratchDir } from '../helpers/paths';

describe('index faults', () => {
  const dir = scratchDir('index-fault');

  function diskFullError(): unknown {
    const db = new Database(path.join(dir, 'capped.sqlite'));
    try {
      db.exec('CREATE TABLE t (b BLOB)');
      db.pragma('max_page_count = 4');
      db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024));
      return null;
    } catch (err) {
      return err;
    } finally {
      db.close();
    }
  }

  it('knows SQLite\'s full disk, raw or wrapped in a writer\'s message, and names the index and the evidence', () => {
    const full = diskFullError();
    expect(full).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isDiskFull(full)).toBe(true);
    expect(isDiskFull(new Error(`writing the capture into the index failed: ${(full as Error).message}`))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(new Error('UNIQUE constraint failed: streams.id'))).toBe(false);
    expect(indexFaultMessage(full, '/cache/case.sqlite', '/evidence/big.pcap')).toBe(
      '/cache/case.sqlite: the disk holding this index is full (database or disk is full) while indexing /evidence/big.pcap; free space there, or put the index on another disk (--db PATH, CAPSCOPE_CACHE_DIR), and index again',
    );
  });

  it('names the index and the evidence for any other fault opening the index, on one line', () => {
    expect(indexFaultMessage(new Error('file is not a database'), '/cache/case.sqlite', '/evidence/a.pcap')).toBe('/cache/case.sqlite: the index of /evidence/a.pcap could not be opened: file is not a database');
    expect(indexFaultMessage(new Error('/cache/case.sqlite: index schema version 99 is newer\nthan this capscope'), '/cache/case.sqlite', '/e')).toBe('/cache/case.sqlite: index schema version 99 is newer than this capscope');
  });
});
