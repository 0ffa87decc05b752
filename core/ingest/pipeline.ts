// The ingest pipeline: walk the evidence file, hand each entry to the ingester registered for its
// format, and record sources, timings and diagnostics in the case's index. It runs inside the
// ingest worker (ingest-worker.ts) and, for tests, in-thread.

import fs from 'node:fs';
import type { Diagnostic } from '../../common/diagnostics';
import { SourceError } from '../../parsers/source/source-error';
import { CancelledError, walkEvidence, type EvidenceEntry, type SkippedEntry } from '../../parsers/source/walk';
import { CaseIndex } from '../index/case-index';
import { fingerprintFile } from '../index/fingerprint';
import { diskFullMessage, isDiskFull } from '../index/index-fault';
import { ANALYSES } from '../registry/analyses';
import { ANALYSIS_DIAGNOSTICS, INGEST_DIAGNOSTICS } from './diagnostics';
import type { GrowingEvidence } from './growing-evidence';
import { declaredDiagnostics } from './diagnostic-catalogues';
import { EVIDENCE_SNIFFERS, formatNamed } from '../registry/formats';
import { INDEX_SCHEMA } from '../registry/schema';
import type { IngestSink } from '../formats/format';
import { LiveAnalyses } from './live-analyses';

export interface IngestProgressEvent {
  bytesDone: number;
  bytesTotal: number;
  currentEntry: string | null;
  /**
   * How many times a growing copy's index has grown in a way the views can show (rows handed over
   * when the reading caught up, HTTP exchanges written while it was read): the views ask again when
   * it changes. 0 for a file that is not growing.
   */
  updates: number;
}

export interface IngestOptions {
  file: string;
  dbPath: string;
  signal?: AbortSignal;
  onProgress?: (event: IngestProgressEvent) => void;
  /**
   * The file is a copy still being written (standard input): it is read as it grows until the
   * writer says it is complete, and a record cut by its end is a diagnostic, not a failure.
   */
  growing?: GrowingEvidence;
}

export interface IngestOutcome {
  state: 'done' | 'failed' | 'cancelled';
  bytesDone: number;
  error: string | null;
}

export async function runIngest(options: IngestOptions): Promise<IngestOutcome> {
  let bytesDone = 0;
  try {
    return await ingest(options, (n) => (bytesDone = n));
  } catch (err) {
    // The disk filled where the index could not even record it (its diagnostics, its ingest row):
    // what was written before stays, and the outcome says which index and which evidence.
    if (isDiskFull(err)) return { state: 'failed', bytesDone, error: diskFullMessage(options.dbPath, options.file) };
    throw err;
  }
}

async function ingest(options: IngestOptions, onBytes: (n: number) => void): Promise<IngestOutcome> {
  const fingerprint = await fingerprintFile(options.file).catch((err: unknown) => {
    throw new SourceError({ file: options.file, found: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message) });
  });
  const index = CaseIndex.open(options.dbPath, INDEX_SCHEMA);
  let bytesDone = 0;
  let currentEntry: string | null = null;
  // What the entry being read hands over when the reading waits for more of a growing file.
  const caughtUp: CaughtUp = { handOver: null };
  // What is read of a growing copy is analysed as it goes, at a bounded cadence (live-analyses.ts).
  const live = options.growing ? new LiveAnalyses(index.db, () => caughtUp.handOver?.(), () => report(), (d) => index.addDiagnostic({ sourceId: null, offset: null, ...d })) : null;
  // A growing copy's size is what has arrived so far.
  const report = () => options.onProgress?.({ bytesDone, bytesTotal: options.growing ? options.growing.size : fingerprint.size, currentEntry, updates: live?.updates ?? 0 });
  try {
    index.clearDerived();
    const ingestId = index.beginIngest(options.file, fingerprint);
    const walk = walkEvidence(options.file, {
      formats: EVIDENCE_SNIFFERS,
      signal: options.signal,
      growing: options.growing,
      onCaughtUp: () => (live ? live.caughtUp() : caughtUp.handOver?.()),
      onFileBytes: (n) => {
        bytesDone = n;
        onBytes(n);
        report();
      },
    });
    try {
      const skipped: SkippedEntry[] = [];
      let entries = 0;
      for await (const item of walk) {
        if (item.kind === 'skipped') {
          index.addDiagnostic({ sourceId: null, offset: null, ...INGEST_DIAGNOSTICS.emit('entry-skipped', { entry: item.name, reason: item.reason }) });
          // Not evidence, but text that came with it (a bundle's stats.txt): kept to be read.
          if (item.document) index.addDocument({ entry: item.name, compression: item.compression, ...item.document });
          skipped.push(item);
          continue;
        }
        entries++;
        currentEntry = item.context.entry ?? item.name;
        report();
        const fatal = await ingestEntry(index, options, item, () => bytesDone, caughtUp);
        if (fatal) throw fatal;
      }
      // An archive none of whose members is evidence fails as a file that is not evidence does:
      // indexing nothing is not a success the query commands could then disagree with.
      if (entries === 0 && skipped.length > 0) throw nothingIndexed(options.file, skipped);
    } catch (err) {
      const cancelled = err instanceof CancelledError;
      const message = cancelled ? null : faultMessage(err, options);
      if (!cancelled && !(err instanceof Error && recorded.has(err))) index.addDiagnostic({ sourceId: null, offset: err instanceof SourceError ? (err.offset ?? null) : null, ...INGEST_DIAGNOSTICS.emit('evidence-failed', { error: message! }) });
      live?.stop();
      // What was read before the fault is analysed like a whole file would be.
      if (!cancelled) await runAnalyses(index, (name) => ((currentEntry = `analysing: ${name}`), report()));
      await refingerprintGrown(index, ingestId, options);
      index.finishIngest(ingestId, cancelled ? 'cancelled' : 'failed', bytesDone, message);
      currentEntry = null;
      report();
      return { state: cancelled ? 'cancelled' : 'failed', bytesDone, error: message };
    }
    live?.stop();
    await runAnalyses(index, (name) => ((currentEntry = `analysing: ${name}`), report()));
    await refingerprintGrown(index, ingestId, options);
    index.finishIngest(ingestId, 'done', bytesDone, null);
    currentEntry = null;
    report();
    return { state: 'done', bytesDone, error: null };
  } finally {
    live?.stop();
    index.close();
  }
}

/** A copy that grew while it was read is recorded as it ended, so reopening it finds this index up to date. */
async function refingerprintGrown(index: CaseIndex, ingestId: number, options: IngestOptions): Promise<void> {
  if (options.growing) index.setIngestFingerprint(ingestId, await fingerprintFile(options.file));
}

/**
 * An archive none of whose members is evidence fails as its first member would alone: that
 * member's own fault (a cut header, at its byte), or what it is instead, at its byte 0; the others
 * are counted.
 */
function nothingIndexed(file: string, skipped: SkippedEntry[]): SourceError {
  const first = skipped[0]!;
  const more = skipped.length > 1 ? ` (and ${skipped.length - 1} other member${skipped.length > 2 ? 's' : ''} skipped; none is evidence)` : '';
  if (first.error) return new SourceError({ ...first.error.details, found: `${first.error.details.found}${more}` });
  return new SourceError({ file, entry: first.name, offset: 0, expected: 'a capture or heap dump', found: `${first.reason}${more}` });
}

/** Runs the analyses over the index; one that fails leaves a diagnostic, not a failed ingest. */
async function runAnalyses(index: CaseIndex, onStart: (name: string) => void): Promise<void> {
  for (const analysis of ANALYSES) {
    onStart(analysis.name);
    try {
      const summary = await analysis.run(index.db);
      if (summary) index.addDiagnostic({ sourceId: null, offset: null, ...summary });
    } catch (err) {
      index.addDiagnostic({ sourceId: null, offset: null, ...ANALYSIS_DIAGNOSTICS.emit('failed', { analysis: analysis.name, error: err instanceof Error ? err.message : String(err) }) });
    }
  }
}

/** An error as the ingest reports it: a full disk names the index and the evidence, as SQLite does not. */
function faultMessage(err: unknown, options: IngestOptions): string {
  if (isDiskFull(err)) return diskFullMessage(options.dbPath, options.file);
  return err instanceof Error ? err.message : String(err);
}

/** A reader's declared fault keeps its code; any other error is the entry's failure. */
function failureDiagnostic(err: unknown, message: string): Diagnostic {
  const declared = err instanceof SourceError ? err.details.diagnostic : undefined;
  return declared ? { ...declared, message } : INGEST_DIAGNOSTICS.emit('entry-failed', { error: message });
}

/** The declared faults that say the data ended inside a record (their catalogue's group 'truncated'). */
let endOfDataCodes: Set<string> | null = null;

/**
 * A fault of evidence piped in that is only its end: the stream is complete and was read to its
 * last byte, and the format says its data ended inside a record, not that its bytes were wrong.
 */
function cutByStreamEnd(err: unknown, options: IngestOptions, bytesRead: number): boolean {
  const growing = options.growing;
  if (!growing?.final || bytesRead < growing.size || !(err instanceof SourceError)) return false;
  endOfDataCodes ??= new Set(declaredDiagnostics().filter((d) => d.group === 'truncated').map((d) => d.code));
  const code = err.details.diagnostic?.code;
  return code !== undefined && endOfDataCodes.has(code);
}

/** Errors already written as diagnostics of their source, so the walk does not write them twice. */
const recorded = new WeakSet<Error>();

/**
 * Ingests one entry. A fault inside the entry itself fails only that source; a fault in the file
 * around it (or a cancel) is returned to end the walk, after the source is marked.
 */
interface CaughtUp {
  /** Hands the rows held over to the index; what it returns settles once they are written. */
  handOver: (() => void | Promise<void>) | null;
}

async function ingestEntry(index: CaseIndex, options: IngestOptions, entry: EvidenceEntry, fileBytesRead: () => number, caughtUp: CaughtUp): Promise<Error | null> {
  const file = options.file;
  const sourceId = index.addSource({
    file,
    entry: entry.name,
    format: entry.format,
    compression: entry.compression,
    detail: entry.detail,
  });
  const sink: IngestSink = {
    index,
    sourceId,
    diagnostic: (offset, d) => index.addDiagnostic({ sourceId, offset, ...d }),
    onCaughtUp: (handOver) => (caughtUp.handOver = handOver),
    growing: options.growing !== undefined,
  };
  const started = performance.now();
  const ingester = formatNamed(entry.format)?.ingest;
  try {
    let bytes: number;
    if (ingester) {
      try {
        bytes = await ingester(entry, sink);
      } finally {
        caughtUp.handOver = null; // its writer is closed
      }
    } else {
      bytes = await entry.reader.drain();
      sink.diagnostic(null, INGEST_DIAGNOSTICS.emit('entry-not-indexed', { format: entry.format }));
    }
    index.finishSource(sourceId, 'indexed', bytes, performance.now() - started, null);
    return null;
  } catch (err) {
    const elapsed = performance.now() - started;
    if (err instanceof CancelledError) {
      index.finishSource(sourceId, 'cancelled', null, elapsed, null);
      return err;
    }
    const message = faultMessage(err, options);
    if (cutByStreamEnd(err, options, fileBytesRead())) {
      // What came before the cut record is the evidence; the cut is said where it is. The copy
      // (plain bytes: the fault's offset is the file's) keeps only whole records, so that indexing
      // it again later reads the same evidence instead of failing on the cut.
      const at = (err as SourceError).offset;
      if (entry.compression.length === 0 && at !== undefined) await fs.promises.truncate(options.file, at);
      index.finishSource(sourceId, 'indexed', entry.reader.offset, elapsed, null);
      sink.diagnostic(err instanceof SourceError ? (err.offset ?? null) : null, INGEST_DIAGNOSTICS.emit('stream-cut', { error: message }));
      return null;
    }
    index.finishSource(sourceId, 'failed', null, elapsed, message);
    sink.diagnostic(err instanceof SourceError ? (err.offset ?? null) : null, failureDiagnostic(err, message));
    const aboutThisEntry = err instanceof SourceError && entry.context.entry !== undefined && err.details.entry === entry.context.entry;
    if (aboutThisEntry) return null;
    const fatal = err instanceof Error ? err : new Error(message);
    recorded.add(fatal);
    return fatal;
  }
}
