// Reading Java strings out of the dump: the kept prefix of a String's value array, decoded by the
// String's coder (JDK 9+: Latin-1 or UTF-16 in the VM's byte order, little-endian on the
// platforms capscope meets) or as a char[] (JDK 8 and older, Android), which HPROF stores
// big-endian.

import { TYPE_CHAR } from '../../formats/hprof/parser/constants';
import type { HeapGraph } from './graph';

/** Characters shown of a long value. */
export const SHOWN_CHARS = 120;

export interface ArrayText {
  /** The decoded characters that were kept. */
  text: string;
  /** Whether that is the whole value. */
  complete: boolean;
}

/** The text of byte[]/char[] arrays (graph.arrays, in object order: found by binary search). */
export class ArrayTexts {
  private readonly latin1 = new TextDecoder('latin1');
  private readonly utf16le = new TextDecoder('utf-16le');

  constructor(private readonly graph: HeapGraph) {}

  /** The index of `node` in graph.arrays, or -1. */
  entry(node: number): number {
    const nodes = this.graph.arrays.node;
    let lo = 0;
    let hi = this.graph.arrays.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodes[mid]! < node) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.graph.arrays.count && nodes[lo] === node ? lo : -1;
  }

  /**
   * The characters of the array at `node`: a char[] (big-endian), or a byte[] with `coder`
   * 0 (Latin-1) or 1 (UTF-16LE); `offset`/`count` (JDK 6) select a window of chars.
   */
  decode(node: number, coder: number, offset = -1, count = -1): ArrayText | null {
    const i = this.entry(node);
    if (i < 0) return null;
    const a = this.graph.arrays;
    const start = a.textStart[i]!;
    if (start < 0) return null;
    const bytes = a.text.subarray(start, start + a.textLength[i]!);
    const isChars = this.graph.kind[node] === TYPE_CHAR;
    const lengthInUnits = this.graph.aux[node]!;
    let text: string;
    let units: number;
    if (isChars) {
      units = bytes.length >> 1;
      const chars = new Array<number>(units);
      for (let k = 0; k < units; k++) chars[k] = (bytes[2 * k]! << 8) | bytes[2 * k + 1]!;
      text = String.fromCharCode(...chars);
    } else if (coder === 1) {
      units = bytes.length >> 1;
      text = this.utf16le.decode(bytes.subarray(0, units * 2));
    } else {
      units = bytes.length;
      text = this.latin1.decode(bytes);
    }
    const total = isChars || coder === 1 ? (isChars ? lengthInUnits : lengthInUnits >> 1) : lengthInUnits;
    let complete = units >= total;
    if (offset >= 0 && count >= 0) {
      const end = Math.min(text.length, offset + count);
      complete = complete || offset + count <= units;
      text = text.slice(Math.min(offset, text.length), end);
      complete = complete && text.length === count;
    }
    return { text, complete };
  }
}

/** A value for display: at most SHOWN_CHARS characters, an ellipsis when cut. */
export function shown(t: ArrayText): string {
  if (t.text.length > SHOWN_CHARS) return `${t.text.slice(0, SHOWN_CHARS)}…`;
  return t.complete ? t.text : `${t.text}…`;
}
