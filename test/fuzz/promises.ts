// The promises capscope makes about bad input (docs/cli.md "Rules every subcommand follows", issue
// 18), as checks over what an ingest left behind. Each broken promise is a Violation with a rule
// name (stable: known-defects.ts and the saved failures refer to it) and a one-line detail.

import type { FuzzCase } from './fuzz-case';
import type { IngestObservation } from './ingest-probe';
import type { Layout } from './layout';
import { recordCutAt } from './layout';
import { firstChange, isPureCut } from './mutators';

export type Rule =
  | 'no-crash'
  | 'bounded-time'
  | 'bounded-memory'
  | 'not-cancelled'
  | 'one-line-message'
  | 'no-stack-trace'
  | 'error-names-file'
  | 'error-names-offset'
  | 'prefix-kept'
  | 'cut-exact'
  | 'cut-reported'
  | 'clean-prefix-accepted'
  | 'heap-agrees'
  // The command line's (cli-probe.ts):
  | 'exit-status'
  | 'one-json-document'
  | 'stderr-one-line'
  | 'file-named-once'
  | 'commands-agree'
  | 'json-agrees-with-exit';

export interface Violation {
  rule: Rule;
  detail: string;
}

/** What the unmutated evidence gave: the offsets of its stored records, and its layout. */
export interface Baseline {
  layout: Layout;
  /** Offset → end of each record capscope stored a row for, or null when they could not be matched. */
  storedEnds: Map<number, number> | null;
}

const ARCHIVES = new Set(['tar', 'tar-pax', 'tgz']);

/** A stack frame as V8 prints it: "at fn (file:line:col)" or "at file:line:col". */
const STACK_FRAME = /(?:^|\n)\s*at (?:\S+ \()?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?/;
/** How capscope names a place: "at byte N", "offset N". */
const OFFSET = /\b(?:byte|offset) (\d+)/g;

/**
 * What kind of failure a violation is, whatever the input: its rule and its detail with the paths
 * and numbers taken out. Failures of one kind are saved a few times, not a thousand; a minimized
 * input must still show the kind it was minimized for.
 */
export function violationKind(v: Violation): string {
  return `${v.rule}: ${v.detail.replace(/(?<=^|[\s'"(])\/[^\s:']+/g, '<path>').replace(/\b(0x)?[0-9a-f]*\d[0-9a-f]*\b/gi, 'N')}`;
}

export function namedOffsets(message: string): number[] {
  return [...message.matchAll(OFFSET)].map((m) => Number(m[1]));
}

export function hasStackTrace(text: string): boolean {
  return STACK_FRAME.test(text);
}

function clip(text: string, n = 300): string {
  const one = text.replace(/\n/g, '\\n');
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/** The checks every input gets: it ended, in time and memory, and said what went wrong properly. */
export function checkIngest(obs: IngestObservation, file: string): Violation[] {
  const v: Violation[] = [];
  if (obs.state === 'crashed') v.push({ rule: 'no-crash', detail: clip(obs.error ?? '') });
  if (obs.state === 'timeout') v.push({ rule: 'bounded-time', detail: obs.error ?? '' });
  if (obs.state === 'memory') v.push({ rule: 'bounded-memory', detail: clip(obs.error ?? '') });
  if (obs.state === 'cancelled') v.push({ rule: 'not-cancelled', detail: 'the ingest says it was cancelled; nobody cancelled it' });
  if (obs.state === 'crashed' || obs.state === 'timeout' || obs.state === 'memory') return v;

  const messages: { what: string; text: string }[] = [];
  if (obs.error) messages.push({ what: 'the ingest error', text: obs.error });
  for (const s of obs.sources) if (s.error) messages.push({ what: `source ${s.id}'s error`, text: s.error });
  for (const d of obs.diagnostics) messages.push({ what: `diagnostic ${d.code}`, text: d.message });
  for (const m of messages) {
    if (hasStackTrace(m.text)) v.push({ rule: 'no-stack-trace', detail: `${m.what}: ${clip(m.text)}` });
    else if (m.text.includes('\n')) v.push({ rule: 'one-line-message', detail: `${m.what}: ${clip(m.text)}` });
  }
  // The error that stopped a source or the walk names the file and the byte offset (docs/cli.md).
  const errors = [...(obs.error ? [obs.error] : []), ...obs.sources.filter((s) => s.status === 'failed').map((s) => s.error ?? '')];
  for (const e of new Set(errors)) {
    if (!e.includes(file)) v.push({ rule: 'error-names-file', detail: clip(e) });
    else if (namedOffsets(e).length === 0) v.push({ rule: 'error-names-offset', detail: clip(e) });
  }
  return v;
}

/**
 * What a mutation of the evidence itself lets us know exactly: records that end before the first
 * changed byte are untouched, so they must all be stored; a file cut at a record boundary is a
 * shorter clean file; a cut inside a record (or the header) is reported, at that record.
 */
export function checkAgainstBaseline(c: FuzzCase, obs: IngestObservation, baseline: Baseline): Violation[] {
  if (c.target !== 'inner' || obs.state === 'crashed' || obs.state === 'timeout' || obs.state === 'memory') return [];
  const v: Violation[] = [];
  const format = baseline.layout.format;
  const m = firstChange(c.steps);
  const stored = new Set(obs.recordOffsets);
  if (baseline.storedEnds) {
    const before = [...baseline.storedEnds].filter(([, end]) => end <= m).map(([offset]) => offset);
    const missing = before.filter((offset) => !stored.has(offset));
    if (missing.length > 0) {
      v.push({ rule: 'prefix-kept', detail: `${missing.length} of the ${before.length} records that end before the first changed byte ${m} are missing (the first at byte ${missing[0]}); ${stored.size} stored` });
    }
    if (isPureCut(c.steps) && format !== 'hprof') {
      const beyond = obs.recordOffsets.filter((offset) => !before.includes(offset));
      if (beyond.length > 0) v.push({ rule: 'cut-exact', detail: `${beyond.length} records stored that do not end before the cut at byte ${m} (the first at byte ${beyond[0]})` });
    }
  }
  if (isPureCut(c.steps)) {
    const cut = m;
    const layout = baseline.layout;
    const clean = layout.records.at(-1)?.end ?? 0;
    const inside = recordCutAt(layout, cut);
    const inHeader = cut < (layout.records[0]?.offset ?? 0);
    const failed = obs.state === 'failed' || obs.sources.some((s) => s.status === 'failed');
    if (cut < clean && (inside || inHeader)) {
      const where = inside ? `inside the record at bytes ${inside.offset}–${inside.end}` : `inside the file header (${layout.records[0]?.offset} bytes)`;
      // In an archive, a member too short to be what it starts like is skipped, as the archive's
      // other members are when they are not evidence or their compression is broken (docs/cli.md,
      // `info`'s skipped[]): the skip, named, is the report.
      const skipped = ARCHIVES.has(c.wrapper) && obs.diagnostics.some((d) => d.code === 'ingest.entry-skipped');
      if (!failed && !skipped) v.push({ rule: 'cut-reported', detail: `cut at byte ${cut}, ${where}: the ingest says ${obs.state}, every source ${obs.sources.map((s) => s.status).join(', ') || 'none'}` });
      else if (failed && inside) {
        const errors = [obs.error ?? '', ...obs.sources.map((s) => s.error ?? '')].join(' ');
        if (!namedOffsets(errors).some((o) => o >= inside.offset && o <= cut)) {
          v.push({ rule: 'cut-reported', detail: `cut at byte ${cut}, ${where}: no error names an offset from ${inside.offset} to ${cut}: ${clip(errors)}` });
        }
      }
    }
    const atBoundary = layout.records.some((r) => r.offset === cut) || cut === clean;
    if ((format === 'pcap' || format === 'pcapng') && atBoundary && cut > 0 && cut >= (layout.records[0]?.offset ?? 0)) {
      const ok = obs.state === 'done' && obs.sources.every((s) => s.status === 'indexed');
      if (!ok) v.push({ rule: 'clean-prefix-accepted', detail: `cut at the record boundary ${cut} (a shorter clean capture): ${clip(obs.error ?? obs.sources.find((s) => s.error)?.error ?? obs.state)}` });
    }
  }
  return v;
}

/**
 * `capscope heap` reads what `capscope index` wrote and exits 1 exactly when the index does for the
 * dump (docs/cli.md): a dump cut short, one whose header could not be read, one with no heap dump
 * record all fail their source. So a dump the index calls indexed has results, read to its end.
 * (Faults the reading went on past are diagnostics and change neither command's exit status.)
 */
export function checkHeapAgreement(obs: IngestObservation): Violation[] {
  const v: Violation[] = [];
  for (const s of obs.sources.filter((x) => x.format === 'hprof' && x.status === 'indexed')) {
    const heap = obs.heaps.get(s.id);
    if (!heap) v.push({ rule: 'heap-agrees', detail: `source ${s.id} is indexed but has no heap results` });
    else if (!heap.complete) v.push({ rule: 'heap-agrees', detail: `source ${s.id} is indexed but its heap results say the dump was cut short` });
  }
  return v;
}
