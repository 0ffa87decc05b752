// A network capture read from a file has its connections' HTTP rows written while it is read
// (core/analysis/http/staged-exchanges.ts): each connection's exchanges, diagnostics, protocol and
// HTTP/2 connection go to the row writer's thread as its live parse completes, straight into the
// HTTP tables, and the analysis after ingest writes only what was not staged. These tests look
// into the index at the moment the HTTP analysis starts: the rows are there already and no parsed
// message waits in memory for it. That the tables it leaves are the same, row for row, as the parse
// from the index gives is test/pcap/live-http.test.ts's and live-http2.test.ts's (their captures
// take this path).

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpAnalysis } from '../../core/analysis/http/analysis';
import { peekPreparsedViews } from '../../core/analysis/http/preparsed';
import { data, headers, HpackEncoder, PREFACE_BYTES, settings } from '../helpers/http2-writer';
import { tcpConversationPcap, type Payload } from './helpers/conversation';
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
/** The analysis itself (a test may index twice: the spy must not call itself). */
const realRun = httpAnalysis.run;

/** Indexes `file`; returns what the index held when the HTTP analysis started, and the exchanges it ended with. */
async function index(file: string): Promise<{ at: AtAnalysis; exchanges: number; streams: number; error: string | null }> {
  let at: AtAnalysis | null = null;
  vi.spyOn(httpAnalysis, 'run').mockImplementation((db: Database.Database) => {
    const count = (table: string) => {
      try {
        return Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
      } catch {
        return -1; // no such table
      }
    };
    at = { staged: count('http_exchanges'), stagedViews: count('stream_protocols'), waiting: peekPreparsedViews(db)?.size ?? 0 };
    return realRun(db);
  });
  const dbPath = path.join(dir, `${path.basename(file)}-${counter++}.sqlite`);
  const outcome = await runIngest({ file, dbPath });
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const exchanges = Number(db.prepare('SELECT count(*) FROM http_exchanges').pluck().get());
    const streams = Number(db.prepare("SELECT count(*) FROM streams WHERE l4proto = 'tcp'").pluck().get());
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

  it('HTTP rows an earlier analysis or an unfinished ingest left in the index are replaced, not added to', async () => {
    const file = path.join(FIXTURES, 'pcap', 'wrk-close.pcap');
    const fresh = await index(file);
    const dbPath = path.join(dir, `stale-${counter++}.sqlite`);
    await runIngest({ file, dbPath });
    const db = openIndexDb(dbPath);
    let ingests: number;
    try {
      // What an ingest cut short (the process killed after its read) would leave: rows of its streams, and the ingest unfinished.
      const insert = db.prepare('INSERT INTO http_exchanges (stream_id, seq, views, req_bytes, resp_bytes, req_complete, resp_complete, truncated, req_headers, resp_headers) VALUES (?, 99, 1, 0, 0, 0, 0, 0, ?, ?)');
      for (let id = 1; id <= 20; id++) insert.run(id, '[]', '[]');
      ingests = Number(db.prepare('SELECT count(*) FROM ingests').pluck().get());
      db.prepare("UPDATE ingests SET state = 'running' WHERE id = (SELECT max(id) FROM ingests)").run();
    } finally {
      db.close();
    }
    const again = await runIngest({ file, dbPath });
    expect(again.error).toBeNull();
    const check = openIndexDb(dbPath, { readonly: true });
    try {
      expect(Number(check.prepare('SELECT count(*) FROM ingests').pluck().get()), 'the capture was indexed again').toBeGreaterThan(ingests);
      expect(Number(check.prepare('SELECT count(*) FROM http_exchanges').pluck().get())).toBe(fresh.exchanges);
      expect(Number(check.prepare('SELECT count(*) FROM http_exchanges WHERE seq = 99').pluck().get())).toBe(0);
    } finally {
      check.close();
    }
  });

  it('a long HTTP/2 connection (2,001 exchanges) is staged whole at its end, and nothing of it waits for the analysis', async () => {
    const c = new HpackEncoder();
    const s = new HpackEncoder();
    const payloads: Payload[] = [
      { from: 'client', data: Buffer.concat([PREFACE_BYTES, settings()]) },
      { from: 'server', data: settings() },
    ];
    const n = 2001;
    for (let i = 0; i < n; i++) {
      const id = 1 + 2 * i;
      payloads.push({ from: 'client', data: headers(id, c.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', `/${i}`]]), { endStream: true }) });
      payloads.push({ from: 'server', data: Buffer.concat([headers(id, s.encode([[':status', '200'], ['content-length', '2']])), data(id, Buffer.from('ok'), true)]) });
    }
    const long = path.join(dir, 'h2-long.pcap');
    fs.writeFileSync(long, tcpConversationPcap(payloads));
    const r = await index(long);
    expect(r.error).toBeNull();
    expect(r.exchanges).toBe(n);
    expect(r.at.staged).toBe(n);
    expect(r.at.waiting).toBe(0);
  });

  it('an h2c upgrade is left to the analysis (its HTTP/2 is read from the index after the 101)', async () => {
    const r = await index(path.join(FIXTURES, 'http2', 'h2c-upgrade.pcap'));
    expect(r.error).toBeNull();
    expect(r.exchanges).toBeGreaterThan(0);
    expect(r.at.staged).toBeLessThan(r.exchanges);
  });
});
