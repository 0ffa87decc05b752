// Reads the members of a tar archive (POSIX ustar and pax, GNU long names and base-256 sizes, old
// v7 headers) from a ByteReader, one at a time and without buffering their contents: each member's
// bytes are handed out as a stream and skipped if the caller does not read them.
//
// Hand-written rather than taken from tar-stream because every fault must name its byte offset and
// the archive arrives as a pull-based stream of chunks shared with the rest of the source layer.

import type { ByteReader } from './byte-reader';
import { tarChecksumMatches } from './sniff';
import { SourceError, hexPreview } from './source-error';
import type { LayerContext } from './decompress';

const BLOCK = 512;
/** pax and GNU long-name records larger than this are hostile, not real. */
const MAX_META_BYTES = 1 << 20;

export interface TarMember {
  /** Path of the member inside the archive. */
  name: string;
  /** Declared size in bytes. */
  size: number;
  /** Offset of the member's first data byte in the archive stream. */
  dataOffset: number;
  /** The member's bytes; consumed as read. */
  chunks: AsyncIterable<Uint8Array>;
}

export async function* readTar(reader: ByteReader, ctx: LayerContext): AsyncGenerator<TarMember> {
  const fault = (offset: number, expected: string, found: string) =>
    new SourceError({ file: ctx.file, entry: ctx.entry, offset, stream: 'tar archive', expected, found });
  let longName: string | null = null;
  let pax: Map<string, string> = new Map();
  const globalPax = new Map<string, string>();

  for (;;) {
    const headerOffset = reader.offset;
    const header = await reader.read(BLOCK);
    if (header.length === 0) return; // no end-of-archive blocks: tolerated, as GNU tar does
    if (header.length < BLOCK) throw fault(headerOffset, `a ${BLOCK}-byte tar header`, `only ${header.length} bytes before the end of the data`);
    if (header.every((b) => b === 0)) return; // end-of-archive marker
    if (!tarChecksumMatches(header)) throw fault(headerOffset, 'a tar header with a valid checksum', `bytes ${hexPreview(header)}`);

    const type = String.fromCharCode(header[156]!);
    const size = parseNumber(header.subarray(124, 136));
    if (size === null) throw fault(headerOffset + 124, 'a tar size field', quoted(latin1(header.subarray(124, 136)).trim()));
    const padded = Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'x' || type === 'g' || type === 'L') {
      if (size > MAX_META_BYTES) throw fault(headerOffset, `a ${type === 'L' ? 'GNU long name' : 'pax header'} under ${MAX_META_BYTES} bytes`, `${size} bytes`);
      const body = await reader.read(size);
      if (body.length < size) throw fault(reader.offset, `${size} bytes of tar metadata`, `the end of the data after ${body.length}`);
      await reader.skip(padded - size);
      if (type === 'L') longName = latin1(body).replace(/\0+$/, '');
      else {
        const parsed = parsePax(body);
        if ('badAt' in parsed) {
          const record = body.subarray(parsed.badAt, parsed.badAt + 40);
          const newline = record.indexOf(0x0a);
          throw fault(headerOffset + BLOCK + parsed.badAt, 'pax records of the form "<length> <key>=<value>\\n"', quoted(latin1(newline < 0 ? record : record.subarray(0, newline + 1))));
        }
        for (const [k, v] of parsed.records) (type === 'g' ? globalPax : pax).set(k, v);
      }
      continue;
    }

    const paxPath = pax.get('path') ?? globalPax.get('path');
    const paxSize = pax.get('size');
    const name = paxPath ?? longName ?? ustarName(header);
    const realSize = paxSize !== undefined && /^\d+$/.test(paxSize) ? Number(paxSize) : size;
    const realPadded = Math.ceil(realSize / BLOCK) * BLOCK;
    longName = null;
    pax = new Map();

    const isFile = type === '0' || type === '\0' || type === '7';
    if (!isFile) {
      // Directories, links, devices, FIFOs, GNU sparse/volume headers: nothing to open in them.
      const skipped = await reader.skip(realPadded);
      if (skipped < realPadded && skipped < realSize) throw fault(reader.offset, `${realSize} bytes of member ${quoted(name)}`, 'the end of the data');
      continue;
    }

    const dataOffset = reader.offset;
    let delivered = 0;
    const chunks = (async function* () {
      for await (const chunk of reader.chunks(realSize - delivered)) {
        delivered += chunk.length;
        yield chunk;
      }
      if (delivered < realSize) {
        throw fault(dataOffset + delivered, `${realSize} bytes of member ${quoted(name)}`, `the end of the data after ${delivered} bytes (the archive is truncated)`);
      }
    })();
    yield { name, size: realSize, dataOffset, chunks };
    // Whatever the caller left unread is skipped, then the padding to the next header.
    if (delivered < realSize) {
      const skipped = await reader.skip(realSize - delivered);
      delivered += skipped;
      if (delivered < realSize) throw fault(dataOffset + delivered, `${realSize} bytes of member ${quoted(name)}`, `the end of the data after ${delivered} bytes (the archive is truncated)`);
    }
    await reader.skip(realPadded - realSize);
  }
}

function ustarName(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100));
  const isUstar = latin1(header.subarray(257, 262)) === 'ustar';
  const prefix = isUstar ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

/** Octal (NUL/space padded) or GNU base-256 (high bit of the first byte set). */
function parseNumber(field: Uint8Array): number | null {
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i]!;
    return Number.isSafeInteger(value) ? value : null;
  }
  const text = latin1(field).replace(/[\0 ]+$/, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return null;
  return parseInt(text, 8);
}

/**
 * pax extended header records: "<decimal length> <key>=<value>\n", the length counting the whole
 * record; or the offset in the body of the first record that is not one.
 */
function parsePax(body: Uint8Array): { records: Map<string, string> } | { badAt: number } {
  const out = new Map<string, string>();
  const decoder = new TextDecoder('utf-8');
  let at = 0;
  while (at < body.length) {
    if (body[at] === 0) break;
    const space = body.indexOf(0x20, at);
    if (space < 0) return { badAt: at };
    const length = Number(latin1(body.subarray(at, space)));
    if (!Number.isInteger(length) || length <= space - at || at + length > body.length) return { badAt: at };
    const record = decoder.decode(body.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (eq < 0) return { badAt: at };
    out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return { records: out };
}

/**
 * Text from the archive in quotes, for a one-line message: a name or a record may hold any byte,
 * so control characters are written as escapes (\n, \t, \x00).
 */
function quoted(text: string): string {
  const escaped = text.replace(/[\x00-\x1f\x7f\\']/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : c === '\\' || c === "'" ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return `'${escaped}'`;
}

function cString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return new TextDecoder('utf-8').decode(nul < 0 ? bytes : bytes.subarray(0, nul));
}

function latin1(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes);
}
