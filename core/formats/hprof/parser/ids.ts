// Identifiers of 4 or 8 bytes read as numbers, exact below 2^53: every address a 64-bit JVM hands
// out is (user space is below 2^48). A larger one is reported, once.

import { u32 } from './bytes';

export class IdReader {
  private bigReported = false;

  constructor(
    readonly size: 4 | 8,
    private readonly onBigId: (hex: string) => void,
  ) {}

  read(b: Uint8Array, p: number): number {
    if (this.size === 4) return u32(b, p);
    const hi = u32(b, p);
    // Beyond 2^53 two identifiers could read as one number.
    if (hi >= 0x200000 && !this.bigReported) {
      this.bigReported = true;
      this.onBigId(`0x${hi.toString(16).padStart(8, '0')}${u32(b, p + 4).toString(16).padStart(8, '0')}`);
    }
    return hi * 4294967296 + u32(b, p + 4);
  }
}
