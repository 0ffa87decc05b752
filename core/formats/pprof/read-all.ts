// Reads an entry's bytes whole (a profile is decoded in one piece: Go writes its string table
// last), up to a bound, keeping what arrived before a fault of the source (a truncated gzip) so
// that the part of the profile that is there can still be read.

import type { ByteReader } from '../../../parsers/source/byte-reader';

export interface ReadBytes {
  bytes: Uint8Array;
  /** The bytes were more than `limit`: only the first `limit` are here. */
  overLimit: boolean;
  /** The source's fault that cut them short, rethrown once what is there is stored. */
  fault: unknown;
}

export async function readAll(reader: ByteReader, limit: number): Promise<ReadBytes> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  let overLimit = false;
  let fault: unknown = null;
  try {
    for await (const chunk of reader.chunks()) {
      if (length + chunk.length > limit) {
        chunks.push(chunk.slice(0, limit - length));
        length = limit;
        overLimit = true;
        break;
      }
      chunks.push(chunk.slice());
      length += chunk.length;
    }
  } catch (err) {
    fault = err;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, overLimit, fault };
}
