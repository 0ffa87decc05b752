// `capscope profile --json` against go tool pprof: every profile the Go test program served, in one
// tar bundle, for every sample type: each function's flat and cum equal `go tool pprof -top
// -nodecount=1000 -nodefraction=0 -sample_index=T` (fixtures/oracle.sh), the totals equal pprof's,
// and with --diff-base equal `-diff_base`. The bundles /debug/pprof/all serves give one profile per
// entry, and the default sample type is pprof's.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { fixture, oracleFiles, PROFILES, readOracle } from './helpers/oracle';

interface Out {
  file: string;
  profiles: { entry: string; kind: string; sampleType: string; unit: string; total: number; top: { function: string; flat: number; cum: number }[] }[];
  error: unknown;
}

const SINGLE = ['heap-1.pb.gz', 'heap-2.pb.gz', 'allocs.pb.gz', 'cpu.pb.gz', 'goroutine-1.pb.gz', 'goroutine-2.pb.gz', 'block.pb.gz', 'mutex.pb.gz', 'threadcreate.pb.gz'];

let dir: string;
let env: NodeJS.ProcessEnv;
let bundle: string;

beforeAll(() => {
  dir = scratchDir('pprof-cli');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
  fs.mkdirSync(path.join(dir, 'raw'));
  fs.copyFileSync(fixture('heap-2.pb'), path.join(dir, 'raw', 'heap-2.pb'));
  bundle = path.join(dir, 'every-profile.tar');
  execFileSync('tar', ['-cf', bundle, '-C', PROFILES, ...SINGLE]);
  execFileSync('tar', ['-rf', bundle, '-C', dir, 'raw/heap-2.pb']);
});

function run(args: string[]): Out {
  const result = capscope(['profile', '--json', '--top', '1000', ...args], env);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return onlyJson(result) as Out;
}

/** The oracle file name of a bundle entry ("heap-1.pb" was heap-1.pb.gz; "raw/heap-2.pb" the raw one). */
function oracleName(entry: string): string {
  return entry.startsWith('raw/') ? entry.slice(4) : `${entry}.gz`;
}

function asMap(top: Out['profiles'][number]['top']): Map<string, { flat: number; cum: number }> {
  return new Map(top.map((r) => [r.function, { flat: r.flat, cum: r.cum }]));
}

function oracleTotal(file: string): number {
  const m = /of (-?\d+)(?:B|ns)? total/.exec(fs.readFileSync(file, 'utf8'));
  return Number(m![1]);
}

describe('capscope profile --json equals go tool pprof -top', () => {
  const sampleTypes = [...new Set(SINGLE.flatMap((f) => oracleFiles(f).map((o) => o.sampleType)))];

  it.each(sampleTypes)('every profile with sample type %s: flat, cum and total per function', (sampleType) => {
    const out = run(['--sample-type', sampleType, bundle]);
    const expected = [...SINGLE, 'heap-2.pb'].filter((f) => oracleFiles(f).some((o) => o.sampleType === sampleType));
    expect(out.profiles.map((p) => oracleName(p.entry)).sort()).toEqual(expected.sort());
    for (const p of out.profiles) {
      const oracle = path.join(PROFILES, 'oracle', `${oracleName(p.entry)}.${sampleType}.top`);
      expect(p.sampleType).toBe(sampleType);
      expect(asMap(p.top), `${p.entry} ${sampleType}`).toEqual(readOracle(oracle).rows);
      expect(p.total, `${p.entry} ${sampleType} total`).toBe(oracleTotal(oracle));
    }
  });

  it('the default sample type is the one pprof shows', () => {
    const out = run([bundle]);
    const byEntry = Object.fromEntries(out.profiles.map((p) => [p.entry, `${p.kind} ${p.sampleType} ${p.unit}`]));
    expect(byEntry).toEqual({
      'heap-1.pb': 'heap inuse_space bytes',
      'heap-2.pb': 'heap inuse_space bytes',
      'raw/heap-2.pb': 'heap inuse_space bytes',
      'allocs.pb': 'allocs alloc_space bytes',
      'cpu.pb': 'cpu cpu nanoseconds',
      'goroutine-1.pb': 'goroutine goroutine count',
      'goroutine-2.pb': 'goroutine goroutine count',
      'block.pb': 'block delay nanoseconds',
      'mutex.pb': 'mutex delay nanoseconds',
      'threadcreate.pb': 'threadcreate threadcreate count',
    });
  });

  it.each([
    ['heap-2.pb.gz', 'heap-1.pb.gz', 'heap-2-vs-heap-1'],
    ['goroutine-2.pb.gz', 'goroutine-1.pb.gz', 'goroutine-2-vs-goroutine-1'],
  ])('--diff-base: %s minus %s equals -diff_base, every sample type', (newer, base, oracle) => {
    const files = oracleFiles(oracle);
    expect(files.length).toBeGreaterThan(0);
    for (const { file, sampleType } of files) {
      const out = run(['--sample-type', sampleType, '--diff-base', fixture(base), fixture(newer)]);
      expect(out.profiles).toHaveLength(1);
      expect(asMap(out.profiles[0]!.top), `${oracle} ${sampleType}`).toEqual(readOracle(file).rows);
    }
  });
});

describe('bundles', () => {
  it("/debug/pprof/all: one profile per entry, the trace named but not a profile", () => {
    const out = run([fixture('all.tar')]);
    expect(out.profiles.map((p) => [p.entry, p.kind])).toEqual([
      ['profiles/cpu.pb', 'cpu'],
      ['profiles/goroutine.pb', 'goroutine'],
      ['profiles/block.pb', 'block'],
      ['profiles/mutex.pb', 'mutex'],
      ['profiles/heap.pb', 'heap'],
      ['profiles/allocs.pb', 'allocs'],
      ['profiles/threadcreate.pb', 'threadcreate'],
    ]);
    const info = onlyJson(capscope(['info', '--json', fixture('all.tar')], env)) as { entries: { name: string; format: string; detail: string }[] };
    expect(info.entries.find((e) => e.name === 'trace.out')).toMatchObject({ format: 'go-trace', detail: 'Go execution trace (go 1.19)' });
  });

  it('the older tar.gz bundle: cpu.txt in protobuf, the rest in debug=1 text', () => {
    const out = run([fixture('all-old.tar.gz')]);
    expect(out.profiles.map((p) => [p.entry, p.kind, p.sampleType])).toEqual([
      ['cpu.txt', 'cpu', 'cpu'],
      ['goroutine.txt', 'goroutine', 'goroutine'],
      ['heap.txt', 'heap', 'inuse_space'],
      ['block.txt', 'block', 'delay'],
      ['mutex.txt', 'mutex', 'delay'],
    ]);
    const goroutines = out.profiles[1]!;
    const text = execFileSync('tar', ['-xzOf', fixture('all-old.tar.gz'), 'goroutine.txt'], { encoding: 'utf8' });
    expect(goroutines.total).toBe(Number(/^goroutine profile: total (\d+)/.exec(text)![1]));
  });

  it('a debug=2 goroutine dump is a goroutine profile of one sample per goroutine', () => {
    const out = run([fixture('goroutine-2.debug2.txt')]);
    const text = fs.readFileSync(fixture('goroutine-2.debug2.txt'), 'utf8');
    expect(out.profiles[0]).toMatchObject({ kind: 'goroutine', sampleType: 'goroutine', total: text.match(/^goroutine \d+ \[/gm)!.length });
    expect(out.profiles[0]!.top.find((r) => r.function === 'main.waitForReply')!.flat).toBeGreaterThan(100);
  });
});
