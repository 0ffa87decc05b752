// pcapng options: a list of (code, length, value padded to 4 bytes) ending with opt_endofopt or
// the end of the block. Codes from the pcapng specification (draft-ietf-opsawg-pcapng).

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const IF_NAME = 2;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

export interface OptionsResult {
  options: PcapngOption[];
  /** Set when an option ran past the end of the block: the options before it are kept. */
  overrun: { at: number; code: number; length: number } | null;
}

/** Parses the options in `bytes` (a block's option area, `bytes` starting at an option). */
export function parseOptions(bytes: Uint8Array, le: boolean): OptionsResult {
  const options: PcapngOption[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 4 <= bytes.length) {
    const code = view.getUint16(at, le);
    const length = view.getUint16(at + 2, le);
    if (code === OPT_ENDOFOPT) break;
    if (at + 4 + length > bytes.length) return { options, overrun: { at, code, length } };
    options.push({ code, value: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + ((length + 3) & ~3);
  }
  return { options, overrun: null };
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function optionText(value: Uint8Array): string {
  // Some writers include the C string's terminator in the length.
  let end = value.length;
  while (end > 0 && value[end - 1] === 0) end--;
  return utf8.decode(value.subarray(0, end));
}

export function comments(options: PcapngOption[]): string[] {
  return options.filter((o) => o.code === OPT_COMMENT).map((o) => optionText(o.value));
}
