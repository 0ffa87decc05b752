// A result row's values as the API hands them on: the index's 64-bit integer columns are read with
// safeIntegers() (timestamps need all 64 bits), so a count or size arrives as a bigint.

/** A 64-bit integer column read with safeIntegers(), as a JS number (sizes and counts fit). */
export function num(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}
