// debug=2 goroutine dumps (net/http/pprof's /debug/pprof/goroutine?debug=2, and what a Go panic or
// SIGQUIT prints): every goroutine with its state, how long it has waited and its full stack.
//   goroutine 17 [chan receive, 12 minutes, locked to thread]:
//   main.waitForReply(0xc000122000)
//   	/src/main.go:90 +0x1a
//   created by main.goroutineLeakLoop in goroutine 9
//   	/src/main.go:97 +0x45
// Each goroutine is a sample of a "goroutine" profile (value 1, its stack as locations), with its
// state and wait kept beside it, so the goroutine views group them by identical stack.

import { PPROF_DIAGNOSTICS } from './diagnostics';
import { FrameTable } from './frames';
import { emptyProfile, type Goroutine, type Profile } from './profile';
import { textLines, type TextLine } from './text-lines';
import type { DiagnosticSink } from './legacy-text';

const HEADER = /^goroutine (\d+) (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[(.*)\]:$/;
const FILE_LINE = /^\t(.*):(\d+)(?: \+0x([0-9a-f]+))?$/;
const CREATED_BY = /^created by (\S+)(?: in goroutine \d+)?$/;

/** Does this line open a goroutine's stack? (The sniffer's test too.) */
export function isGoroutineHeader(line: string): boolean {
  return HEADER.test(line);
}

export interface GoroutineDumpResult {
  profile: Profile;
  /** The goroutine the dump ends inside of, when its stack is cut short. */
  stop: { offset: number; diagnostic: ReturnType<typeof PPROF_DIAGNOSTICS.emit> } | null;
}

export function parseGoroutineDump(bytes: Uint8Array, sink: DiagnosticSink): GoroutineDumpResult {
  const profile = emptyProfile('debug2');
  profile.declaredKind = 'goroutine';
  profile.sampleTypes = [{ type: 'goroutine', unit: 'count' }];
  profile.periodType = { type: 'goroutine', unit: 'count' };
  profile.period = 1;
  const goroutines: Goroutine[] = [];
  profile.goroutines = goroutines;
  const frames = new FrameTable(profile);
  const lines = [...textLines(bytes)];
  let current: { g: Goroutine; stack: number[]; pending: { name: string; line: TextLine } | null } | null = null;
  let badLines = 0;
  const bad = (line: TextLine, expected: string) => {
    if (++badLines <= 5) sink(line.offset, PPROF_DIAGNOSTICS.emit('text-bad-line', { line: line.number, offset: line.offset, expected, found: line.text.slice(0, 80) }));
  };
  const finish = () => {
    if (!current) return;
    goroutines.push(current.g);
    profile.samples.push({ locationIds: current.stack, values: [1], labels: [{ key: 'state', str: current.g.state }] });
    current = null;
  };

  for (const line of lines) {
    const header = HEADER.exec(line.text);
    if (header) {
      finish();
      current = { g: { id: Number(header[1]), ...parseState(header[2]!), createdBy: null, offset: line.offset }, stack: [], pending: null };
      continue;
    }
    if (!current) {
      // Before the first goroutine: a panic's message, "fatal error: …", signal lines. Kept as comments.
      if (line.text !== '') profile.comments.push(line.text);
      continue;
    }
    if (line.text === '') {
      finish();
      continue;
    }
    if (current.pending) {
      const at = FILE_LINE.exec(line.text);
      if (!at) {
        bad(line, 'a frame\'s "\\tfile:line +0x…" line');
        current.pending = null;
        continue;
      }
      const name = current.pending.name;
      current.pending = null;
      if (name.startsWith('created by ')) continue;
      current.stack.push(frames.location({ name, file: at[1]!, line: Number(at[2]), address: '' }));
      continue;
    }
    const created = CREATED_BY.exec(line.text);
    if (created) {
      current.g.createdBy = created[1]!;
      current.pending = { name: line.text, line };
      continue;
    }
    if (line.text.startsWith('...')) continue; // "...additional frames elided..."
    const name = functionName(line.text);
    if (name === null) bad(line, 'a frame\'s "function(args)" line');
    else current.pending = { name, line };
  }
  let stop: GoroutineDumpResult['stop'] = null;
  const open = current as { g: Goroutine; pending: unknown } | null;
  if (open && open.pending) {
    stop = { offset: open.g.offset, diagnostic: PPROF_DIAGNOSTICS.emit('dump-truncated', { id: open.g.id, offset: open.g.offset }) };
  }
  finish();
  if (badLines > 5) sink(null, PPROF_DIAGNOSTICS.emit('more-not-listed', { count: badLines - 5, kind: 'lines that are not part of a goroutine stack' }));
  return { profile, stop };
}

/** "chan receive, 12 minutes, locked to thread" → state, wait and lock. */
function parseState(text: string): Pick<Goroutine, 'state' | 'waitMinutes' | 'lockedToThread'> {
  const parts = text.split(', ');
  let waitMinutes = 0;
  let lockedToThread = false;
  const state: string[] = [];
  for (const part of parts) {
    const wait = /^(\d+) minutes?$/.exec(part);
    if (wait) waitMinutes = Number(wait[1]);
    else if (part === 'locked to thread') lockedToThread = true;
    else state.push(part);
  }
  return { state: state.join(', '), waitMinutes, lockedToThread };
}

/** "net/http.(*conn).serve(0xc0000bb0e0, {0x771cb8, 0xc00009b4d0})" → "net/http.(*conn).serve". */
function functionName(line: string): string | null {
  if (!line.endsWith(')')) return null;
  let depth = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) return i > 0 ? line.slice(0, i) : null;
  }
  return null;
}
