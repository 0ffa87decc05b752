// The lines of a text profile with the byte offset each starts at, for diagnostics that name it.

export interface TextLine {
  /** 1-based. */
  number: number;
  offset: number;
  text: string;
}

export function* textLines(bytes: Uint8Array): Generator<TextLine> {
  const decoder = new TextDecoder('utf-8');
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
    number++;
    yield { number, offset: start, text: decoder.decode(bytes.subarray(start, stop)) };
    start = end + 1;
  }
}
