// What the profiles point at, on the Go test program's own troubles: the goroutine leak (its
// goroutines grew between two dumps), the memory leak (main.newBuffer's in-use bytes grew between
// two heap profiles, and it holds most of the heap), the CPU hotspot (main.fib). The numbers are
// the profiles' own (go tool pprof's, which profile-cli.test.ts holds capscope's to).

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProfileFinding } from '../../core/domain/profile/contract';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { PROFILES, readOracle } from './helpers/oracle';

let findings: ProfileFinding[];

beforeAll(() => {
  const dir = scratchDir('pprof-findings');
  const bundle = path.join(dir, 'two-snapshots.tar');
  execFileSync('tar', ['-cf', bundle, '-C', PROFILES, 'goroutine-1.pb.gz', 'goroutine-2.pb.gz', 'heap-1.pb.gz', 'heap-2.pb.gz', 'cpu.pb.gz']);
  const result = capscope(['profile', '--json', bundle], { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') });
  expect(result.status).toBe(0);
  findings = (onlyJson(result) as { findings: ProfileFinding[] }).findings;
});

const oracle = (name: string) => readOracle(path.join(PROFILES, 'oracle', name)).rows;

describe('profile findings', () => {
  it('a goroutine leak: the parked goroutines of main.waitForReply, counted in both dumps', () => {
    const leak = findings.filter((f) => f.kind === 'goroutine-leak');
    expect(leak).toHaveLength(1);
    const before = oracle('goroutine-1.pb.gz.goroutine.top').get('main.waitForReply')!.cum;
    const after = oracle('goroutine-2.pb.gz.goroutine.top').get('main.waitForReply')!.cum;
    expect(leak[0]).toMatchObject({
      severity: 'error',
      title: `Goroutine leak: ${after} goroutines parked in main.waitForReply, up from ${before}`,
      evidence: { frames: ['main.waitForReply', 'runtime.chanrecv1', 'runtime.chanrecv', 'runtime.gopark'], values: [{ value: before }, { value: after }] },
      link: { tab: 'goroutines' },
    });
  });

  it('memory growth: main.newBuffer, by the in-use bytes -diff_base gives it', () => {
    const growth = findings.filter((f) => f.kind === 'memory-growth');
    expect(growth[0]!.title).toMatch(/^Memory growth: main\.newBuffer holds /);
    const grew = oracle('heap-2-vs-heap-1.inuse_space.top').get('main.newBuffer')!.flat;
    const values = growth[0]!.evidence.values;
    expect(values[1]!.value - values[0]!.value).toBe(grew);
    expect(growth[0]!.evidence.frames).toEqual(['main.leakLoop', 'main.remember', 'main.newBuffer']);
    expect(growth[0]!.link).toMatchObject({ tab: 'compare', sampleType: 'inuse_space', search: 'main.newBuffer' });
  });

  it('what holds the most in-use memory, and the hottest CPU path', () => {
    const top = findings.find((f) => f.kind === 'top-inuse')!;
    expect(top.title).toMatch(/^main\.newBuffer holds \d+\.\d% of in-use memory/);
    expect(top.evidence.values[0]!.value).toBe(oracle('heap-2.pb.gz.inuse_space.top').get('main.newBuffer')!.flat);
    const hot = findings.filter((f) => f.kind === 'hot-cpu');
    expect(hot[0]!.title).toMatch(/^Hot CPU path: \d+\.\d% of CPU time in main\.fib$/);
    expect(hot[0]!.evidence.values[0]!.value).toBe(oracle('cpu.pb.gz.cpu.top').get('main.fib')!.flat);
    expect(hot[0]!.evidence.frames.slice(-3)).toEqual(['main.hotLoop', 'main.crunch', expect.stringMatching(/^main\.fib ×\d+$/)]);
  });
});
