// A regression input: a small file in test/fuzz/regressions/ that once broke a promise, and beside
// it (<name>.json) what it is and what it must produce. regressions.test.ts runs each; the
// minimizer (minimize.ts) writes them.

import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';

export const REGRESSIONS_DIR = path.join(REPO_ROOT, 'test', 'fuzz', 'regressions');
/** Regression inputs are committed: they stay small. */
export const MAX_REGRESSION_BYTES = 64 * 1024;

export interface RegressionExpectation {
  /** Records (events, packets) the index must hold: at least (everything before the fault) or exactly. */
  records?: { atLeast?: number; exactly?: number };
  /** The ingest must report a failure (exit status 1) … */
  failed?: boolean;
  /** … whose error names an offset in this range (the record the fault is in). */
  errorOffset?: [number, number];
}

export interface Regression {
  /** What it found, in words. */
  about: string;
  /** How it was found: the run seed and case, the corpus file, the mutation. */
  found: string;
  /** The input's file name in regressions/. */
  input: string;
  /** The format it was made from (which query command reads it back). */
  format: 'scap' | 'pcap' | 'pcapng' | 'hprof';
  /** The query command (and its options) to read the index back with, when not the format's first. */
  query?: string[];
  /** The issue-18 defect it reproduces while known-defects.ts lists that defect. */
  knownDefect?: number;
  expect: RegressionExpectation;
}

export function listRegressions(): { name: string; regression: Regression; inputPath: string }[] {
  if (!fs.existsSync(REGRESSIONS_DIR)) return [];
  return fs
    .readdirSync(REGRESSIONS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const regression = JSON.parse(fs.readFileSync(path.join(REGRESSIONS_DIR, f), 'utf8')) as Regression;
      return { name: f.replace(/\.json$/, ''), regression, inputPath: path.join(REGRESSIONS_DIR, regression.input) };
    });
}

export function writeRegression(name: string, regression: Regression, bytes: Buffer): { json: string; input: string } {
  fs.mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const input = path.join(REGRESSIONS_DIR, regression.input);
  const json = path.join(REGRESSIONS_DIR, `${name}.json`);
  fs.writeFileSync(input, bytes);
  fs.writeFileSync(json, `${JSON.stringify(regression, null, 2)}\n`);
  return { json, input };
}
