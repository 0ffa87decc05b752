// The HTTP domain: exchanges (HTTP/1, HTTP/2, gRPC) in a sortable page, one exchange with its
// messages' bytes and diagnostics, and the latency chart. Types only, like every contract: the
// browser bundle imports this file.

import type { TableExport, TableExportFormat } from '../tables/contract';
import type { Severity } from '../../../common/evidence';
import type { PageRequest, ViewScope } from '../../api/wire';
import type { StreamDir, StreamMark } from '../streams/contract';

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
  /** '1.0', '1.1' or '2'; null when neither message said. */
  version: string | null;
  /** The HTTP/2 stream id; null for HTTP/1. */
  http2Stream: number | null;
  /** The HTTP/2 error that ended the stream (RST_STREAM or a refusing GOAWAY's code). */
  http2Error: string | null;
  /** A gRPC call's facts; null for other exchanges. */
  grpc: { service: string | null; method: string | null; status: number | null; statusName: string | null; message: string | null } | null;
}

/**
 * One gRPC Length-Prefixed-Message of an exchange, framed: where it lies (its prefix's offset in its
 * direction of its stream) and its first bytes, never decoded (that needs the schema).
 */
export interface GrpcMessageBytes {
  side: 'request' | 'response';
  /** 1-based, per side. */
  index: number;
  streamId: number;
  dir: StreamDir;
  offset: number;
  /** As its prefix declares it. */
  length: number;
  compressed: boolean;
  /** All its bytes arrived before the stream ended. */
  complete: boolean;
  /** Its captured bytes (without the 5-octet prefix), base64, at most GRPC_MESSAGE_BYTES_MAX. */
  data: string;
  capturedBytes: number;
}

/** Bytes of each gRPC message an exchange's detail carries. */
export const GRPC_MESSAGE_BYTES_MAX = 1024;

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
  /** A gRPC call's messages, each framed (the first ones each way); empty for other exchanges. */
  grpcMessages: GrpcMessageBytes[];
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

export interface HttpMethods {
  'http.exchanges': {
    req: { caseId: string; scope?: ViewScope; sort?: { column: ExchangeSortColumn; desc?: boolean } } & PageRequest;
    res: { total: number; rows: ExchangeRow[] };
  };
  'http.exchange': { req: { caseId: string; id: number }; res: ExchangeDetail };
  'http.latency': { req: { caseId: string; scope?: ViewScope; buckets?: number }; res: LatencySeries };
  /** Every exchange in scope (not a page), sorted as asked, as CSV or JSON (the tables' export). */
  'http.export': { req: { caseId: string; scope?: ViewScope; sort?: { column: ExchangeSortColumn; desc?: boolean }; format: TableExportFormat }; res: TableExport };
}

/** Bytes of one message 'http.exchange' hands over at most. */
export const MESSAGE_BYTES_MAX = 64 * 1024;
export const LATENCY_POINTS_MAX = 2000;

// A record, not an array, so that the compiler insists every method of the map is listed.
export const HTTP_METHOD_NAMES: Record<keyof HttpMethods, true> = {
  'http.exchanges': true,
  'http.exchange': true,
  'http.latency': true,
  'http.export': true,
};
