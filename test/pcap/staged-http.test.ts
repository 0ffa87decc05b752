// A network capture read from a file has its connections' HTTP rows written while it is read
// (core/analysis/http/staged-exchanges.ts): each connection's exchanges, diagnostics, protocol and
// HTTP/2 connection go to the row writer's thread as its live parse completes, and the analysis
// after ingest only copies them into place. These tests look into the index at the moment the
// HTTP analysis starts: the rows are there already and no parsed message waits in memory for it.
// That the tables it leaves are the same, row for row and id for id, as the parse from the index
// gives is test/pcap/live-http.test.ts's and live-http2.test.ts's (their captures take this path).

import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpAnalysis } from '../../core/analysis/http/analysis';
import { peekPreparsedViews } from '../../core/analysis/http/preparsed';
import { runIngest } from '../../core/ingest/pipeline';
import { openIndexDb } from '../helpers/index-db';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';

const dir = scratchDir('staged-http');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

afterEach(() => vi.restoreAllMocks());

interface AtAnalysis {
  /** Exchange rows staged during the read, by the time the analysis starts. */
  staged: number;
  /** Streams with a protocol staged. */
  stagedViews: number;
  /** Parses left waiting for the analysis (preparsed.ts). */
  waiting: number;
}

let counter = 0;

/** Indexes `file`; returns what the index held when the HTTP analysis started, and the exchanges it ended with. */
async function index(file: string): Promise<{ at: AtAnalysis; exchanges: number; streams: number; error: string | null }> {
  const run = httpAnalysis.run;
  let at: AtAnalysis | null = null;
  vi.spyOn(httpAnalysis, 'run').mockImplementation((db: Database.Database) => {
    const count = (table: string) => {
      try {
        return Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
      } catch {
        return -1; // no such table
      }
    };
    at = { staged: count('http_staged_exchanges'), stagedViews: count('http_staged_views'), waiting: peekPreparsedViews(db)?.size ?? 0 };
    return run(db);
  });
  const dbPath = path.join(dir, `${path.basename(file)}-${counter++}.sqlite`);
  const outcome = await runIngest({ file, dbPath });
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const exchanges = Number(db.prepare('SELECT count(*) FROM http_exchanges').pluck().get());
    const streams = Number(db.prepare("SELECT count(*) FROM streams WHERE l4proto = 'tcp'").pluck().get());
    const left = db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'http_staged%'").pluck().all();
    expect(left, 'the staging tables are gone after the analysis').toEqual([]);
    return { at: at!, exchanges, streams, error: outcome.error };
  } finally {
    db.close();
  }
}

describe('HTTP rows written while a capture is read', () => {
  for (const file of [
    path.join(FIXTURES, 'pcap', 'wrk-close.pcap'),
    path.join(FIXTURES, 'pcap', 'wrk-keepalive.pcap'),
    path.join(FIXTURES, 'pcap', 'port-reuse.pcap'),
    path.join(FIXTURES, 'pcap', 'nginx-keepalive-chunked.pcap'),
    corpus('pcap', 'haproxy-502.pcap'),
    path.join(FIXTURES, 'http2', 'emojivoto-incident.pcap'),
    path.join(FIXTURES, 'http2', 'grpc-deadline.pcap'),
  ]) {
    it(`${path.basename(file)}: every exchange is in the index before the analysis after ingest`, async () => {
      const r = await index(file);
      expect(r.error).toBeNull();
      expect(r.exchanges).toBeGreaterThan(0);
      expect(r.at.staged).toBe(r.exchanges);
      // The streams not staged are those with nothing recognised (an HTTP/2 conversation begun
      // mid-connection would look like that): their parse, with no messages, waits as before.
      expect(r.at.stagedViews + r.at.waiting).toBe(r.streams);
      expect(r.at.stagedViews).toBeGreaterThan(r.at.waiting);
    });
  }

  it('an h2c upgrade is left to the analysis (its HTTP/2 is read from the index after the 101)', async () => {
    const r = await index(path.join(FIXTURES, 'http2', 'h2c-upgrade.pcap'));
    expect(r.error).toBeNull();
    expect(r.exchanges).toBeGreaterThan(0);
    expect(r.at.staged).toBeLessThan(r.exchanges);
  });
});
