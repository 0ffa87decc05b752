// pcapng timestamps: a 64-bit count of an interface's units (if_tsresol: 10^-n or 2^-n seconds),
// plus if_tsoffset seconds. Nanoseconds since the epoch do not fit a double, so they travel as
// (seconds, nanoseconds) pairs, computed with plain numbers when that is exact (microsecond
// units, the common case) and with BigInt otherwise.

const TWO_32 = 4294967296;

export interface TimestampUnits {
  unitsPerSecond: bigint;
  offsetSeconds: bigint;
}

/** A converter from (high, low) words to seconds and nanoseconds, specialised for one interface. */
export class TimestampConverter {
  sec = 0;
  nsec = 0;
  private readonly ups: number;
  private readonly upsBig: bigint;
  private readonly offset: number;
  private readonly offsetBig: bigint;
  /** Nanoseconds per unit when that is a whole number (decimal resolutions up to 10^-9). */
  private readonly nsPerUnit: number;

  constructor(units: TimestampUnits) {
    this.upsBig = units.unitsPerSecond;
    this.ups = Number(units.unitsPerSecond);
    this.offsetBig = units.offsetSeconds;
    this.offset = Number(units.offsetSeconds);
    this.nsPerUnit = 1_000_000_000n % units.unitsPerSecond === 0n ? Number(1_000_000_000n / units.unitsPerSecond) : 0;
  }

  set(high: number, low: number): void {
    const units = high * TWO_32 + low;
    if (this.nsPerUnit !== 0 && units <= Number.MAX_SAFE_INTEGER) {
      const sec = Math.floor(units / this.ups);
      this.sec = sec + this.offset;
      this.nsec = (units - sec * this.ups) * this.nsPerUnit;
      return;
    }
    const big = (BigInt(high) << 32n) | BigInt(low);
    const sec = big / this.upsBig;
    this.sec = Number(sec + this.offsetBig);
    this.nsec = Number(((big - sec * this.upsBig) * 1_000_000_000n) / this.upsBig);
  }
}

/** if_tsresol: the most significant bit picks base 2, the rest is the negative exponent. */
export function unitsPerSecond(tsresol: number): bigint | null {
  const exponent = BigInt(tsresol & 0x7f);
  if (tsresol & 0x80) return exponent > 63n ? null : 1n << exponent;
  return exponent > 18n ? null : 10n ** exponent;
}

const NS_MAX = (1n << 63n) - 1n;
const NS_MIN = -(1n << 63n);
/** Seconds that fit a signed 64-bit count of nanoseconds (years 1677 to 2262). */
export const MAX_NS_SECONDS = 9_223_372_035;

export function nsInRange(sec: number): boolean {
  return sec <= MAX_NS_SECONDS && sec >= -MAX_NS_SECONDS;
}

/**
 * Nanoseconds since the epoch, as SQLite stores them (a signed 64-bit integer). Times beyond
 * 2262 (corrupt clocks, writers that got if_tsresol wrong) are clamped to the range; callers
 * check nsInRange to report them.
 */
export function toNs(sec: number, nsec: number): bigint {
  // Consecutive packets mostly share their second: its product is kept (a cache, not state: the
  // result depends on the arguments alone), which halves the BigInts made per packet and chunk.
  if (sec !== lastSec) {
    lastSecNs = BigInt(sec) * 1_000_000_000n;
    lastSec = sec;
  }
  const ns = lastSecNs + BigInt(nsec);
  return ns > NS_MAX ? NS_MAX : ns < NS_MIN ? NS_MIN : ns;
}

let lastSec = 0;
let lastSecNs = 0n;

const TWO_16 = 65536;

/**
 * toNs(sec, nsec) as its 32-bit halves (high, low), without a BigInt, for a time of 1970 to 2106
 * (sec 0 to 2^32 - 1, nsec 0 to 10^9 - 1: every classic pcap's and nearly every pcapng's); null
 * outside that, where toNs is asked. Every step is exact in a double: the 64-bit count is put
 * together from products below 2^53.
 */
export function nsWords(sec: number, nsec: number, out: { high: number; low: number }): boolean {
  if (!(sec >= 0 && sec < TWO_32 && nsec >= 0 && nsec < 1_000_000_000)) return false;
  // sec * 1e9 + nsec = (a * 2^16 + b) * 1e9 + nsec = y * 2^16 + x
  const a = Math.floor(sec / TWO_16);
  const x = (sec - a * TWO_16) * 1_000_000_000 + nsec;
  const y = a * 1_000_000_000;
  // y * 2^16 = y1 * 2^32 + y0 * 2^16
  const y1 = Math.floor(y / TWO_16);
  const z = (y - y1 * TWO_16) * TWO_16 + x;
  const carry = Math.floor(z / TWO_32);
  out.high = y1 + carry;
  out.low = z - carry * TWO_32;
  return true;
}
