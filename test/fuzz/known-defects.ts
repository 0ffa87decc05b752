// Defects of issue 18 ("Reliability") that colleagues are fixing in parallel, and how a broken
// promise is recognised as one of them. While a defect is listed here, the fixed-seed round in
// npm test tolerates the violations it matches (and says how many it saw), and a regression input
// that reproduces it is expected to fail. THE LEAD EMPTIES THIS LIST once the fixes are merged:
// from then on every one of these is a failure again, and the regressions must pass.

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

/** Every error text the ingest and the commands produced for this input. */
function errorsOf(ctx: DefectContext): string {
  const texts = [ctx.ingest?.error ?? '', ...(ctx.ingest?.sources ?? []).map((s) => s.error ?? ''), ctx.cli?.index.stderr ?? '', ctx.cli?.query.stderr ?? ''];
  return texts.join('\n');
}

/** The input is (or was made from) a heap dump. */
function isHeapDump(ctx: DefectContext): boolean {
  return (ctx.ingest?.sources ?? []).some((s) => s.format === 'hprof') || (ctx.case?.seed.startsWith('hprof/') ?? false);
}

/** The input is zstd-compressed (a zstd wrapper, the corpus's .zst file, or a regression's). */
function isZstd(ctx: DefectContext): boolean {
  if (ctx.case) return ctx.case.wrapper === 'zstd' || (ctx.case.target === 'stored' && ctx.case.seed.endsWith('.zst'));
  return (ctx.cli?.index.args ?? []).some((a) => a.endsWith('.zst'));
}

export const KNOWN_DEFECTS: readonly KnownDefect[] = [
  {
    defect: 1,
    title: "a corrupt HPROF header timestamp throws the dump away ('Invalid time value', no file, no offset)",
    matches: (v, ctx) => /Invalid time value/.test(v.detail) || (/Invalid time value/.test(errorsOf(ctx)) && v.rule !== 'no-crash'),
  },
  {
    defect: 2,
    title: 'a value out of a column\'s range in a scap state block fails the index write and loses every event',
    matches: (_v, ctx) => /writing the capture into the index failed|cannot store \w+ value in \w+ column/.test(errorsOf(ctx)),
  },
  {
    defect: 3,
    title: '`index` says success on a cut or corrupt heap dump while `heap` says error',
    matches: (v, ctx) =>
      isHeapDump(ctx) &&
      ((v.rule === 'heap-agrees' && /cut short|error diagnostic|no heap results/.test(v.detail)) ||
        v.rule === 'cut-reported' ||
        (v.rule === 'commands-agree' && /^index exits 0 .*, heap exits 1/.test(v.detail))),
  },
  {
    defect: 4,
    title: 'a dump cut before its first heap-dump record is `complete: true` with 0 objects, exit 0',
    matches: (v, ctx) => isHeapDump(ctx) && v.rule === 'heap-agrees' && /0 objects/.test(v.detail),
  },
  {
    defect: 5,
    title: 'zstd decompression memory grows with the decompressed size',
    matches: (v, ctx) => v.rule === 'bounded-memory' && isZstd(ctx),
  },
  {
    defect: 10,
    title: 'messages: a pax header error spans two lines; `heap` names the file twice',
    matches: (v, ctx) =>
      (v.rule === 'file-named-once' && v.detail.startsWith('heap:')) ||
      (['one-line-message', 'stderr-one-line', 'error-names-file', 'error-names-offset'].includes(v.rule) && /expected pax records/.test(errorsOf(ctx))),
  },
];

export function knownDefectOf(v: Violation, ctx: DefectContext): KnownDefect | null {
  return KNOWN_DEFECTS.find((d) => d.matches(v, ctx)) ?? null;
}

export function knownDefectNumbered(n: number): KnownDefect | null {
  return KNOWN_DEFECTS.find((d) => d.defect === n) ?? null;
}
