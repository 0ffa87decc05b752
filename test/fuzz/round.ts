// The fixed-seed round npm test runs: a few hundred inputs drawn from the small corpus files, the
// formats and wrappers taken in turn so every pair is covered, every CLI_EVERY-th one also through
// the command line. Fixed, so a failure in npm test is the same failure on every machine.

import { drawCase, type FuzzCase } from './fuzz-case';
import { WRAPPERS } from './wrappers';
import type { FuzzFormat } from './layout';

export const ROUND_SEED = 18;
export const ROUND_CASES = 200;
/** Every CLI_EVERY-th case also runs as `capscope index` and the format's query command. */
export const ROUND_CLI_EVERY = 12;

const FORMATS: readonly FuzzFormat[] = ['scap', 'pcap', 'pcapng', 'hprof'];

/** The round's case `index`: its format and wrapper in turn, its seed file and mutation drawn. */
export function roundCase(index: number): FuzzCase {
  const format = FORMATS[index % FORMATS.length]!;
  const wrapper = WRAPPERS[Math.floor(index / FORMATS.length) % WRAPPERS.length]!;
  return { ...drawCase(ROUND_SEED, index, { quick: true, format, wrapper }), id: `round:${index}` };
}
