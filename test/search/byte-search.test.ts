// Search of captured bytes (one stream, or every stream of the case): held against tshark's
// `tcp.payload contains` on the seed pcap, and against the bytes a test capture wrote, where a word
// is split across two writes (found once, at its first byte) or across bytes the capture missed
// (not found: it would be invented); hex, regex and case-folding modes; the cap and bad patterns.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { P } from '../helpers/scap-writer';
import { seedIncidentScap, TID } from '../helpers/scap-incident';
import { corpus, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';
import { openIndexDb } from '../helpers/index-db';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const dir = scratchDir('byte-search');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);
const WRITES = ['Hello wor', 'ld! and again world, WORLD', 'x'.repeat(120) + 'cut world'];
const SNAPLEN = 80;

beforeAll(async () => {
  const w = seedIncidentScap({ snaplen: SNAPLEN });
  const fd = 9;
  w.ev('openat', '>', TID.haproxy, [P.i64(-100), P.str('/tmp/log'), P.u32(1), P.u32(0)]);
  w.ev('openat', '<', TID.haproxy, [P.i64(fd), P.i64(-100), P.str('/tmp/log'), P.u32(1), P.u32(0), P.u32(0)]);
  for (const text of WRITES) w.io('write', TID.haproxy, fd, text);
  w.io('write', TID.haproxy, fd, 'world after the cut').close(TID.haproxy, fd);
  const scap = path.join(dir, 'split.scap');
  fs.writeFileSync(scap, w.bytes());
  for (const [id, file] of [['pcap', PCAP], ['scap', scap]] as const) {
    const dbPath = path.join(dir, `${id}.sqlite`);
    expect((await runIngest({ file, dbPath })).state).toBe('done');
    dbs.set(id, openIndexDb(dbPath, { readonly: true }));
  }
}, 60_000);

const logStream = () => dbs.get('scap')!.prepare("SELECT id FROM streams WHERE fd_name = '/tmp/log'").pluck().get() as number;

describe('searching captured bytes', () => {
  it("across every stream: the occurrences in the payloads of tshark's frames that contain the text", async () => {
    for (const text of ['502 Bad Gateway', 'GET /health', 'Content-type']) {
      const res = await api['search.bytes']({ caseId: 'pcap', query: { mode: 'text', pattern: text }, limit: 1000 });
      const payloads = execFileSync('tshark', ['-r', PCAP, '-Y', `tcp.payload contains "${text}"`, '-T', 'fields', '-e', 'tcp.payload'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .filter((l) => l !== '')
        .map((hex) => Buffer.from(hex.replace(/:/g, ''), 'hex').toString('latin1'));
      const occurrences = payloads.reduce((n, p) => n + p.split(text).length - 1, 0);
      expect(res.hits.length, text).toBe(occurrences);
      expect(res.complete).toBe(true);
      expect(res.hits.length).toBeGreaterThan(0);
      for (const h of res.hits) expect(h.preview.slice(h.before, h.before + h.shown)).toBe(text);
    }
  });

  it('finds a word split across two writes once, at its first byte, and none across missed bytes', async () => {
    const streamId = logStream();
    const res = await api['search.bytes']({ caseId: 'scap', query: { mode: 'text', pattern: 'world' }, streamId });
    // The bytes as captured: each write up to the snap length.
    const captured = [...WRITES, 'world after the cut'].map((t) => t.slice(0, SNAPLEN));
    const expected: number[] = [];
    let offset = 0;
    let run = '';
    let runStart = 0;
    [...WRITES, 'world after the cut'].forEach((t, i) => {
      run += captured[i];
      for (let at = run.indexOf('world'); at >= 0; at = run.indexOf('world', at + 1)) if (!expected.includes(runStart + at)) expected.push(runStart + at);
      offset += t.length;
      // A write cut by the snap length ends the run: nothing is matched across it.
      if (captured[i]!.length < t.length) {
        run = '';
        runStart = offset;
      }
    });
    expect(res.hits.map((h) => h.offset)).toEqual(expected);
    expect(expected).toEqual([6, 23, WRITES[0]!.length + WRITES[1]!.length + WRITES[2]!.length]);
    expect(res.hits.every((h) => h.dir === 'out' && h.streamId === streamId)).toBe(true);
  });

  it('folds case when asked, reads hex and regular expressions', async () => {
    const streamId = logStream();
    const folded = await api['search.bytes']({ caseId: 'scap', query: { mode: 'text', pattern: 'WORLD', ignoreCase: true }, streamId });
    expect(folded.hits.length).toBe(4);
    const exact = await api['search.bytes']({ caseId: 'scap', query: { mode: 'text', pattern: 'WORLD' }, streamId });
    expect(exact.hits.length).toBe(1);
    const hex = await api['search.bytes']({ caseId: 'scap', query: { mode: 'hex', pattern: '77 6f 72 6c 64' }, streamId });
    expect(hex.hits.map((h) => h.offset)).toEqual((await api['search.bytes']({ caseId: 'scap', query: { mode: 'text', pattern: 'world' }, streamId })).hits.map((h) => h.offset));
    const regex = await api['search.bytes']({ caseId: 'pcap', query: { mode: 'regex', pattern: 'HTTP/1\\.[01] 50[0-9]' } });
    expect(regex.hits.length).toBeGreaterThan(10);
    expect(regex.hits.every((h) => /HTTP\/1\.[01] 50\d/.test(h.preview))).toBe(true);
  });

  it('stops at the cap and says so; names what is wrong with a pattern', async () => {
    const capped = await api['search.bytes']({ caseId: 'pcap', query: { mode: 'text', pattern: 'HTTP' }, limit: 5 });
    expect(capped.hits).toHaveLength(5);
    expect(capped.complete).toBe(false);
    await expect(api['search.bytes']({ caseId: 'pcap', query: { mode: 'regex', pattern: '(' } })).rejects.toThrow(/not a regular expression/);
    await expect(api['search.bytes']({ caseId: 'pcap', query: { mode: 'hex', pattern: 'abc' } })).rejects.toThrow(/odd number/);
    await expect(api['search.bytes']({ caseId: 'pcap', query: { mode: 'hex', pattern: 'zz' } })).rejects.toThrow(/pairs of hex digits/);
  });
});
