// Inputs that once broke a promise (test/fuzz/regressions/, minimized by `npm run fuzz --
// --minimize`), each run through the ingest and the command line and held to every promise and to
// what its <name>.json says it must produce. One that reproduces a defect known-defects.ts still
// lists is expected to fail; once the lead empties that list, it must pass.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/paths';
import { checkCli, probeCli } from './cli-probe';
import { probeIngest } from './ingest-probe';
import { knownDefectNumbered } from './known-defects';
import { checkHeapAgreement, checkIngest, namedOffsets, type Violation } from './promises';
import { listRegressions, MAX_REGRESSION_BYTES, type Regression } from './regression-file';

const LIMITS = { timeoutMs: 30_000, memoryMb: 768 };
const dir = scratchDir('fuzz-regressions');
const regressions = listRegressions();

/** What the regression's own expectations add to the promises every input keeps. */
function checkExpectation(r: Regression, obs: Awaited<ReturnType<typeof probeIngest>>): Violation[] {
  const v: Violation[] = [];
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

describe('fuzzing: regression inputs', () => {
  it('are small, described, and name a listed defect only by its number in issue 18', () => {
    for (const { name, regression, inputPath } of regressions) {
      expect(fs.statSync(inputPath).size, name).toBeLessThan(MAX_REGRESSION_BYTES);
      expect(regression.about, name).not.toMatch(/^TODO/);
      expect(regression.found, name).toBeTruthy();
      if (regression.knownDefect !== undefined) expect(Number.isInteger(regression.knownDefect), name).toBe(true);
    }
  });

  for (const { name, regression, inputPath } of regressions) {
    const known = regression.knownDefect !== undefined ? knownDefectNumbered(regression.knownDefect) : null;
    // While its defect is listed, the input must still show it: the day it stops, the list is stale.
    const test = known ? it.fails : it;
    test(`${name}: ${regression.about}${known ? ` (issue 18 defect ${known.defect}, still listed in known-defects.ts)` : ''}`, async () => {
      const caseDir = fs.mkdtempSync(path.join(dir, `${name}-`));
      const file = path.join(caseDir, regression.input);
      fs.copyFileSync(inputPath, file);
      const obs = await probeIngest(file, path.join(caseDir, 'ingest.sqlite'), LIMITS);
      const cli = await probeCli(file, path.join(caseDir, 'cli.sqlite'), regression.format, LIMITS, 0, regression.query);
      const violations = [...checkIngest(obs, file), ...checkHeapAgreement(obs), ...checkCli(cli, file), ...checkExpectation(regression, obs)];
      expect(violations).toEqual([]);
    });
  }
});
