// One fuzz input, described as data: which corpus file, which wrapper around it, which bytes are
// mutated (the evidence before wrapping, the wrapper's bytes after, or the corpus file as stored)
// and the mutation's steps. `buildInput` makes the bytes again from that description alone, which is
// what a saved failure's case.json and a regression's replay rely on.

import { Prng } from './prng';
import { applySteps, drawMutation, type MutationKind, type MutationStep } from './mutators';
import { entryName, innerBytes, SEEDS, seedLayout, seedNamed, storedBytes, storedCompressed, type Seed } from './seeds';
import { wrap, wrappedName, WRAPPERS, type Wrapper } from './wrappers';
import type { FuzzFormat } from './layout';

/** What the mutation is applied to. */
export type MutationTarget = 'inner' | 'wrapper' | 'stored';

export interface FuzzCase {
  /** `<run seed>:<index>`: the case is drawn from a generator seeded by both. */
  id: string;
  seed: string;
  wrapper: Wrapper;
  target: MutationTarget;
  steps: MutationStep[];
}

export interface FuzzInput {
  bytes: Buffer;
  /** The file name to write it under (its extension is only a habit: capscope sniffs content). */
  fileName: string;
}

const donorBytes = (name: string): Buffer => innerBytes(seedNamed(name));

export function buildInput(c: FuzzCase): FuzzInput {
  const seed = seedNamed(c.seed);
  const entry = entryName(seed);
  if (c.target === 'stored') {
    const bytes = applySteps(storedBytes(seed.name), c.steps, donorBytes);
    return { bytes, fileName: seed.name.split('/').pop()! };
  }
  const fileName = wrappedName(entry, c.wrapper);
  if (c.target === 'inner') {
    const mutated = applySteps(innerBytes(seed), c.steps, donorBytes);
    return { bytes: wrap(mutated, c.wrapper, entry), fileName };
  }
  const bytes = applySteps(wrap(innerBytes(seed), c.wrapper, entry), c.steps, donorBytes);
  return { bytes, fileName };
}

export interface DrawOptions {
  /** Only seeds marked quick (the fixed-seed round in npm test). */
  quick?: boolean;
  format?: FuzzFormat;
  wrapper?: Wrapper;
  kinds?: readonly MutationKind[];
}

/** The seeds a run draws from. */
export function seedsFor(options: DrawOptions): Seed[] {
  const seeds = SEEDS.filter((s) => (!options.quick || s.quick) && (!options.format || s.format === options.format));
  if (seeds.length === 0) throw new Error(`no fuzz seeds for ${JSON.stringify(options)}`);
  return seeds;
}

/** The case number `index` of the run seeded with `runSeed`: the same pair always gives the same case. */
export function drawCase(runSeed: number, index: number, options: DrawOptions = {}): FuzzCase {
  const rng = new Prng((Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
  const seeds = seedsFor(options);
  // Formats weigh the same whatever the number of their seeds.
  const formats = [...new Set(seeds.map((s) => s.format))];
  const format = rng.pick(formats);
  const seed = rng.pick(seeds.filter((s) => s.format === format));
  const compressedInCorpus = storedCompressed(seed);
  let target: MutationTarget;
  let wrapper: Wrapper;
  const roll = rng.below(100);
  if (compressedInCorpus && (options.wrapper ?? 'raw') === 'raw' && roll < 25) {
    target = 'stored';
    wrapper = 'raw';
  } else {
    wrapper = options.wrapper ?? (rng.chance(0.45) ? 'raw' : rng.pick(WRAPPERS.filter((w) => w !== 'raw')));
    target = wrapper !== 'raw' && rng.chance(0.3) ? 'wrapper' : 'inner';
  }
  let bytes: Buffer;
  if (target === 'stored') bytes = storedBytes(seed.name);
  else if (target === 'wrapper') bytes = wrap(innerBytes(seed), wrapper, entryName(seed));
  else bytes = innerBytes(seed);
  const donors = SEEDS.filter((s) => !options.quick || s.quick).map((s) => ({ name: s.name, size: innerBytes(s).length }));
  const steps = drawMutation({ rng, bytes, layout: target === 'inner' ? seedLayout(seed) : null, donors, kinds: options.kinds });
  return { id: `${runSeed}:${index}`, seed: seed.name, wrapper, target, steps };
}
