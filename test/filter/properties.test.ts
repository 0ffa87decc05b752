// Algebraic properties of compiled filters over a real index: whatever the fields and values,
// `A and B` ⊆ `A`, `not A` and `A` partition every event, `A or B` = `B or A`, and De Morgan
// holds — including over fields that do not apply to many events (sysdig's <NA>).

import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter, installFilterFunctions } from '../../core/filter/language';
import { corpus } from '../helpers/paths';
import { indexCapture } from '../scap/oracle-helpers';

let db: Database.Database;
let all: number[];

beforeAll(async () => {
  const ix = await indexCapture(corpus('scap', 'curl_google.scap'));
  db = ix.db;
  installFilterFunctions(db);
  all = db.prepare('SELECT num FROM events ORDER BY num').pluck().all() as number[];
}, 60_000);
afterAll(() => db?.close());

function matches(filter: string): number[] {
  const f = compileFilter(filter, 'events');
  return db.prepare(`SELECT num FROM events e WHERE ${f.where} ORDER BY num`).pluck().all(...f.params) as number[];
}

const quote = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** Atoms over fields of every kind, with values taken from the capture (and a few absent ones). */
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('open', 'read', 'close', 'switch', 'mmap', 'nosuchcall').map((v) => `evt.type=${v}`),
  fc.constantFrom('>', '<').map((v) => `evt.dir=${v}`),
  fc.integer({ min: 0, max: 1500 }).chain((n) => fc.constantFrom('<', '<=', '>', '>=', '=', '!=').map((op) => `evt.num ${op} ${n}`)),
  fc.constantFrom('/etc', '/usr/lib', 'lib', '.so', 'google', '').chain((v) => fc.constantFrom('contains', 'startswith', 'endswith', '=', '!=', 'icontains').map((op) => `fd.name ${op} ${quote(v || 'x')}`)),
  fc.constantFrom('file', 'ipv6', 'unix', 'pipe').map((v) => `fd.type=${v}`),
  fc.constantFrom('exists').chain(() => fc.constantFrom('fd.name', 'fd.sip', 'evt.buflen', 'fd.directory', 'evt.rawres').map((f) => `${f} exists`)),
  fc.constantFrom('true', 'false').chain((b) => fc.constantFrom('evt.failed', 'evt.is_io', 'fd.is_server').map((f) => `${f}=${b}`)),
  fc.integer({ min: -5, max: 10 }).map((n) => `fd.num > ${n}`),
  fc.integer({ min: 0, max: 20_000 }).map((n) => `evt.latency >= ${n}`),
  fc.constantFrom('SUCCESS', 'ENOENT', 'EAGAIN').map((v) => `evt.res != ${v}`),
  fc.subarray(['53', '80', '443', '1'], { minLength: 1 }).map((ports) => `fd.sport in (${ports.join(', ')})`),
  fc.constantFrom('/etc', '/usr', '/lib').map((p) => `fd.name pmatch (${p})`),
);

const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    tie('f').map((a) => `not (${a})`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a}) and (${b})`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a}) or (${b})`),
  ),
})).f;

const RUNS = { numRuns: 150, seed: 20261122 };

describe('filter algebra over curl_google.scap', () => {
  it('A and B is a subset of A', () => {
    fc.assert(
      fc.property(filter, filter, (a, b) => {
        const inA = new Set(matches(a));
        return matches(`(${a}) and (${b})`).every((n) => inA.has(n));
      }),
      RUNS,
    );
  });

  it('not A and A partition all events', () => {
    fc.assert(
      fc.property(filter, (a) => {
        const yes = matches(a);
        const no = matches(`not (${a})`);
        const inYes = new Set(yes);
        expect(no.some((n) => inYes.has(n))).toBe(false);
        expect([...yes, ...no].sort((x, y) => x - y)).toEqual(all);
      }),
      RUNS,
    );
  });

  it('A or B equals B or A, and not (A or B) equals not A and not B', () => {
    fc.assert(
      fc.property(filter, filter, (a, b) => {
        expect(matches(`(${a}) or (${b})`)).toEqual(matches(`(${b}) or (${a})`));
        expect(matches(`not ((${a}) or (${b}))`)).toEqual(matches(`not (${a}) and not (${b})`));
      }),
      RUNS,
    );
  });

  it('the atoms are not all trivially empty or full', () => {
    const sizes = ['evt.type=read', 'fd.name contains "/etc"', 'fd.sip exists', 'evt.failed=true'].map((f) => matches(f).length);
    for (const s of sizes) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(all.length);
    }
  });
});
