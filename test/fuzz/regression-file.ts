// A regression: something that once broke a promise, kept in test/fuzz/regressions/<name>.json with
// what it is and what it must produce. Either a small committed input file beside it (`input`, what
// the minimizer writes), or a case (`case`: a corpus file and a mutation), made again from the
// corpus when the input cannot be made small and stay what it is (a heap dump must keep its heap).
// regressions.test.ts runs each.

import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';
import type { FuzzCase } from './fuzz-case';
import type { FuzzFormat } from './layout';

export const REGRESSIONS_DIR = path.join(REPO_ROOT, 'test', 'fuzz', 'regressions');
/** Regression inputs are committed: they stay small. */
export const MAX_REGRESSION_BYTES = 64 * 1024;

export interface RegressionExpectation {
  /** Records (events, packets) the index must hold: at least (everything before the fault) or exactly. */
  records?: { atLeast?: number; exactly?: number };
  /** The ingest must report a failure (exit status 1), or must not. */
  failed?: boolean;
  /** The failure's error names an offset in this range (the record the fault is in). */
  errorOffset?: [number, number];
}

export interface Regression {
  /** What it found, in words. */
  about: string;
  /** How it was found: the run seed and case, the corpus file, the mutation. */
  found: string;
  /** The input's file name in regressions/ … */
  input?: string;
  /** … or the case that makes it from the corpus. */
  case?: FuzzCase;
  /** The format it was made from (which query command reads it back). */
  format: FuzzFormat;
  /** The query command (and its options) to read the index back with, when not the format's first. */
  query?: string[];
  /** The issue-18 defect it reproduces while known-defects.ts lists that defect. */
  knownDefect?: number;
  /** A tighter memory limit than the default, for an input about memory. */
  memoryMb?: number;
  expect: RegressionExpectation;
}

export function listRegressions(): { name: string; regression: Regression }[] {
  if (!fs.existsSync(REGRESSIONS_DIR)) return [];
  return fs
    .readdirSync(REGRESSIONS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), regression: JSON.parse(fs.readFileSync(path.join(REGRESSIONS_DIR, f), 'utf8')) as Regression }));
}

export function writeRegression(name: string, regression: Regression, bytes: Buffer | null): { json: string; input: string | null } {
  fs.mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const json = path.join(REGRESSIONS_DIR, `${name}.json`);
  const input = regression.input && bytes ? path.join(REGRESSIONS_DIR, regression.input) : null;
  if (input) fs.writeFileSync(input, bytes!);
  fs.writeFileSync(json, `${JSON.stringify(regression, null, 2)}\n`);
  return { json, input };
}
