// Turns the I/O of a syscall capture into streams and chunks (DESIGN.md "Shared currency"): one
// stream per fd lifetime per process, one chunk per read/write-family call that moved bytes, with
// the bytes the program moved (res) and the bytes the capture kept (truncated to the snaplen).

import type { ScapEvent } from './parser/event';
import type { FdInfo } from './parser/fds';
import type { Thread } from './threads';

export interface StreamRecord {
  id: number;
  kind: string;
  l4proto: string | null;
  family: number | null;
  clientAddr: string | null;
  clientPort: number | null;
  serverAddr: string | null;
  serverPort: number | null;
  clientGuessed: boolean;
  tuple: string | null;
  containerId: string;
  pid: number;
  tid: number;
  fd: number;
  proc: string | null;
  fdName: string;
  role: 'client' | 'server' | null;
  connectionIndex: number;
  bytesIn: number;
  bytesOut: number;
  capturedIn: number;
  capturedOut: number;
  chunkCount: number;
  firstTs: bigint;
  lastTs: bigint;
  state: 'open' | 'closed';
}

export interface ChunkRecord {
  streamId: number;
  seq: number;
  ts: bigint;
  dir: 'in' | 'out';
  offset: number;
  length: number;
  captured: number;
  data: Uint8Array;
  frame: number;
}

export interface StreamSink {
  /** A stream seen for the first time: returns its id. */
  open(s: Omit<StreamRecord, 'id'>): number;
  /** `c.data` is a view of the event's bytes, valid during the call only: copy what is kept. */
  chunk(c: ChunkRecord): void;
  /** The stream's totals changed for the last time (closed, or the capture ended). */
  finish(s: StreamRecord): void;
}

const EMPTY = new Uint8Array(0);

function kindOf(f: FdInfo): string {
  switch (f.type) {
    case 'ipv4': case 'ipv6': case 'ipv4-server': case 'ipv6-server':
      return f.l4proto === 'tcp' || f.l4proto === 'udp' ? f.l4proto : (f.l4proto ?? 'socket');
    case 'file': case 'directory': case 'memfd':
      return 'file';
    default:
      return f.type;
  }
}

export class StreamBuilder {
  /** Live streams by fd object (an fd object is one fd lifetime in one process). */
  private readonly live = new Map<FdInfo, StreamRecord>();
  /** Fds the capture never showed opened: one placeholder per process and number. */
  private readonly unknown = new Map<string, FdInfo>();
  private readonly perKind = new Map<string, number>();

  constructor(private readonly sink: StreamSink) {}

  io(ev: ScapEvent, t: Thread, fIn: FdInfo, dir: 'in' | 'out', res: number, data: Uint8Array | undefined): void {
    if (res <= 0) return;
    let f = fIn;
    if (f.type === 'unknown') {
      if (f.fd < 0) return;
      const key = `${t.pid}:${f.fd}`;
      f = this.unknown.get(key) ?? f;
      this.unknown.set(key, f);
    }
    let s = this.live.get(f);
    if (!s) {
      s = this.start(f, t, ev.ts);
      this.live.set(f, s);
    }
    // A socket named after its first I/O (an unconnected UDP socket) takes its name now.
    if (s.chunkCount === 0 || (s.fdName === '' && f.name)) this.describe(s, f);
    const captured = data ? Math.min(data.length, res) : 0;
    this.sink.chunk({
      streamId: s.id,
      seq: s.chunkCount,
      ts: ev.ts,
      dir,
      offset: dir === 'in' ? s.bytesIn : s.bytesOut,
      length: res,
      captured,
      // A view of the event's bytes: the sink copies it before the handler returns (StreamSink.chunk).
      data: data ? data.subarray(0, captured) : EMPTY,
      frame: ev.num,
    });
    s.chunkCount++;
    if (dir === 'in') {
      s.bytesIn += res;
      s.capturedIn += captured;
    } else {
      s.bytesOut += res;
      s.capturedOut += captured;
    }
    s.lastTs = ev.ts;
  }

  closed(fIn: FdInfo, ts: bigint, pid: number): void {
    let f = fIn;
    if (f.type === 'unknown') {
      // The close of an fd the capture never showed opened ends its placeholder's stream.
      const key = `${pid}:${f.fd}`;
      f = this.unknown.get(key) ?? f;
      this.unknown.delete(key);
    }
    const s = this.live.get(f);
    if (!s) return;
    this.live.delete(f);
    s.state = 'closed';
    if (ts > s.lastTs) s.lastTs = ts;
    this.sink.finish(s);
  }

  /** The end of the capture: every stream still open is written as it stands. */
  end(): void {
    for (const s of this.live.values()) this.sink.finish(s);
    this.live.clear();
  }

  /** Streams of each fd object, for the fds table. */
  streamOf(f: FdInfo): number | undefined {
    return this.live.get(f)?.id;
  }

  private start(f: FdInfo, t: Thread, ts: bigint): StreamRecord {
    const kind = kindOf(f);
    const index = this.perKind.get(kind) ?? 0;
    this.perKind.set(kind, index + 1);
    // One literal with its id (given once the sink has it): a copy spread from the record without
    // one took a hidden class of its own per stream, and every read and write of a stream's fields,
    // here on each chunk and in the writer, went megamorphic (issue 20).
    const s: StreamRecord = {
      id: 0, kind, l4proto: null, family: null, clientAddr: null, clientPort: null, serverAddr: null, serverPort: null, clientGuessed: false,
      tuple: null, containerId: t.containerId, pid: t.pid, tid: t.tid, fd: f.fd, proc: t.comm, fdName: f.name, role: f.role,
      connectionIndex: index, bytesIn: 0, bytesOut: 0, capturedIn: 0, capturedOut: 0, chunkCount: 0, firstTs: ts, lastTs: ts, state: 'open',
    };
    s.id = this.sink.open(s);
    this.describe(s, f);
    return s;
  }

  /** Fills the connection fields from what the fd knows. */
  private describe(s: StreamRecord, f: FdInfo): void {
    s.fdName = f.name;
    s.role = f.role;
    if (f.dip === undefined || f.sip === undefined) return;
    s.l4proto = f.l4proto;
    s.family = f.type.startsWith('ipv6') ? 6 : 4;
    let role = f.role;
    if (!role) {
      // An fd from the capture's initial fd table does not say who connected: the lower port serves.
      role = (f.sport ?? 0) > (f.dport ?? 0) ? 'client' : 'server';
      s.clientGuessed = true;
    }
    s.role = role;
    const local = { addr: f.sip, port: f.sport ?? 0 };
    const remote = { addr: f.dip, port: f.dport ?? 0 };
    const client = role === 'client' ? local : remote;
    const server = role === 'client' ? remote : local;
    s.clientAddr = client.addr;
    s.clientPort = client.port;
    s.serverAddr = server.addr;
    s.serverPort = server.port;
    // The shared tuple format of streams (pcap writes the same): IPv6 addresses in brackets.
    const ep = (a: string, port: number) => (s.family === 6 ? `[${a}]:${port}` : `${a}:${port}`);
    s.tuple = `${ep(client.addr, client.port)}->${ep(server.addr, server.port)}`;
  }
}
