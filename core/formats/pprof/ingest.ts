// The Go profile ingester: reads one entry (a profile.proto, a debug=1 text profile, a debug=2
// goroutine dump) whole, decodes it and stores pprof's model and each function's flat and cum per
// sample type (store.ts). A Go execution trace is recognised and recorded, not read.
//
// A profile the reading could not finish (cut short, a length past the end) is stored as far as it
// goes, then fails its source with a SourceError naming the file, the entry and the byte offset,
// as the HPROF ingester does; a fault of the source itself (a truncated gzip) is rethrown the same
// way after the partial profile is stored.

import { SourceError } from '../../../parsers/source/source-error';
import type { EvidenceEntry } from '../../../parsers/source/walk';
import type { IngestSink } from '../format';
import { PPROF_INGEST_DIAGNOSTICS } from './diagnostics';
import { profileKind } from './kind';
import { decodeProfileProto, type ReadStop } from './parser/decode-proto';
import { PPROF_DIAGNOSTICS } from './parser/diagnostics';
import { parseGoroutineDump } from './parser/goroutine-dump';
import { parseLegacyText } from './parser/legacy-text';
import type { Profile } from './parser/profile';
import { GO_TRACE_FORMAT, GOROUTINE_DUMP_FORMAT, PPROF_TEXT_FORMAT } from './parser/sniff';
import { readAll } from './read-all';
import { writeProfile, writeTrace } from './store';

/** The most of one profile read into memory: far above any real profile (they are KBs to a few MBs). */
export const MAX_PROFILE_BYTES = 256 << 20;

export async function ingestPprof(entry: EvidenceEntry, sink: IngestSink): Promise<number> {
  const diagnostic = (offset: number | null, d: Parameters<IngestSink['diagnostic']>[1]) => sink.diagnostic(offset, d);
  if (entry.format === GO_TRACE_FORMAT) {
    const bytes = await entry.reader.drain();
    writeTrace(sink.index.db, sink.sourceId);
    sink.diagnostic(null, PPROF_INGEST_DIAGNOSTICS.emit('trace-not-read', { detail: entry.detail, bytes }));
    return bytes;
  }
  const read = await readAll(entry.reader, MAX_PROFILE_BYTES);
  let profile: Profile;
  let stop: ReadStop | null = null;
  if (entry.format === PPROF_TEXT_FORMAT) {
    profile = parseLegacyText(read.bytes, diagnostic);
  } else if (entry.format === GOROUTINE_DUMP_FORMAT) {
    ({ profile, stop } = parseGoroutineDump(read.bytes, diagnostic));
  } else {
    ({ profile, stop } = decodeProfileProto(read.bytes, diagnostic));
  }
  if (profile.sampleTypes.length === 0) sink.diagnostic(null, PPROF_DIAGNOSTICS.emit('no-sample-types', { samples: profile.samples.length }));
  writeProfile(sink.index.db, sink.sourceId, profile, profileKind(profile, entry.name));

  if (read.overLimit && !stop) stop = { offset: read.bytes.length, diagnostic: PPROF_DIAGNOSTICS.emit('too-large', { limitMiB: MAX_PROFILE_BYTES >> 20, offset: read.bytes.length }) };
  if (read.fault) {
    // The source broke off (a truncated gzip): that is the fault to report; where the profile's
    // reading stopped in what did arrive is recorded beside it.
    if (stop) sink.diagnostic(stop.offset, stop.diagnostic);
    throw read.fault;
  }
  if (stop) {
    // The pipeline records the declared diagnostic once, with this error's line as its message.
    throw new SourceError({ file: entry.context.file, entry: entry.context.entry, offset: stop.offset, stream: streamName(entry), found: stop.diagnostic.message, diagnostic: stop.diagnostic });
  }
  return read.bytes.length;
}

/** Which byte stream the offsets count in, when it is not the file's own bytes. */
function streamName(entry: EvidenceEntry): string | undefined {
  const last = entry.compression.at(-1);
  return last === 'gzip' || last === 'zstd' ? `decompressed ${last} data` : undefined;
}
