// TCP and UDP headers: ports, sequence numbers, flags, and where the payload is. The payload's
// length on the wire comes from the IP header, never from the captured bytes: a frame cut by the
// snapshot length still moved all of its bytes, and Ethernet padding is not payload.

export const TCP_FLAGS = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** A decoded TCP or UDP segment; filled in place. */
export interface TransportSegment {
  srcPort: number;
  dstPort: number;
  /** TCP only (0 for UDP). */
  seq: number;
  ack: number;
  flags: number;
  /** The payload as captured. */
  payload: Uint8Array;
  /** Payload bytes on the wire. */
  payloadLength: number;
}

/** The payload of a segment that captured none: no view is made for the many that carry nothing (ACKs, SYNs, FINs). */
const NO_BYTES = new Uint8Array(0);

/**
 * Decodes the TCP header of bytes[start, end) (the transport bytes as captured); false when it is
 * cut short or its data offset is impossible.
 */
export function decodeTcp(bytes: Uint8Array, start: number, end: number, wireLength: number, out: TransportSegment): boolean {
  const captured = end - start;
  if (captured < 20) return false;
  const a = start;
  const headerLength = (bytes[a + 12]! >> 4) * 4;
  if (headerLength < 20 || headerLength > wireLength || captured < headerLength) return false;
  out.srcPort = (bytes[a]! << 8) | bytes[a + 1]!;
  out.dstPort = (bytes[a + 2]! << 8) | bytes[a + 3]!;
  out.seq = ((bytes[a + 4]! << 24) | (bytes[a + 5]! << 16) | (bytes[a + 6]! << 8) | bytes[a + 7]!) >>> 0;
  out.ack = ((bytes[a + 8]! << 24) | (bytes[a + 9]! << 16) | (bytes[a + 10]! << 8) | bytes[a + 11]!) >>> 0;
  out.flags = bytes[a + 13]!;
  out.payload = captured > headerLength ? bytes.subarray(a + headerLength, end) : NO_BYTES;
  out.payloadLength = wireLength - headerLength;
  return true;
}

/** Decodes the UDP header of bytes[start, end); false when it is cut short. */
export function decodeUdp(bytes: Uint8Array, start: number, end: number, wireLength: number, out: TransportSegment): boolean {
  const captured = end - start;
  if (captured < 8 || wireLength < 8) return false;
  const a = start;
  out.srcPort = (bytes[a]! << 8) | bytes[a + 1]!;
  out.dstPort = (bytes[a + 2]! << 8) | bytes[a + 3]!;
  const udpLength = (bytes[a + 4]! << 8) | bytes[a + 5]!;
  // The UDP length wins when it is sane; 0 (jumbograms) or a value beyond the IP payload does not.
  const length = udpLength >= 8 && udpLength <= wireLength ? udpLength : wireLength;
  out.seq = 0;
  out.ack = 0;
  out.flags = 0;
  const payloadEnd = Math.min(captured, length);
  out.payload = payloadEnd > 8 ? bytes.subarray(a + 8, a + payloadEnd) : NO_BYTES;
  out.payloadLength = length - 8;
  return true;
}
