// Threads: each ROOT THREAD OBJECT with its name (read from the Thread's `name`), its stack trace
// (STACK TRACE → STACK FRAME records), the objects its frames hold (ROOT JAVA FRAME and JNI LOCAL
// roots carry a thread serial and a frame number), what the Thread object retains, and whether it
// is the thread an OutOfMemoryError was thrown in.

import { ROOT_KIND_ORDER } from '../../formats/hprof/parser/constants';
import { hexId, KIND_INSTANCE, type HeapGraph } from './graph';
import type { Reachability } from './reachability';
import { describe, type ObjectRef } from './paths';
import { shown, type ArrayTexts } from './text';

export interface ThreadFrame {
  /** As jstack prints it: "com.example.App.main(App.java:12)". */
  frame: string;
  class: string;
  method: string;
  sourceFile: string | null;
  line: number | null;
  /** Objects this frame's locals and operands hold (Java frame and JNI local roots). */
  locals: (ObjectRef & { retainedBytes: number })[];
}

export interface ThreadInfo {
  name: string | null;
  objectId: string;
  threadSerial: number;
  stack: ThreadFrame[];
  /** What the Thread object retains. */
  retainedBytes: number;
  /** What the objects held by its frames retain (they are GC roots: disjoint, summed). */
  localsRetainedBytes: number;
  /**
   * The OutOfMemoryError of this thread: 'thrown' when its stack is in the error's constructor (the
   * frame HotSpot writes for the thread that ran out of memory when -XX:+HeapDumpOnOutOfMemoryError
   * dumps), 'held' when one of its frames holds an OutOfMemoryError (one it caught), or when the
   * shortest path from a GC root to one starts at the thread (its Thread object, a ThreadLocal of
   * it, its stack); null for neither.
   */
  outOfMemoryError: { how: 'thrown' | 'held'; objectId: string | null } | null;
}

const OOM_CLASS = 'java.lang.OutOfMemoryError';

/** A frame as jstack prints it, from its STACK FRAME record. */
export function describeFrame(graph: HeapGraph, frameId: number): Omit<ThreadFrame, 'locals'> {
  const f = graph.frames.get(frameId);
  const cls = f ? graph.classBySerial.get(f.classSerial) : undefined;
  const className = cls !== undefined ? graph.classes[cls]!.name : 'unknown class';
  const method = f ? (graph.strings.get(f.methodNameId) ?? '?') : '?';
  const sourceFile = f ? (graph.strings.get(f.sourceFileId) ?? null) : null;
  const line = f && f.line > 0 ? f.line : null;
  const where = !f ? 'Unknown Source' : f.line === -3 ? 'Native Method' : f.line === -2 ? 'Compiled Method' : sourceFile === null ? 'Unknown Source' : line === null ? sourceFile : `${sourceFile}:${line}`;
  return { frame: `${className}.${method}(${where})`, class: className, method, sourceFile, line };
}

/** A thread by its serial: name and stack (frames as jstack prints them), for naming GC roots. */
export interface ThreadEntry {
  name: string | null;
  objectId: string;
  frames: string[];
}

/** Every thread of the dump by serial (ROOT THREAD OBJECT records). */
export function threadDirectory(graph: HeapGraph, texts: ArrayTexts): Map<number, ThreadEntry> {
  const roots = graph.roots;
  const stringIndex = threadNameStrings(graph);
  const out = new Map<number, ThreadEntry>();
  for (let i = 0; i < roots.count; i++) {
    if (roots.kind[i] !== THREAD_OBJECT || out.has(roots.threadSerial[i]!)) continue;
    const node = roots.node[i]!;
    const trace = graph.traces.get(roots.frame[i]!);
    out.set(roots.threadSerial[i]!, {
      name: node >= 0 ? threadName(graph, node, stringIndex, texts) : null,
      objectId: `0x${roots.id[i]!.toString(16)}`,
      frames: (trace?.frameIds ?? []).map((id) => describeFrame(graph, id).frame),
    });
  }
  return out;
}

/** The String records of thread names only (there may be millions of strings). */
function threadNameStrings(graph: HeapGraph): Map<number, number> {
  const names = new Set(graph.threadNames.values());
  const stringIndex = new Map<number, number>();
  for (let i = 0; i < graph.stringObjects.count; i++) if (names.has(graph.stringObjects.node[i]!)) stringIndex.set(graph.stringObjects.node[i]!, i);
  return stringIndex;
}

const JAVA_FRAME = ROOT_KIND_ORDER.indexOf('java-frame');
const JNI_LOCAL = ROOT_KIND_ORDER.indexOf('jni-local');
const THREAD_OBJECT = ROOT_KIND_ORDER.indexOf('thread-object');

/** What a thread's stack or native code holds: the root kinds that name a thread but are not its Thread. */
const STACK_ROOT_KINDS = new Set(['java-frame', 'jni-local', 'native-stack', 'thread-block'].map((k) => ROOT_KIND_ORDER.indexOf(k as (typeof ROOT_KIND_ORDER)[number])));

/**
 * The OutOfMemoryErrors reached through a thread: going up the shortest path from a GC root to
 * each reachable error, the first Thread object met (the error sits in its ThreadLocals, say), or,
 * meeting none, the thread whose stack the path starts at (serial → the error's id, the first
 * found). The errors the VM preallocates hang from its own roots, through no thread.
 */
function errorsReachedFromThreads(graph: HeapGraph, reach: Reachability): Map<number, string> {
  const out = new Map<number, string>();
  const oom = new Set(graph.classes.filter((c) => c.name === OOM_CLASS).map((c) => c.index));
  if (oom.size === 0) return out;
  const threadObject = new Map<number, number>();
  const stackOf = new Map<number, number>();
  const roots = graph.roots;
  for (let i = 0; i < roots.count; i++) {
    const node = roots.node[i]!;
    if (node < 0) continue;
    if (roots.kind[i] === THREAD_OBJECT && !threadObject.has(node)) threadObject.set(node, roots.threadSerial[i]!);
    else if (STACK_ROOT_KINDS.has(roots.kind[i]!) && !stackOf.has(node)) stackOf.set(node, roots.threadSerial[i]!);
  }
  for (let v = 0; v < graph.nodeCount; v++) {
    if (graph.kind[v] !== KIND_INSTANCE || !oom.has(graph.classOf[v]!) || !reach.reached[v]) continue;
    let r = v;
    let serial = threadObject.get(r);
    while (serial === undefined && reach.parent[r]! >= 0) {
      r = reach.parent[r]!;
      serial = threadObject.get(r);
    }
    serial ??= stackOf.get(r);
    if (serial !== undefined && !out.has(serial)) out.set(serial, hexId(graph.ids[v]!));
  }
  return out;
}

export function findThreads(graph: HeapGraph, retained: Float64Array, texts: ArrayTexts, reach?: Reachability): ThreadInfo[] {
  const reachedErrors = reach ? errorsReachedFromThreads(graph, reach) : new Map<number, string>();
  const roots = graph.roots;
  const stringIndex = threadNameStrings(graph);
  // Locals per thread serial and frame number.
  const locals = new Map<number, Map<number, Set<number>>>();
  for (let i = 0; i < roots.count; i++) {
    const kind = roots.kind[i]!;
    if ((kind !== JAVA_FRAME && kind !== JNI_LOCAL) || roots.node[i]! < 0) continue;
    const serial = roots.threadSerial[i]!;
    const frames = locals.get(serial) ?? new Map<number, Set<number>>();
    const frame = roots.frame[i]!;
    const set = frames.get(frame) ?? new Set<number>();
    set.add(roots.node[i]!);
    frames.set(frame, set);
    locals.set(serial, frames);
  }
  const threads: ThreadInfo[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < roots.count; i++) {
    if (roots.kind[i] !== THREAD_OBJECT) continue;
    const node = roots.node[i]!;
    const serial = roots.threadSerial[i]!;
    if (seen.has(serial)) continue;
    seen.add(serial);
    const trace = graph.traces.get(roots.frame[i]!);
    const frameLocals = locals.get(serial);
    const stack: ThreadFrame[] = (trace?.frameIds ?? []).map((frameId, depth) => {
      const held = [...(frameLocals?.get(depth) ?? [])].map((v) => ({ ...describe(graph, v), retainedBytes: retained[v]! }));
      return { ...describeFrame(graph, frameId), locals: held };
    });
    let localsRetained = 0;
    const counted = new Set<number>();
    for (const set of frameLocals?.values() ?? []) {
      for (const v of set) {
        if (counted.has(v)) continue;
        counted.add(v);
        localsRetained += retained[v]!;
      }
    }
    threads.push({
      name: node >= 0 ? threadName(graph, node, stringIndex, texts) : null,
      objectId: `0x${roots.id[i]!.toString(16)}`,
      threadSerial: serial,
      stack,
      retainedBytes: node >= 0 ? retained[node]! : 0,
      localsRetainedBytes: localsRetained,
      outOfMemoryError: outOfMemoryErrorOf(stack, reachedErrors.get(serial) ?? null),
    });
  }
  return threads;
}

function outOfMemoryErrorOf(stack: ThreadFrame[], reached: string | null): ThreadInfo['outOfMemoryError'] {
  if (stack.some((f) => f.class === OOM_CLASS && f.method === '<init>')) return { how: 'thrown', objectId: null };
  for (const f of stack) {
    const held = f.locals.find((l) => l.class === OOM_CLASS);
    if (held) return { how: 'held', objectId: held.objectId };
  }
  return reached === null ? null : { how: 'held', objectId: reached };
}

function threadName(graph: HeapGraph, thread: number, stringIndex: Map<number, number>, texts: ArrayTexts): string | null {
  const name = graph.threadNames.get(thread);
  if (name === undefined) return null;
  const s = stringIndex.get(name);
  if (s !== undefined) {
    const value = graph.stringObjects.value[s]!;
    if (value < 0) return null;
    const text = texts.decode(value, graph.stringObjects.coder[s]!, graph.stringObjects.offset[s]!, graph.stringObjects.length[s]!);
    return text ? shown(text) : null;
  }
  const text = texts.decode(name, -1); // before JDK 7 the name is a char[]
  return text ? shown(text) : null;
}
