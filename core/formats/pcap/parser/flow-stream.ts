// The shared currency (DESIGN.md "Shared currency: streams and chunks") as the pcap parser makes
// it: one FlowStream per TCP connection or UDP flow, seen from its client, and the chunks of bytes
// each direction carried, in order, with gaps where the capture missed bytes.

/** Direction of a chunk or packet from the client's point of view: 0 client→server ("out"), 1 server→client ("in"). */
export type Dir = 0 | 1;
export const OUT: Dir = 0;
export const IN: Dir = 1;

export type TcpState = 'syn' | 'established' | 'fin' | 'closed' | 'rst' | 'midstream';

export interface FlowStream {
  kind: 'tcp' | 'udp';
  family: 4 | 6;
  /** Order of the first packet among streams of the same kind (tshark's tcp.stream / udp.stream). */
  index: number;
  clientAddr: string;
  clientPort: number;
  serverAddr: string;
  serverPort: number;
  /** True when no SYN or SYN-ACK said who started it (mid-stream captures, UDP): lower port is the server. */
  clientGuessed: boolean;
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  /** Per direction (index Dir): packets, their bytes on the wire (frame length), payload bytes moved and captured. */
  packets: [number, number];
  frameBytes: [number, number];
  bytes: [number, number];
  captured: [number, number];
  chunks: number;
  /** Payload bytes the capture missed inside the streams (never spliced over). */
  gapBytes: number;
  /** TCP lifecycle reached; null for UDP. */
  state: TcpState | null;
  /** Handle the sink gives the stream when it is opened (its row id, for the index). */
  ref: number;
  /**
   * What the sink noted of the stream when it last wrote its summary (the pcap writer: its packets
   * and chunks counted together, and its state), to tell whether the summary changed since.
   */
  rowMark: number;
  rowState: TcpState | null;
}

/** One chunk; the object is reused between calls and `data` may be a view: copy to keep. */
export interface ChunkRecord {
  stream: FlowStream;
  /** Order of this chunk in its stream, from 0. */
  seq: number;
  dir: Dir;
  tsSec: number;
  tsNsec: number;
  /** Byte offset of this chunk in its direction (gaps included). */
  offset: number;
  /** Bytes the segment moved. */
  length: number;
  /** Of which captured (the rest was cut by the snapshot length). */
  captured: number;
  /** Bytes missing in the capture right before this chunk. */
  gapBefore: number;
  data: Uint8Array;
  frame: number;
}

export interface StreamSink {
  opened(stream: FlowStream): void;
  chunk(chunk: ChunkRecord): void;
  /**
   * Both sides are done (both FINs, or a reset) and nothing waits to be delivered: the stream is
   * not closed yet (stray packets may still come, and a finished connection stays in the table a
   * while), but more chunks would be a retransmission past the end. Lets a sink drop what it
   * holds per stream now rather than when the table forgets the connection.
   */
  finished?(stream: FlowStream): void;
  /** The stream will get no more chunks or packets: its summary is final. */
  closed(stream: FlowStream): void;
}

/**
 * Hands the sink the next chunk of `s` in direction `dir` (through the reused `r`) and counts it in
 * the stream's totals: `length` bytes moved, `data` the captured ones, `gapBefore` missed before.
 */
export function emitChunk(sink: StreamSink, r: ChunkRecord, s: FlowStream, dir: Dir, offset: number, length: number, data: Uint8Array, gapBefore: number, tsSec: number, tsNsec: number, frame: number): void {
  r.stream = s;
  r.seq = s.chunks++;
  r.dir = dir;
  r.tsSec = tsSec;
  r.tsNsec = tsNsec;
  r.offset = offset;
  r.length = length;
  r.captured = data.length;
  r.gapBefore = gapBefore;
  r.data = data;
  r.frame = frame;
  s.bytes[dir] += length;
  s.captured[dir] += data.length;
  s.gapBytes += gapBefore;
  sink.chunk(r);
}

export function newFlowStream(kind: 'tcp' | 'udp', family: 4 | 6, index: number): FlowStream {
  return {
    kind,
    family,
    index,
    clientAddr: '',
    clientPort: 0,
    serverAddr: '',
    serverPort: 0,
    clientGuessed: true,
    firstSec: 0,
    firstNsec: 0,
    lastSec: 0,
    lastNsec: 0,
    packets: [0, 0],
    frameBytes: [0, 0],
    bytes: [0, 0],
    captured: [0, 0],
    chunks: 0,
    gapBytes: 0,
    state: kind === 'tcp' ? 'midstream' : null,
    ref: 0,
    rowMark: -1,
    rowState: null,
  };
}

/** "10.4.0.31:34560->10.4.0.12:80", "[fd00::1]:34560->[fd00::2]:80": client first. */
export function tupleText(s: FlowStream): string {
  const end = (addr: string, port: number) => (s.family === 6 ? `[${addr}]:${port}` : `${addr}:${port}`);
  return `${end(s.clientAddr, s.clientPort)}->${end(s.serverAddr, s.serverPort)}`;
}
