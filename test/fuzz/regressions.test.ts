// Everything that once broke a promise (test/fuzz/regressions/): each input is run through the
// ingest and the command line (info, index and its format's query command) and held to every
// promise and to what its <name>.json says it must produce. One that reproduces a defect
// known-defects.ts still lists must still show that defect, and nothing else: the day its fix
// lands, this says so, and the lead empties the list; from then on it must break no promise.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths';
import { checkCli, probeCli } from './cli-probe';
import type { FuzzInput } from './fuzz-case';
import { buildInput } from './fuzz-case';
import { DEFAULT_LIMITS, probeIngest, type IngestObservation } from './ingest-probe';
import { knownDefectNumbered, knownDefectOf } from './known-defects';
import { checkHeapAgreement, checkIngest, namedOffsets, type Violation } from './promises';
import { listRegressions, MAX_REGRESSION_BYTES, REGRESSIONS_DIR, type Regression } from './regression-file';
import { CaseRunner } from './run-case';

const dir = scratchDir('fuzz-regressions');
const regressions = listRegressions();

/** What the regression's own expectations add to the promises every input keeps. */
function checkExpectation(r: Regression, obs: IngestObservation): Violation[] {
  const v: Violation[] = [];
  // An ingest the probe had to stop has broken its own promise (bounded time or memory); what it stored says nothing.
  if (obs.state === 'crashed' || obs.state === 'timeout' || obs.state === 'memory') return v;
  const e = r.expect;
  if (e.records?.atLeast !== undefined && obs.records < e.records.atLeast) v.push({ rule: 'prefix-kept', detail: `${obs.records} records stored, expected at least ${e.records.atLeast}` });
  if (e.records?.exactly !== undefined && obs.records !== e.records.exactly) v.push({ rule: 'cut-exact', detail: `${obs.records} records stored, expected ${e.records.exactly}` });
  const failed = obs.state === 'failed' || obs.sources.some((s) => s.status === 'failed');
  if (e.failed !== undefined && failed !== e.failed) v.push({ rule: e.failed ? 'cut-reported' : 'clean-prefix-accepted', detail: `the ingest ${failed ? 'failed' : 'succeeded'}, expected it to ${e.failed ? 'fail' : 'succeed'}` });
  if (e.errorOffset) {
    const [lo, hi] = e.errorOffset;
    const errors = [obs.error ?? '', ...obs.sources.map((s) => s.error ?? '')].join(' ');
    if (!namedOffsets(errors).some((o) => o >= lo && o <= hi)) v.push({ rule: 'cut-reported', detail: `no error names an offset from ${lo} to ${hi}: ${errors}` });
  }
  return v;
}

/** Every promise the regression breaks, and what it broke them with. */
async function run(name: string, r: Regression) {
  const limits = { ...DEFAULT_LIMITS, memoryMb: r.memoryMb ?? DEFAULT_LIMITS.memoryMb };
  const caseDir = fs.mkdtempSync(path.join(dir, `${name}-`));
  if (r.case) {
    // A case from the corpus: the run's own checks, its baseline's too, and the command line.
    const result = await new CaseRunner(caseDir, limits).run(r.case, { cli: true });
    const violations = [...result.failures, ...result.known.map((k) => k.violation), ...checkExpectation(r, result.ingest)];
    return { violations, ctx: { case: r.case, ingest: result.ingest, cli: result.cli } };
  }
  const input: FuzzInput = { bytes: fs.readFileSync(path.join(REGRESSIONS_DIR, r.input!)), fileName: r.input! };
  const file = path.join(caseDir, input.fileName);
  fs.writeFileSync(file, input.bytes);
  const ingest = await probeIngest(file, path.join(caseDir, 'ingest.sqlite'), limits);
  const cli = await probeCli(file, path.join(caseDir, 'cli.sqlite'), r.format, limits, 0, r.query);
  const violations = [...checkIngest(ingest, file), ...checkHeapAgreement(ingest), ...checkCli(cli, file), ...checkExpectation(r, ingest)];
  return { violations, ctx: { case: null, ingest, cli } };
}

describe('fuzzing: regressions', () => {
  it('are described, small, and either an input or a case', () => {
    expect(regressions.length).toBeGreaterThan(0);
    for (const { name, regression } of regressions) {
      expect(regression.about, name).not.toMatch(/^TODO/);
      expect(regression.found, name).toBeTruthy();
      expect(Boolean(regression.input) !== Boolean(regression.case), `${name}: an input or a case, not both`).toBe(true);
      if (regression.input) expect(fs.statSync(path.join(REGRESSIONS_DIR, regression.input)).size, name).toBeLessThan(MAX_REGRESSION_BYTES);
      if (regression.case) expect(() => buildInput(regression.case!), name).not.toThrow();
    }
  });

  for (const { name, regression } of regressions) {
    const known = regression.knownDefect !== undefined ? knownDefectNumbered(regression.knownDefect) : null;
    const title = `${name}: ${regression.about}${known ? ` [issue 18 defect ${known.defect}, listed in known-defects.ts: must still show it]` : ''}`;
    it(title, async () => {
      const { violations, ctx } = await run(name, regression);
      if (!known) {
        expect(violations).toEqual([]);
        return;
      }
      expect(violations.length, `defect ${known.defect} no longer shows here: if its fix has landed, remove it from test/fuzz/known-defects.ts`).toBeGreaterThan(0);
      expect(violations.filter((v) => knownDefectOf(v, ctx)?.defect !== known.defect)).toEqual([]);
    });
  }
});
