// HTTP/2 frame layout (RFC 9113 §4.1, §6): the 9-octet header, the frame types, their flags, the
// error codes and settings by name, and what a frame header must look like to be one (for finding
// HTTP/2 in a capture that begins after the connection's preface).

export const FRAME_HEADER_BYTES = 9;
export const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';
export const PREFACE_BYTES = PREFACE.length;
/** SETTINGS_MAX_FRAME_SIZE's initial value; a peer may raise it up to 2^24 - 1. */
export const DEFAULT_MAX_FRAME_SIZE = 16384;
export const MAX_FRAME_SIZE_LIMIT = 2 ** 24 - 1;

export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const FRAME_TYPE_NAMES = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION'] as const;

export const Flag = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** RFC 9113 §7. */
const ERROR_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? `0x${code.toString(16)}`;
}

/** RFC 9113 §6.5.2. */
const SETTING_NAMES: Record<number, string> = {
  1: 'HEADER_TABLE_SIZE',
  2: 'ENABLE_PUSH',
  3: 'MAX_CONCURRENT_STREAMS',
  4: 'INITIAL_WINDOW_SIZE',
  5: 'MAX_FRAME_SIZE',
  6: 'MAX_HEADER_LIST_SIZE',
  8: 'ENABLE_CONNECT_PROTOCOL',
};

export function settingName(id: number): string {
  return SETTING_NAMES[id] ?? `0x${id.toString(16)}`;
}

export interface FrameHeader {
  length: number;
  type: number;
  flags: number;
  streamId: number;
}

export function readFrameHeader(b: Uint8Array, p: number): FrameHeader {
  return {
    length: (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!,
    type: b[p + 3]!,
    flags: b[p + 4]!,
    streamId: ((b[p + 5]! & 0x7f) * 2 ** 24) + (b[p + 6]! << 16) + (b[p + 7]! << 8) + b[p + 8]!,
  };
}

/** Flags each known frame type defines (RFC 9113 §6); a sniffer rejects any other bit. */
const DEFINED_FLAGS = [0x09, 0x2d, 0x00, 0x00, 0x01, 0x0c, 0x01, 0x00, 0x00, 0x04];

/**
 * Whether a frame header is one a peer could have sent as the first frame seen of a direction:
 * a known type on the kind of stream it belongs to (0 for connection frames, not 0 for stream
 * frames), only its defined flags, the reserved bit clear, the fixed lengths right, and no longer
 * than the largest SETTINGS_MAX_FRAME_SIZE.
 */
export function plausibleFrameHeader(b: Uint8Array, p: number): boolean {
  if (b.length - p < FRAME_HEADER_BYTES) return false;
  if (b[p + 5]! & 0x80) return false;
  const h = readFrameHeader(b, p);
  if (h.type > FrameType.CONTINUATION) return false;
  if ((h.flags & ~DEFINED_FLAGS[h.type]!) !== 0) return false;
  const connectionFrame = h.type === FrameType.SETTINGS || h.type === FrameType.PING || h.type === FrameType.GOAWAY;
  if (connectionFrame !== (h.streamId === 0) && h.type !== FrameType.WINDOW_UPDATE) return false;
  switch (h.type) {
    case FrameType.SETTINGS:
      return h.length % 6 === 0 && (!(h.flags & Flag.ACK) || h.length === 0);
    case FrameType.PING:
      return h.length === 8;
    case FrameType.RST_STREAM:
    case FrameType.WINDOW_UPDATE:
      return h.length === 4;
    case FrameType.PRIORITY:
      return h.length === 5;
    case FrameType.GOAWAY:
      return h.length >= 8;
    default:
      return h.length <= DEFAULT_MAX_FRAME_SIZE * 64;
  }
}

/**
 * Whether a direction's first captured bytes read as HTTP/2 frames with no preface (a capture that
 * began after the connection did): the first frame header is plausible, and so is each following
 * one that lies within `bytes` (at least two when the first frame is small enough to show one).
 */
export function looksLikeFrames(bytes: Uint8Array): boolean {
  let p = 0;
  let seen = 0;
  while (p + FRAME_HEADER_BYTES <= bytes.length) {
    if (!plausibleFrameHeader(bytes, p)) return false;
    seen++;
    p += FRAME_HEADER_BYTES + readFrameHeader(bytes, p).length;
  }
  return seen >= 1;
}
