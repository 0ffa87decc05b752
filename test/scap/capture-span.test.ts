// When a capture ran: metadata events stamped 0 (a 2017 kubectl capture's container events) or
// otherwise outside its activity do not shape the span, the timeline, the report or --from/--to.
// The same incident is written twice, once with its container events stamped 0; everything that
// depends on time must come out the same, while the events themselves are still all there.

import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSpan } from '../../core/analysis/rollup/span';
import { gatherReport } from '../../core/domain/report/gather';
import { renderReport } from '../../core/domain/report/report-document';
import { exploreApiOver } from '../helpers/explore-api';
import { capscopeAsync } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { scapIncident, START_NS } from '../report/helpers/scap-incident';
import { indexCapture } from './oracle-helpers';

const dir = scratchDir('capture-span');
const files = { plain: path.join(dir, 'incident.scap'), zero: path.join(dir, 'incident-metadata-at-0.scap') };
const dbs = new Map<string, Database.Database>();

beforeAll(async () => {
  fs.writeFileSync(files.plain, scapIncident());
  fs.writeFileSync(files.zero, scapIncident({ metadataAt: 0n }));
  for (const [name, file] of Object.entries(files)) {
    const { db, state, error } = await indexCapture(file);
    expect(state, error ?? '').toBe('done');
    dbs.set(name, db);
  }
});
afterAll(() => {
  for (const db of dbs.values()) db.close();
});

const db = (name: 'plain' | 'zero') => dbs.get(name)!;

describe('a capture whose container metadata is stamped 0', () => {
  it('still holds those events, at time 0', () => {
    const count = (name: 'plain' | 'zero', where: string) => db(name).prepare(`SELECT count(*) FROM events WHERE ${where}`).pluck().get();
    expect(count('zero', 'ts = 0')).toBe(2);
    expect(count('zero', '1')).toBe(count('plain', '1'));
  });

  it('has the span of its activity, not one from 1970', () => {
    const span = captureSpan(db('zero'));
    expect(span).not.toBeNull();
    expect(span!.from).toBeGreaterThan(START_NS);
    // Metadata is never activity: the plain capture's span also starts at its first syscall.
    expect(span).toEqual(captureSpan(db('plain')));
  });

  it('draws the same timeline: the syscalls fall in the same buckets', async () => {
    const api = exploreApiOver(dbs);
    const series = async (caseId: string) => (await api['timeline.series']({ caseId, scope: {}, metrics: ['syscalls', 'netBytesOut', 'httpExchanges'], buckets: 50 })).series;
    const plain = await series('plain');
    const zero = await series('zero');
    for (const s of zero) {
      expect(s.values, s.metric).not.toBeNull();
      expect(s.values!.reduce((a, b) => a + b, 0), s.metric).toBeGreaterThan(0);
    }
    // Same span, same buckets, and the metadata events are not syscalls: the same series.
    expect(zero).toEqual(plain);
  });

  it('reports the span of its activity, and --from/--to offsets count from it', () => {
    const report = gatherReport(db('zero'), { now: new Date('2026-12-07T12:00:00Z') });
    expect(report.evidence.span!.first).not.toMatch(/^1970/);
    const md = renderReport(report, 'md');
    expect(md).not.toMatch(/1970-01-01/);
    // +0s … +150ms covers the first request only (each request comes 100 ms after the one before).
    const scoped = (name: 'plain' | 'zero') => gatherReport(db(name), { from: '+0s', to: '+150ms', now: new Date('2026-12-07T12:00:00Z') });
    const zero = scoped('zero');
    const plain = scoped('plain');
    expect(BigInt(zero.scope.range!.from)).toBe(captureSpan(db('zero'))!.from);
    const exchanges = (r: ReturnType<typeof gatherReport>) => (r.http && 'rows' in r.http ? r.http.rows.exchanges : null);
    expect(exchanges(zero)).toBe(exchanges(plain));
    expect(exchanges(zero)).toBeGreaterThan(0);
  });

  it('the CLI report agrees: the same time span line, and --from/--to offsets from it', async () => {
    const run = async (file: string, out: string) => {
      const r = await capscopeAsync(['report', file, '--format', 'md', '--from', '+0s', '--to', '+150ms', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      return fs.readFileSync(out, 'utf8');
    };
    const zero = await run(files.zero, path.join(dir, 'zero.md'));
    const plain = await run(files.plain, path.join(dir, 'plain.md'));
    const spanLine = (md: string) => md.split('\n').find((l) => /time span/i.test(l));
    expect(spanLine(zero)).toBeDefined();
    expect(zero).not.toMatch(/1970-01-01/);
    expect(spanLine(zero)).toBe(spanLine(plain));
  });
});
