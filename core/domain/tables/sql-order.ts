// SQLite's ORDER BY, in JavaScript, for the tables that page a list held in memory: the order must
// be the one the SQL path gives, row for row. Values are what a STRICT column holds (NULL, an
// integer as a number or bigint, text).

export type SqlValue = null | number | bigint | string;

/**
 * Text in SQLite's BINARY collation: UTF-8 bytes, which order as code points do. JavaScript's `<`
 * compares UTF-16 code units, which differs only where a surrogate (a code point past U+FFFF)
 * meets a unit from U+E000 up.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y : x) >= 0xe000) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Two non-NULL values of one column. */
export function compareValues(a: SqlValue, b: SqlValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  // Numbers sort before text in SQLite; a STRICT column never mixes them, but keep the rule.
  if (typeof a === 'string') return 1;
  if (typeof b === 'string') return -1;
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

/**
 * `ORDER BY key DIR NULLS LAST, id DIR` over items: the direction applies to the key and to the tie
 * break, NULLs go last either way.
 */
export function sortNullsLast<T>(items: T[], key: (item: T) => SqlValue, id: (item: T) => number, desc: boolean): T[] {
  const sign = desc ? -1 : 1;
  return items.sort((p, q) => {
    const a = key(p);
    const b = key(q);
    if (a === null || b === null) {
      if (a !== null) return -1;
      if (b !== null) return 1;
    } else {
      const c = compareValues(a, b);
      if (c !== 0) return sign * c;
    }
    return sign * (id(p) - id(q));
  });
}
