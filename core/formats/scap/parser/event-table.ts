// The event table of the falcosecurity libs as typed lookups over the generated data
// (event-table-data.ts). Event numbers are never reused by the libs: an old capture's event types
// mean today what they meant then, and events that changed shape got new numbers (the _1, _2 ...
// versions), so one table reads captures of every year. Enter events have even numbers, exits odd.

import { RAW_DYNAMIC_PARAMS, RAW_EVENTS, RAW_FLAG_TABLES, RAW_SYSCALL_NAMES, type RawParam } from './event-table-data';

export type ParamType =
  | 'NONE' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'CHARBUF' | 'BYTEBUF' | 'ERRNO'
  | 'SOCKADDR' | 'SOCKTUPLE' | 'FD' | 'PID' | 'FDLIST' | 'FSPATH' | 'SYSCALLID' | 'SIGTYPE' | 'RELTIME' | 'ABSTIME' | 'PORT'
  | 'L4PROTO' | 'SOCKFAMILY' | 'BOOL' | 'IPV4ADDR' | 'DYN' | 'FLAGS8' | 'FLAGS16' | 'FLAGS32' | 'UID' | 'GID' | 'DOUBLE'
  | 'SIGSET' | 'CHARBUFARRAY' | 'CHARBUF_PAIR_ARRAY' | 'IPV4NET' | 'IPV6ADDR' | 'IPV6NET' | 'IPADDR' | 'IPNET' | 'MODE'
  | 'FSRELPATH' | 'ENUMFLAGS8' | 'ENUMFLAGS16' | 'ENUMFLAGS32';

export type PrintFormat = 'NA' | 'DEC' | 'HEX' | '10_PADDED_DEC' | 'ID' | 'DIR' | 'OCT';

export interface ParamInfo {
  name: string;
  type: ParamType;
  format: PrintFormat;
  /** Flag or enum names for FLAGS / ENUMFLAGS / MODE params. */
  flags?: readonly (readonly [string, number])[];
  /** The shapes a DYN param can take, chosen by the index byte that precedes its value. */
  dynamic?: readonly ParamInfo[];
  /** For FSRELPATH: the index of the dirfd param it is relative to. */
  dirfdParam?: number;
}

/** ppm_event_flags. */
export const EF = {
  CREATES_FD: 1 << 0,
  DESTROYS_FD: 1 << 1,
  USES_FD: 1 << 2,
  READS_FROM_FD: 1 << 3,
  WRITES_TO_FD: 1 << 4,
  MODIFIES_STATE: 1 << 5,
  UNUSED: 1 << 6,
  WAITS: 1 << 7,
  SKIPPARSERESET: 1 << 8,
  OLD_VERSION: 1 << 9,
  DROP_SIMPLE_CONS: 1 << 10,
  LARGE_PAYLOAD: 1 << 11,
} as const;

export type EventCategory =
  | 'UNKNOWN' | 'OTHER' | 'FILE' | 'NET' | 'IPC' | 'MEMORY' | 'PROCESS' | 'SLEEP' | 'SYSTEM' | 'SIGNAL' | 'USER' | 'TIME'
  | 'PROCESSING' | 'IO_READ' | 'IO_WRITE' | 'IO_OTHER' | 'WAIT' | 'SCHEDULER' | 'INTERNAL';

/** Where an event comes from (libs' EC_SYSCALL, EC_TRACEPOINT, EC_PLUGIN, EC_METAEVENT). */
export type EventSource = 'syscall' | 'tracepoint' | 'plugin' | 'metaevent' | 'unknown';

export interface EventInfo {
  type: number;
  name: string;
  category: EventCategory;
  /** A metaevent is the capture framework's own record (container and process metadata, drops, async plugin events), not activity of the machine. */
  source: EventSource;
  flags: number;
  direction: '>' | '<';
  params: readonly ParamInfo[];
}

function toParam(raw: RawParam): ParamInfo {
  const [name, type, format, info] = raw;
  const param: ParamInfo = { name, type: type as ParamType, format: (format ?? 'DEC') as PrintFormat };
  if (typeof info === 'number') param.dirfdParam = info;
  else if (typeof info === 'string') {
    if (type === 'DYN') param.dynamic = (RAW_DYNAMIC_PARAMS[info] ?? []).map(toParam);
    else param.flags = RAW_FLAG_TABLES[info];
  }
  return param;
}

const EVENTS: readonly EventInfo[] = RAW_EVENTS.map(([name, category, flags, params, source], type) => ({
  type,
  name,
  category: category as EventCategory,
  source: (source ?? 'syscall') as EventSource,
  flags: flags.reduce((bits, f) => bits | (EF[f as keyof typeof EF] ?? 0), 0),
  direction: type % 2 === 0 ? '>' : '<',
  params: params.map(toParam),
}));

/** Number of event types known (PPM_EVENT_MAX of the libs the table was taken from). */
export const EVENT_TYPE_COUNT = EVENTS.length;

export function eventInfo(type: number): EventInfo | undefined {
  return EVENTS[type];
}

/** The syscall named by a generic event's ID (a ppm_sc code), or undefined. */
export function syscallName(id: number): string | undefined {
  const name = RAW_SYSCALL_NAMES[id];
  return name ? name : undefined;
}

export const PPME = {
  GENERIC_E: 0,
  GENERIC_X: 1,
  PROCEXIT_E: 16,
  SCHEDSWITCH_1_E: 146,
  SCHEDSWITCH_6_E: 152,
  PROCEXIT_1_E: 186,
  CONTAINER_E: 228,
  CONTAINER_JSON_E: 272,
  CONTAINER_JSON_2_E: 324,
  NOTIFICATION_E: 280,
  INFRASTRUCTURE_EVENT_E: 286,
  ASYNCEVENT_E: 402,
} as const;

/** The event types that are metaevents: they describe the capture, they are not its activity. */
export function metaEventTypes(): number[] {
  return EVENTS.filter((e) => e.source === 'metaevent').map((e) => e.type);
}

/**
 * The events libsinsp changes its state by (EF_MODIFIES_STATE: clone, execve, procexit, the calls
 * that create, dup or close fds, ...), and the metaevents: what a reader needs to name the
 * processes, fds and containers of any other event.
 */
export function stateEventTypes(): number[] {
  return EVENTS.filter((e) => e.source === 'metaevent' || e.flags & EF.MODIFIES_STATE).map((e) => e.type);
}

/** The metaevents' names (the events table's type), for seeks in its type index. */
export function metaEventNames(): string[] {
  return [...new Set(EVENTS.filter((e) => e.source === 'metaevent').map((e) => e.name))];
}
