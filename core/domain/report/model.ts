// What a report holds, gathered from a case's index (gather.ts) and written out by html.ts and
// markdown.ts. Captured values in here are already redacted (when redaction is on) but not escaped:
// escaping belongs to each output format. Times are ns since the epoch as decimal strings.

import type { ReportFormat } from './contract';

export type { ReportFormat };

/** A section narrowed by the filter, or left out because the filter does not apply to its rows. */
export type Scoped<T> = { rows: T } | { omitted: string };

export interface ReportData {
  title: string;
  generatedAt: string;
  capscopeVersion: string;
  redacted: boolean;
  scope: ReportScopeInfo;
  evidence: EvidenceSection;
  findings: Scoped<FindingGroup[]>;
  /** The default Falco rules' alerts; null when the evidence has no syscall events. */
  alerts: Scoped<AlertsSection> | null;
  /** Null when the evidence holds no timestamps (heap dumps only). */
  timeline: TimelineSection | null;
  /** Null when the evidence has neither streams nor syscall events (heap dumps only). */
  activity: ActivitySection | null;
  errors: ErrorsSection;
  http: Scoped<HttpSection> | null;
  heaps: HeapSection[];
  /** Null when the case holds no Go profile. */
  profiles: ProfilesSection | null;
  /** The case's bookmarks: what we looked at and why (empty: none was made). */
  bookmarks: BookmarkEntry[];
}

/** A bookmark as the report prints it (core/domain/bookmarks). */
export interface BookmarkEntry {
  kind: string;
  /** What it points at, in words. */
  what: string;
  note: string;
  /** ns since the epoch of the place, as a decimal string; null when it has none. */
  ts: string | null;
  /** Why the index no longer holds the place; null when it does. */
  missing: string | null;
  /** ISO time it was made. */
  markedAt: string;
}

export interface AlertsSection {
  /** By rule, most severe first; times are ns since the epoch as decimal strings. */
  rules: { rule: string; priority: string; tags: string[]; count: number; first: string; last: string; examples: { num: number; output: string }[] }[];
  /** Rules of the set capscope could not run, with why. */
  skipped: { rule: string; reason: string }[];
}

export interface ReportScopeInfo {
  filter: string | null;
  range: { from: string; to: string } | null;
}

export interface EvidenceSection {
  files: EvidenceFile[];
  span: { first: string; last: string } | null;
  hosts: { hostname: string; cpus: number | null; memoryBytes: number | null; format: string | null }[];
  counts: { label: string; value: number }[];
  /** Warnings and errors raised while reading the evidence (the first ones), and how many in all. */
  problems: { severity: string; code: string; entry: string | null; offset: number | null; message: string }[];
  problemTotal: number;
}

export interface EvidenceFile {
  file: string;
  entry: string;
  format: string;
  compression: string[];
  bytes: number | null;
  status: string;
  detail: string;
  error: string | null;
}

export interface FindingGroup {
  kind: string;
  severity: string;
  cause: string | null;
  /** The first one's title; `sameTitle` says whether the others' read the same (numbers aside). */
  title: string;
  sameTitle: boolean;
  /** How many findings read the same (same kind, cause, title and offending bytes). */
  count: number;
  /** The first one's explanation and evidence: the others differ only in ports, times and streams. */
  explanation: string;
  /** place: where an offending byte sits in its line ("line at byte 17, '/' at byte 21"), said as the app says it; null for a range of bytes. */
  evidence: { stream: number; dir: string | null; offset: number; length: number; excerpt: string; lineOffset: number | null; place: string | null }[];
  firstExchange: number | null;
  firstTs: string | null;
  lastTs: string | null;
}

export interface TimelineSection {
  from: string;
  bucketNs: string;
  buckets: number;
  series: TimelineSeries[];
  /** Series left out, and why (the filter does not apply to their rows). */
  notes: string[];
}

export interface TimelineSeries {
  /** Stable key: 'requests' | 'latency' | 'bytes' | 'events'. */
  key: string;
  title: string;
  unit: string;
  /** Stacked layers (request status classes, bytes each way) or lines (latency percentiles). */
  kind: 'stacked' | 'lines';
  /** One value per bucket; null where a line has no value (no request in that bucket). */
  layers: { name: string; values: (number | null)[] }[];
}

export interface ActivitySection {
  containers: Scoped<ContainerRow[]>;
  processes: Scoped<ProcessRow[]>;
  connections: Scoped<ConnectionRow[]>;
  /** True when the evidence has syscall events (containers and processes can be known). */
  knowsProcesses: boolean;
}

export interface ContainerRow {
  id: string;
  name: string | null;
  image: string | null;
  events: number;
  errors: number;
  processes: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ProcessRow {
  pid: number | null;
  name: string | null;
  container: string | null;
  commandLine: string | null;
  events: number;
  errors: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ConnectionRow {
  stream: number;
  kind: string;
  tuple: string | null;
  endpoint: string | null;
  protocol: string | null;
  bytesOut: number;
  bytesIn: number;
  firstTs: string | null;
  lastTs: string | null;
  state: string | null;
}

export interface ErrorsSection {
  syscalls: Scoped<{ type: string; errno: string; count: number; processes: string[] }[]> | null;
  connections: Scoped<{ server: string; state: string; count: number }[]> | null;
  httpDiagnostics: Scoped<{ code: string; severity: string; count: number; line: string; message: string }[]> | null;
}

export interface HttpSection {
  exchanges: number;
  statuses: { status: number | null; reason: string | null; count: number }[];
  endpoints: EndpointRow[];
  endpointTotal: number;
  /** gRPC calls per server, service and method (HTTP/2); empty when there were none. */
  grpc: GrpcMethodRow[];
  notable: NotableExchange[];
}

export interface GrpcMethodRow {
  server: string | null;
  /** null: calls whose :path the capture could not decode (it began after their connection). */
  service: string | null;
  method: string | null;
  calls: number;
  /** Status name → calls that ended with it, most first (OK included). */
  statuses: { name: string; count: number }[];
  errors: number;
  /** The grpc-message of the first failed call, redacted. */
  firstError: string | null;
  firstErrorTs: string | null;
  lastErrorTs: string | null;
  p50: number | null;
  p99: number | null;
}

export interface EndpointRow {
  server: string | null;
  method: string | null;
  path: string;
  count: number;
  clientErrors: number;
  serverErrors: number;
  noResponse: number;
  /** Time to the first response byte, ms; null when no exchange of the endpoint has one. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface NotableExchange {
  id: number;
  why: 'failed' | 'slow';
  /** Later exchanges that failed the same way (same server, method, path, status, gRPC status, diagnostics). */
  similar: number;
  reqTs: string | null;
  client: string | null;
  server: string | null;
  method: string | null;
  target: string | null;
  status: number | null;
  reason: string | null;
  latencyMs: number | null;
  /** A gRPC call's status by name and message ('UNKNOWN', 'ERROR'); null for other exchanges. */
  grpc: { status: string | null; message: string | null } | null;
  requestHeaders: [string, string][];
  responseHeaders: [string, string][];
  diagnostics: { code: string; side: string; line: string }[];
}

export interface HeapSection {
  entry: string;
  summary: {
    format: string;
    /** ISO 8601; null when the dump's header holds no date. */
    timestamp: string | null;
    vm: string;
    objects: number;
    classes: number;
    heapBytes: number;
    shallowBytes: number;
    complete: boolean;
  };
  suspects: { title: string; retainedBytes: number; percent: number; accumulatesIn: string; accumulatedBytes: number; path: string[] }[];
  histogram: { class: string; instances: number; shallowBytes: number; retainedBytes: number }[];
  dominators: { object: string; retainedBytes: number; shallowBytes: number; gcRoot: boolean; path: string[] }[];
}

/** Go profiles: what they point at, then each profile's top table and flame graph. */
export interface ProfilesSection {
  findings: { kind: string; severity: string; title: string; explanation: string; frames: string[] }[];
  profiles: ProfileReport[];
  /** Per kind taken more than twice: the profiles between the first and the last, which are not shown. */
  between: { kind: string; entries: string[] }[];
  /** Go execution traces in the case: named, not read. */
  traces: string[];
}

export interface ProfileReport {
  entry: string;
  kind: string;
  /** The default sample type, as pprof chooses it. */
  sampleType: string;
  unit: string;
  total: number;
  timeNanos: number | null;
  durationNanos: number | null;
  /** How many functions have a value, and the first of them by flat (then cum, then name). */
  functions: number;
  top: { function: string; flat: number; cum: number }[];
  /** The flame graph's tree, frames too narrow to draw left out. */
  flame: ProfileFlameFrame;
}

export interface ProfileFlameFrame {
  name: string;
  value: number;
  children: ProfileFlameFrame[];
}
