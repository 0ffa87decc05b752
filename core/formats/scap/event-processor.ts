// Applies each event to the capture's state the way libsinsp's parser does, and describes the
// event as a row for the index: its process, the fd it is about and that fd's name, its result,
// its latency (an exit paired with its thread's enter; unknown, null, for an exit without one) and
// its container. I/O on fds is handed to an observer that turns it into streams and chunks.
//
// A call comes either as an enter/exit pair or as one exit carrying its enter's parameters (current
// drivers with enter events off, libs' savefile converter): what the pair's enter would have said
// is read from the exit itself (./exit-params.ts), so both forms make the same state.

import { EF, EVENT_TYPE_COUNT, eventInfo, PPME, syscallName } from './parser/event-table';
import type { ScapEvent } from './parser/event';
import {
  decodeSockAddr,
  decodeSockTuple,
  formatValueAt,
  paramBytes,
  paramIndex,
  paramInt,
  paramString,
  splitNulList,
} from './parser/params';
import { RAW_FLAG_TABLES } from './parser/event-table-data';
import type { ScapFd, ScapThread } from './parser/state-blocks';
import { containerFromCgroups, containerFromJson, containerFromPluginEvent, type Container } from './containers';
import { fdFromList, fdTypeChar, newFd, tupleName, type FdInfo, type FdType } from './parser/fds';
import { encodeFdFlags, UNKNOWN_FD_FLAGS } from './parser/fd-flags';
import { newThread, setCgroups, ThreadTable, type Thread } from './threads';
import { callFdOfExit } from './exit-params';

export interface EventRow {
  num: number;
  ts: bigint;
  cpu: number;
  tid: number;
  /** null where sysdig prints <NA>: an event of a thread the capture never described (sysdig shows -1 for tid -1). */
  pid: number | null;
  proc: string | null;
  dir: '>' | '<';
  type: string;
  eventType: number;
  category: string;
  fd: number | null;
  fdName: string | null;
  /** core/scap/fd-flags.ts packing of the fd's type, protocol and role; null: no known fd. */
  fdFlags: number | null;
  res: number | null;
  latency: bigint | null;
  /** null when the event has no thread (libsinsp prints <NA>). */
  containerId: string | null;
  /**
   * The fd table the event's info text names its fds from, as it stands after the event: the text
   * itself is made from the event's bytes as it is stored (info-record.ts), or by infoText().
   */
  fds: Map<number, FdInfo>;
}

export interface StateObserver {
  io?(ev: ScapEvent, t: Thread, f: FdInfo, dir: 'in' | 'out', res: number, data: Uint8Array | undefined): void;
  closed?(f: FdInfo, t: Thread, ts: bigint): void;
  container?(c: Container): void;
  thread?(t: Thread): void;
  /** A thread left the table (procexit): its last state. */
  threadExit?(t: Thread): void;
}

const flag = (table: string, name: string): number => RAW_FLAG_TABLES[table]?.find(([n]) => n === name)?.[1] ?? 0;
const CLONE_THREAD = flag('clone_flags', 'CLONE_THREAD');
const CLONE_FILES = flag('clone_flags', 'CLONE_FILES');
const O_DIRECTORY = flag('file_flags', 'O_DIRECTORY');
const F_DUPFD = new Set([flag('fcntl_commands', 'F_DUPFD'), flag('fcntl_commands', 'F_DUPFD_CLOEXEC')]);
const AT_FDCWD = -100;
const RES_TYPES = new Set(['ERRNO', 'FD', 'PID']);
/** Calls besides creations whose exit needs what the enter said. */
const NEEDS_ENTER_ARGS = new Set(['sendto', 'sendmsg', 'fcntl']);
/**
 * Per event type, read once per event rather than asked of sets by name: 1, a call whose exit needs
 * its enter's params (creations, NEEDS_ENTER_ARGS); 2, its first param is the call's result.
 */
const NEEDS_ARGS = 1;
const HAS_RESULT = 2;
const TYPE_BITS = Uint8Array.from({ length: EVENT_TYPE_COUNT }, (_, type) => {
  const info = eventInfo(type);
  if (!info) return 0;
  const p = info.params[0];
  return (info.flags & EF.CREATES_FD || NEEDS_ENTER_ARGS.has(info.name) ? NEEDS_ARGS : 0) | (p && (RES_TYPES.has(p.type) || p.name === 'res') ? HAS_RESULT : 0);
});

/** The integer param named `n`, if the event carries it. */
function intParam(ev: ScapEvent, n: string): number | undefined {
  const i = paramIndex(ev, n);
  return i < 0 ? undefined : paramInt(ev, i);
}

/**
 * The string param named `n`. An empty string param is one the writer did not know (libs'
 * converter leaves the params it cannot fill empty); a real string always holds at least its NUL.
 */
function strParam(ev: ScapEvent, n: string): string | undefined {
  const i = paramIndex(ev, n);
  return given(ev, i) ? paramString(ev, i) : undefined;
}

/** The event carries param `i` with at least one byte (an empty param says nothing). */
function given(ev: ScapEvent, i: number): boolean {
  return i >= 0 && i < ev.paramAt.length && ev.paramLen[i]! > 0;
}

const enterNames = new Map<number, readonly string[]>();
/** The param names of an exit's enter event: what an extended exit appends. */
function enterParamNames(exitType: number): readonly string[] {
  let names = enterNames.get(exitType);
  if (!names) enterNames.set(exitType, (names = eventInfo(exitType - 1)?.params.map((p) => p.name) ?? []));
  return names;
}

/**
 * An enter's params that the exit needs, read from the enter event or, given the enter's param
 * names, from an extended exit that carries them (params the exit does not hold stay undefined).
 */
function enterArgsOf(ev: ScapEvent, names?: readonly string[]): EnterArgs {
  // Every field present (undefined where the event has no such param): objects of one shape, so
  // the exit's reads of them are not megamorphic lookups of absent properties (issue 20).
  const args: EnterArgs = { domain: undefined, sockType: undefined, proto: undefined, path: undefined, dirfd: undefined, flags: undefined, tuple: undefined, cmd: undefined };
  const get = (n: string) => {
    if (names && !names.includes(n)) return undefined;
    const i = paramIndex(ev, n);
    return i < 0 ? undefined : i;
  };
  let i: number | undefined;
  if ((i = get('domain')) !== undefined) args.domain = paramInt(ev, i);
  if ((i = get('type')) !== undefined && ev.info.name.startsWith('socket')) args.sockType = paramInt(ev, i);
  if ((i = get('proto')) !== undefined) args.proto = paramInt(ev, i);
  if ((i = get('name')) !== undefined || (i = get('pathname')) !== undefined || (i = get('path')) !== undefined) args.path = paramString(ev, i);
  if ((i = get('dirfd')) !== undefined) args.dirfd = paramInt(ev, i);
  if ((i = get('flags')) !== undefined) args.flags = paramInt(ev, i);
  if ((i = get('tuple')) !== undefined) args.tuple = paramBytes(ev, i)?.slice();
  if ((i = get('cmd')) !== undefined) args.cmd = paramInt(ev, i);
  return args;
}

/** What an enter event leaves for its exit (or what an extended exit carries of its enter). */
interface EnterArgs {
  domain?: number;
  sockType?: number;
  proto?: number;
  path?: string;
  dirfd?: number;
  flags?: number;
  tuple?: Uint8Array;
  /** fcntl's command (F_DUPFD makes a new fd). */
  cmd?: number;
}

export class EventProcessor {
  readonly threads = new ThreadTable();
  readonly containers = new Map<string, Container>();
  /** The thread and time of the event being processed (for fds replaced under it). */
  private current: Thread | null = null;
  private currentTs = 0n;
  private readonly blankThread = newThread(0);
  /**
   * The row process() returns, filled again for each event (an object per event was garbage the
   * ingest's thread spent its time collecting): valid until the next call; copy it to keep it.
   */
  private readonly row: EventRow = {
    num: 0, ts: 0n, cpu: 0, tid: 0, pid: null, proc: null, dir: '>', type: '', eventType: 0, category: '', fd: null, fdName: null, fdFlags: null, res: null,
    latency: null, containerId: null, fds: new Map(),
  };

  constructor(private readonly observer: StateObserver = {}) {}

  // ----- state blocks -----

  addThreads(list: ScapThread[]): void {
    for (const s of list) {
      const t = this.threads.getOrCreate(s.tid);
      Object.assign(t, { pid: s.pid, ptid: s.ptid, comm: s.comm, exe: s.exe, args: s.args, cwd: s.cwd, uid: s.uid, gid: s.gid, vtid: s.vtid, vpid: s.vpid, sharesFds: (s.flags & CLONE_FILES) !== 0 });
      setCgroups(t, s.cgroups);
      this.noteContainer(t);
    }
  }

  addFds(tid: number, fds: ScapFd[]): void {
    const t = this.threads.get(tid);
    // libscap drops fd lists of threads its process list did not have.
    if (!t) return;
    const table = this.threads.fdsOf(t);
    for (const e of fds) table.set(e.fd, fdFromList(e));
  }

  /** The blank thread of a bystander enter of an unknown thread (read, never changed), as `tid`. */
  private blank(tid: number): Thread {
    const t = this.blankThread;
    t.tid = tid;
    t.pid = tid;
    return t;
  }

  private noteContainer(t: Thread): void {
    if (t.containerId === 'host' || this.containers.has(t.containerId)) return;
    const m = containerFromCgroups(t.cgroups);
    if (!m) return;
    const c: Container = { id: m.id, name: '', image: '', type: m.type, labels: {}, podUid: m.podUid, podName: null, namespace: null, privileged: null, source: 'cgroup' };
    this.containers.set(c.id, c);
    this.observer.container?.(c);
  }

  // ----- events -----

  /** The event's row: the same object each call, filled again (copy it to keep it). */
  process(ev: ScapEvent): EventRow {
    const info = ev.info;
    const isEnter = info.direction === '>';
    // libsinsp does not invent a thread for scheduler switches and internal events of a tid it has
    // never seen: those rows have no process and no container.
    const known = this.threads.get(ev.tid);
    // Nor for a negative tid: the container JSON events carry tid -1, which is no thread at all (it
    // made a process -1 with no name in the processes table).
    const phantom = !known && (ev.type === PPME.SCHEDSWITCH_1_E || ev.type === PPME.SCHEDSWITCH_6_E || (info.flags & EF.SKIPPARSERESET) !== 0 || ev.tid < 0);
    // Scheduler switches and internal events come between a call's enter and exit without
    // belonging to the call: they pair with nothing and do not break a pair.
    const bystander = (info.flags & EF.SKIPPARSERESET) !== 0 || info.category === 'SCHEDULER';
    // Such an enter changes nothing of its thread: a thread the capture never described is one
    // blank thread for all of them (the procinfo events of unknown threads were a third of a
    // container capture's events, each a thread and an fd table made and dropped).
    const t = known ?? (!phantom ? this.threads.getOrCreate(ev.tid) : isEnter && bystander && ev.type !== PPME.PROCEXIT_1_E && ev.type !== PPME.PROCEXIT_E ? this.blank(ev.tid) : newThread(ev.tid));
    const fds = this.threads.fdsOf(t);
    this.current = t;
    this.currentTs = ev.ts;
    let name = info.name;
    if (ev.type === PPME.GENERIC_E || ev.type === PPME.GENERIC_X) name = syscallName(paramInt(ev, 0) ?? -1) ?? name;

    let fd: number | null = null;
    let latency: bigint | null = null;
    const paired = !isEnter && t.lastEnterType === ev.type - 1;
    if (bystander) {
      // nothing to pair
    } else if (isEnter) {
      if (!(info.flags & EF.SKIPPARSERESET)) {
        t.lastEnterType = ev.type;
        t.lastEnterTs = ev.ts;
      }
      if (info.flags & EF.USES_FD) {
        fd = paramInt(ev, 0) ?? null;
        t.lastFd = fd;
      } else t.lastFd = null;
      // Only creations (and sends, whose destination may name the fd, and fcntl, which may dup
      // one) need their enter's params.
      t.enterArgs = TYPE_BITS[ev.type]! & NEEDS_ARGS ? enterArgsOf(ev) : null;
    } else {
      if (paired) latency = ev.ts - t.lastEnterTs;
      if (info.flags & EF.USES_FD) {
        // The fd of the call comes from its enter event, or from the exit's own params: the
        // enter's fd appended to an extended exit, or the fd only the exit carries (setsockopt,
        // fchown, ...).
        const enterUsesFd = paired && (eventInfo(ev.type - 1)?.flags ?? 0) & EF.USES_FD;
        fd = enterUsesFd ? t.lastFd : callFdOfExit(ev);
      }
      if (!(info.flags & EF.SKIPPARSERESET)) t.lastEnterType = -1;
    }
    let f: FdInfo | undefined = fd === null ? undefined : fds.get(fd);
    // An exit about an fd the capture never showed being opened: libsinsp describes it with an
    // empty name for this event only.
    if (!f && !isEnter && info.flags & EF.USES_FD) f = newFd(fd ?? -1, 'unknown', '', null);
    const res = isEnter ? null : this.result(ev);

    // The enter's params the exit needs: stored from the enter of a pair, else as the exit carries them.
    const enter = isEnter || !(TYPE_BITS[ev.type]! & NEEDS_ARGS) ? undefined
      : paired ? ((t.enterArgs as EnterArgs | null) ?? undefined) : enterArgsOf(ev, enterParamNames(ev.type));
    if (!isEnter) {
      const created = this.applyExit(ev, t, fds, f, fd, res, enter);
      if (created) {
        f = created;
        fd = created.fd;
      }
    }
    // Enter events change no state sysdig shows: creations happen on the exit, and sendto's
    // destination does not rename the fd until the exit (libsinsp 0.29, checked against it).
    let procName: string | null = t.comm;
    let containerId: string | null = phantom ? null : t.containerId;
    if (ev.type === PPME.CONTAINER_E || ev.type === PPME.CONTAINER_JSON_E || ev.type === PPME.CONTAINER_JSON_2_E || ev.type === PPME.ASYNCEVENT_E) {
      const c = this.applyContainer(ev);
      if (c) {
        procName = `container:${c.id}`;
        containerId = c.id;
      }
    }
    let fdName: string | null = f ? f.name : null;
    // A creation that failed is still about the path it names (not so its enter: <NA> in sysdig).
    if (!f && !isEnter && info.flags & EF.CREATES_FD) fdName = this.exitPath(ev, t, enter);
    // The fd is gone after a successful close, but the close event is still about it.
    if (!isEnter && info.flags & EF.DESTROYS_FD && f && res !== null && res >= 0 && fd !== null) {
      fds.delete(fd);
      this.observer.closed?.(f, t, ev.ts);
    }
    // sysdig's evt.is_io: the read and write categories, whatever the call.
    if (!isEnter && f && res !== null && (info.category === 'IO_READ' || info.category === 'IO_WRITE')) {
      this.observer.io?.(ev, t, f, info.category === 'IO_READ' ? 'in' : 'out', res, this.dataParam(ev));
    }
    // Counted before a procexit writes the thread's row.
    if (!phantom && info.source !== 'metaevent' && ev.ts > 0n) {
      t.activity++;
      t.firstActivityTs ??= ev.ts;
      t.lastActivityTs = ev.ts;
    }
    if (ev.type === PPME.PROCEXIT_1_E || ev.type === PPME.PROCEXIT_E) this.exitThread(t, ev.ts);
    const row = this.row;
    row.num = ev.num;
    row.ts = ev.ts;
    row.cpu = ev.cpu;
    row.tid = ev.tid;
    row.pid = phantom && ev.tid >= 0 ? null : t.pid;
    row.proc = procName;
    row.dir = info.direction;
    row.type = name;
    row.eventType = ev.type;
    row.category = info.category;
    row.fd = fd;
    row.fdName = fdName;
    row.fdFlags = f ? encodeFdFlags(f) : fd !== null && info.flags & EF.USES_FD ? UNKNOWN_FD_FLAGS : null;
    row.res = res;
    row.latency = latency;
    row.containerId = containerId;
    row.fds = fds;
    return row;
  }

  private result(ev: ScapEvent): number | null {
    if (ev.paramAt.length === 0 || !(TYPE_BITS[ev.type]! & HAS_RESULT)) return null;
    // A result is the kernel's long, also where the table says u64 (mmap, brk): -ENOMEM is -12.
    return paramInt(ev, 0, true) ?? null;
  }

  private dataParam(ev: ScapEvent): Uint8Array | undefined {
    const i = paramIndex(ev, 'data');
    return i < 0 ? undefined : paramBytes(ev, i);
  }

  private exitPath(ev: ScapEvent, t: Thread, a: EnterArgs | undefined): string | null {
    if (!/^(open|openat|openat2|creat)$/.test(ev.info.name)) return null;
    const i = paramIndex(ev, 'name');
    const d = paramIndex(ev, 'dirfd');
    const path = i >= 0 ? paramString(ev, i) : a?.path;
    if (path === undefined) return null;
    return this.resolvePath(t, path, d >= 0 ? (paramInt(ev, d) ?? AT_FDCWD) : (a?.dirfd ?? AT_FDCWD));
  }

  private resolvePath(t: Thread, path: string, dirfd: number): string {
    if (path.startsWith('/') || path === '') return normalizePath(path);
    let dir = t.cwd;
    if (dirfd !== AT_FDCWD) dir = this.threads.fdsOf(t).get(dirfd)?.name ?? '';
    if (!dir) return path;
    return normalizePath(`${dir.endsWith('/') ? dir : `${dir}/`}${path}`);
  }

  private nameFromTuple(f: FdInfo, bytes: Uint8Array | undefined, le: boolean, remoteFirst: boolean): void {
    if (!bytes || (f.type !== 'ipv4' && f.type !== 'ipv6' && f.type !== 'unix')) return;
    const tuple = decodeSockTuple(bytes, le);
    if (!tuple) return;
    if (typeof tuple.family === 'number') {
      const tt = tuple as { sip: string; sport: number; dip: string; dport: number };
      if (tt.sport === 0 && tt.dport === 0 && tt.sip === '0.0.0.0') return;
      f.sip = remoteFirst ? tt.dip : tt.sip;
      f.sport = remoteFirst ? tt.dport : tt.sport;
      f.dip = remoteFirst ? tt.sip : tt.dip;
      f.dport = remoteFirst ? tt.sport : tt.dport;
      // The name is the tuple as the kernel reported it (accept: client->server), as sysdig shows it.
      f.name = tupleName(tt.sip, tt.sport, tt.dip, tt.dport);
    } else if (tuple.family === 'unix') {
      f.name = `${tuple.source.toString(16)}->${tuple.dest.toString(16)}${tuple.path ? ` ${tuple.path}` : ''}`;
    }
  }

  private addFd(fds: Map<number, FdInfo>, fd: number, type: FdType, name: string, l4proto: string | null = null): FdInfo {
    const old = fds.get(fd);
    if (old) this.observer.closed?.(old, this.current!, this.currentTs);
    const f = newFd(fd, type, name, l4proto);
    fds.set(fd, f);
    return f;
  }

  /**
   * Applies an exit event; returns the fd it created, if any. `callFd` is the fd the call is
   * about, `enter` what its enter said (from the pair's enter or the extended exit).
   */
  private applyExit(ev: ScapEvent, t: Thread, fds: Map<number, FdInfo>, f: FdInfo | undefined, callFd: number | null, res: number | null, enter: EnterArgs | undefined): FdInfo | undefined {
    const name = ev.info.name;
    const le = ev.b.le;
    switch (name) {
      case 'open':
      case 'openat':
      case 'openat2':
      case 'creat':
      case 'open_by_handle_at': {
        const fd = intParam(ev, 'fd') ?? res;
        if (fd === null || fd === undefined || fd < 0) return undefined;
        const path = strParam(ev, 'name') ?? strParam(ev, 'path') ?? enter?.path ?? '';
        const dirfd = intParam(ev, 'dirfd') ?? enter?.dirfd ?? AT_FDCWD;
        const flags = intParam(ev, 'flags') ?? enter?.flags ?? 0;
        return this.addFd(fds, fd, flags & O_DIRECTORY ? 'directory' : 'file', this.resolvePath(t, path, dirfd));
      }
      case 'socket': {
        if (res === null || res < 0) return undefined;
        const domain = enter?.domain ?? -1;
        const st = (enter?.sockType ?? 0) & 0xf;
        const l4 = st === 1 ? 'tcp' : st === 2 ? 'udp' : st === 3 ? (enter?.proto === 1 || enter?.proto === 58 ? 'icmp' : 'raw') : null;
        const type: FdType = domain === 2 ? 'ipv4' : domain === 10 ? 'ipv6' : domain === 1 ? 'unix' : domain === 16 ? 'netlink' : 'unsupported';
        return this.addFd(fds, res, type, '', type === 'ipv4' || type === 'ipv6' ? l4 : null);
      }
      case 'connect': {
        if (!f) return undefined;
        const i = paramIndex(ev, 'tuple');
        const tuple = i < 0 ? undefined : paramBytes(ev, i);
        // A failed connect is about the address it tried, but leaves the fd as it was; a socket
        // already connected keeps its name (libsinsp behaviour, checked against sysdig).
        if (res !== null && res < 0 && res !== -115) {
          const shown = { ...f };
          this.nameFromTuple(shown, tuple, le, false);
          return shown;
        }
        if (f.role !== 'client') {
          this.nameFromTuple(f, tuple, le, false);
          f.role = 'client';
        }
        return undefined;
      }
      case 'accept':
      case 'accept4': {
        const fd = intParam(ev, 'fd') ?? res;
        if (fd === null || fd === undefined || fd < 0) return undefined;
        const i = paramIndex(ev, 'tuple');
        const bytes = i < 0 ? undefined : paramBytes(ev, i);
        const tuple = bytes ? decodeSockTuple(bytes, le) : undefined;
        const type: FdType = tuple?.family === 6 ? 'ipv6' : tuple?.family === 'unix' ? 'unix' : 'ipv4';
        const listening = f;
        const created = this.addFd(fds, fd, type, '', type === 'unix' ? null : (listening?.l4proto ?? 'tcp'));
        // accept's tuple is remote->local: this endpoint is the server.
        this.nameFromTuple(created, bytes, le, true);
        created.role = 'server';
        return created;
      }
      case 'bind': {
        if (f && res === 0) {
          const i = paramIndex(ev, 'addr');
          const a = i < 0 ? undefined : decodeSockAddr(paramBytes(ev, i)!, le);
          if (a && typeof a.family === 'number') {
            const sa = a as { addr: string; port: number };
            f.sip = sa.addr;
            f.sport = sa.port;
            if (!f.dip) f.name = `${sa.addr}:${sa.port}`;
          } else if (a?.family === 'unix') f.name = a.path;
        }
        return undefined;
      }
      case 'listen':
        if (f && res === 0) {
          if (f.type === 'ipv4') f.type = 'ipv4-server';
          else if (f.type === 'ipv6') f.type = 'ipv6-server';
          f.role = 'server';
        }
        return undefined;
      case 'sendto':
      case 'sendmsg':
        // An unconnected UDP socket is named by the first destination it sends to; a wildcard
        // source takes the destination's address (what libsinsp shows).
        if (f && f.l4proto === 'udp' && !f.dip && enter?.tuple) {
          const tu = decodeSockTuple(enter.tuple, le);
          if (tu && typeof tu.family === 'number') {
            const x = tu as { sip: string; sport: number; dip: string; dport: number };
            const sip = /^(0\.0\.0\.0|::)$/.test(x.sip) ? x.dip : x.sip;
            Object.assign(f, { sip, sport: x.sport, dip: x.dip, dport: x.dport, name: tupleName(sip, x.sport, x.dip, x.dport) });
          }
        }
        return undefined;
      case 'recvfrom':
      case 'recvmsg':
        // The tuple of a receive is remote->local; it names only a socket not named yet.
        if (f && !f.dip) {
          const i = paramIndex(ev, 'tuple');
          if (i >= 0) this.nameFromTuple(f, paramBytes(ev, i), le, true);
        }
        return undefined;
      case 'pipe':
      case 'pipe2': {
        if (res === null || res < 0) return undefined;
        // Event-made pipes are nameless in libsinsp (only /proc's fd lists say "pipe:[ino]").
        const fd1 = intParam(ev, 'fd1');
        const fd2 = intParam(ev, 'fd2');
        const second = fd2 !== undefined && fd2 >= 0 ? this.addFd(fds, fd2, 'pipe', '') : undefined;
        return fd1 !== undefined && fd1 >= 0 ? this.addFd(fds, fd1, 'pipe', '') : second;
      }
      case 'socketpair': {
        if (res === null || res < 0) return undefined;
        const fd1 = intParam(ev, 'fd1');
        const fd2 = intParam(ev, 'fd2');
        if (fd1 !== undefined && fd1 >= 0) this.addFd(fds, fd1, 'unix', '');
        if (fd2 !== undefined && fd2 >= 0) this.addFd(fds, fd2, 'unix', '');
        return undefined;
      }
      case 'eventfd': case 'eventfd2': case 'signalfd': case 'signalfd4': case 'timerfd_create': case 'inotify_init': case 'inotify_init1':
      case 'epoll_create': case 'epoll_create1': case 'userfaultfd': case 'io_uring_setup': case 'memfd_create': case 'pidfd_open':
      case 'pidfd_getfd': case 'bpf': {
        const fd = intParam(ev, 'fd') ?? intParam(ev, 'res_or_fd') ?? res;
        if (fd === null || fd === undefined || fd < 0) return undefined;
        const type: FdType = name.startsWith('eventfd') ? 'event' : name.startsWith('signalfd') ? 'signalfd' : name === 'timerfd_create' ? 'timerfd'
          : name.startsWith('inotify') ? 'inotify' : name.startsWith('epoll') ? 'eventpoll' : name === 'userfaultfd' ? 'userfaultfd'
          : name === 'io_uring_setup' ? 'io_uring' : name === 'memfd_create' ? 'memfd' : name === 'bpf' ? 'bpf' : 'pidfd';
        this.addFd(fds, fd, type, name === 'memfd_create' ? `memfd:${strParam(ev, 'name') ?? ''}` : '');
        return undefined;
      }
      case 'dup': case 'dup2': case 'dup3': case 'fcntl': {
        if (res === null || res < 0) return undefined;
        if (name === 'fcntl') {
          const cmd = intParam(ev, 'cmd') ?? enter?.cmd;
          if (cmd === undefined || !F_DUPFD.has(cmd)) return undefined;
        }
        const oldfd = intParam(ev, 'oldfd') ?? callFd;
        const old = oldfd === null || oldfd === undefined ? undefined : fds.get(oldfd);
        if (!old || res === oldfd) return undefined;
        const copy = this.addFd(fds, res, old.type, old.name, old.l4proto);
        Object.assign(copy, { sip: old.sip, sport: old.sport, dip: old.dip, dport: old.dport, role: old.role });
        return undefined;
      }
      case 'chdir':
        if (res === 0) {
          const p = strParam(ev, 'path');
          if (p !== undefined) t.cwd = this.resolvePath(t, p, AT_FDCWD);
        }
        return undefined;
      case 'fchdir':
        if (res === 0 && f) t.cwd = f.name;
        return undefined;
      case 'execve':
      case 'execveat':
        if (res === 0) this.applyExecve(ev, t);
        return undefined;
      case 'clone':
      case 'fork':
      case 'vfork':
      case 'clone3':
        this.applyClone(ev, t, res);
        return undefined;
      default:
        return undefined;
    }
  }

  private applyExecve(ev: ScapEvent, t: Thread): void {
    const exe = strParam(ev, 'exe') ?? t.exe;
    t.exe = exe;
    const argsAt = paramIndex(ev, 'args');
    if (given(ev, argsAt)) t.args = splitNulList(paramBytes(ev, argsAt)!);
    const comm = strParam(ev, 'comm');
    t.comm = comm ?? exe.slice(exe.lastIndexOf('/') + 1);
    const cwd = strParam(ev, 'cwd');
    if (cwd) t.cwd = cwd;
    const pid = intParam(ev, 'pid');
    if (pid !== undefined && pid > 0) t.pid = pid;
    const ptid = intParam(ev, 'ptid');
    if (ptid !== undefined) t.ptid = ptid;
    const cg = paramIndex(ev, 'cgroups');
    if (given(ev, cg)) setCgroups(t, splitNulList(paramBytes(ev, cg)!));
    const uid = intParam(ev, 'uid');
    if (uid !== undefined) t.uid = uid;
    this.noteContainer(t);
    this.observer.thread?.(t);
  }

  private applyClone(ev: ScapEvent, t: Thread, res: number | null): void {
    if (res === null || res < 0) return;
    const flags = intParam(ev, 'flags') ?? 0;
    const argsAt = paramIndex(ev, 'args');
    const cgAt = paramIndex(ev, 'cgroups');
    const fill = (child: Thread, tid: number, pid: number, ptid: number) => {
      child.pid = pid;
      child.ptid = ptid;
      const exe = strParam(ev, 'exe');
      if (exe !== undefined) child.exe = exe;
      if (given(ev, argsAt)) child.args = splitNulList(paramBytes(ev, argsAt)!);
      child.comm = strParam(ev, 'comm') ?? (exe ? exe.slice(exe.lastIndexOf('/') + 1) : child.comm);
      const cwd = strParam(ev, 'cwd');
      if (cwd !== undefined) child.cwd = cwd;
      if (given(ev, cgAt)) setCgroups(child, splitNulList(paramBytes(ev, cgAt)!));
      child.uid = intParam(ev, 'uid') ?? child.uid;
      child.gid = intParam(ev, 'gid') ?? child.gid;
      child.vtid = intParam(ev, 'vtid') ?? child.vtid;
      child.vpid = intParam(ev, 'vpid') ?? child.vpid;
      child.tid = tid;
    };
    if (res === 0) {
      // The child's own view: params describe the child.
      const pid = intParam(ev, 'pid') ?? t.pid;
      const ptid = intParam(ev, 'ptid') ?? t.ptid;
      const parent = this.threads.get(ptid);
      const known = t.comm !== null;
      fill(t, t.tid, pid, ptid);
      if (!known) t.sharesFds = (flags & CLONE_FILES) !== 0;
      if (!known && parent) this.inheritFds(t, parent, flags);
      this.noteContainer(t);
      this.observer.thread?.(t);
      return;
    }
    // The parent's view: res is the child's tid; create it unless its own exit came first.
    if (this.threads.get(res)?.comm) return;
    const child = this.threads.getOrCreate(res);
    const isThread = (flags & CLONE_THREAD) !== 0;
    fill(child, res, isThread ? t.pid : res, isThread ? t.ptid : t.tid);
    child.sharesFds = (flags & CLONE_FILES) !== 0;
    if (!isThread) this.inheritFds(child, t, flags);
    this.noteContainer(child);
    this.observer.thread?.(child);
  }

  private inheritFds(child: Thread, parent: Thread, flags: number): void {
    if (child.pid === parent.pid) return;
    const from = this.threads.fdsOf(parent);
    if (flags & CLONE_FILES) {
      child.fds = from;
      return;
    }
    child.sharesFds = false;
    child.fds = new Map();
    for (const [fd, f] of from) child.fds.set(fd, { ...f, streamId: undefined, written: false });
  }

  private exitThread(t: Thread, ts: bigint): void {
    t.exited = true;
    if (t.tid === t.pid) for (const f of t.fds.values()) this.observer.closed?.(f, t, ts);
    this.observer.threadExit?.(t);
    this.threads.remove(t.tid);
    t.enterArgs = null;
  }

  private applyContainer(ev: ScapEvent): Container | null {
    let c: Container | null;
    if (ev.type === PPME.ASYNCEVENT_E) {
      // The container plugin's events: "container" when it learns of one, "container_removed"
      // when one goes; any other plugin's async event is not about containers.
      const plugin = containerFromPluginEvent(paramString(ev, 1) ?? '', paramString(ev, 2) ?? '');
      if (!plugin) return null;
      const known = this.containers.get(plugin.container.id);
      // A removal says which container went; what was learnt of it before stands.
      if (plugin.kind === 'removed' && known && known.source === 'metadata') return known;
      c = plugin.container;
    } else if (ev.type === PPME.CONTAINER_E) {
      c = { id: paramString(ev, 0) ?? '', name: paramString(ev, 2) ?? '', image: paramString(ev, 3) ?? '', type: String(paramInt(ev, 1) ?? ''), labels: {}, podUid: null, podName: null, namespace: null, privileged: null, source: 'metadata' };
    } else c = containerFromJson(paramString(ev, 0) ?? '');
    if (!c || !c.id) return null;
    const known = this.containers.get(c.id);
    if (known && known.source === 'cgroup') c.podUid ??= known.podUid;
    this.containers.set(c.id, c);
    this.observer.container?.(c);
    return c;
  }
}

/** sysdig-like "name=value ..." text; fds show their type and name ("fd=3(<f>/etc/hosts)"). */
export function infoText(ev: ScapEvent, fds: Map<number, FdInfo>): string {
  let out = '';
  const params = ev.info.params;
  const b = ev.b;
  for (let i = 0; i < ev.paramAt.length && i < params.length; i++) {
    const p = params[i]!;
    const at = ev.paramAt[i]!;
    const len = ev.paramLen[i]!;
    let text: string | null = null;
    if (p.type === 'FD' && len === 8) {
      const v = b.exact64(at, true);
      const f = v !== null && v >= 0 ? fds.get(v) : undefined;
      if (f) text = `${v}(<${fdTypeChar(f)}>${f.name})`;
    }
    text ??= formatValueAt(p, b, at, len);
    if (text.length > 200) text = `${text.slice(0, 200)}...`;
    out = i === 0 ? `${p.name}=${text}` : `${out} ${p.name}=${text}`;
  }
  return out;
}

/** Removes "." and ".." segments and duplicate slashes, as libsinsp does for paths it builds. */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}
