// How numbers and captured bytes are written for people, everywhere outside the browser bundle's
// own copy: the CLI, the reports. One copy, so that a count reads the same in every output.

/** 1,234,567: grouped in thousands, the same in every locale. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1.5 MB` (powers of 1000), with the exact count for small values. */
export function formatBytes(n: number | null): string {
  if (n === null) return '–';
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(3))} ${units[i]}`;
}

/** A byte as text when it is printable ASCII, else `.` (captured bytes are hostile). */
export function printableByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** Text read from a file, for a one-line message: anything but printable ASCII becomes `?`. */
export function printableText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * Where an offending byte is, said one way in the findings, the stream view, the HTTP detail and
 * the report: the line it is in and the byte itself ("line at byte 17, '/' at byte 21"), offsets in
 * the direction's bytes. Without its line (not found in the captured bytes): the byte alone.
 */
export function formatBytePlace(at: number, line: { offset: number; text: string } | null): string {
  if (line === null || at < line.offset || at >= line.offset + Math.max(1, line.text.length)) return `byte ${formatCount(at)}`;
  const code = line.text.charCodeAt(at - line.offset);
  const shown = code > 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}'` : Number.isNaN(code) ? 'its byte' : `0x${code.toString(16).padStart(2, '0')}`;
  return at === line.offset ? `line and ${shown} at byte ${formatCount(at)}` : `line at byte ${formatCount(line.offset)}, ${shown} at byte ${formatCount(at)}`;
}
