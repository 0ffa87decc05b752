// The fields a filter can name, per kind of row it filters, each as a SQL expression over that
// row's table (events AS e, streams AS s, http_exchanges AS x). Other tables are reached through
// scalar subqueries, so a compiled filter drops into any query over its table.
//
// NULL is sysdig's <NA>: the field does not apply to the row, and every comparison with it is
// false (`fd.name != x` is false for an event without an fd; `not fd.name = x` is true).

import { FD_TYPE_CODES, TYPE_MASK, UNKNOWN_FD_FLAGS } from '../formats/scap/parser/fd-flags';
import type { FdType } from '../formats/scap/parser/fds';
import { FD_TYPE_CHARS } from '../index/sql-functions';
import type { Capability } from '../../common/evidence';
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
  /** Only evidence with this capability fills it (a stream's process is known from system calls, not from packets). */
  filledBy?: Capability;
  /** Takes an argument, `name[arg]` (proc.aname[2]): the SQL for it, null for an argument it does not take. */
  withArg?: (arg: string) => string | null;
  /** The argument may also follow a dot (evt.arg.path is evt.arg[path]). */
  dottedArg?: boolean;
  /** What the argument is, for the error that refuses a wrong one. */
  argDoc?: string;
  /** Several values, the field holds when one does: a subquery of rows `v` (proc.aname without an index). */
  anyOf?: string;
  /** A network field (fd.net): compared with a.b.c.d/n, holds when one of these addresses is inside. */
  network?: readonly string[];
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
/**
 * fd.type and fd.typechar: what capscope_fd answers for them (they read the type's bits of
 * fd_flags alone), as a CASE over those bits: a rule that tests them on every open is spared a
 * call into JavaScript each time. Made from the same table as capscope_fd's answers.
 */
const fdTypeBits = (of: (type: FdType) => string | null) =>
  `CASE e.fd_flags & ${TYPE_MASK} ${FD_TYPE_CODES.flatMap((t, i) => {
    const v = of(t);
    return v === null ? [] : [`WHEN ${i + 1} THEN ${sqlText(v)}`];
  }).join(' ')} END`;

const CONTAINER_FIELDS = (alias: string, sourceSql: string): FieldTable => syscallsOnly({
  'container.id': { type: 'string', sql: `${alias}.container_id`, plain: true, doc: "12-hex container id, or 'host'" },
  'container.name': { type: 'string', sql: containerName(alias, sourceSql), doc: "container name (from the capture's container metadata), 'host' for the host" },
  'container.image': { type: 'string', sql: container('image', alias, sourceSql), doc: 'container image' },
  'container.type': { type: 'string', sql: container('type', alias, sourceSql), doc: 'docker, containerd, cri-o, podman, ...' },
  'container.privileged': { type: 'bool', sql: container('privileged', alias, sourceSql), doc: 'the container runs privileged' },
  'k8s.pod.name': { type: 'string', sql: container('pod_name', alias, sourceSql), doc: 'Kubernetes pod name, where the capture says' },
  'k8s.pod.uid': { type: 'string', sql: container('pod_uid', alias, sourceSql), doc: 'Kubernetes pod uid (from the cgroup path)' },
  'k8s.ns.name': { type: 'string', sql: container('namespace', alias, sourceSql), doc: 'Kubernetes namespace, where the capture says' },
});

/** Fields only a syscall capture fills (processes, threads, containers). */
function syscallsOnly(fields: FieldTable): FieldTable {
  return Object.fromEntries(Object.entries(fields).map(([name, def]) => [name, { ...def, filledBy: 'syscalls' as const }]));
}
// ---- the fields Falco's rules use (events) ------------------------------------------------------
// Kept together so that other additions to the field table merge apart from them. Each reads what
// the index holds: the thread table's last known state of a thread, the event's printed parameters.

/** The thread row of `tidSql` in the event's capture (its last known state). */
const threadRow = (column: string, tidSql: string, alias: string) =>
  `(SELECT ${alias}.${column} FROM threads ${alias} WHERE ${alias}.source_id = e.source_id AND ${alias}.tid = ${tidSql} ORDER BY ${alias}.id DESC LIMIT 1)`;
/** The tid of the process `depth` generations above the event's (0: the process itself). */
const ancestorTid = (depth: number): string => (depth === 0 ? 'e.pid' : threadRow('ptid', ancestorTid(depth - 1), `a${depth}`));
/** How far up proc.aname and proc.apid without an index look: libsinsp walks the whole tree; real trees are shallower. */
const ANCESTOR_DEPTH = 32;
/** Every ancestor (depth 1 up), as rows (tid, depth) of a recursive walk up the parent links. */
const ancestors = (select: string) =>
  `WITH RECURSIVE anc(tid, depth) AS (SELECT ${threadRow('ptid', 'e.pid', 'a0')}, 1 UNION ALL SELECT ${threadRow('ptid', 'anc.tid', 'ap')}, depth + 1 FROM anc WHERE anc.tid IS NOT NULL AND anc.tid > 0 AND depth < ${ANCESTOR_DEPTH}) ${select}`;
const depthArg = (arg: string): number | null => (/^\d{1,2}$/.test(arg) ? Number(arg) : null);
/** A literal for SQL text made from a field's argument (never from a value, which is bound). */
const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;
const evtArg = (raw: boolean) => (arg: string): string | null => {
  if (!/^([A-Za-z_][A-Za-z0-9_]*|\d{1,2})$/.test(arg)) return null;
  return `capscope_evt_arg(e.info, ${/^\d+$/.test(arg) ? Number(arg) : sqlText(arg)}, ${raw ? 1 : 0})`;
};
const OPEN_FAMILY = "e.type IN ('open', 'openat', 'openat2', 'open_by_handle_at') AND e.event_type & 1 = 1";
/** evt.is_open_*: an open-family exit whose flags name one of `flags`. */
const openWith = (...flags: string[]) =>
  `CASE WHEN ${OPEN_FAMILY} THEN coalesce((${flags.map((f) => `instr(capscope_evt_arg(e.info, 'flags', 0), '${f}') > 0`).join(' OR ')}), 0) ELSE 0 END`;
const imagePart = (part: 'repository' | 'tag' | 'digest') => `capscope_image_part(${container('image', 'e', 'e.source_id')}, '${part}')`;
const labelOf = (arg: string) =>
  /^[A-Za-z0-9_./-]+$/.test(arg) ? `json_extract((SELECT c.labels FROM containers c WHERE c.source_id = e.source_id AND c.id = e.container_id), ${sqlText(`$."${arg}"`)})` : null;

const FALCO_EVENT_FIELDS: FieldTable = {
  'proc.aname': {
    type: 'string',
    sql: threadRow('comm', ancestorTid(1), 'an'),
    withArg: (arg) => {
      const d = depthArg(arg);
      return d === null ? null : d === 0 ? 'e.proc' : threadRow('comm', ancestorTid(d), 'an');
    },
    argDoc: 'a generation: 0 the process, 1 its parent, 2 its grandparent, ...',
    anyOf: ancestors(`SELECT ${threadRow('comm', 'anc.tid', 'an')} AS v FROM anc`),
    doc: "an ancestor's name: proc.aname[2] the grandparent's; without an index, any ancestor's",
  },
  'proc.apid': {
    type: 'number',
    sql: threadRow('pid', ancestorTid(1), 'an'),
    withArg: (arg) => {
      const d = depthArg(arg);
      return d === null ? null : d === 0 ? 'e.pid' : threadRow('pid', ancestorTid(d), 'an');
    },
    argDoc: 'a generation: 0 the process, 1 its parent, ...',
    anyOf: ancestors(`SELECT ${threadRow('pid', 'anc.tid', 'an')} AS v FROM anc`),
    doc: "an ancestor's pid: proc.apid[2] the grandparent's; without an index, any ancestor's",
  },
  'proc.pexe': { type: 'string', sql: threadRow('exe', ancestorTid(1), 'pe'), doc: "the parent's first command-line argument (argv[0])" },
  'proc.aexe': {
    type: 'string',
    sql: threadRow('exe', ancestorTid(1), 'an'),
    withArg: (arg) => {
      const d = depthArg(arg);
      return d === null ? null : d === 0 ? processOf('exe') : threadRow('exe', ancestorTid(d), 'an');
    },
    argDoc: 'a generation: 0 the process, 1 its parent, 2 its grandparent, ...',
    anyOf: ancestors(`SELECT ${threadRow('exe', 'anc.tid', 'an')} AS v FROM anc`),
    doc: "an ancestor's argv[0]: proc.aexe[2] the grandparent's; without an index, any ancestor's",
  },
  'proc.pcmdline': {
    type: 'string',
    sql: `(SELECT p.comm || coalesce((SELECT group_concat(' ' || j.value, '') FROM json_each(p.args) j), '') FROM threads p WHERE p.source_id = e.source_id AND p.tid = ${processOf('ptid')} ORDER BY p.id DESC LIMIT 1)`,
    // The process's parent, as proc.pname here (libsinsp takes a thread's creator; the index keeps
    // a thread's process's parent).
    doc: "the parent's name and arguments",
  },
  'proc.args': {
    type: 'string',
    sql: `(SELECT (SELECT group_concat(j.value, ' ') FROM json_each(p.args) j) FROM threads p WHERE p.source_id = e.source_id AND p.tid = e.pid ORDER BY p.id DESC LIMIT 1)`,
    doc: 'the arguments, space-separated',
  },
  // -1: the capture did not say (a thread from the capture's opening process table): <NA>, as sysdig.
  'proc.vpid': { type: 'number', sql: `NULLIF(${thread('vpid')}, -1)`, doc: 'pid in its pid namespace' },
  'thread.vtid': { type: 'number', sql: `NULLIF(${thread('vtid')}, -1)`, doc: 'tid in its pid namespace' },
  'group.gid': { type: 'number', sql: thread('gid'), doc: "the thread's group id" },
  'group.name': {
    type: 'string',
    sql: `(SELECT u.name FROM users u WHERE u.source_id = e.source_id AND u.kind = 'group' AND u.id = ${thread('gid')})`,
    doc: "the thread's group name, from the capture's group list",
  },
  'user.homedir': {
    type: 'string',
    sql: `(SELECT u.home FROM users u WHERE u.source_id = e.source_id AND u.kind = 'user' AND u.id = ${thread('uid')})`,
    doc: "the thread's user's home directory",
  },
  'user.shell': {
    type: 'string',
    sql: `(SELECT u.shell FROM users u WHERE u.source_id = e.source_id AND u.kind = 'user' AND u.id = ${thread('uid')})`,
    doc: "the thread's user's shell",
  },
  'evt.arg': {
    type: 'string',
    sql: 'NULL',
    withArg: evtArg(false),
    dottedArg: true,
    argDoc: 'a parameter name (evt.arg.path) or position (evt.arg[0])',
    doc: 'one parameter of the event as printed (evt.arg.flags, evt.arg[1])',
  },
  'evt.rawarg': {
    type: 'string',
    sql: 'NULL',
    withArg: evtArg(true),
    dottedArg: true,
    argDoc: 'a parameter name (evt.rawarg.res) or position',
    doc: 'one parameter of the event without its decoding in parentheses (res=-2(ENOENT) gives -2)',
  },
  'evt.args': { type: 'string', sql: 'e.info', plain: true, notNull: true, doc: "the event's parameters (as evt.info)" },
  'evt.time': {
    type: 'string',
    sql: "strftime('%H:%M:%S', e.ts / 1000000000, 'unixepoch') || '.' || printf('%09d', e.ts % 1000000000)",
    notNull: true,
    doc: 'time of day (UTC) with nanoseconds, as Falco prints it',
  },
  'evt.hostname': { type: 'string', sql: '(SELECT m.hostname FROM machine m WHERE m.source_id = e.source_id)', doc: "the machine's hostname, where the capture says" },
  'evt.is_open_read': { type: 'bool', sql: openWith('O_RDONLY', 'O_RDWR'), notNull: true, doc: 'an open-family exit that opened for reading' },
  'evt.is_open_write': { type: 'bool', sql: openWith('O_WRONLY', 'O_RDWR'), notNull: true, doc: 'an open-family exit that opened for writing' },
  'evt.is_open_exec': { type: 'bool', sql: openWith('O_EXEC', 'O_PATH'), notNull: true, doc: 'an open-family exit that opened for executing' },
  'fd.ip': {
    type: 'string',
    sql: fdPart('sip'),
    anyOf: `SELECT ${fdPart('sip')} AS v UNION ALL SELECT ${fdPart('cip')}`,
    doc: 'either address of a connection (matches when one does)',
  },
  'fd.port': {
    type: 'number',
    sql: fdPart('sport'),
    anyOf: `SELECT ${fdPart('sport')} AS v UNION ALL SELECT ${fdPart('cport')}`,
    doc: 'either port of a connection (matches when one does)',
  },
  'fd.net': { type: 'string', sql: fdPart('sip'), network: [fdPart('sip'), fdPart('cip')], doc: 'either address of a connection lies in a network (fd.net = 10.0.0.0/8)' },
  'fd.snet': { type: 'string', sql: fdPart('sip'), network: [fdPart('sip')], doc: 'the server address lies in a network' },
  'fd.cnet': { type: 'string', sql: fdPart('cip'), network: [fdPart('cip')], doc: 'the client address lies in a network' },
  'fd.lnet': { type: 'string', sql: fdPart('lip'), network: [fdPart('lip')], doc: 'the local address lies in a network' },
  'fd.rnet': { type: 'string', sql: fdPart('rip'), network: [fdPart('rip')], doc: 'the remote address lies in a network' },
  'container.image.repository': { type: 'string', sql: imagePart('repository'), doc: 'the image without its tag or digest' },
  'container.image.tag': { type: 'string', sql: imagePart('tag'), doc: "the image's tag" },
  'container.image.digest': { type: 'string', sql: imagePart('digest'), doc: "the image's digest" },
  'container.label': {
    type: 'string',
    sql: 'NULL',
    withArg: labelOf,
    dottedArg: true,
    argDoc: 'a label name (container.label.app, container.label[io.kubernetes.pod.name])',
    doc: "one of the container's labels",
  },
};

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
  'evt.latency': {
    type: 'number',
    sql: `CASE WHEN ${EXIT_EVENT} THEN e.latency ELSE 0 END`,
    duration: true,
    doc: 'ns from the enter event to this exit event (0 for enter events; no value, so no comparison matches, for an exit whose enter the capture lacks)',
  },
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
  'fd.type': { type: 'string', sql: fdTypeBits((t) => (t === 'unknown' ? null : t.replace('-server', ''))), doc: 'file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, ...' },
  'fd.typechar': { type: 'string', sql: fdTypeBits((t) => FD_TYPE_CHARS[t] ?? 'o'), doc: "one letter of the type: f, d, 4, 6, u, p, e, s, l, i, t, ..." },
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
  ...FALCO_EVENT_FIELDS,
};

// ---- streams (scap fds with I/O, pcap connections and flows) ---------------------------------

const streamLocal = (serverSide: string, clientSide: string) => `CASE WHEN s.role = 'server' THEN ${serverSide} ELSE ${clientSide} END`;

export const STREAM_FIELDS: FieldTable = {
  'fd.name': { type: 'string', sql: 'coalesce(s.fd_name, s.tuple)', doc: 'the connection tuple (client first) or the fd name' },
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
  ...syscallsOnly({
    'fd.num': { type: 'number', sql: 's.fd', plain: true, doc: 'the fd (syscall captures)' },
    'proc.name': { type: 'string', sql: 's.proc', plain: true, doc: 'process of this view (syscall captures)' },
    'proc.pid': { type: 'number', sql: 's.pid', plain: true, doc: 'process id of this view (syscall captures)' },
    'thread.tid': { type: 'number', sql: 's.tid', plain: true, doc: 'thread id of this view (syscall captures)' },
  }),
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
  ...syscallsOnly({
    'proc.name': { type: 'string', sql: 'x.proc', plain: true, doc: "the server side's process (syscall captures)" },
    'proc.pid': { type: 'number', sql: 'x.pid', plain: true, doc: "the server side's process id (syscall captures)" },
  }),
  ...CONTAINER_FIELDS('x', exchangeSource),
};

export const FIELDS: Readonly<Record<FilterTarget, FieldTable>> = { events: EVENT_FIELDS, streams: STREAM_FIELDS, http: HTTP_FIELDS };

/** A few short names the old `--filter` took, kept so existing scripts work. */
export const ALIASES: Readonly<Record<string, string>> = {
  num: 'evt.num', type: 'evt.type', dir: 'evt.dir', cpu: 'evt.cpu', tid: 'thread.tid', pid: 'proc.pid', proc: 'proc.name',
  fd: 'fd.num', fdname: 'fd.name', res: 'evt.rawres', latency: 'evt.latency', category: 'evt.category', container: 'container.id',
  ts: 'evt.rawtime', method: 'http.method', status: 'http.status', target: 'http.url', host: 'http.host',
};
