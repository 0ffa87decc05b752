// TCP sequence numbers are 32-bit and wrap: positions are compared by their signed distance
// (RFC 793's modular comparison), so a connection that crosses 2^32 keeps counting up.

/** b − a as a signed 32-bit distance: positive when b is after a. */
export function seqDistance(a: number, b: number): number {
  return (b - a) | 0;
}

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
