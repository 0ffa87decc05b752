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

/** Decodes a TCP header; false when it is cut short or its data offset is impossible. */
export function decodeTcp(l4: Uint8Array, wireLength: number, out: TransportSegment): boolean {
  if (l4.length < 20) return false;
  const headerLength = (l4[12]! >> 4) * 4;
  if (headerLength < 20 || headerLength > wireLength || l4.length < headerLength) return false;
  out.srcPort = (l4[0]! << 8) | l4[1]!;
  out.dstPort = (l4[2]! << 8) | l4[3]!;
  out.seq = ((l4[4]! << 24) | (l4[5]! << 16) | (l4[6]! << 8) | l4[7]!) >>> 0;
  out.ack = ((l4[8]! << 24) | (l4[9]! << 16) | (l4[10]! << 8) | l4[11]!) >>> 0;
  out.flags = l4[13]!;
  out.payload = l4.subarray(headerLength);
  out.payloadLength = wireLength - headerLength;
  return true;
}

/** Decodes a UDP header; false when it is cut short. */
export function decodeUdp(l4: Uint8Array, wireLength: number, out: TransportSegment): boolean {
  if (l4.length < 8 || wireLength < 8) return false;
  out.srcPort = (l4[0]! << 8) | l4[1]!;
  out.dstPort = (l4[2]! << 8) | l4[3]!;
  const udpLength = (l4[4]! << 8) | l4[5]!;
  // The UDP length wins when it is sane; 0 (jumbograms) or a value beyond the IP payload does not.
  const length = udpLength >= 8 && udpLength <= wireLength ? udpLength : wireLength;
  out.seq = 0;
  out.ack = 0;
  out.flags = 0;
  out.payload = l4.subarray(8, Math.min(l4.length, length));
  out.payloadLength = length - 8;
  return true;
}
