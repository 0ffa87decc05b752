// The seed incident as a syscall capture sees it, in pieces a test composes into the story it
// needs: curl on the host → haproxy in container edge-lb → python in container ticket-server,
// whose responses carry the invalid header line `text/plain: Content-type` (so haproxy answers
// 502). Written with the test scap writer, which sysdig reads back (test/scap); every I/O is cut
// to a snaplen, kubectl capture's 80 bytes unless a test asks otherwise.

import { P, ScapWriter, type ThreadSpec } from './scap-writer';
import { evType } from '../scap/scenarios';

export const EDGE = 'e1'.repeat(32);
export const TICKETS = 'f2'.repeat(32);
export const START_NS = 1_795_330_316_000_000_000n;
/** kubectl capture's default snaplen. */
export const SNAPLEN = 80;

export const CLIENT_IP = '10.4.0.50';
export const PROXY_IP = '10.4.0.31';
export const BACKEND_IP = '10.4.0.12';

/** curl's request; haproxy forwards it with the header names in lower case. */
export const request = (path: string, { lowercase = false } = {}) =>
  lowercase
    ? `GET ${path} HTTP/1.1\r\nhost: tickets.example\r\nuser-agent: curl/7.88.1\r\naccept: */*\r\n\r\n`
    : `GET ${path} HTTP/1.1\r\nHost: tickets.example\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`;
export const BAD_RESPONSE = 'HTTP/1.1 200 OK\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n';
export const GOOD_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n';
const BAD_GATEWAY_BODY = '<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n';
/** haproxy's own 502 page, as it sends it. */
export const BAD_GATEWAY = `HTTP/1.1 502 Bad Gateway\r\ncontent-length: ${BAD_GATEWAY_BODY.length}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n${BAD_GATEWAY_BODY}`;
/** GOOD_RESPONSE as haproxy passes it on. */
export const PROXIED_OK = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\n\r\nok\n';

export interface Container {
  id: string;
  name: string;
  image: string;
  labels?: Record<string, string>;
}

/**
 * How a capture carries container metadata: the container JSON events libs wrote until 2025
 * (PPME_CONTAINER_JSON_2_E), or the container plugin's async events (PPME_ASYNCEVENT_E named
 * "container", its JSON NUL-terminated) that Falco 0.41 and later libs write.
 */
export type ContainerMetadataForm = 'json-event' | 'plugin';

/**
 * How calls are written: as an enter/exit pair with the exit's parameters of sysdig 0.29's time
 * ('paired'), as the exit alone carrying its enter's parameters after its own, the form current
 * libs write with enter events off and its converter makes of old pairs ('exit-only'), or one call
 * each way in turn ('mixed').
 */
export type CallForm = 'paired' | 'exit-only' | 'mixed';

/** The container plugin's id in the captures it writes (any number: capscope goes by the event's name). */
export const CONTAINER_PLUGIN_ID = 999;

export function containerJson(c: Container): string {
  return JSON.stringify({ container: { id: c.id.slice(0, 12), full_id: c.id, name: c.name, image: c.image, labels: c.labels ?? {}, type: 0, privileged: false } });
}
export const EDGE_LB: Container = { id: EDGE, name: 'edge-lb', image: 'haproxy:2.6' };
export const TICKET_SERVER: Container = { id: TICKETS, name: 'ticket-server', image: 'python:3.11' };

export const TID = { curl: 300, haproxy: 100, python: 200 } as const;
export const SYSTEMD: ThreadSpec = { tid: 1, comm: 'systemd', exe: '/sbin/init', ptid: 0 };
export const curl = (url = `http://${PROXY_IP}/getticket`): ThreadSpec => ({ tid: TID.curl, comm: 'curl', exe: '/usr/bin/curl', args: ['-s', url], cwd: '/root' });
export const HAPROXY: ThreadSpec = { tid: TID.haproxy, comm: 'haproxy', exe: '/usr/sbin/haproxy', args: ['-f', '/etc/haproxy/haproxy.cfg'], cwd: '/', cgroups: [`cpuset=/docker/${EDGE}`] };
export const python = (args = ['ticket_server.py']): ThreadSpec => ({ tid: TID.python, comm: 'python', exe: '/usr/bin/python3', args, cwd: '/srv', cgroups: [`cpuset=/docker/${TICKETS}`] });

/** One end of a connection: the thread and its fd. */
export interface Endpoint {
  tid: number;
  fd: number;
}

/** A listening socket in the process table: its thread, fd and port (80 unless said). */
export interface Listener extends Endpoint {
  port?: number;
}

type Dir = '>' | '<';

/** A scap capture written event by event, each `step` ns after the one before. */
export class IncidentScap {
  private readonly w = new ScapWriter();
  private ts: bigint;
  private readonly step: bigint;
  private readonly snaplen: number;
  private readonly form: CallForm;
  private calls = 0;

  constructor({ start = START_NS, step = 1000n, snaplen = SNAPLEN, form = 'paired' }: { start?: bigint; step?: bigint; snaplen?: number; form?: CallForm } = {}) {
    this.ts = start;
    this.step = step;
    this.snaplen = snaplen;
    this.form = form;
  }

  /**
   * The section header, host node-3, the process table, a listener on 0.0.0.0 for each, then the
   * containers. `metadataAt` stamps the container events with a time of their own (a 2017
   * kubectl capture stamps them 0) instead of 1 µs apart before the first syscall.
   */
  begin(threads: ThreadSpec[], listeners: Listener[], containers: Container[], { metadataAt, metadata = 'json-event' }: { metadataAt?: bigint; metadata?: ContainerMetadataForm } = {}): this {
    this.w.shb().machineInfo({ hostname: 'node-3' });
    this.w.procList(threads, 9);
    for (const l of listeners) this.w.fdList(l.tid, [{ fd: l.fd, kind: 'ipv4-server', ip: '0.0.0.0', port: l.port ?? 80 }], 2);
    for (const c of containers) {
      // The clock moves on either way, so the syscalls keep their times.
      this.ts += 1000n;
      this.containerEvent(c, metadata, metadataAt ?? this.ts);
    }
    return this;
  }

  /** One container's metadata event, in either form; the plugin's may also say it was removed. */
  containerEvent(c: Container, form: ContainerMetadataForm, ts = (this.ts += this.step), name: 'container' | 'container_removed' = 'container'): this {
    const json = containerJson(c);
    if (form === 'json-event') this.w.event({ type: 324, tid: -1, ts, params: [P.str(json)] });
    // The plugin's encoder sets tid 1 and sends the JSON with its NUL.
    else this.w.event({ type: 402, tid: 1, ts, params: [P.u32(CONTAINER_PLUGIN_ID), P.str(name), P.str(json)], block: 'EV_V2_LARGE' });
    return this;
  }

  /** Another plugin's async event, which says nothing about containers. */
  asyncEvent(pluginId: number, name: string, data: Uint8Array): this {
    this.w.event({ type: 402, tid: 1, ts: (this.ts += this.step), params: [P.u32(pluginId), P.str(name), P.buf(data)], block: 'EV_V2_LARGE' });
    return this;
  }

  /** Moves the clock on without an event (the pause between rounds). */
  advance(ns: bigint): this {
    this.ts += ns;
    return this;
  }

  ev(name: string, dir: Dir, tid: number, params: Uint8Array[], step = this.step): this {
    this.w.event({ type: evType(name, dir), tid, ts: (this.ts += step), params, block: 'EV_V2', cpu: tid % 2 });
    return this;
  }

  /**
   * One call in the capture's form: `enter` and `exit` are the parameters of the pair, `appended`
   * what current libs append to the exit (the enter's parameters). The clock moves for the enter
   * in every form, so an exit keeps its time whichever form it is written in.
   */
  call(name: string, tid: number, enter: Uint8Array[], exit: Uint8Array[], appended: Uint8Array[], firstStep = this.step): this {
    const alone = this.form === 'exit-only' || (this.form === 'mixed' && this.calls++ % 2 === 1);
    if (alone) {
      this.ts += firstStep;
      return this.ev(name, '<', tid, [...exit, ...appended]);
    }
    return this.ev(name, '>', tid, enter, firstStep).ev(name, '<', tid, exit);
  }

  /** A read or write of `text` (or bytes: HTTP/2) on one fd, its data cut to the snaplen. */
  io(name: 'read' | 'write', tid: number, fd: number, text: string | Uint8Array): this {
    const enter = [P.i64(fd), P.u32(name === 'read' ? 65536 : text.length)];
    return this.call(name, tid, enter, [P.i64(text.length), P.buf(text.slice(0, this.snaplen))], enter);
  }

  close(tid: number, fd: number): this {
    return this.call('close', tid, [P.i64(fd)], [P.i64(0)], [P.i64(fd)]);
  }

  /** socket + connect on the client, accept on the server, over the TCP connection `tuple`; `firstStep` spaces the socket call. */
  connect(client: Endpoint, server: Endpoint, tuple: { sip: string; sport: number; dip: string; dport: number }, firstStep = this.step): this {
    const t = P.tuple4(tuple.sip, tuple.sport, tuple.dip, tuple.dport);
    const socketArgs = [P.u32(2), P.u32(1), P.u32(0)];
    const addr = P.sockaddr4(tuple.dip, tuple.dport);
    // socket's exit gains domain, type, protocol and the flags (none); connect's its fd and address.
    return this.call('socket', client.tid, socketArgs, [P.i64(client.fd)], [...socketArgs, P.u32(0)], firstStep)
      .call('connect', client.tid, [P.i64(client.fd), addr], [P.i64(0), t], [P.i64(client.fd), addr])
      .call('accept', server.tid, [], [P.i64(server.fd), t, P.u8(0), P.u32(0), P.u32(128)], []);
  }

  bytes(): Buffer {
    return this.w.bytes();
  }
}

/** A capture of curl, haproxy in edge-lb and python in ticket-server, before the first request. */
export function seedIncidentScap({ step, snaplen, pythonArgs, metadataAt, metadata, containers = [EDGE_LB, TICKET_SERVER], form }: { step?: bigint; snaplen?: number; pythonArgs?: string[]; metadataAt?: bigint; metadata?: ContainerMetadataForm; containers?: Container[]; form?: CallForm } = {}): IncidentScap {
  return new IncidentScap({ step, snaplen, form }).begin(
    [SYSTEMD, curl(), HAPROXY, python(pythonArgs)],
    [
      { tid: TID.haproxy, fd: 4 },
      { tid: TID.python, fd: 3 },
    ],
    containers,
    { metadataAt, metadata },
  );
}

export interface ProxiedExchange {
  /** Tells this exchange's connections apart: the client and upstream ports count up from it. */
  round: number;
  request: string;
  upstreamRequest: string;
  upstreamResponse: string;
  clientResponse: string;
  /** The time from the event before to curl's socket call. */
  firstStep?: bigint;
}

/**
 * One request through the proxy, seen from all three processes: curl connects to haproxy (fd 3 →
 * fd 6), haproxy to python (fd 7 → fd 5); the request goes up, the response comes back, and each
 * connection is closed by its server once answered.
 */
export function proxiedExchange(w: IncidentScap, x: ProxiedExchange): IncidentScap {
  const curlEnd = { tid: TID.curl, fd: 3 };
  const proxyFront = { tid: TID.haproxy, fd: 6 };
  const proxyBack = { tid: TID.haproxy, fd: 7 };
  const backend = { tid: TID.python, fd: 5 };
  w.connect(curlEnd, proxyFront, { sip: CLIENT_IP, sport: 51000 + x.round, dip: PROXY_IP, dport: 80 }, x.firstStep);
  w.io('write', curlEnd.tid, curlEnd.fd, x.request).io('read', proxyFront.tid, proxyFront.fd, x.request);
  w.connect(proxyBack, backend, { sip: PROXY_IP, sport: 34560 + x.round, dip: BACKEND_IP, dport: 80 });
  w.io('write', proxyBack.tid, proxyBack.fd, x.upstreamRequest).io('read', backend.tid, backend.fd, x.upstreamRequest);
  w.io('write', backend.tid, backend.fd, x.upstreamResponse).close(backend.tid, backend.fd);
  w.io('read', proxyBack.tid, proxyBack.fd, x.upstreamResponse).close(proxyBack.tid, proxyBack.fd);
  w.io('write', proxyFront.tid, proxyFront.fd, x.clientResponse).io('read', curlEnd.tid, curlEnd.fd, x.clientResponse);
  return w.close(proxyFront.tid, proxyFront.fd).close(curlEnd.tid, curlEnd.fd);
}
