// Naming a GC root as Eclipse MAT does: its kind (Java frame, JNI global, system class, thread, …)
// and, for what a thread's stack holds, the thread and the frame ("Java frame of thread worker-0 at
// com.example.leak.LeakApp.work(LeakApp.java:49)"). An object named by several root records is
// described by the first in the order the reachability walk takes them (ROOT_KIND_ORDER), with the
// other kinds listed.

import { ROOT_KIND_ORDER, type RootKind } from '../../formats/hprof/parser/constants';
import type { HeapGraph } from './graph';
import type { ThreadEntry } from './threads';

export interface GcRoot {
  kind: RootKind;
  /** The root in words. */
  label: string;
  /** The thread whose stack or native code holds it (Java frame, JNI local, native stack, thread block). */
  thread: string | null;
  /** The frame, as jstack prints it (Java frame, JNI local). */
  frame: string | null;
  /** Every kind of root record naming the object, in walk order. */
  kinds: RootKind[];
}

const KIND_WORDS: Record<RootKind, string> = {
  unknown: 'unknown root',
  'jni-global': 'JNI global',
  'jni-local': 'JNI local',
  'java-frame': 'Java frame',
  'native-stack': 'native stack',
  'sticky-class': 'system class (sticky class)',
  'thread-block': 'thread block',
  'monitor-used': 'busy monitor',
  'thread-object': 'thread',
  'interned-string': 'interned string',
  finalizing: 'finalizable',
  debugger: 'debugger',
  'reference-cleanup': 'reference cleanup',
  'vm-internal': 'VM internal',
  'jni-monitor': 'JNI monitor',
};

const THREAD_KINDS: ReadonlySet<RootKind> = new Set(['java-frame', 'jni-local', 'native-stack', 'thread-block', 'thread-object']);
const FRAME_KINDS: ReadonlySet<RootKind> = new Set(['java-frame', 'jni-local']);

/** The root records of each root object, first in walk order; built once per graph. */
export class GcRoots {
  private readonly byNode = new Map<number, number[]>();

  constructor(
    private readonly graph: HeapGraph,
    private readonly threads: Map<number, ThreadEntry>,
  ) {
    const roots = graph.roots;
    for (let i = 0; i < roots.count; i++) {
      const node = roots.node[i]!;
      if (node < 0) continue;
      const list = this.byNode.get(node);
      if (list) list.push(i);
      else this.byNode.set(node, [i]);
    }
    // Kind order first, then file order: the record the reachability walk made the object a root by.
    for (const list of this.byNode.values()) list.sort((a, b) => roots.kind[a]! - roots.kind[b]! || a - b);
  }

  /** The root `node` is, null when it is none. */
  of(node: number): GcRoot | null {
    const records = this.byNode.get(node);
    if (!records) return null;
    const roots = this.graph.roots;
    const first = records[0]!;
    const kind = ROOT_KIND_ORDER[roots.kind[first]!]!;
    const kinds = [...new Set(records.map((i) => ROOT_KIND_ORDER[roots.kind[i]!]!))];
    let thread: string | null = null;
    let frame: string | null = null;
    if (THREAD_KINDS.has(kind)) {
      const entry = this.threads.get(roots.threadSerial[first]!);
      thread = entry ? (entry.name ?? `serial ${roots.threadSerial[first]}`) : null;
      if (FRAME_KINDS.has(kind) && entry) frame = entry.frames[roots.frame[first]!] ?? null;
    }
    let label = KIND_WORDS[kind];
    if (thread !== null && kind !== 'thread-object') label += ` of thread ${thread}`;
    if (kind === 'thread-object' && thread !== null) label = `thread ${thread}`;
    if (frame !== null) label += ` at ${frame}`;
    return { kind, label, thread, frame, kinds };
  }
}
