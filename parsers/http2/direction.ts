// One direction of an HTTP/2 connection read from captured segments (RFC 9113): frames cut out of
// the byte stream whatever the segmentation, header blocks (HEADERS + CONTINUATION) decoded with
// this direction's HPACK table, and per stream what this side sent: its header blocks, DATA counted
// (and split into gRPC messages when the stream carries gRPC), END_STREAM, RST_STREAM. SETTINGS,
// GOAWAY, PING and WINDOW_UPDATE are recorded for the connection.
//
// Captured traffic has holes (a snaplen cuts each write, a packet capture loses segments). Bytes
// missing inside a DATA payload are counted; missing inside a header block lose that block (and
// what it did to the HPACK table); missing where a frame header was due lose the frame boundaries,
// found again at the next segment that begins with a plausible frame header (writes start frames).
// Push-based and bounded: DATA payloads are never held, header blocks up to MAX_HEADER_BLOCK.

import { GrpcMessageSplitter } from '../grpc/messages';
import { isGrpcContentType } from '../grpc/status';
import { http2Diagnostic, type Http2Diagnostic } from './diagnostics';
import { DEFAULT_MAX_FRAME_SIZE, errorName, Flag, FRAME_HEADER_BYTES, FRAME_TYPE_NAMES, FrameType, plausibleFrameHeader, PREFACE, PREFACE_BYTES, readFrameHeader, settingName, type FrameHeader } from './frames';
import { HpackDecoder, type HeaderField } from './hpack';

export interface Http2Segment {
  /** Offset of the segment's first byte in this direction. */
  offset: number;
  /** Bytes the program moved (or the TCP payload length). */
  length: number;
  /** The bytes captured: a prefix of the moved bytes, possibly all of them. */
  data: Uint8Array;
  ts: bigint;
}

export interface HeaderBlock {
  /** Offset of the HEADERS frame that began it. */
  offset: number;
  /** Offset after its last CONTINUATION. */
  end: number;
  ts: bigint;
  fields: HeaderField[];
  /** Fields that needed dynamic-table entries the capture never saw. */
  undecodable: number;
  /** Octets of the block were not captured: its fields are unknown. */
  lost: boolean;
  /** The HEADERS frame carried END_STREAM. */
  endStream: boolean;
  /** Decoding stopped at an HPACK error: its fields are the ones before it. */
  failed: boolean;
  /** It came after this side had ended the stream (a fault, not trailers). */
  afterEnd: boolean;
}

export interface StreamSide {
  id: number;
  /** Offset of its first frame in this direction, and where its last one ended. */
  start: number;
  end: number;
  startTs: bigint;
  endTs: bigint;
  /** Header blocks in order: the headers, 1xx ones, trailers. */
  blocks: HeaderBlock[];
  /** DATA payload octets (padding excluded). */
  dataBytes: number;
  /** Octets of all its frames, headers included. */
  bytes: number;
  /** Octets of its frames the capture missed. */
  missingBytes: number;
  endStream: boolean;
  endStreamTs: bigint | null;
  reset: { code: number; name: string; offset: number; ts: bigint } | null;
  /** Its DATA as gRPC messages, when it carries gRPC. */
  grpc: GrpcMessageSplitter | null;
  diagnostics: Http2Diagnostic[];
}

export interface GoAway {
  offset: number;
  ts: bigint;
  lastStreamId: number;
  code: number;
  name: string;
  debug: string;
}

export interface DirectionResult {
  /** The client connection preface began this direction. */
  preface: boolean;
  /** Streams in the order their first frame was seen. */
  streams: Map<number, StreamSide>;
  /** SETTINGS values this side announced (the last value of each), and how many SETTINGS frames. */
  settings: Map<string, number>;
  settingsFrames: number;
  goaways: GoAway[];
  pings: number;
  windowUpdates: number;
  /** Octets the WINDOW_UPDATEs on stream 0 granted the peer (connection-level flow control, §6.9). */
  connectionWindowGranted: number;
  frames: number;
  /**
   * Rough octets of what its streams keep beyond their fixed parts: each decoded header field as
   * HPACK sizes an entry (name, value and 32), each kept gRPC message's place as KEPT_MESSAGE_OCTETS.
   * Lets a caller that holds many results bound what they take.
   */
  keptOctets: number;
  /** Frames longer than the default SETTINGS_MAX_FRAME_SIZE: errors unless the peer allowed them. */
  longFrames: { offset: number; type: string; length: number; streamId: number }[];
  /** Connection-level diagnostics (not about one stream). */
  diagnostics: Http2Diagnostic[];
}

/** Rough heap octets of one kept gRPC message's place (its object and a few pieces). */
const KEPT_MESSAGE_OCTETS = 200;
/** Octets a header block may take (all its frames) before the rest is counted, not held. */
export const MAX_HEADER_BLOCK = 256 * 1024;
/** Diagnostics kept per stream and per connection direction. */
const MAX_DIAGNOSTICS = 32;
const MAX_LONG_FRAMES = 32;
const MAX_GOAWAYS = 256;

type Mode =
  | { readonly at: 'preface' }
  | { readonly at: 'header' }
  /** In a frame's payload, `until` its end. DATA payload streams through; other payloads are held. */
  | { readonly at: 'payload'; until: number }
  /** Frame boundaries lost; a segment starting with a plausible frame header resumes. */
  | { readonly at: 'lost' };

// The modes without state are shared, and a parser's payload mode is one object it sets `until`
// of: a mode object made per frame was two allocations a frame, hundreds of thousands a capture.
const PREFACE_MODE: Mode = { at: 'preface' };
const HEADER_MODE: Mode = { at: 'header' };
const LOST_MODE: Mode = { at: 'lost' };
/** The payload of a frame of length 0. */
const NO_PAYLOAD = new Uint8Array(0);

export interface DirectionOptions {
  /** Expect the 24-octet client preface first (the client's direction of a connection seen from its start). */
  preface: boolean;
  /** Whether the capture began with the connection (the HPACK table is then fully known). */
  fromStart: boolean;
  /** Whether a stream carries gRPC, as the other direction said (its request's content-type). */
  grpcStream?: (streamId: number) => boolean;
}

export class Http2DirectionParser {
  private mode: Mode;
  private readonly payloadMode: { readonly at: 'payload'; until: number } = { at: 'payload', until: 0 };
  /** Next offset expected. */
  private pos = 0;
  private started = false;
  private readonly hpack: HpackDecoder;
  /** The frame header being gathered (mode 'header'). */
  private readonly head = new Uint8Array(FRAME_HEADER_BYTES);
  private headHave = 0;
  private headOffset = 0;
  private frame: FrameHeader | null = null;
  /** The stream side of the DATA frame being read (beginFrame's), for each piece of its payload; undefined after its END_STREAM. */
  private dataStream: StreamSide | undefined = undefined;
  private frameOffset = 0;
  private frameTs = 0n;
  /** Held payload of a non-DATA frame, and whether any of it was missing. */
  private payload: Uint8Array | null = null;
  private payloadHave = 0;
  private payloadLost = false;
  /** DATA frame: octets of padding-length field / padding still to come. */
  private dataPadLength = -1;
  private dataPayloadLeft = 0;
  /** The DATA frame being read came after its stream's END_STREAM: diagnosed, and not part of the message. */
  private dataAfterEnd = false;
  /** A header block waiting for its CONTINUATION frames. */
  private pendingBlock: { streamId: number; offset: number; ts: bigint; endStream: boolean; fragments: Uint8Array[]; size: number; lost: boolean } | null = null;
  private highestStream = 0;
  private lastTs = 0n;
  readonly result: DirectionResult = {
    preface: false,
    streams: new Map(),
    settings: new Map(),
    settingsFrames: 0,
    goaways: [],
    pings: 0,
    windowUpdates: 0,
    connectionWindowGranted: 0,
    frames: 0,
    keptOctets: 0,
    longFrames: [],
    diagnostics: [],
  };

  constructor(private readonly options: DirectionOptions) {
    this.mode = options.preface ? PREFACE_MODE : HEADER_MODE;
    this.hpack = new HpackDecoder({ fromStart: options.fromStart });
  }

  /** Whether a segment at [offset, offset + length) holds bytes the parser will look at. */
  needsBytes(offset: number, length: number): boolean {
    if (this.mode.at !== 'payload' || this.frame?.type !== FrameType.DATA || offset !== this.pos) return true;
    if (this.dataPadLength < 0 || offset + length > this.mode.until) return true;
    const data = Math.min(length, this.dataPayloadLeft);
    const stream = this.result.streams.get(this.frame.streamId);
    return stream?.grpc ? stream.grpc.needsBytes(data) : false;
  }

  push(segment: Http2Segment): void {
    const { data, ts } = segment;
    let offset = segment.offset;
    let length = segment.length;
    this.lastTs = ts;
    if (!this.started) {
      this.started = true;
      this.pos = offset;
      this.headOffset = offset;
    }
    // Bytes already read (a retransmission seen twice) are skipped.
    let skip = 0;
    if (offset < this.pos) {
      skip = Math.min(length, this.pos - offset);
      offset += skip;
      length -= skip;
      if (length === 0) return;
    }
    if (offset > this.pos) this.missing(offset - this.pos, true);
    const captured = Math.max(0, Math.min(data.length - skip, length));
    // A segment that starts where frames were lost may start a frame again.
    if (this.mode.at === 'lost' && captured >= FRAME_HEADER_BYTES && plausibleFrameHeader(data, skip)) {
      this.result.diagnostics.length < MAX_DIAGNOSTICS &&
        this.result.diagnostics.push(http2Diagnostic('lost-sync', offset, 'frames', { resumed: offset }));
      this.mode = HEADER_MODE;
      this.headHave = 0;
    }
    this.consume(data, skip, skip + captured, ts);
    if (length > captured) this.missing(length - captured, false);
  }

  /** The direction ended (connection closed or capture over): what is unfinished stays unfinished. */
  end(): DirectionResult {
    // A header block whose END_HEADERS never came is not decoded from a part of it.
    if (this.pendingBlock) this.loseBlock();
    for (const s of this.result.streams.values()) {
      const g = s.grpc;
      if (g && s.endStream && !g.lostSync && g.missing > 0 && s.missingBytes === 0) {
        const last = g.messages.at(-1);
        this.streamDiagnostic(s, http2Diagnostic('grpc-message-longer-than-frames', g.unfinishedOffset, `stream ${s.id} DATA`, { stream: s.id, length: last?.length ?? 0, missing: g.missing }));
      }
    }
    if (this.mode.at === 'lost') this.pushConnectionDiagnostic(http2Diagnostic('lost-sync-end', this.pos, 'frames', undefined));
    return this.result;
  }

  private consume(data: Uint8Array, from: number, to: number, ts: bigint): void {
    let p = from;
    while (p < to) {
      const mode = this.mode;
      if (mode.at === 'lost') {
        this.pos += to - p;
        return;
      }
      if (mode.at === 'preface') {
        const want = PREFACE_BYTES - (this.pos - this.headOffset);
        const n = Math.min(want, to - p);
        for (let i = 0; i < n; i++) {
          if (data[p + i] !== PREFACE.charCodeAt(this.pos - this.headOffset + i)) {
            this.pushConnectionDiagnostic(http2Diagnostic('protocol-error', this.pos + i, 'preface', { detail: 'the client connection preface is not PRI * HTTP/2.0' }));
            this.pos += to - p;
            this.mode = LOST_MODE;
            return;
          }
        }
        p += n;
        this.pos += n;
        if (this.pos - this.headOffset === PREFACE_BYTES) {
          this.result.preface = true;
          this.mode = HEADER_MODE;
        }
        continue;
      }
      if (mode.at === 'header') {
        if (this.headHave === 0) this.headOffset = this.pos;
        const n = Math.min(FRAME_HEADER_BYTES - this.headHave, to - p);
        // At most 9 octets: copied one by one, not through a view of the segment made per frame.
        for (let k = 0; k < n; k++) this.head[this.headHave + k] = data[p + k]!;
        this.headHave += n;
        p += n;
        this.pos += n;
        if (this.headHave === FRAME_HEADER_BYTES) {
          this.headHave = 0;
          this.beginFrame(readFrameHeader(this.head, 0), this.headOffset, ts);
        }
        continue;
      }
      // Payload.
      const n = Math.min(mode.until - this.pos, to - p);
      this.payloadBytes(data, p, n);
      p += n;
      this.pos += n;
      if (this.pos === mode.until) this.endFrame();
    }
  }

  /** `n` octets at the current position were not captured (`gap`: not even seen as a segment). */
  private missing(n: number, _gap: boolean): void {
    let left = n;
    while (left > 0) {
      const mode = this.mode;
      if (mode.at === 'lost') {
        this.pos += left;
        return;
      }
      if (mode.at === 'payload') {
        const k = Math.min(left, mode.until - this.pos);
        this.payloadBytes(null, 0, k);
        this.pos += k;
        left -= k;
        if (this.pos === mode.until) this.endFrame();
        continue;
      }
      // Where a preface or a frame header was due: the frame boundaries are lost, and any header
      // block among the lost frames changed the HPACK table in ways not seen.
      this.mode = LOST_MODE;
      this.headHave = 0;
      if (this.pendingBlock) this.loseBlock();
      this.hpack.lose();
    }
  }

  private beginFrame(h: FrameHeader, offset: number, ts: bigint): void {
    this.result.frames++;
    this.frame = h;
    this.frameOffset = offset;
    this.frameTs = ts;
    const until = offset + FRAME_HEADER_BYTES + h.length;
    const typeName = FRAME_TYPE_NAMES[h.type] ?? `type 0x${h.type.toString(16)}`;
    if (h.length > DEFAULT_MAX_FRAME_SIZE && this.result.longFrames.length < MAX_LONG_FRAMES) this.result.longFrames.push({ offset, type: typeName, length: h.length, streamId: h.streamId });
    if (this.pendingBlock && (h.type !== FrameType.CONTINUATION || h.streamId !== this.pendingBlock.streamId)) {
      this.pushConnectionDiagnostic(
        http2Diagnostic('protocol-error', offset, `${typeName} stream ${h.streamId}`, { detail: `a ${typeName} frame where the CONTINUATION of stream ${this.pendingBlock.streamId}'s header block was due (§6.10)` }),
      );
      this.finishBlock(this.pendingBlock, offset);
    }
    const fixed = FIXED_LENGTHS[h.type];
    if (fixed !== undefined && !fixed.ok(h.length)) {
      this.pushConnectionDiagnostic(http2Diagnostic('frame-size-error', offset, `${typeName} stream ${h.streamId}`, { type: typeName, length: h.length, rule: fixed.rule }));
    }
    // PRIORITY and WINDOW_UPDATE do not open a stream (nghttp sends PRIORITY on idle streams to build
    // its dependency tree); they only count towards one this side already has.
    const opens = h.type !== FrameType.PRIORITY && h.type !== FrameType.WINDOW_UPDATE;
    const stream = h.streamId === 0 ? null : opens ? this.touchStream(h.streamId, offset, ts, h.type) : (this.result.streams.get(h.streamId) ?? null);
    if (stream) stream.bytes += FRAME_HEADER_BYTES + h.length;
    if (h.type === FrameType.DATA) {
      this.dataPadLength = h.flags & Flag.PADDED ? -1 : 0;
      this.dataPayloadLeft = h.flags & Flag.PADDED ? 0 : h.length;
      this.dataAfterEnd = stream?.endStream ?? false;
      this.dataStream = this.dataAfterEnd ? undefined : (stream ?? undefined);
      if (stream) {
        if (stream.endStream) this.streamDiagnostic(stream, http2Diagnostic('data-after-end-stream', offset, `DATA stream ${h.streamId}`, { stream: h.streamId }));
        if (stream.grpc === null && (this.options.grpcStream?.(h.streamId) || isGrpcContentType(contentType(stream)))) stream.grpc = new GrpcMessageSplitter();
      }
      this.payload = null;
    } else {
      // Held payloads are bounded; a longer frame is counted, its content left unread. Held as it
      // comes (payloadBytes): a copy only when it comes in pieces.
      this.payload = h.length === 0 ? NO_PAYLOAD : null;
      this.payloadLost = h.length > MAX_HEADER_BLOCK;
    }
    this.payloadHave = 0;
    if (h.length === 0) this.endFrame();
    else {
      this.payloadMode.until = until;
      this.mode = this.payloadMode;
    }
  }

  private payloadBytes(data: Uint8Array | null, p: number, n: number): void {
    const h = this.frame!;
    if (h.type !== FrameType.DATA) {
      if (data === null) this.payloadLost = true;
      else if (!this.payloadLost) {
        // A payload that comes whole in one segment is a view of it, read by endFrame before this
        // segment's push returns (what a header block keeps past it is copied there); one that
        // comes in pieces is gathered into a copy.
        if (this.payloadHave === 0 && n === h.length) this.payload = data.subarray(p, p + n);
        else {
          this.payload ??= new Uint8Array(h.length);
          this.payload.set(data.subarray(p, p + n), this.payloadHave);
        }
      }
      this.payloadHave += n;
      return;
    }
    const stream = this.dataStream;
    if (stream && data === null) stream.missingBytes += n;
    let i = 0;
    if (this.dataPadLength < 0) {
      // The Pad Length octet.
      if (data === null) {
        // Unknown padding: the rest of this frame cannot be told from its padding.
        this.dataPadLength = 0;
        this.dataPayloadLeft = 0;
        if (stream?.grpc) stream.grpc.lostSync = true;
      } else {
        this.dataPadLength = data[p]!;
        const left = h.length - 1 - this.dataPadLength;
        if (left < 0) {
          this.streamOrConnectionDiagnostic(stream, http2Diagnostic('protocol-error', this.frameOffset, `DATA stream ${h.streamId}`, { detail: `DATA padding of ${this.dataPadLength} octets is not shorter than the frame's ${h.length - 1} (§6.1)` }));
        }
        this.dataPayloadLeft = Math.max(0, left);
      }
      i = 1;
    }
    const k = Math.min(n - i, this.dataPayloadLeft);
    if (k > 0) {
      if (stream) {
        stream.dataBytes += k;
        if (stream.grpc) {
          const at = this.pos + i;
          const captured = data === null ? null : data.subarray(p + i, p + i + k);
          const kept = stream.grpc.messages.length;
          stream.grpc.push(at, k, captured);
          this.result.keptOctets += (stream.grpc.messages.length - kept) * KEPT_MESSAGE_OCTETS;
        }
      }
      this.dataPayloadLeft -= k;
    }
  }

  private endFrame(): void {
    const h = this.frame!;
    const offset = this.frameOffset;
    const ts = this.frameTs;
    const end = offset + FRAME_HEADER_BYTES + h.length;
    this.mode = HEADER_MODE;
    const payload = this.payload && !this.payloadLost ? this.payload : null;
    const stream = h.streamId !== 0 ? this.result.streams.get(h.streamId) : undefined;
    if (stream) {
      stream.end = end;
      stream.endTs = ts;
    }
    const fixed = FIXED_LENGTHS[h.type];
    const fixedOk = fixed === undefined || fixed.ok(h.length);
    switch (h.type) {
      case FrameType.DATA:
        if (h.streamId === 0) this.pushConnectionDiagnostic(http2Diagnostic('protocol-error', offset, 'DATA stream 0', { detail: 'a DATA frame on stream 0 (§6.1)' }));
        else if (stream && h.flags & Flag.END_STREAM) this.endStream(stream, ts);
        break;
      case FrameType.HEADERS: {
        if (h.streamId === 0) {
          this.pushConnectionDiagnostic(http2Diagnostic('protocol-error', offset, 'HEADERS stream 0', { detail: 'a HEADERS frame on stream 0 (§6.2)' }));
          break;
        }
        let fragment: Uint8Array | null = null;
        if (payload) {
          let p = 0;
          let pad = 0;
          if (h.flags & Flag.PADDED) pad = payload[p++] ?? 0;
          if (h.flags & Flag.PRIORITY) p += 5;
          if (p + pad > payload.length) {
            this.streamOrConnectionDiagnostic(stream, http2Diagnostic('protocol-error', offset, `HEADERS stream ${h.streamId}`, { detail: `HEADERS padding and priority (${p + pad} octets) longer than the frame's ${payload.length} (§6.2)` }));
          } else fragment = payload.subarray(p, payload.length - pad);
        }
        const block = { streamId: h.streamId, offset, ts, endStream: (h.flags & Flag.END_STREAM) !== 0, fragments: fragment ? [fragment] : [], size: fragment?.length ?? 0, lost: fragment === null };
        if (h.flags & Flag.END_HEADERS) this.finishBlock(block, end);
        else {
          // Kept past this frame (the payload may be a view of the segment): copied.
          if (fragment) block.fragments[0] = new Uint8Array(fragment);
          this.pendingBlock = block;
        }
        break;
      }
      case FrameType.CONTINUATION: {
        const block = this.pendingBlock;
        if (!block || block.streamId !== h.streamId) {
          // Its HEADERS was before the capture (or lost): nothing to add it to.
          if (this.options.fromStart && !block) this.streamOrConnectionDiagnostic(stream, http2Diagnostic('protocol-error', offset, `CONTINUATION stream ${h.streamId}`, { detail: 'a CONTINUATION frame that follows no HEADERS (§6.10)' }));
          break;
        }
        if (payload && block.size + payload.length <= MAX_HEADER_BLOCK) {
          block.fragments.push(new Uint8Array(payload));
          block.size += payload.length;
        } else block.lost = true;
        if (h.flags & Flag.END_HEADERS) this.finishBlock(block, end);
        break;
      }
      case FrameType.RST_STREAM:
        if (stream && payload && fixedOk) {
          const code = readUint32(payload, 0);
          stream.reset = { code, name: errorName(code), offset, ts };
        }
        break;
      case FrameType.SETTINGS:
        this.result.settingsFrames++;
        if (payload && fixedOk && !(h.flags & Flag.ACK)) {
          for (let p = 0; p + 6 <= payload.length; p += 6) this.result.settings.set(settingName((payload[p]! << 8) | payload[p + 1]!), readUint32(payload, p + 2));
        }
        break;
      case FrameType.GOAWAY:
        if (payload && payload.length >= 8 && this.result.goaways.length < MAX_GOAWAYS) {
          const code = readUint32(payload, 4);
          this.result.goaways.push({
            offset,
            ts,
            lastStreamId: readUint32(payload, 0) & 0x7fffffff,
            code,
            name: errorName(code),
            debug: Buffer.from(payload.buffer, payload.byteOffset + 8, Math.min(payload.length - 8, 200)).toString('latin1'),
          });
        }
        break;
      case FrameType.PING:
        this.result.pings++;
        break;
      case FrameType.WINDOW_UPDATE:
        this.result.windowUpdates++;
        if (h.streamId === 0 && payload && fixedOk) this.result.connectionWindowGranted += readUint32(payload, 0) & 0x7fffffff;
        break;
      default:
        // PRIORITY, PUSH_PROMISE (push is not followed) and extension frames: counted only.
        break;
    }
    this.frame = null;
    this.payload = null;
  }

  private finishBlock(block: NonNullable<Http2DirectionParser['pendingBlock']>, end: number): void {
    this.pendingBlock = null;
    const stream = this.result.streams.get(block.streamId);
    if (!stream) return;
    const hb: HeaderBlock = { offset: block.offset, end, ts: block.ts, fields: [], undecodable: 0, lost: block.lost, endStream: block.endStream, failed: false, afterEnd: stream.endStream || stream.reset !== null };
    if (block.lost) {
      this.hpack.lose();
      this.streamDiagnostic(stream, http2Diagnostic('header-block-lost', block.offset, `HEADERS stream ${block.streamId}`, { stream: block.streamId }));
    } else {
      const bytes = block.fragments.length === 1 ? block.fragments[0]! : concat(block.fragments, block.size);
      const decoded = this.hpack.decode(bytes);
      hb.fields = decoded.fields;
      hb.undecodable = decoded.undecodable;
      hb.failed = decoded.error !== null;
      if (decoded.error) {
        this.streamDiagnostic(stream, http2Diagnostic('hpack-error', block.offset, `HEADERS stream ${block.streamId}`, { stream: block.streamId, detail: `${decoded.error.message}, at octet ${decoded.error.offset} of the block` }));
      } else if (decoded.undecodable > 0) {
        this.streamDiagnostic(
          stream,
          http2Diagnostic('header-block-undecodable', block.offset, `HEADERS stream ${block.streamId}`, {
            stream: block.streamId,
            count: decoded.undecodable,
            why: this.options.fromStart ? '(an earlier header block was not captured)' : '(the capture began after the connection)',
          }),
        );
      }
    }
    if (stream.blocks.length < 8) {
      // Most sides have one block, kept until the connection ends: a list of one, not one grown by push (room for 16).
      if (stream.blocks.length === 0) stream.blocks = [hb];
      else stream.blocks.push(hb);
      for (const f of hb.fields) this.result.keptOctets += f.name.length + f.value.length + 32;
    }
    if (block.endStream) this.endStream(stream, block.ts);
  }

  private loseBlock(): void {
    const block = this.pendingBlock!;
    block.lost = true;
    this.finishBlock(block, this.pos);
  }

  private endStream(stream: StreamSide, ts: bigint): void {
    if (stream.endStream) return;
    stream.endStream = true;
    stream.endStreamTs = ts;
  }

  private touchStream(id: number, offset: number, ts: bigint, type: number): StreamSide {
    let s = this.result.streams.get(id);
    if (s) {
      if (type === FrameType.HEADERS && (s.endStream || s.reset)) {
        this.streamDiagnostic(s, http2Diagnostic('headers-on-closed-stream', offset, `HEADERS stream ${id}`, { stream: id, why: s.reset ? `this side reset (${s.reset.name})` : 'this side already ended with END_STREAM' }));
      }
      return s;
    }
    s = { id, start: offset, end: offset, startTs: ts, endTs: ts, blocks: [], dataBytes: 0, bytes: 0, missingBytes: 0, endStream: false, endStreamTs: null, reset: null, grpc: null, diagnostics: [] };
    if (type === FrameType.HEADERS && this.options.preface && id <= this.highestStream) {
      // A client opening a stream below one it already opened reuses a closed one (§5.1.1).
      this.streamDiagnostic(s, http2Diagnostic('headers-on-closed-stream', offset, `HEADERS stream ${id}`, { stream: id, why: `is below stream ${this.highestStream}, already opened (§5.1.1)` }));
    }
    if (type === FrameType.HEADERS) this.highestStream = Math.max(this.highestStream, id);
    this.result.streams.set(id, s);
    return s;
  }

  private streamDiagnostic(s: StreamSide, d: Http2Diagnostic): void {
    if (s.diagnostics.length < MAX_DIAGNOSTICS) s.diagnostics.push(d);
  }

  private streamOrConnectionDiagnostic(s: StreamSide | undefined, d: Http2Diagnostic): void {
    if (s) this.streamDiagnostic(s, d);
    else this.pushConnectionDiagnostic(d);
  }

  private pushConnectionDiagnostic(d: Http2Diagnostic): void {
    if (this.result.diagnostics.length < MAX_DIAGNOSTICS) this.result.diagnostics.push(d);
  }

  get lastSeenTs(): bigint {
    return this.lastTs;
  }
}

/** Frame types whose payload has a fixed size (RFC 9113 §6). */
const FIXED_LENGTHS: Partial<Record<number, { ok: (n: number) => boolean; rule: string }>> = {
  [FrameType.PRIORITY]: { ok: (n) => n === 5, rule: 'PRIORITY is 5 octets' },
  [FrameType.RST_STREAM]: { ok: (n) => n === 4, rule: 'RST_STREAM is 4 octets' },
  [FrameType.SETTINGS]: { ok: (n) => n % 6 === 0, rule: 'SETTINGS is a multiple of 6 octets' },
  [FrameType.PING]: { ok: (n) => n === 8, rule: 'PING is 8 octets' },
  [FrameType.GOAWAY]: { ok: (n) => n >= 8, rule: 'GOAWAY is at least 8 octets' },
  [FrameType.WINDOW_UPDATE]: { ok: (n) => n === 4, rule: 'WINDOW_UPDATE is 4 octets' },
};

function readUint32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) >>> 0) + (b[p + 1]! << 16) + (b[p + 2]! << 8) + b[p + 3]!;
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

function contentType(s: StreamSide): string | null {
  return s.blocks[0]?.fields.find((f) => f.name === 'content-type')?.value ?? null;
}
