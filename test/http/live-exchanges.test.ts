// A capture piped in has its HTTP exchanges (and the findings drawn from them) in the index while
// it is read, not only once the stream ends (core/analysis/http/live-pass.ts), and once it ends the
// index holds the same exchanges, diagnostics and findings as indexing the whole file: each
// capture is written into a growing copy in pieces, with the ingest following it in-thread; after
// each piece the index is read from another connection, as the views read it.

import { openIndexDb } from '../helpers/index-db';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LiveLedger } from '../../core/analysis/http/live-ledger';
import { GrowingEvidence } from '../../core/ingest/growing-evidence';
import { runIngest, type IngestProgressEvent } from '../../core/ingest/pipeline';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';
import { tcpConversationPcap } from '../pcap/helpers/conversation';

const dir = scratchDir('live-exchanges');
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
let counter = 0;

/** Longer than the live pass's least interval (a second): one has had its turn since the piece came. */
const SETTLE_MS = 1400;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function count(dbPath: string, sql: string): number {
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    return Number(db.prepare(sql).pluck().get());
  } finally {
    db.close();
  }
}

/**
 * The HTTP tables and findings with row ids replaced by what they stand for (an exchange by its
 * stream and its place on it): exchanges written while the stream ran come first, so ids differ.
 */
function httpDump(dbPath: string) {
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const exchanges = db.prepare('SELECT * FROM http_exchanges ORDER BY stream_id, seq').safeIntegers().all() as Record<string, unknown>[];
    const key = new Map(exchanges.map((x) => [x.id, `${x.stream_id}/${x.seq}`]));
    const strip = (rows: Record<string, unknown>[], ...ids: string[]) =>
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, ids.includes(k) ? (key.get(v) ?? v) : v]).filter(([k]) => k !== 'id')));
    const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
    return {
      protocols: db.prepare('SELECT * FROM stream_protocols ORDER BY stream_id').safeIntegers().all(),
      exchanges: strip(exchanges),
      diagnostics: sorted(strip(db.prepare('SELECT * FROM http_diagnostics').safeIntegers().all() as Record<string, unknown>[], 'exchange_id')),
      findings: sorted(strip(db.prepare('SELECT * FROM findings').safeIntegers().all() as Record<string, unknown>[], 'exchange_id')),
      goaways: sorted(strip(db.prepare('SELECT * FROM http2_goaways').safeIntegers().all() as Record<string, unknown>[])),
      connections: db.prepare('SELECT * FROM http2_connections ORDER BY stream_id').safeIntegers().all(),
    };
  } finally {
    db.close();
  }
}

interface Followed {
  /** Exchanges in the index after each piece but the last, once the reading had caught up. */
  exchanges: number[];
  findings: number[];
  /** The progress's `updates` after each of those pieces. */
  updates: number[];
  dbPath: string;
}

/**
 * Writes `bytes` into a growing copy in `pieces` (of equal size, or ending at the given offsets),
 * the ingest following it; reads the index after each piece.
 */
async function followInPieces(name: string, bytes: Buffer, split: number | number[]): Promise<Followed> {
  const n = counter++;
  const copy = path.join(dir, `${n}-${name}`);
  const dbPath = path.join(dir, `${n}-${name}.sqlite`);
  const ends = typeof split === 'number' ? Array.from({ length: split }, (_, i) => Math.ceil(((i + 1) * bytes.length) / split)) : split;
  const pieces = ends.length;
  fs.writeFileSync(copy, bytes.subarray(0, ends[0]));
  const growing = new GrowingEvidence({ size: ends[0]!, final: pieces === 1 });
  let progress: IngestProgressEvent | null = null;
  const ingest = runIngest({ file: copy, dbPath, growing, onProgress: (e) => (progress = e) });
  const seen: Followed = { exchanges: [], findings: [], updates: [], dbPath };
  for (let i = 0; i < pieces; i++) {
    if (i > 0) {
      fs.appendFileSync(copy, bytes.subarray(ends[i - 1], ends[i]));
      growing.update({ size: ends[i]!, final: i === pieces - 1 });
    }
    if (i === pieces - 1) break;
    while ((progress as IngestProgressEvent | null)?.bytesDone !== ends[i]) await sleep(20);
    await sleep(SETTLE_MS);
    seen.exchanges.push(count(dbPath, 'SELECT count(*) FROM http_exchanges'));
    seen.findings.push(count(dbPath, 'SELECT count(*) FROM findings'));
    seen.updates.push((progress as IngestProgressEvent | null)?.updates ?? 0);
  }
  const outcome = await ingest;
  expect(outcome).toMatchObject({ state: 'done', error: null });
  return seen;
}

async function indexWhole(file: string): Promise<string> {
  const dbPath = path.join(dir, `${counter++}-whole.sqlite`);
  expect((await runIngest({ file, dbPath })).error).toBeNull();
  return dbPath;
}

/** Where each record of a little-endian microsecond pcap starts. */
function recordStarts(pcap: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 24; at < pcap.length; at += 16 + pcap.readUInt32LE(at + 8)) starts.push(at);
  return starts;
}

const ascending = (values: number[]) => [...values].sort((a, b) => a - b);

describe('HTTP exchanges of a capture piped in, while it is read', () => {
  it('short connections (haproxy-502): exchanges and findings land as their connections finish, and the end is the file', { timeout: 60_000 }, async () => {
    const file = corpus('pcap', 'haproxy-502.pcap');
    const live = await followInPieces('haproxy-502.pcap', fs.readFileSync(file), 5);
    // Before the stream ended the index already held exchanges, more as more came, and the 502s' findings.
    expect(live.exchanges[0]).toBeGreaterThan(0);
    expect(live.exchanges).toEqual(ascending(live.exchanges));
    expect(new Set(live.exchanges).size).toBe(live.exchanges.length);
    expect(live.exchanges.at(-1)).toBeLessThan(170);
    expect(Math.max(...live.findings)).toBeGreaterThan(0);
    expect(live.updates).toEqual(ascending(live.updates));
    expect(httpDump(live.dbPath)).toEqual(httpDump(await indexWhole(file)));
  });

  it('keep-alive connections still open: their answered exchanges land before the connections close', { timeout: 60_000 }, async () => {
    for (const name of ['wrk-keepalive.pcap', 'nginx-keepalive-chunked.pcap']) {
      const file = path.join(FIXTURES, 'pcap', name);
      const bytes = fs.readFileSync(file);
      const live = await followInPieces(name, bytes, 3);
      const whole = await indexWhole(file);
      expect(live.exchanges[0], name).toBeGreaterThan(0);
      expect(live.exchanges.at(-1), name).toBeLessThan(count(whole, 'SELECT count(*) FROM http_exchanges'));
      expect(httpDump(live.dbPath), name).toEqual(httpDump(whole));
    }
  });

  it('a HEAD answered before its request was handed out, and bytes after both FINs: written again from the index at the end', { timeout: 60_000 }, async () => {
    const GET = (target: string) => ({ from: 'client' as const, data: `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n` });
    const OK = (body: string) => ({ from: 'server' as const, data: `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}` });
    const head = tcpConversationPcap([GET('/a'), OK('one'), { from: 'client', data: 'HEAD /big HTTP/1.1\r\nHost: x\r\n\r\n' }, { from: 'server', data: 'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n' }, GET('/small'), OK('hello'), GET('/z'), OK('zz')]);
    const afterFins = tcpConversationPcap([GET('/a'), OK('one'), GET('/b'), OK('two')], 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nlate');
    // The connection's end in one piece and the late bytes in the next: it was written whole before they came.
    const beforeLate = recordStarts(afterFins).at(-1)!;
    const captures: [string, Buffer, number[]][] = [
      ['head.pcap', head, [0.25, 0.5, 0.75, 1].map((f) => Math.ceil(f * head.length))],
      ['after-fins.pcap', afterFins, [Math.ceil(afterFins.length / 2), beforeLate, afterFins.length]],
    ];
    for (const [name, bytes, ends] of captures) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      const forget = vi.spyOn(LiveLedger.prototype, 'forget');
      const live = await followInPieces(name, bytes, ends);
      expect(live.exchanges.at(-1), name).toBeGreaterThan(0);
      // What was written live was taken out and written again.
      expect(forget, name).toHaveBeenCalledWith(1);
      forget.mockRestore();
      expect(httpDump(live.dbPath), name).toEqual(httpDump(await indexWhole(file)));
    }
  });
});
