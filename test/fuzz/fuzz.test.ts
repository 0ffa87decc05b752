// The fixed-seed fuzzing round (round.ts): mutated scap, pcap, pcapng, HPROF and Go profile files, raw and
// inside gzip, zstd and tar, each ingested by the built ingest worker under a time and memory limit
// and held to the promises of promises.ts; a sample also through the real command line. A failing
// input is saved under fuzz-failures/ with the commands that reproduce it (docs/fuzzing.md).
// Violations that match a defect listed in known-defects.ts are counted, not failed.

import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths';
import { FAILURES_DIR, saveFailure } from './failure-file';
import { describeSteps } from './mutators';
import { ROUND_CASES, ROUND_FORMATS, roundCase, roundUsesCli } from './round';
import { CaseRunner, type CaseResult } from './run-case';
import { seedNamed } from './seeds';
import { WRAPPERS } from './wrappers';

/** Two at a time: an ingest waits on its writer thread much of the time. */
const LANES = 2;

async function runRound(): Promise<CaseResult[]> {
  const runner = new CaseRunner(scratchDir('fuzz-round'), { timeoutMs: 30_000, memoryMb: 768 });
  const results: CaseResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < ROUND_CASES) {
        const i = next++;
        results[i] = await runner.run(roundCase(i), { cli: roundUsesCli(i) });
      }
    }),
  );
  return results;
}

describe('fuzzing: the fixed-seed round', () => {
  it(`${ROUND_CASES} mutated inputs break no promise (beyond the defects known-defects.ts lists)`, async () => {
    const results = await runRound();
    const failing = results.filter((r) => r.failures.length > 0);
    const report = failing.map((r) => {
      const dir = saveFailure(FAILURES_DIR, r);
      return `${r.case.id} ${r.case.seed} (${r.case.wrapper}, ${r.case.target}: ${describeSteps(r.case.steps)}) → ${dir}\n    ${r.failures.map((v) => `${v.rule}: ${v.detail}`).join('\n    ')}`;
    });
    const known = new Map<number, number>();
    for (const r of results) for (const k of r.known) known.set(k.defect.defect, (known.get(k.defect.defect) ?? 0) + 1);
    if (known.size) console.info(`fuzz round: listed defects seen (test/fuzz/known-defects.ts): ${[...known].map(([d, n]) => `#${d} ×${n}`).join(', ')}`);
    expect(report).toEqual([]);
    // The round reaches what it is meant to: every format, every wrapper, the command line.
    expect(new Set(results.map((r) => r.ingest.sources[0]?.format).filter(Boolean))).toEqual(new Set(['scap', 'pcap', 'pcapng', 'hprof', 'pprof']));
    const sampled = results.filter((r) => r.cli);
    // One block of one case per format in five.
    expect(sampled.length).toBe(Math.ceil(ROUND_CASES / ROUND_FORMATS.length / 5));
    expect(new Set(sampled.map((r) => seedNamed(r.case.seed).format))).toEqual(new Set(ROUND_FORMATS));
    expect(new Set(sampled.map((r) => r.case.wrapper))).toEqual(new Set(WRAPPERS));
  }, 300_000);
});
