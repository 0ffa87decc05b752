// Defects the fuzzer reaches that are being fixed elsewhere (issue 18's, while colleagues fixed
// them in parallel), and how a broken promise is recognised as one of them. While a defect is
// listed, the fixed-seed round in npm test counts the violations it matches instead of failing,
// and a regression that reproduces it (its `knownDefect`) must still show it, and nothing else.
// The list is emptied when the fixes are merged: from then on each of those violations fails
// npm test again, and each regression must pass.

import type { FuzzCase } from './fuzz-case';
import type { IngestObservation } from './ingest-probe';
import type { CliObservation } from './cli-probe';
import type { Violation } from './promises';

export interface DefectContext {
  case: FuzzCase | null;
  ingest: IngestObservation | null;
  cli: CliObservation | null;
}

export interface KnownDefect {
  /** The defect's number in issue 18. */
  defect: number;
  title: string;
  matches(v: Violation, ctx: DefectContext): boolean;
}

/**
 * Empty: the fixes of issue 18's defects 1, 2, 3, 4, 5 and 10 are merged (main 3f25ee6), and each
 * one's regression in regressions/ passes. A defect found and left for later is listed here with a
 * `matches` that recognises its violations and nothing else (a rule, and words of its message).
 */
export const KNOWN_DEFECTS: readonly KnownDefect[] = [];

export function knownDefectOf(v: Violation, ctx: DefectContext): KnownDefect | null {
  return KNOWN_DEFECTS.find((d) => d.matches(v, ctx)) ?? null;
}

export function knownDefectNumbered(n: number): KnownDefect | null {
  return KNOWN_DEFECTS.find((d) => d.defect === n) ?? null;
}
