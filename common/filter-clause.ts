// A table cell as a clause of the filter language (Wireshark's "Apply as filter" / "Prepare as
// filter … not"), and a clause joined to the filter in force. Browser-safe: the tables view builds
// these, and the tests hold every column's field to its cells with them.

/** `field=value`, or `not field=value`; a missing value (sysdig's <NA>) is `not field exists`. */
export function cellClause(field: string, value: string | number | null, exclude: boolean): string {
  if (value === null) return exclude ? `${field} exists` : `not ${field} exists`;
  const clause = `${field}=${filterValue(value)}`;
  return exclude ? `not ${clause}` : clause;
}

/** A value as the filter reads it: bare when it is one word, else double-quoted with escapes. */
export function filterValue(value: string | number): string {
  const text = String(value);
  if (text !== '' && /^[^\s(),"'\\]+$/.test(text)) return text;
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * The filter in force narrowed by one more clause: `a and b`. A filter with an `or` at its top is
 * grouped first, since the language does not mix `and` and `or` on one level.
 */
export function narrowFilter(current: string, clause: string): string {
  const base = current.trim();
  if (base === '') return clause;
  return /\bor\b/i.test(base) ? `(${base}) and ${clause}` : `${base} and ${clause}`;
}
