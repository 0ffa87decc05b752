// Mutations of a file's bytes, as data: a mutation is a short list of steps (flip a bit, overwrite a
// byte with an interesting value, write a huge length into a length field, cut, splice another file
// in, insert or delete bytes), drawn from a seeded generator and applied by a pure function. A
// failing input is therefore described completely by its steps (saved beside it) and made again
// from the corpus file they name.

import type { Prng } from './prng';
import type { Layout, LayoutRecord } from './layout';

export type MutationStep =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'huge'; at: number; littleEndian: boolean; value: number }
  | { kind: 'cut'; at: number }
  | { kind: 'splice'; at: number; donor: string; from: number }
  | { kind: 'insert'; at: number; hex: string }
  | { kind: 'delete'; at: number; length: number };

export type MutationKind = MutationStep['kind'];

/** Bytes a parser's boundary checks get wrong most often (AFL's "interesting values"). */
export const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80] as const;

/**
 * Values written into length fields: the 4 GiB family (all ones, top bit, just under), sizes a
 * reader might try to allocate, and the small ones below any header's own size.
 */
export const LENGTH_VALUES = [0xffffffff, 0xfffffff0, 0x80000000, 0x7fffffff, 0x40000000, 0x01000000, 0, 1, 7, 11, 13] as const;

/** Another file's bytes, by the name a splice step gives it. */
export type DonorLookup = (donor: string) => Buffer;

/** Applies the steps in order; each step's offset is in the bytes as the steps before it left them. */
export function applySteps(bytes: Buffer, steps: readonly MutationStep[], donor: DonorLookup): Buffer {
  let out = Buffer.from(bytes);
  for (const step of steps) {
    const at = Math.min(step.at, out.length);
    switch (step.kind) {
      case 'flip':
        if (at < out.length) out[at] = out[at]! ^ (1 << step.bit);
        break;
      case 'set':
        if (at < out.length) out[at] = step.value;
        break;
      case 'huge': {
        const field = Buffer.alloc(4);
        if (step.littleEndian) field.writeUInt32LE(step.value >>> 0);
        else field.writeUInt32BE(step.value >>> 0);
        field.copy(out, at, 0, Math.min(4, out.length - at));
        break;
      }
      case 'cut':
        out = out.subarray(0, at);
        break;
      case 'splice':
        out = Buffer.concat([out.subarray(0, at), donor(step.donor).subarray(step.from)]);
        break;
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), Buffer.from(step.hex, 'hex'), out.subarray(at)]);
        break;
      case 'delete':
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + step.length)]);
        break;
    }
  }
  return out;
}

/** The first byte the steps may have changed: every byte before it is as it was. */
export function firstChange(steps: readonly MutationStep[]): number {
  return Math.min(...steps.map((s) => s.at));
}

/** The steps are one cut and nothing else: the result is an exact prefix of the file. */
export function isPureCut(steps: readonly MutationStep[]): steps is [{ kind: 'cut'; at: number }] {
  return steps.length === 1 && steps[0]!.kind === 'cut';
}

export function describeSteps(steps: readonly MutationStep[]): string {
  return steps
    .map((s) => {
      switch (s.kind) {
        case 'flip':
          return `flip bit ${s.bit} of byte ${s.at}`;
        case 'set':
          return `set byte ${s.at} to 0x${s.value.toString(16).padStart(2, '0')}`;
        case 'huge':
          return `write length 0x${s.value.toString(16)} (${s.littleEndian ? 'LE' : 'BE'}) at byte ${s.at}`;
        case 'cut':
          return `cut at byte ${s.at}`;
        case 'splice':
          return `splice ${s.donor} from its byte ${s.from} in at byte ${s.at}`;
        case 'insert':
          return `insert ${s.hex.length / 2} bytes (${s.hex}) at byte ${s.at}`;
        case 'delete':
          return `delete ${s.length} bytes at byte ${s.at}`;
      }
    })
    .join(', then ');
}

// ----- drawing mutations -----

export interface MutationContext {
  rng: Prng;
  bytes: Buffer;
  /** The file's record layout, when the bytes are a known format (not a wrapper's bytes). */
  layout: Layout | null;
  /** Names of files a splice may take bytes from, and their sizes. */
  donors: readonly { name: string; size: number }[];
  /** Restricts the kinds drawn (the command line's --mutator). */
  kinds?: readonly MutationKind[];
}

const WEIGHTS: [MutationKind, number][] = [
  ['flip', 20],
  ['set', 18],
  ['huge', 16],
  ['cut', 22],
  ['splice', 8],
  ['insert', 8],
  ['delete', 8],
];

function drawKind(ctx: MutationContext): MutationKind {
  const allowed = WEIGHTS.filter(([kind]) => !ctx.kinds || ctx.kinds.includes(kind));
  const total = allowed.reduce((n, [, w]) => n + w, 0);
  let x = ctx.rng.below(total);
  for (const [kind, w] of allowed) {
    if (x < w) return kind;
    x -= w;
  }
  return allowed[0]![0];
}

/**
 * An offset that is often where parsers look hardest: half the time in the first bytes of a
 * record (its header), otherwise anywhere.
 */
function drawOffset(ctx: MutationContext): number {
  const { rng, bytes, layout } = ctx;
  if (bytes.length === 0) return 0;
  if (layout && layout.records.length > 0 && rng.chance(0.5)) {
    const r = rng.pick(layout.records);
    return Math.min(bytes.length - 1, r.offset + rng.below(Math.min(32, r.end - r.offset)));
  }
  if (rng.chance(0.1)) return rng.below(Math.min(bytes.length, 64)); // the file's own header
  return rng.below(bytes.length);
}

/** Where to cut: inside a record, exactly at a record boundary, in the file header, or anywhere. */
function drawCut(ctx: MutationContext): number {
  const { rng, bytes, layout } = ctx;
  const records: LayoutRecord[] = layout?.records ?? [];
  const roll = rng.below(10);
  if (records.length > 0 && roll < 5) {
    const r = rng.pick(records);
    return r.offset + 1 + rng.below(Math.max(1, r.end - r.offset - 1));
  }
  if (records.length > 0 && roll < 7) return rng.pick(records).offset;
  if (roll < 8) return rng.below(Math.min(bytes.length, 64) + 1);
  return rng.below(bytes.length + 1);
}

function drawStep(ctx: MutationContext, kind: MutationKind): MutationStep {
  const { rng, bytes, layout } = ctx;
  switch (kind) {
    case 'flip':
      return { kind, at: drawOffset(ctx), bit: rng.below(8) };
    case 'set':
      return { kind, at: drawOffset(ctx), value: rng.chance(0.8) ? rng.pick(INTERESTING_BYTES) : rng.below(256) };
    case 'huge': {
      const fields = layout?.lengthFields ?? [];
      const field = fields.length > 0 && rng.chance(0.85) ? rng.pick(fields) : { at: drawOffset(ctx) & ~3, littleEndian: rng.chance(0.5) };
      return { kind, at: field.at, littleEndian: field.littleEndian, value: rng.pick(LENGTH_VALUES) };
    }
    case 'cut':
      return { kind, at: drawCut(ctx) };
    case 'splice': {
      const donor = rng.pick(ctx.donors);
      return { kind, at: drawOffset(ctx), donor: donor.name, from: rng.chance(0.3) ? 0 : rng.below(Math.max(1, donor.size)) };
    }
    case 'insert': {
      const n = rng.between(1, 16);
      const inserted = Buffer.alloc(n);
      for (let i = 0; i < n; i++) inserted[i] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.below(256);
      return { kind, at: drawOffset(ctx), hex: inserted.toString('hex') };
    }
    case 'delete':
      return { kind, at: drawOffset(ctx), length: rng.chance(0.7) ? rng.between(1, 16) : rng.between(17, Math.max(17, bytes.length >> 4)) };
  }
}

/** One to four steps; a cut, when drawn, is the last. */
export function drawMutation(ctx: MutationContext): MutationStep[] {
  const count = ctx.rng.chance(0.7) ? 1 : ctx.rng.between(2, 4);
  const steps: MutationStep[] = [];
  for (let i = 0; i < count; i++) {
    const kind = drawKind(ctx);
    steps.push(drawStep(ctx, kind));
    if (kind === 'cut') break;
  }
  return steps;
}
