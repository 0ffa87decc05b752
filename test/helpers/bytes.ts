// Builders of small evidence headers for sniffing tests: each one is a real header of its format,
// laid out by hand from the format's specification.

export function u32(value: number, littleEndian: boolean): number[] {
  const b = Buffer.alloc(4);
  if (littleEndian) b.writeUInt32LE(value >>> 0);
  else b.writeUInt32BE(value >>> 0);
  return [...b];
}

export function u16(value: number, littleEndian: boolean): number[] {
  const b = Buffer.alloc(2);
  if (littleEndian) b.writeUInt16LE(value);
  else b.writeUInt16BE(value);
  return [...b];
}

/** A classic pcap global header. */
export function pcapHeader(opts: { littleEndian: boolean; nanoseconds: boolean; linkType?: number }): Uint8Array {
  const magic = opts.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4;
  const le = opts.littleEndian;
  return Uint8Array.from([...u32(magic, le), ...u16(2, le), ...u16(4, le), ...u32(0, le), ...u32(0, le), ...u32(65535, le), ...u32(opts.linkType ?? 1, le)]);
}

/** A section header block (pcapng and scap share it), without options. */
export function sectionHeader(littleEndian: boolean, major = 1, minor = 0): number[] {
  const le = littleEndian;
  return [...u32(0x0a0d0d0a, le), ...u32(28, le), ...u32(0x1a2b3c4d, le), ...u16(major, le), ...u16(minor, le), ...u32(0xffffffff, le), ...u32(0xffffffff, le), ...u32(28, le)];
}

/** A block of `type` with an empty body (8-byte header plus trailing length). */
export function emptyBlock(type: number, littleEndian: boolean): number[] {
  return [...u32(type, littleEndian), ...u32(12, littleEndian), ...u32(12, littleEndian)];
}

export function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const flat: number[] = [];
  for (const p of parts) {
    if (typeof p === 'string') for (const ch of p) flat.push(ch.charCodeAt(0) & 0xff);
    else flat.push(...p);
  }
  return Uint8Array.from(flat);
}
