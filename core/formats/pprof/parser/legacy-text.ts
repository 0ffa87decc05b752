// The debug=1 text forms of Go's runtime/pprof profiles, as net/http/pprof serves them with
// ?debug=1 (and influxdb's older /debug/pprof/all bundles hold them as goroutine.txt, heap.txt,
// block.txt, mutex.txt):
//   goroutine profile: total 505          threadcreate profile: total 7
//   495 @ 0x43b496 0x407ffb …             (a count and the stack's pcs)
//   #	0x67d2da	main.waitForReply+0x1a	/src/main.go:90
//   heap profile: 14: 1409856 [19: 2217136] @ heap/1048576
//   11: 360448 [11: 360448] @ 0x67ced1 …  (in-use objects: bytes [allocated objects: bytes])
//   --- contention:  /  --- mutex:        then cycles/second=N (and sampling period=N), then
//   5194680583 1 @ 0x44aea5 …             (cycles, count)
// Each becomes the profile its protobuf form would be, with the same sample types, and values
// scaled as runtime/pprof scales them when it writes the protobuf (heap samples by the sampling
// rate, contention cycles to nanoseconds), so the two forms of one profile add up alike.

import type { Diagnostic } from '../../../../common/diagnostics';
import { PPROF_DIAGNOSTICS } from './diagnostics';
import { FrameTable, type TextFrame } from './frames';
import { emptyProfile, type Profile, type SampleLabel } from './profile';
import { textLines, type TextLine } from './text-lines';

export type DiagnosticSink = (offset: number | null, d: Diagnostic) => void;

const COUNT_HEADER = /^(goroutine|threadcreate) profile: total (\d+)$/;
const HEAP_HEADER = /^heap profile: (\d+): (\d+) \[(\d+): (\d+)\] @ heap\/(\d+)$/;
const CONTENTION_HEADER = /^--- (contention|mutex):$/;
const COUNT_RECORD = /^(\d+) @((?: 0x[0-9a-f]+)*)$/;
const HEAP_RECORD = /^(\d+): (\d+) \[(\d+): (\d+)\] @((?: 0x[0-9a-f]+)*)$/;
const CONTENTION_RECORD = /^(\d+) (\d+) @((?: 0x[0-9a-f]+)*)$/;
const FRAME = /^#\t(0x[0-9a-f]+)\t+(\S+?)(?:\+0x[0-9a-f]+)?\t+(.*):(\d+)$/;
const LABELS = /^# labels: (\{.*\})$/;

/** The first line of each debug=1 form, for the sniffer. */
export function legacyTextKind(firstLine: string): string | null {
  const count = COUNT_HEADER.exec(firstLine);
  if (count) return count[1]!;
  if (HEAP_HEADER.test(firstLine)) return 'heap';
  const contention = CONTENTION_HEADER.exec(firstLine);
  if (contention) return contention[1] === 'mutex' ? 'mutex' : 'block';
  return null;
}

export function parseLegacyText(bytes: Uint8Array, sink: DiagnosticSink): Profile {
  const lines = [...textLines(bytes)];
  const profile = emptyProfile('debug1');
  const frames = new FrameTable(profile);
  const first = lines[0]?.text ?? '';
  let badLines = 0;
  const bad = (line: TextLine, expected: string) => {
    if (++badLines <= 5) sink(line.offset, PPROF_DIAGNOSTICS.emit('text-bad-line', { line: line.number, offset: line.offset, expected, found: line.text.slice(0, 80) }));
  };

  const count = COUNT_HEADER.exec(first);
  const heap = HEAP_HEADER.exec(first);
  const contention = CONTENTION_HEADER.exec(first);
  let record: (line: TextLine) => { values: number[]; labels: SampleLabel[] } | null;
  let body = 1;
  if (count) {
    const kind = count[1]!;
    profile.declaredKind = kind;
    profile.sampleTypes = [{ type: kind, unit: 'count' }];
    profile.periodType = { type: kind, unit: 'count' };
    profile.period = 1;
    record = (line) => {
      const m = COUNT_RECORD.exec(line.text);
      return m ? { values: [Number(m[1])], labels: [] } : null;
    };
  } else if (heap) {
    profile.declaredKind = 'heap';
    // runtime/pprof writes twice the sampling rate after "heap/" (an old convention pprof keeps).
    const rate = Number(heap[5]) / 2;
    profile.sampleTypes = [
      { type: 'alloc_objects', unit: 'count' },
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' },
      { type: 'inuse_space', unit: 'bytes' },
    ];
    profile.periodType = { type: 'space', unit: 'bytes' };
    profile.period = rate;
    record = (line) => {
      const m = HEAP_RECORD.exec(line.text);
      if (!m) return null;
      const [inuseObjects, inuseBytes] = scaleHeapSample(Number(m[1]), Number(m[2]), rate);
      const [allocObjects, allocBytes] = scaleHeapSample(Number(m[3]), Number(m[4]), rate);
      return { values: [allocObjects, allocBytes, inuseObjects, inuseBytes], labels: [] };
    };
  } else if (contention) {
    const mutex = contention[1] === 'mutex';
    profile.declaredKind = mutex ? 'mutex' : 'block';
    profile.sampleTypes = [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ];
    profile.periodType = { type: 'contentions', unit: 'count' };
    profile.period = 1;
    let cyclesPerSecond = 0;
    for (; body < lines.length; body++) {
      const m = /^([a-z /]+)=(\d+)$/.exec(lines[body]!.text);
      if (!m) break;
      if (m[1] === 'cycles/second') cyclesPerSecond = Number(m[2]);
      if (m[1] === 'sampling period') profile.period = Number(m[2]);
    }
    const period = profile.period || 1;
    record = (line) => {
      const m = CONTENTION_RECORD.exec(line.text);
      if (!m) return null;
      const cycles = Number(m[1]);
      const delay = cyclesPerSecond > 0 ? Math.trunc(cycles / (cyclesPerSecond / 1e9)) : cycles;
      return { values: [Number(m[2]) * period, delay * period], labels: [] };
    };
  } else {
    if (lines[0]) bad(lines[0], 'a debug=1 profile header ("goroutine profile: total N", "heap profile: …", "--- contention:")');
    return profile;
  }

  let current: { values: number[]; labels: SampleLabel[]; stack: number[] } | null = null;
  const finish = () => {
    if (current) profile.samples.push({ locationIds: current.stack, values: current.values, labels: current.labels });
    current = null;
  };
  for (let i = body; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.text === '') continue;
    if (line.text.startsWith('# runtime.MemStats')) {
      // The heap profile's trailer: the runtime's memory statistics, kept as the profile's comments.
      finish();
      for (let j = i; j < lines.length; j++) if (lines[j]!.text.startsWith('# ')) profile.comments.push(lines[j]!.text.slice(2));
      break;
    }
    if (line.text.startsWith('#')) {
      const frame = FRAME.exec(line.text);
      const labels = LABELS.exec(line.text);
      if (current && frame) current.stack.push(frames.location(textFrame(frame)));
      else if (current && labels) current.labels = parseLabels(labels[1]!);
      else bad(line, 'a frame line ("#\\t0x… function+0x… file:line") after a record');
      continue;
    }
    finish();
    const r = record(line);
    if (r) current = { ...r, stack: [] };
    else bad(line, 'a record ("count @ 0x… 0x…")');
  }
  finish();
  if (badLines > 5) sink(null, PPROF_DIAGNOSTICS.emit('more-not-listed', { count: badLines - 5, kind: 'lines that are not a record or a frame' }));
  if (count) {
    const sum = profile.samples.reduce((s, x) => s + x.values[0]!, 0);
    const declared = Number(count[2]);
    if (sum !== declared) sink(0, PPROF_DIAGNOSTICS.emit('text-total-mismatch', { declared, what: count[1] === 'goroutine' ? 'goroutines' : 'threads', found: sum }));
  }
  return profile;
}

function textFrame(m: RegExpExecArray): TextFrame {
  return { address: m[1]!, name: m[2]!, file: m[3]!.trim(), line: Number(m[4]) };
}

/** `{"worker":"hot", "id":"7"}`: Go prints labels as a JSON-like map of strings. */
function parseLabels(text: string): SampleLabel[] {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return Object.entries(parsed).map(([key, value]) => ({ key, str: String(value) }));
  } catch {
    return [];
  }
}

/**
 * runtime/pprof's scaleHeapSample: a heap sample stands for count objects of bytes bytes seen with
 * probability 1 - e^(-avg/rate); the protobuf holds the estimate of what was really there.
 */
export function scaleHeapSample(count: number, bytes: number, rate: number): [number, number] {
  if (count === 0 || bytes === 0) return [0, 0];
  if (rate <= 1) return [count, bytes];
  const average = bytes / count;
  const scale = 1 / (1 - Math.exp(-average / rate));
  return [Math.trunc(count * scale), Math.trunc(bytes * scale)];
}
