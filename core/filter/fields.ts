// The fields a filter can name, per kind of row it filters, each as a SQL expression over that
// row's table (events AS e, streams AS s, http_exchanges AS x). Other tables are reached through
// scalar subqueries, so a compiled filter drops into any query over its table.
//
// NULL is sysdig's <NA>: the field does not apply to the row, and every comparison with it is
// false (`fd.name != x` is false for an event without an fd; `not fd.name = x` is true).

import { TYPE_MASK, UNKNOWN_FD_FLAGS } from '../formats/scap/parser/fd-flags';
import type { FilterTarget } from './targets';
import { EXIT_EVENT } from '../formats/scap/schema/event-direction';

export type FieldType = 'string' | 'number' | 'bool';

export interface FieldDef {
  type: FieldType;
  /** SQL for the value; NULL where the field does not apply. */
  sql: string;
  /** A plain column (or NOT NULL expression) the planner may use an index on. */
  plain?: boolean;
  /** Never NULL: no guard needed around comparisons. */
  notNull?: boolean;
  /** Numbers that are durations in ns: values may carry a unit (10ms, 2s, 500us). */
  duration?: boolean;
  /** Compared against the captured bytes of the event's data buffer (evt.buffer). */
  buffer?: boolean;
  doc: string;
}

type FieldTable = Readonly<Record<string, FieldDef>>;

// ---- events (scap) --------------------------------------------------------------------------

/** The thread's row (its last known state in its lifetime; a tid reused later is another row). */
const thread = (column: string) =>
  `(SELECT t.${column} FROM threads t WHERE t.source_id = e.source_id AND t.tid = e.tid ORDER BY t.id DESC LIMIT 1)`;
/** The process's main thread row. */
const processOf = (column: string, alias = 'e') =>
  `(SELECT p.${column} FROM threads p WHERE p.source_id = ${alias}.source_id AND p.tid = ${alias}.pid ORDER BY p.id DESC LIMIT 1)`;
const container = (column: string, alias: string, sourceSql: string) =>
  `(SELECT c.${column} FROM containers c WHERE c.source_id = ${sourceSql} AND c.id = ${alias}.container_id)`;
const containerName = (alias: string, sourceSql: string) =>
  `CASE WHEN ${alias}.container_id = 'host' THEN 'host' ELSE ${container('name', alias, sourceSql)} END`;
const fdPart = (part: string) => `capscope_fd(e.fd_name, e.fd_flags, '${part}')`;

const CONTAINER_FIELDS = (alias: string, sourceSql: string): FieldTable => ({
  'container.id': { type: 'string', sql: `${alias}.container_id`, plain: true, doc: "12-hex container id, or 'host'" },
  'container.name': { type: 'string', sql: containerName(alias, sourceSql), doc: "container name (from the capture's container metadata), 'host' for the host" },
  'container.image': { type: 'string', sql: container('image', alias, sourceSql), doc: 'container image' },
  'container.type': { type: 'string', sql: container('type', alias, sourceSql), doc: 'docker, containerd, cri-o, podman, ...' },
  'container.privileged': { type: 'bool', sql: container('privileged', alias, sourceSql), doc: 'the container runs privileged' },
  'k8s.pod.name': { type: 'string', sql: container('pod_name', alias, sourceSql), doc: 'Kubernetes pod name, where the capture says' },
  'k8s.pod.uid': { type: 'string', sql: container('pod_uid', alias, sourceSql), doc: 'Kubernetes pod uid (from the cgroup path)' },
  'k8s.ns.name': { type: 'string', sql: container('namespace', alias, sourceSql), doc: 'Kubernetes namespace, where the capture says' },
});

export const EVENT_FIELDS: FieldTable = {
  'evt.num': { type: 'number', sql: 'e.num', plain: true, notNull: true, doc: 'event number, 1-based, as sysdig numbers them' },
  'evt.type': { type: 'string', sql: 'e.type', plain: true, notNull: true, doc: 'syscall or event name (the real syscall for generic events)' },
  'evt.dir': { type: 'string', sql: 'e.dir', plain: true, notNull: true, doc: "'>' for enter events, '<' for exit events" },
  'evt.cpu': { type: 'number', sql: 'e.cpu', plain: true, notNull: true, doc: 'CPU the event ran on' },
  'evt.rawtime': { type: 'number', sql: 'e.ts', plain: true, notNull: true, doc: 'timestamp, ns since the epoch' },
  'evt.category': { type: 'string', sql: 'e.category', plain: true, notNull: true, doc: 'event category (FILE, NET, IO_READ, ...)' },
  'evt.res': {
    type: 'string',
    sql: "CASE WHEN e.res IS NULL THEN NULL WHEN e.res >= 0 THEN 'SUCCESS' ELSE capscope_errno(e.res) END",
    doc: "result as text: 'SUCCESS' or the errno name (ENOENT); compared as text, as sysdig does — use evt.rawres for numbers",
  },
  'evt.rawres': { type: 'number', sql: 'e.res', plain: true, doc: 'result as a number (negative: -errno)' },
  'evt.failed': { type: 'bool', sql: 'coalesce(e.res < 0, 0)', notNull: true, doc: 'the call returned an error' },
  'evt.latency': { type: 'number', sql: 'coalesce(e.latency, 0)', notNull: true, duration: true, doc: 'ns from the enter event to this exit event (0 for enter events)' },
  'evt.is_io': { type: 'bool', sql: "e.category IN ('IO_READ', 'IO_WRITE')", notNull: true, doc: 'a read- or write-family call' },
  'evt.is_io_read': { type: 'bool', sql: "e.category = 'IO_READ'", notNull: true, doc: 'a read-family call' },
  'evt.is_io_write': { type: 'bool', sql: "e.category = 'IO_WRITE'", notNull: true, doc: 'a write-family call' },
  'evt.buflen': {
    type: 'number',
    sql: `CASE WHEN ${EXIT_EVENT} AND e.category IN ('IO_READ', 'IO_WRITE', 'IO_OTHER') AND (e.fd_flags & ${TYPE_MASK}) NOT IN (0, ${UNKNOWN_FD_FLAGS}) AND e.res >= 0 THEN e.res END`,
    doc: 'bytes an I/O call moved (its result), on exit events of calls on a known fd',
  },
  'evt.buffer': { type: 'string', sql: 'NULL', buffer: true, doc: "the captured bytes of the event's data buffer (snaplen-limited)" },
  'evt.info': { type: 'string', sql: 'e.info', plain: true, notNull: true, doc: "the event's parameters as capscope events prints them" },
  'proc.name': { type: 'string', sql: 'e.proc', plain: true, doc: 'process (thread) name, as sysdig prints it' },
  'proc.pid': { type: 'number', sql: 'e.pid', plain: true, doc: 'process id' },
  'proc.ppid': { type: 'number', sql: processOf('ptid'), doc: 'parent process id' },
  'proc.pname': {
    type: 'string',
    sql: `(SELECT pp.comm FROM threads pp WHERE pp.source_id = e.source_id AND pp.tid = ${processOf('ptid')} ORDER BY pp.id DESC LIMIT 1)`,
    doc: "parent process's name",
  },
  'proc.exe': { type: 'string', sql: processOf('exe'), doc: 'the first command-line argument (argv[0])' },
  'proc.cmdline': {
    type: 'string',
    sql: `(SELECT p.comm || coalesce((SELECT group_concat(' ' || j.value, '') FROM json_each(p.args) j), '') FROM threads p WHERE p.source_id = e.source_id AND p.tid = e.pid ORDER BY p.id DESC LIMIT 1)`,
    doc: 'process name and arguments',
  },
  'proc.cwd': { type: 'string', sql: processOf('cwd'), doc: 'working directory' },
  'thread.tid': { type: 'number', sql: 'e.tid', plain: true, notNull: true, doc: 'thread id' },
  'user.uid': { type: 'number', sql: thread('uid'), doc: "the thread's user id" },
  'user.name': {
    type: 'string',
    sql: `(SELECT u.name FROM users u WHERE u.source_id = e.source_id AND u.kind = 'user' AND u.id = ${thread('uid')})`,
    doc: "the thread's user name, from the capture's user list",
  },
  'fd.num': { type: 'number', sql: 'e.fd', plain: true, doc: 'the fd the event is about' },
  'fd.name': { type: 'string', sql: 'e.fd_name', plain: true, doc: "the fd's name as sysdig prints it (a path, a connection tuple, ...)" },
  'fd.type': { type: 'string', sql: fdPart('type'), doc: 'file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, ...' },
  'fd.typechar': { type: 'string', sql: fdPart('typechar'), doc: "one letter of the type: f, d, 4, 6, u, p, e, s, l, i, t, ..." },
  'fd.directory': { type: 'string', sql: fdPart('directory'), doc: 'the directory of a file fd (the path itself for a directory)' },
  'fd.filename': { type: 'string', sql: fdPart('filename'), doc: 'the last component of a file fd' },
  'fd.sip': { type: 'string', sql: fdPart('sip'), doc: 'server address of a connection' },
  'fd.cip': { type: 'string', sql: fdPart('cip'), doc: 'client address of a connection' },
  'fd.sport': { type: 'number', sql: fdPart('sport'), doc: 'server port' },
  'fd.cport': { type: 'number', sql: fdPart('cport'), doc: 'client port' },
  'fd.lip': { type: 'string', sql: fdPart('lip'), doc: "local address (this process's side)" },
  'fd.rip': { type: 'string', sql: fdPart('rip'), doc: 'remote address' },
  'fd.lport': { type: 'number', sql: fdPart('lport'), doc: 'local port' },
  'fd.rport': { type: 'number', sql: fdPart('rport'), doc: 'remote port' },
  'fd.l4proto': { type: 'string', sql: fdPart('l4proto'), doc: 'tcp, udp, icmp or raw' },
  'fd.sockfamily': { type: 'string', sql: fdPart('sockfamily'), doc: "'ip' or 'unix'" },
  'fd.is_server': { type: 'bool', sql: fdPart('is_server'), doc: 'this process is the server side of the connection (it accepted it, or listens)' },
  ...CONTAINER_FIELDS('e', 'e.source_id'),
};

// ---- streams (scap fds with I/O, pcap connections and flows) ---------------------------------

const streamLocal = (serverSide: string, clientSide: string) => `CASE WHEN s.role = 'server' THEN ${serverSide} ELSE ${clientSide} END`;

export const STREAM_FIELDS: FieldTable = {
  'fd.name': { type: 'string', sql: 'coalesce(s.fd_name, s.tuple)', doc: 'the connection tuple (client first) or the fd name' },
  'fd.num': { type: 'number', sql: 's.fd', plain: true, doc: 'the fd (syscall captures)' },
  'fd.type': {
    type: 'string',
    sql: "CASE WHEN s.family = 4 THEN 'ipv4' WHEN s.family = 6 THEN 'ipv6' ELSE s.kind END",
    notNull: true,
    doc: 'ipv4, ipv6, unix, file, pipe, ...',
  },
  'fd.sip': { type: 'string', sql: 's.server_addr', plain: true, doc: 'server address' },
  'fd.cip': { type: 'string', sql: 's.client_addr', plain: true, doc: 'client address' },
  'fd.sport': { type: 'number', sql: 's.server_port', plain: true, doc: 'server port' },
  'fd.cport': { type: 'number', sql: 's.client_port', plain: true, doc: 'client port' },
  'fd.lip': { type: 'string', sql: streamLocal('s.server_addr', 's.client_addr'), doc: "local address (this view's side)" },
  'fd.rip': { type: 'string', sql: streamLocal('s.client_addr', 's.server_addr'), doc: 'remote address' },
  'fd.lport': { type: 'number', sql: streamLocal('s.server_port', 's.client_port'), doc: 'local port' },
  'fd.rport': { type: 'number', sql: streamLocal('s.client_port', 's.server_port'), doc: 'remote port' },
  'fd.l4proto': { type: 'string', sql: 's.l4proto', plain: true, doc: 'tcp or udp' },
  'fd.sockfamily': {
    type: 'string',
    sql: "CASE WHEN s.family IS NOT NULL THEN 'ip' WHEN s.kind = 'unix' THEN 'unix' END",
    doc: "'ip' or 'unix'",
  },
  'fd.is_server': { type: 'bool', sql: "s.role = 'server'", doc: "this view is the connection's server side" },
  'proc.name': { type: 'string', sql: 's.proc', plain: true, doc: 'process of this view (syscall captures)' },
  'proc.pid': { type: 'number', sql: 's.pid', plain: true, doc: 'process id of this view (syscall captures)' },
  'thread.tid': { type: 'number', sql: 's.tid', plain: true, doc: 'thread id of this view (syscall captures)' },
  ...CONTAINER_FIELDS('s', 's.source_id'),
};

// ---- HTTP exchanges --------------------------------------------------------------------------

const exchangeSource = '(SELECT st.source_id FROM streams st WHERE st.id = x.stream_id)';
const endpoint = (column: 'client' | 'server', part: 'addr' | 'port') => `capscope_endpoint(x.${column}, '${part}')`;

export const HTTP_FIELDS: FieldTable = {
  'http.method': { type: 'string', sql: 'x.method', plain: true, doc: 'request method' },
  'http.url': { type: 'string', sql: 'x.target', plain: true, doc: 'request target as sent (path and query)' },
  'http.host': { type: 'string', sql: 'x.host', plain: true, doc: 'Host header' },
  'http.status': { type: 'number', sql: 'x.status', plain: true, doc: 'response status code (<NA> when no response was seen)' },
  'http.reason': { type: 'string', sql: 'x.reason', plain: true, doc: 'response reason phrase' },
  'http.server': { type: 'string', sql: 'x.server', plain: true, doc: "the server side as 'addr:port'" },
  'http.client': { type: 'string', sql: 'x.client', plain: true, doc: "the client side as 'addr:port'" },
  'http.version': { type: 'string', sql: "substr(x.version, 6)", doc: "HTTP version as `capscope http --json` gives it: '1.0', '1.1' or '2'" },
  'http.latency': { type: 'number', sql: 'x.resp_ts - x.req_ts', duration: true, doc: 'ns from the first request byte to the first response byte' },
  'http.duration': { type: 'number', sql: 'x.resp_end_ts - x.req_ts', duration: true, doc: 'ns from the first request byte to the last response byte' },
  'http.req_bytes': { type: 'number', sql: 'x.req_bytes', plain: true, notNull: true, doc: 'request bytes on the wire' },
  'http.resp_bytes': { type: 'number', sql: 'x.resp_bytes', plain: true, notNull: true, doc: 'response bytes on the wire' },
  'http.truncated': { type: 'bool', sql: 'x.truncated', notNull: true, doc: 'some bytes of the exchange were not captured' },
  'http.diagnostic': {
    type: 'string',
    sql: "(SELECT group_concat(d.code, ' ') FROM http_diagnostics d WHERE d.exchange_id = x.id)",
    doc: 'codes of the RFC 9112 and HTTP/2 diagnostics on the exchange, space-separated (use contains)',
  },
  'http2.stream': { type: 'number', sql: 'x.http2_stream', plain: true, doc: 'the HTTP/2 stream id (<NA> for HTTP/1)' },
  'http2.error': { type: 'string', sql: 'x.http2_error', plain: true, doc: "the HTTP/2 error code that ended the stream, by RST_STREAM or a refusing GOAWAY: 'CANCEL', 'REFUSED_STREAM', ..." },
  'grpc.service': { type: 'string', sql: 'x.grpc_service', plain: true, doc: "a gRPC call's service, from :path (package.Service)" },
  'grpc.method': { type: 'string', sql: 'x.grpc_method', plain: true, doc: "a gRPC call's method, from :path" },
  'grpc.status': { type: 'number', sql: 'x.grpc_status', plain: true, doc: 'grpc-status (0 OK, 2 UNKNOWN, 14 UNAVAILABLE, ...), or the status the client saw for a reset stream' },
  'grpc.status_name': { type: 'string', sql: 'x.grpc_status_name', plain: true, doc: "the status by name: 'OK', 'UNKNOWN', 'UNAVAILABLE', ..." },
  'grpc.message': { type: 'string', sql: 'x.grpc_message', plain: true, doc: 'grpc-message, percent-decoded' },
  'fd.cip': { type: 'string', sql: endpoint('client', 'addr'), doc: 'client address' },
  'fd.cport': { type: 'number', sql: endpoint('client', 'port'), doc: 'client port' },
  'fd.sip': { type: 'string', sql: endpoint('server', 'addr'), doc: 'server address' },
  'fd.sport': { type: 'number', sql: endpoint('server', 'port'), doc: 'server port' },
  'proc.name': { type: 'string', sql: 'x.proc', plain: true, doc: "the server side's process (syscall captures)" },
  'proc.pid': { type: 'number', sql: 'x.pid', plain: true, doc: "the server side's process id (syscall captures)" },
  ...CONTAINER_FIELDS('x', exchangeSource),
};

export const FIELDS: Readonly<Record<FilterTarget, FieldTable>> = { events: EVENT_FIELDS, streams: STREAM_FIELDS, http: HTTP_FIELDS };

/** A few short names the old `--filter` took, kept so existing scripts work. */
export const ALIASES: Readonly<Record<string, string>> = {
  num: 'evt.num', type: 'evt.type', dir: 'evt.dir', cpu: 'evt.cpu', tid: 'thread.tid', pid: 'proc.pid', proc: 'proc.name',
  fd: 'fd.num', fdname: 'fd.name', res: 'evt.rawres', latency: 'evt.latency', category: 'evt.category', container: 'container.id',
  ts: 'evt.rawtime', method: 'http.method', status: 'http.status', target: 'http.url', host: 'http.host',
};
