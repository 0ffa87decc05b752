// The fixed-seed round npm test runs: a few hundred inputs drawn from the small corpus files, the
// formats and wrappers taken in turn so every pair is covered, one in twenty also through the
// command line. Fixed, so a failure in npm test is the same failure on every machine.

import { drawCase, type FuzzCase } from './fuzz-case';
import { WRAPPERS } from './wrappers';
import type { FuzzFormat } from './layout';

export const ROUND_SEED = 18;
export const ROUND_CASES = 200;

export const ROUND_FORMATS: readonly FuzzFormat[] = ['scap', 'pcap', 'pcapng', 'hprof', 'pprof'];
const FORMATS = ROUND_FORMATS;

/** The round's case `index`: its format and wrapper in turn, its seed file and mutation drawn. */
export function roundCase(index: number): FuzzCase {
  const format = FORMATS[index % FORMATS.length]!;
  const wrapper = WRAPPERS[Math.floor(index / FORMATS.length) % WRAPPERS.length]!;
  return { ...drawCase(ROUND_SEED, index, { quick: true, format, wrapper }), id: `round:${index}` };
}

/**
 * Whether the round's case `index` also runs through the command line (info, index, the query
 * command: three processes, as much as a dozen in-process ingests). One block of cases (one per
 * format) in five is sampled, a different format from each, so the sample covers every format
 * and, over the round, every wrapper.
 */
export function roundUsesCli(index: number): boolean {
  const block = Math.floor(index / FORMATS.length);
  return block % 5 === 0 && index % FORMATS.length === (block / 5) % FORMATS.length;
}
