// Threads and processes as libsinsp tracks them while reading a capture: from the process-list
// blocks first, then from clone/fork/vfork/clone3, execve/execveat and procexit events. Threads made
// with CLONE_FILES share their process's fd table; a forked child gets a copy of its parent's.

import type { FdInfo } from './parser/fds';
import { containerFromCgroups } from './containers';

export interface Thread {
  tid: number;
  pid: number;
  ptid: number;
  /** null until something names it: sysdig prints <NA>. */
  comm: string | null;
  exe: string;
  args: string[];
  cwd: string;
  uid: number;
  gid: number;
  cgroups: string[];
  containerId: string;
  vtid: number;
  vpid: number;
  fds: Map<number, FdInfo>;
  /** A thread made with CLONE_FILES uses its process's fd table (libsinsp's rule). */
  sharesFds: boolean;
  /** The last enter event of this thread, to pair the exit with (latency, fd of the call). */
  lastEnterType: number;
  lastEnterTs: bigint;
  lastFd: number | null;
  /** What its last enter said that the exit needs (event-processor.ts' EnterArgs), or null. */
  enterArgs: object | null;
  /** Row id in the threads table once written. */
  written: boolean;
  exited: boolean;
  /**
   * Its events that are the machine's activity (not metaevents, not at time 0): what sysdig counts
   * a process or container by. A thread known only from the process list has none.
   */
  activity: number;
  firstActivityTs: bigint | null;
  lastActivityTs: bigint | null;
}

export function newThread(tid: number): Thread {
  return {
    tid, pid: tid, ptid: -1, comm: null, exe: '', args: [], cwd: '', uid: -1, gid: -1, cgroups: [], containerId: 'host', vtid: -1, vpid: -1,
    fds: new Map(), sharesFds: false, lastEnterType: -1, lastEnterTs: 0n, lastFd: null, enterArgs: null, written: false, exited: false,
    activity: 0, firstActivityTs: null, lastActivityTs: null,
  };
}

export function setCgroups(t: Thread, cgroups: string[]): void {
  t.cgroups = cgroups;
  t.containerId = containerFromCgroups(cgroups)?.id ?? 'host';
}

export class ThreadTable {
  readonly threads = new Map<number, Thread>();

  get(tid: number): Thread | undefined {
    return this.threads.get(tid);
  }

  /** The thread, created blank (as libsinsp does for a tid it has never seen) if unknown. */
  getOrCreate(tid: number): Thread {
    let t = this.threads.get(tid);
    if (!t) {
      t = newThread(tid);
      this.threads.set(tid, t);
    }
    return t;
  }

  /** The fd table of the thread's process (threads share their process's table). */
  fdsOf(t: Thread): Map<number, FdInfo> {
    if (t.pid !== t.tid && t.sharesFds) {
      const main = this.threads.get(t.pid);
      if (main) return main.fds;
    }
    return t.fds;
  }

  remove(tid: number): void {
    this.threads.delete(tid);
  }
}
