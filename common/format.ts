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
