// The analyses that run over the index once the evidence is read, one line each, in the order they
// run (in the ingest worker): each reads tables the formats' ingest or the analyses before it
// filled (test/index/schema.test.ts holds them to that). Adding one is its folder plus a line here.

import type { Analysis } from '../analysis/analysis';
import { falcoAnalysis } from '../analysis/falco/analysis';
import { findingsAnalysis } from '../analysis/findings/analysis';
import { httpAnalysis } from '../analysis/http/analysis';
import { rollupAnalysis } from '../analysis/rollup/analysis';

export type { Analysis } from '../analysis/analysis';

export const ANALYSES: readonly Analysis[] = [
  httpAnalysis,
  findingsAnalysis,
  falcoAnalysis,
  rollupAnalysis,
];
