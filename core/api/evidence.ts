// API methods of the evidence views: findings, one stream's bytes, HTTP exchanges and heap dumps.
// Types only, like core/api.ts: the browser bundle imports this file.
//
// Every list is paged by the index (offset/limit, or a sequence number for a stream's chunks): no
// method hands over a whole table. Timestamps and durations are nanoseconds as decimal strings.

import type { PageRequest, Severity, TimeRange, ViewScope } from '../api';

export type StreamDir = 'in' | 'out';

// ----- findings -----

/** A place in the capture a finding points at: bytes of one stream direction, or a whole stream. */
export interface FindingEvidence {
  streamId: number;
  /** Null when the evidence is a whole stream (the exchange it is about). */
  dir: StreamDir | null;
  offset: number;
  length: number;
  excerpt: string;
}

export interface FindingRow {
  id: number;
  kind: string;
  severity: Severity;
  title: string;
  explanation: string;
  cause: string | null;
  exchangeId: number | null;
  evidence: FindingEvidence[];
}

// ----- streams -----

export interface StreamEndpointInfo {
  role: 'client' | 'server';
  addr: string | null;
  port: number | null;
  container: { id: string; name: string | null } | null;
  proc: string | null;
  pid: number | null;
  fd: number | null;
}

export interface StreamInfo {
  id: number;
  sourceId: number;
  kind: string;
  l4proto: string | null;
  tuple: string | null;
  /** Whose view the stream is: 'out' is what this endpoint sent ('client' for network captures). */
  role: string | null;
  clientGuessed: boolean;
  /** Order among streams of its kind: tshark's tcp.stream / udp.stream for network captures. */
  connectionIndex: number | null;
  endpoints: StreamEndpointInfo[];
  bytesIn: number;
  bytesOut: number;
  capturedIn: number;
  capturedOut: number;
  chunkCount: number;
  gapBytes: number;
  firstTs: string | null;
  lastTs: string | null;
  state: string | null;
  protocol: string | null;
}

/** A diagnostic of the HTTP analysis at bytes of this stream. */
export interface StreamMark {
  exchangeId: number;
  dir: StreamDir;
  /** Start of the line the diagnostic is about. */
  offset: number;
  /** Bytes of that line (1 when the line could not be found in the captured bytes). */
  length: number;
  /** The offending byte itself (what findings' evidence points at). */
  at: number;
  code: string;
  severity: Severity;
  message: string;
}

export interface ChunkView {
  seq: number;
  ts: string;
  dir: StreamDir;
  offset: number;
  /** Bytes the program (or the wire) moved. */
  length: number;
  /** Bytes the capture kept (≤ length: the rest was cut by the snapshot length). */
  captured: number;
  gapBefore: number;
  frame: number | null;
  /** The captured bytes, base64. Hostile: render as text only. */
  data: string;
}

/** Another captured view of the same connection (the other end, stitched by the HTTP analysis). */
export interface StreamPeer {
  stream: StreamInfo;
  /** Where this stream's 'out' bytes are in the peer: 'in' when the peer is the other end. */
  outIs: StreamDir;
}

// ----- HTTP -----

export type ExchangeSortColumn = 'time' | 'method' | 'target' | 'status' | 'latency' | 'container' | 'diagnostics';

export interface ExchangeRow {
  id: number;
  streamId: number;
  responseStreamId: number | null;
  views: number;
  client: string | null;
  server: string | null;
  container: { id: string; name: string | null } | null;
  proc: string | null;
  method: string | null;
  target: string | null;
  host: string | null;
  status: number | null;
  reason: string | null;
  reqTs: string | null;
  /** First request byte to first response byte. */
  latencyNs: string | null;
  reqBytes: number;
  respBytes: number;
  truncated: boolean;
  complete: boolean;
  diagnosticCount: number;
  /** The worst diagnostic's severity, if any. */
  worstSeverity: Severity | null;
}

/** One side of an exchange: where its bytes are and what they say. */
export interface MessageSide {
  streamId: number;
  dir: StreamDir | null;
  start: number;
  end: number;
  ts: string | null;
  headers: [string, string][];
  complete: boolean;
  /** The message's captured bytes, base64, at most MESSAGE_BYTES_MAX of them. */
  data: string;
  /** Bytes in `data`: captured bytes of the message (snaplen cuts and gaps left out), up to the cap. */
  capturedBytes: number;
  /** True when `data` stops before the message's end (size cap, snaplen, gaps). */
  cut: boolean;
}

export interface ExchangeDetail {
  row: ExchangeRow;
  request: MessageSide;
  response: MessageSide | null;
  diagnostics: (StreamMark & { side: 'request' | 'response'; streamId: number; line: string })[];
}

/** The latency chart: one point per exchange while they are few, else per time bucket. */
export interface LatencySeries {
  /** The span the series covers (the scope's range, or the exchanges' first to last). */
  from: string | null;
  to: string | null;
  total: number;
  /** Set when total ≤ LATENCY_POINTS_MAX. */
  points: { id: number; ts: string; latencyNs: string; status: number | null }[] | null;
  /** Always set: count, mean and max latency, 5xx count per bucket. */
  buckets: { from: string; to: string; count: number; meanNs: number; maxNs: number; errors: number }[];
}

// ----- heap -----

export type HeapModel = 'jvm' | 'visualvm';

export interface HeapSourceInfo {
  sourceId: number;
  entry: string;
  complete: boolean;
}

export interface HeapSummaryInfo {
  sourceId: number;
  entry: string;
  model: HeapModel;
  format: string;
  idSize: number;
  takenAt: string;
  vm: string;
  layout: string;
  modelDescription: string;
  objects: number;
  classes: number;
  shallowBytes: number;
  gcRoots: number;
  gcRootObjects: number;
  heapBytes: number;
  unreachableObjects: number;
  unreachableBytes: number;
  unreachablePolicy: string;
  complete: boolean;
}

export type HistogramSortColumn = 'retained' | 'shallow' | 'instances' | 'class';

export interface HistogramRowInfo {
  class: string;
  classId: string;
  instances: number;
  shallowBytes: number;
  retainedBytes: number;
}

export interface HeapObjectRef {
  objectId: string;
  class: string;
  /** For a class object: the class it stands for. */
  classOf?: string;
}

export type HeapPathStep = HeapObjectRef | { elided: number };

export interface DominatorNode extends HeapObjectRef {
  shallowBytes: number;
  retainedBytes: number;
  /** Objects it immediately dominates (0: a leaf). */
  childCount: number;
  gcRoot: boolean;
}

export interface SuspectInfo {
  kind: 'object' | 'class';
  title: string;
  objectId: string;
  class: string;
  instances: number;
  retainedBytes: number;
  /** Of the heap: the shallow bytes of all reachable objects. */
  percent: number;
  accumulation: {
    objectId: string;
    class: string;
    retainedBytes: number;
    /** For a class object, `staticField` is the static field that leads to the next step. */
    path: (HeapObjectRef & { retainedBytes: number; staticField?: string })[];
  };
}

export interface DuplicateStringInfo {
  value: string;
  count: number;
  /** Bytes the copies beyond the first take: (count − 1) Strings + (arrays − 1) value arrays. */
  wastedBytes: number;
  /** Length of the value, in characters. */
  length: number;
  /** Distinct value arrays behind the copies. */
  arrays: number;
  /** One of the copies. */
  objectId: string;
}

export interface ThreadFrameInfo {
  frame: string;
  class: string | null;
  method: string | null;
  sourceFile: string | null;
  line: number | null;
  locals: { objectId: string; class: string; retainedBytes: number }[];
}

export interface ThreadInfoRow {
  name: string | null;
  objectId: string;
  threadSerial: number;
  retainedBytes: number;
  localsRetainedBytes: number;
  stack: ThreadFrameInfo[];
}

type HeapReq = { caseId: string; sourceId: number; model?: HeapModel };

export interface EvidenceMethods {
  /** Findings, errors first; scope narrows those tied to one exchange (by its request time and the HTTP filter). */
  'findings.list': { req: { caseId: string; scope?: ViewScope } & PageRequest; res: { total: number; rows: FindingRow[] } };

  'stream.get': { req: { caseId: string; streamId: number }; res: { stream: StreamInfo; marks: StreamMark[] } };
  /**
   * A page of a stream's chunks in order: from `fromSeq` forward, or backward from before
   * `beforeSeq`, or around the chunk holding byte `at.offset` of direction `at.dir`. Pages stop at
   * `limit` chunks or about CHUNK_PAGE_BYTES of data, whichever comes first.
   */
  'stream.chunks': {
    req: { caseId: string; streamId: number; fromSeq?: number; beforeSeq?: number; at?: { dir: StreamDir; offset: number }; limit?: number };
    res: { chunks: ChunkView[]; hasBefore: boolean; hasAfter: boolean; located: number | null };
  };
  'stream.peers': { req: { caseId: string; streamId: number }; res: { peers: StreamPeer[] } };

  'http.exchanges': {
    req: { caseId: string; scope?: ViewScope; sort?: { column: ExchangeSortColumn; desc?: boolean } } & PageRequest;
    res: { total: number; rows: ExchangeRow[] };
  };
  'http.exchange': { req: { caseId: string; id: number }; res: ExchangeDetail };
  'http.latency': { req: { caseId: string; scope?: ViewScope; buckets?: number }; res: LatencySeries };

  'heap.sources': { req: { caseId: string }; res: { sources: HeapSourceInfo[] } };
  'heap.summary': { req: HeapReq; res: HeapSummaryInfo };
  'heap.histogram': {
    req: HeapReq & { sort?: { column: HistogramSortColumn; desc?: boolean }; classContains?: string } & PageRequest;
    res: { total: number; rows: HistogramRowInfo[] };
  };
  /** Children of `parent` in the dominator tree (null: the roots of the tree), biggest first. */
  'heap.dominators': { req: HeapReq & { parent: string | null } & PageRequest; res: { total: number; rows: DominatorNode[] } };
  'heap.suspects': { req: HeapReq; res: { heapBytes: number; rows: SuspectInfo[] } };
  /** The shortest path from a GC root to the object (root first); empty when no root reaches it. */
  'heap.pathToRoot': { req: HeapReq & { objectId: string }; res: { path: HeapPathStep[] } };
  'heap.duplicateStrings': { req: HeapReq & PageRequest; res: { total: number; rows: DuplicateStringInfo[] } };
  'heap.threads': { req: HeapReq; res: { rows: ThreadInfoRow[] } };
}

/** Chunks per page of 'stream.chunks' at most, and the data a page aims to stay under. */
export const CHUNK_PAGE_MAX = 500;
export const CHUNK_PAGE_BYTES = 256 * 1024;
/** Bytes of one message 'http.exchange' hands over at most. */
export const MESSAGE_BYTES_MAX = 64 * 1024;
export const LATENCY_POINTS_MAX = 2000;
/** Rows per page of the HTTP, histogram, dominator and duplicate-string lists at most. */
export const EVIDENCE_PAGE_MAX = 1000;

export function isTimeRange(value: unknown): value is TimeRange {
  const r = value as TimeRange | null;
  return !!r && typeof r.from === 'string' && typeof r.to === 'string' && /^-?\d+$/.test(r.from) && /^-?\d+$/.test(r.to);
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const EVIDENCE_METHOD_NAMES: Record<keyof EvidenceMethods, true> = {
  'findings.list': true,
  'stream.get': true,
  'stream.chunks': true,
  'stream.peers': true,
  'http.exchanges': true,
  'http.exchange': true,
  'http.latency': true,
  'heap.sources': true,
  'heap.summary': true,
  'heap.histogram': true,
  'heap.dominators': true,
  'heap.suspects': true,
  'heap.pathToRoot': true,
  'heap.duplicateStrings': true,
  'heap.threads': true,
};
