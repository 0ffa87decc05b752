// What each overview tile counts, in which table, and where it leads. The SQL of a metric is an
// aggregate over one "family" (a table and its filter target), so that one scan answers every
// metric of a family at once.

import type { MetricId, TileCategory, TileDrill } from '../../domain/overview/contract';
import { EXIT_EVENT, FAILED_CALL } from '../../formats/scap/schema/event-direction';
import { processActivity } from '../../formats/scap/schema/activity';

/** 'static': a value with no time line (the fd table has no times). */
export type Family = 'events' | 'chunks' | 'streams' | 'http' | 'findings' | 'alerts' | 'static';

export interface MetricDef {
  id: MetricId;
  category: TileCategory;
  label: string;
  description: string;
  unit: 'count' | 'bytes';
  family: Family;
  /**
   * Aggregate per bucket, over the family's rows (aliases: events e; chunks c joined to streams s;
   * streams s; http_exchanges x). SQLite evaluates both sides of an AND inside an expression: the
   * events' metrics test the cheap integer columns first in a CASE and compare the type (a list
   * lookup) only for the rows left, which makes a scan of 3 million events 2.3 times faster.
   */
  sql: string;
  /**
   * A condition every row the metric counts meets, the aggregate being 0 (or NULL) over the others:
   * where the rollup reads its buckets by event number, these metrics read those rows alone, which
   * the event store picks for SQLite (it checks res and latency comparisons and picks types by its
   * Bloom filters and dictionaries), instead of evaluating the metric on every event.
   */
  rows?: string;
  /**
   * The metric is the count of exit events (`SUM(EXIT_EVENT)`), which the rollup then reads from the
   * bits the scap ingest stores per event (exit-counts.ts) where it reads its buckets by event number.
   */
  exits?: true;
  /** 'peak': a distinct count, which does not add up across buckets (the coarse value is the max). */
  seriesKind: 'sum' | 'peak';
  drill: TileDrill | null;
}

// Calls that wait by design: a long latency there is not slowness.
const WAITING_CALLS = `'epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'poll', 'ppoll', 'select', 'pselect6', 'nanosleep', 'clock_nanosleep', 'futex', 'wait4', 'waitid', 'pause', 'rt_sigsuspend', 'rt_sigtimedwait', 'accept', 'accept4', 'recvfrom', 'recvmsg', 'read'`;
const OPEN_CALLS = `'open', 'openat', 'openat2', 'creat', 'open_by_handle_at'`;
// EINPROGRESS: a non-blocking connect under way, not a failure.
const EINPROGRESS = -115;

export const SLOW_CALL_NS = 1_000_000;

export const METRICS: readonly MetricDef[] = [
  {
    id: 'processes',
    category: 'General',
    label: 'Processes',
    description:
      'Processes with at least one event in the range, as sysdig counts them (the process list and other capture metadata are not activity); the sparkline shows how many were alive (between their first and last event) in each interval.',
    unit: 'count',
    family: 'events',
    sql: `COUNT(DISTINCT CASE WHEN ${processActivity()} THEN e.pid END)`,
    seriesKind: 'peak',
    drill: { table: 'processes' },
  },
  {
    id: 'containers',
    category: 'General',
    label: 'Containers',
    description: 'Containers (and the host) with at least one event of a process in the range, as sysdig counts them; the sparkline shows how many were alive in each interval.',
    unit: 'count',
    family: 'events',
    sql: `COUNT(DISTINCT CASE WHEN ${processActivity()} THEN e.container_id END)`,
    seriesKind: 'peak',
    drill: { table: 'containers' },
  },
  {
    id: 'syscalls',
    category: 'General',
    label: 'System calls',
    description: 'System calls that returned (one exit event each).',
    unit: 'count',
    family: 'events',
    sql: `SUM(${EXIT_EVENT})`,
    exits: true,
    seriesKind: 'sum',
    drill: { table: 'events' },
  },
  {
    id: 'findings',
    category: 'General',
    label: 'Findings',
    description: 'What the analyses explain (proxy errors and their causes), placed at their HTTP exchange.',
    unit: 'count',
    family: 'findings',
    sql: 'COUNT(*)',
    seriesKind: 'sum',
    drill: { view: 'http' },
  },
  {
    id: 'fileBytesIn',
    category: 'File',
    label: 'File bytes in',
    description: 'Bytes read from files.',
    unit: 'bytes',
    family: 'chunks',
    sql: "SUM(CASE WHEN s.kind = 'file' AND c.dir = 'in' THEN c.length ELSE 0 END)",
    seriesKind: 'sum',
    drill: { table: 'files' },
  },
  {
    id: 'fileBytesOut',
    category: 'File',
    label: 'File bytes out',
    description: 'Bytes written to files.',
    unit: 'bytes',
    family: 'chunks',
    sql: "SUM(CASE WHEN s.kind = 'file' AND c.dir = 'out' THEN c.length ELSE 0 END)",
    seriesKind: 'sum',
    drill: { table: 'files' },
  },
  {
    id: 'fileOpenErrors',
    category: 'File',
    label: 'File open errors',
    description: 'open, openat, openat2, creat and open_by_handle_at calls that failed.',
    unit: 'count',
    family: 'events',
    sql: `SUM(CASE WHEN ${FAILED_CALL} THEN e.type IN (${OPEN_CALLS}) ELSE 0 END)`,
    rows: 'e.res < 0',
    seriesKind: 'sum',
    drill: { table: 'errors' },
  },
  {
    id: 'netBytesIn',
    category: 'Network',
    label: 'Net bytes in',
    description: 'Bytes received on TCP and UDP sockets (network captures: server to client).',
    unit: 'bytes',
    family: 'chunks',
    sql: "SUM(CASE WHEN s.l4proto IN ('tcp', 'udp') AND c.dir = 'in' THEN c.length ELSE 0 END)",
    seriesKind: 'sum',
    drill: { table: 'connections' },
  },
  {
    id: 'netBytesOut',
    category: 'Network',
    label: 'Net bytes out',
    description: 'Bytes sent on TCP and UDP sockets (network captures: client to server).',
    unit: 'bytes',
    family: 'chunks',
    sql: "SUM(CASE WHEN s.l4proto IN ('tcp', 'udp') AND c.dir = 'out' THEN c.length ELSE 0 END)",
    seriesKind: 'sum',
    drill: { table: 'connections' },
  },
  {
    id: 'connectionsIn',
    category: 'Network',
    label: 'New inbound connections',
    description: 'TCP connections a process accepted.',
    unit: 'count',
    family: 'streams',
    sql: "SUM(s.l4proto = 'tcp' AND s.role = 'server' AND s.pid IS NOT NULL)",
    seriesKind: 'sum',
    drill: { table: 'connections' },
  },
  {
    id: 'connectionsOut',
    category: 'Network',
    label: 'New outbound connections',
    description: 'TCP connections a process opened; in a network capture, every TCP connection seen.',
    unit: 'count',
    family: 'streams',
    sql: "SUM(s.l4proto = 'tcp' AND s.role = 'client')",
    seriesKind: 'sum',
    drill: { table: 'connections' },
  },
  {
    id: 'connectionsFailed',
    category: 'Network',
    label: 'Failed connections',
    description: `connect calls that failed (not counting EINPROGRESS); in a network capture, SYNs never answered and connections reset before any byte moved.`,
    unit: 'count',
    family: 'events',
    sql: `SUM(CASE WHEN ${FAILED_CALL} AND e.res != ${EINPROGRESS} THEN e.type = 'connect' ELSE 0 END)`,
    rows: 'e.res < 0',
    seriesKind: 'sum',
    drill: { table: 'errors', filter: 'evt.type=connect' },
  },
  {
    id: 'listeningPorts',
    category: 'Network',
    label: 'Listening ports',
    description: 'Distinct listening sockets (syscall captures: server fds; network captures: ports that answered a SYN).',
    unit: 'count',
    family: 'static',
    sql: '',
    seriesKind: 'sum',
    drill: { table: 'connections' },
  },
  {
    id: 'httpExchanges',
    category: 'Network',
    label: 'HTTP exchanges',
    description: 'HTTP requests, each with its response if one came (not packets, not buffers).',
    unit: 'count',
    family: 'http',
    sql: 'COUNT(*)',
    seriesKind: 'sum',
    drill: { view: 'http' },
  },
  {
    id: 'httpErrors',
    category: 'Network',
    label: 'HTTP errors',
    description: 'HTTP exchanges answered with a 4xx or 5xx status.',
    unit: 'count',
    family: 'http',
    sql: 'SUM(x.status >= 400 AND x.status <= 599)',
    seriesKind: 'sum',
    drill: { view: 'http' },
  },
  {
    id: 'grpcCalls',
    category: 'Network',
    label: 'gRPC calls',
    description: 'HTTP/2 exchanges that are gRPC calls (content-type application/grpc, or gRPC status fields).',
    unit: 'count',
    family: 'http',
    sql: 'SUM(x.grpc_req_messages IS NOT NULL)',
    seriesKind: 'sum',
    drill: { view: 'http' },
  },
  {
    id: 'grpcErrors',
    category: 'Network',
    label: 'gRPC errors',
    description: 'gRPC calls that ended with a status other than OK (from grpc-status, or a stream reset or refused).',
    unit: 'count',
    family: 'http',
    sql: 'SUM(x.grpc_status IS NOT NULL AND x.grpc_status != 0)',
    seriesKind: 'sum',
    drill: { view: 'http' },
  },
  {
    id: 'execs',
    category: 'Security',
    label: 'Executed commands',
    description: 'execve and execveat calls that succeeded.',
    unit: 'count',
    family: 'events',
    sql: `SUM(CASE WHEN e.res = 0 AND ${EXIT_EVENT} THEN e.type IN ('execve', 'execveat') ELSE 0 END)`,
    rows: "e.type IN ('execve', 'execveat')",
    seriesKind: 'sum',
    drill: { table: 'events', filter: 'evt.type=execve' },
  },
  {
    id: 'signals',
    category: 'Security',
    label: 'Signals',
    description: 'kill, tkill and tgkill calls, and signal deliveries.',
    unit: 'count',
    family: 'events',
    sql: `SUM(CASE e.type WHEN 'kill' THEN ${EXIT_EVENT} WHEN 'tkill' THEN ${EXIT_EVENT} WHEN 'tgkill' THEN ${EXIT_EVENT} WHEN 'signaldeliver' THEN 1 ELSE 0 END)`,
    rows: "e.type IN ('kill', 'tkill', 'tgkill', 'signaldeliver')",
    seriesKind: 'sum',
    drill: { table: 'events', filter: 'evt.type=signaldeliver' },
  },
  {
    id: 'securityAlerts',
    category: 'Security',
    label: 'Security alerts',
    description: "Alerts of capscope's default Falco rules (a shell in a container, a write below /etc, a privileged container, ...): `capscope alerts` lists them.",
    unit: 'count',
    family: 'alerts',
    sql: 'COUNT(*)',
    seriesKind: 'sum',
    drill: null,
  },
  {
    id: 'syscallErrors',
    category: 'Performance',
    label: 'System call errors',
    description: 'System calls that returned an error (EAGAIN and friends included).',
    unit: 'count',
    family: 'events',
    sql: `SUM(${FAILED_CALL})`,
    rows: 'e.res < 0',
    seriesKind: 'sum',
    drill: { table: 'errors' },
  },
  {
    id: 'slowSyscalls',
    category: 'Performance',
    label: 'Slow system calls',
    description: `System calls that took 1 ms or more, not counting calls that wait by design (poll, futex, sleep, blocking reads and accepts).`,
    unit: 'count',
    family: 'events',
    sql: `SUM(CASE WHEN e.latency >= ${SLOW_CALL_NS} AND ${EXIT_EVENT} THEN e.type NOT IN (${WAITING_CALLS}) ELSE 0 END)`,
    rows: `e.latency >= ${SLOW_CALL_NS}`,
    seriesKind: 'sum',
    drill: { table: 'events', filter: `evt.latency>=${SLOW_CALL_NS}` },
  },
  {
    id: 'logWrites',
    category: 'Logs',
    label: 'Log writes',
    description: 'Writes to stdout and stderr, to files under /var/log and to files named *.log.',
    unit: 'count',
    family: 'chunks',
    sql: "SUM(c.dir = 'out' AND (s.fd IN (1, 2) OR s.fd_name LIKE '/var/log/%' OR s.fd_name LIKE '%.log'))",
    seriesKind: 'sum',
    drill: { table: 'files' },
  },
];

export const METRIC_BY_ID = new Map(METRICS.map((m) => [m.id, m]));

/** Network-capture side of failed connections: SYNs never answered, resets before any byte. */
export const PCAP_FAILED_CONNECTIONS_SQL = "SUM(s.pid IS NULL AND s.l4proto = 'tcp' AND (s.state = 'syn' OR (s.state = 'rst' AND s.bytes_in = 0 AND s.bytes_out = 0)))";
