// Opens an evidence file and yields the evidence inside it, unwrapping gzip, zstd and tar layers
// in any nesting (a tar.gz bundle of .scap.gz files is ordinary), all in one streaming pass.
//
// Each yielded entry carries a ByteReader positioned at its first byte. The caller reads as much
// as it wants before asking for the next entry; whatever it leaves is skipped. A member of an
// archive that is not evidence, or whose own compression is broken, is reported and skipped while
// the archive goes on; a fault in the file's own layers ends the walk with a SourceError.

import fs from 'node:fs';
import path from 'node:path';
import type { ContainerLayer, FormatName } from '../../common/evidence';
import type { FormatSniffer } from './format-sniffer';
import type { GrowingFile } from './growing-file';
import { ByteReader } from './byte-reader';
import { gunzip, unzstd, type LayerContext } from './decompress';
import { SNIFF_BYTES, SNIFF_MAX_BYTES, sniff, type Sniffed } from './sniff';
import { SourceError } from './source-error';
import { readTar } from './tar';

/** Layers deeper than this are a decompression bomb or a joke, not evidence. */
const MAX_LAYERS = 8;
const READ_BYTES = 1 << 20;
/**
 * A growing file is sniffed from its first few bytes, asking for more only when a sniffer needs
 * them: a quiet capture piped in (a pcap header and a packet) is not held back until 4 KiB arrive.
 */
const GROWING_SNIFF_BYTES = 64;

export interface EvidenceEntry {
  kind: 'evidence';
  /** The entry's name: the file's own name without compression suffixes, or its path in an archive. */
  name: string;
  format: FormatName;
  /** What the sniffer saw, in words ("pcap 2.4, little-endian, microsecond timestamps, link type 1"). */
  detail: string;
  compression: ContainerLayer[];
  /** Uncompressed size known without reading (plain files, uncompressed tar members), else null. */
  declaredBytes: number | null;
  /** The entry's uncompressed bytes. */
  reader: ByteReader;
  /** For messages: where this entry lives inside the file (undefined for the file itself). */
  context: LayerContext;
}

/** An archive member that is not evidence (a README, a PDF) or that could not be opened. */
export interface SkippedEntry {
  kind: 'skipped';
  name: string;
  compression: ContainerLayer[];
  /** What it is instead, or the error that stopped it. */
  reason: string;
  error: SourceError | null;
  /** A member that reads as text (a bundle's stats.txt): its text, kept as a document of the case. */
  document?: TextDocument;
}

export interface TextDocument {
  /** Its first DOCUMENT_MAX_BYTES, as UTF-8. */
  text: string;
  /** Its size: the archive's word for it, else what could be read. */
  bytes: number;
  truncated: boolean;
}

/** A document longer than this keeps its beginning (a bundle's text files are kilobytes). */
export const DOCUMENT_MAX_BYTES = 1 << 20;

export type WalkItem = EvidenceEntry | SkippedEntry;

/** The evidence formats to recognise (the core passes its registered ones). */
export interface EvidenceSniffers {
  sniffers: readonly FormatSniffer[];
  /** What they recognise, for the error when nothing does: "a capture (scap, pcap, pcapng), a heap dump (HPROF)". */
  expected: string;
}

export interface WalkOptions {
  formats: EvidenceSniffers;
  /** Called as the file is read, with the bytes of the file read so far. */
  onFileBytes?: (bytesRead: number) => void;
  signal?: AbortSignal;
  /**
   * The file is still being written (standard input copied to the cache as it arrives): at its
   * current end the walk waits for more instead of ending, until this says the file is complete.
   */
  growing?: GrowingFile;
  /** Called when the walk has read all of a growing file there is and waits for more. */
  onCaughtUp?: () => void;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export async function* walkEvidence(file: string, options: WalkOptions): AsyncGenerator<WalkItem> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (err) {
    throw new SourceError({ file, found: describeOpenError(err) });
  }
  if (stat.isDirectory()) throw new SourceError({ file, expected: 'a capture or heap dump file', found: 'a directory' });
  const bytes = readFile(file, options);
  try {
    yield* walkStream(new ByteReader(bytes), {
      file,
      name: path.basename(file),
      layers: [],
      context: { file },
      // A file still being written has no size yet.
      declaredBytes: options.growing ? null : stat.size,
      inArchive: false,
      formats: options.formats,
      sniffBytes: options.growing ? GROWING_SNIFF_BYTES : SNIFF_BYTES,
    });
  } finally {
    await bytes.return(undefined); // closes the file even when the caller stops early
  }
}

interface StreamPlace {
  file: string;
  name: string;
  layers: ContainerLayer[];
  context: LayerContext;
  declaredBytes: number | null;
  inArchive: boolean;
  formats: EvidenceSniffers;
  /** How many bytes to sniff first. */
  sniffBytes: number;
}

async function* walkStream(reader: ByteReader, place: StreamPlace): AsyncGenerator<WalkItem> {
  const seen = await sniffReader(reader, place.formats.sniffers, place.sniffBytes);
  if (seen.kind === 'evidence') {
    yield {
      kind: 'evidence',
      name: place.name,
      format: seen.format,
      detail: seen.detail,
      compression: place.layers,
      declaredBytes: place.declaredBytes,
      reader,
      context: place.context,
    };
    return;
  }
  if (seen.kind === 'rejected') {
    if (place.inArchive) {
      const document = seen.text ? await readDocument(reader, place.declaredBytes) : undefined;
      yield { kind: 'skipped', name: place.name, compression: place.layers, reason: seen.found, error: null, ...(document ? { document } : {}) };
      return;
    }
    const expected = place.layers.length === 0 ? `${place.formats.expected} or a gzip/zstd/tar of them` : `a capture or heap dump inside the ${place.layers.join(' › ')} data`;
    throw new SourceError({ file: place.file, entry: place.context.entry, offset: 0, expected, found: seen.found });
  }
  if (seen.kind !== 'layer') throw new Error('unreachable: sniffReader resolves need-more');
  if (place.layers.length >= MAX_LAYERS) {
    throw new SourceError({ file: place.file, entry: place.context.entry, offset: 0, expected: `at most ${MAX_LAYERS} nested gzip/zstd/tar layers`, found: `another ${seen.layer} layer` });
  }
  const layers = [...place.layers, seen.layer];

  if (seen.layer === 'tar') {
    for await (const member of readTar(reader, place.context)) {
      const entry = place.context.entry ? `${place.context.entry} › ${member.name}` : member.name;
      const memberReader = new ByteReader(member.chunks);
      const inner = walkStream(memberReader, {
        file: place.file,
        name: member.name,
        layers,
        context: { file: place.file, entry },
        declaredBytes: member.size,
        inArchive: true,
        formats: place.formats,
        sniffBytes: place.sniffBytes,
      });
      try {
        yield* inner;
      } catch (err) {
        // A broken member (a truncated .gz inside the tar) does not break the archive around it,
        // unless the fault is in the archive itself, which the next header read will show.
        if (!(err instanceof SourceError) || err.details.entry !== entry) throw err;
        yield { kind: 'skipped', name: member.name, compression: layers, reason: err.message, error: err };
      }
    }
    return;
  }

  const unwrapped = seen.layer === 'gzip' ? gunzip(reader.chunks(), place.context) : unzstd(reader.chunks(), place.context);
  yield* walkStream(new ByteReader(unwrapped), {
    ...place,
    name: stripCompressionSuffix(place.name, seen.layer),
    layers,
    declaredBytes: null,
  });
}

/** A text member's beginning; none when its bytes break off (the skip then reports the fault as before). */
async function readDocument(reader: ByteReader, declaredBytes: number | null): Promise<TextDocument | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await reader.peek(DOCUMENT_MAX_BYTES + 1);
  } catch {
    return undefined;
  }
  if (reader.failure !== undefined) return undefined;
  const truncated = bytes.length > DOCUMENT_MAX_BYTES;
  const kept = truncated ? bytes.subarray(0, DOCUMENT_MAX_BYTES) : bytes;
  return { text: new TextDecoder('utf-8').decode(kept), bytes: declaredBytes ?? bytes.length, truncated };
}

async function sniffReader(reader: ByteReader, formats: readonly FormatSniffer[], firstBytes: number): Promise<Exclude<Sniffed, { kind: 'need-more' }>> {
  let want = firstBytes;
  for (;;) {
    const head = await reader.peek(want);
    const complete = head.length < want;
    const seen = sniff(head, complete, formats);
    // Content that could not be placed because its stream broke off is reported as the break.
    if (seen.kind !== 'evidence' && seen.kind !== 'layer' && reader.failure !== undefined) throw reader.failure;
    if (seen.kind !== 'need-more') return seen;
    if (complete || seen.bytes <= head.length || seen.bytes > SNIFF_MAX_BYTES) {
      const final = sniff(head, true, formats);
      if (final.kind !== 'need-more') return final;
      return { kind: 'rejected', found: `too little data to recognise (${head.length} bytes)` };
    }
    want = seen.bytes;
  }
}

/** "x.pcap.gz" → "x.pcap", "bundle.tgz" → "bundle.tar"; names without a matching suffix stay. */
export function stripCompressionSuffix(name: string, layer: 'gzip' | 'zstd'): string {
  const suffixes = layer === 'gzip' ? [['.tgz', '.tar'], ['.gz', ''], ['.gzip', '']] : [['.tzst', '.tar'], ['.zst', ''], ['.zstd', '']];
  for (const [suffix, replacement] of suffixes) {
    if (name.toLowerCase().endsWith(suffix!) && name.length > suffix!.length) return name.slice(0, -suffix!.length) + replacement;
  }
  return name;
}

async function* readFile(file: string, options: WalkOptions): AsyncGenerator<Uint8Array> {
  const handle = await fs.promises.open(file, 'r').catch((err: unknown) => {
    throw new SourceError({ file, found: describeOpenError(err) });
  });
  const growing = options.growing;
  if (!growing) {
    yield* readAhead(handle, options);
    return;
  }
  // A growing file: read to the end of what is written, then wait for more.
  try {
    let position = 0;
    let buffer: Buffer | null = null;
    for (;;) {
      if (options.signal?.aborted) throw new CancelledError();
      buffer ??= Buffer.allocUnsafe(READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, position);
      if (bytesRead === 0) {
        options.onCaughtUp?.();
        // At the end of what has been written so far: wait for the writer, not for the disk.
        const news = await growing.waitBeyond(position);
        if (options.signal?.aborted) throw new CancelledError();
        if (news.final && news.size <= position) return;
        continue;
      }
      position += bytesRead;
      options.onFileBytes?.(position);
      const bytes = handedOver(buffer, bytesRead);
      yield bytes;
      // Handed over (the reader may keep views into it) unless a copy was: a short read's buffer serves the next read.
      if (bytes.buffer === buffer.buffer) buffer = null;
    }
  } finally {
    await handle.close();
  }
}

/**
 * A file read to its end with the next read always under way while the reader parses the bytes of
 * the last one, so the ingest's thread does not sit idle for each of a large capture's reads (500
 * of them for 500 MB). Not for a growing file, whose end is waited for (readFile above).
 */
async function* readAhead(handle: fs.promises.FileHandle, options: WalkOptions): AsyncGenerator<Uint8Array> {
  let position = 0;
  const read = (at: number) => {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const reading = handle.read(buffer, 0, READ_BYTES, at);
    // A read that fails while the reader is busy elsewhere (awaiting the writer) is not an unhandled
    // rejection that ends the process: it is thrown where it is awaited, below.
    reading.catch(() => undefined);
    return reading;
  };
  let pending: ReturnType<typeof read> | null = read(0);
  try {
    for (;;) {
      if (options.signal?.aborted) throw new CancelledError();
      const { bytesRead, buffer } = await pending!;
      pending = null;
      if (bytesRead === 0) return;
      position += bytesRead;
      pending = read(position);
      options.onFileBytes?.(position);
      yield handedOver(buffer, bytesRead);
    }
  } finally {
    // A read still under way ends before the file is closed.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

/**
 * The bytes of a read as the reader gets them: the buffer itself (the reader may keep views into
 * it), or for a short read (a file's last, or a growing file's latest, few KiB) a copy its own
 * size, so that views kept into it do not each hold a mostly empty 1 MiB buffer.
 */
function handedOver(buffer: Buffer, bytesRead: number): Buffer {
  if (bytesRead === READ_BYTES) return buffer;
  if (bytesRead >= READ_BYTES / 4) return buffer.subarray(0, bytesRead);
  return Buffer.from(buffer.subarray(0, bytesRead));
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'a directory';
  return err instanceof Error ? err.message : String(err);
}
