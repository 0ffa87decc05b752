// Big-endian reads from a byte buffer, as HPROF stores every number.

export function u16(b: Uint8Array, p: number): number {
  return (b[p]! << 8) | b[p + 1]!;
}

export function u32(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

export function i32(b: Uint8Array, p: number): number {
  return (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
}

/** An identifier of `idSize` (4 or 8) bytes, as a number (exact below 2^53). */
export function readId(b: Uint8Array, p: number, idSize: number): number {
  return idSize === 4 ? u32(b, p) : u32(b, p) * 4294967296 + u32(b, p + 4);
}

/** A u8 as a number (exact below 2^53). */
export function u64(b: Uint8Array, p: number): number {
  return u32(b, p) * 4294967296 + u32(b, p + 4);
}
