// The streams domain: one stream (its ends, its chunks of bytes in order, the HTTP analysis's marks
// on them) and its peers, the other captured views of the same connection. Types only, like every
// contract: the browser bundle imports this file.
//
// Every list is paged by the index (offset/limit, or a sequence number for a stream's chunks): no
// method hands over a whole table. Timestamps and durations are nanoseconds as decimal strings.

import type { Severity } from '../../../common/evidence';

export type StreamDir = 'in' | 'out';

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
  /** The line's text as the analysis read it (Latin-1; hostile: text only). */
  line: string;
  code: string;
  severity: Severity;
  message: string;
}

/** A gRPC message whose bytes lie in this stream: its 5-octet prefix and its body, framed in the view. */
export interface StreamGrpcMessage {
  exchangeId: number;
  dir: StreamDir;
  side: 'request' | 'response';
  /** 1-based, per side of its call. */
  index: number;
  /** 'package.Service/Method', or null when the call's :path was not seen. */
  call: string | null;
  /** Offset of its prefix in `dir`. */
  offset: number;
  /** As its prefix declares it (the body, without the prefix). */
  length: number;
  compressed: boolean;
  /** Where its body lies: [offset, length] per DATA frame it spans. */
  pieces: [number, number][];
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

export interface StreamMethods {
  'stream.get': { req: { caseId: string; streamId: number }; res: { stream: StreamInfo; marks: StreamMark[]; grpcMessages: StreamGrpcMessage[] } };
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
}

/** Chunks per page of 'stream.chunks' at most, and the data a page aims to stay under. */
export const CHUNK_PAGE_MAX = 500;
export const CHUNK_PAGE_BYTES = 256 * 1024;

// A record, not an array, so that the compiler insists every method of the map is listed.
export const STREAM_METHOD_NAMES: Record<keyof StreamMethods, true> = {
  'stream.get': true,
  'stream.chunks': true,
  'stream.peers': true,
};
