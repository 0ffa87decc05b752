// Turning captured bytes into text for display. Captured bytes are hostile: they only ever become
// strings handed to React as text children (never markup), and non-printable bytes become dots.

import { printableByte } from '../../common/format';

export function decodeBase64(data: string): Uint8Array {
  const binary = atob(data);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Printable ASCII as itself, LF and TAB kept, CR dropped, anything else a dot. */
export function printableChar(b: number): string {
  if (b === 0x0a) return '\n';
  if (b === 0x09) return '\t';
  if (b === 0x0d) return '';
  return printableByte(b);
}

export function printable(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += printableChar(b);
  return s;
}

/** One character per byte (a dot for anything not printable), for the hex dump's text column. */
export const dumpChar = printableByte;

export function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

export function hexOffset(n: number): string {
  return n.toString(16).padStart(8, '0');
}
