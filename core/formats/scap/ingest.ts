// The scap ingester: reads a syscall capture's blocks, tracks threads, fds and containers as
// libsinsp does, and writes events, state and I/O streams into the index in batches. The file is
// read once; every later question is answered from the index.
//
// A fault that stops the reading (a truncated block, a block length of 0 or past the end) keeps
// everything before it: the state is written as it stands and the fault is passed on as a
// SourceError naming the file, the entry and the byte offset. A cancel (thrown by the reader)
// takes the same path.

import { locatedAt } from '../../../common/diagnostics';
import { SCAP_DIAGNOSTICS } from './parser/diagnostics';
import { readScap } from './parser/scap-reader';
import { SourceError } from '../../../parsers/source/source-error';
import { CancelledError, type EvidenceEntry } from '../../../parsers/source/walk';
import { EventProcessor } from './event-processor';
import type { FdInfo } from './parser/fds';
import { ScapIndexWriter } from './index-writer';
import { StreamBuilder } from './stream-builder';
import type { Thread } from './threads';
import type { EntryIngester } from '../format';
import { SCAP_INGEST_DIAGNOSTICS } from './diagnostics';

export const ingestScap: EntryIngester = async (entry, sink) => {
  const writer = new ScapIndexWriter(sink.index.db, sink.sourceId);
  // A capture piped in: while the reading waits for more, what is held is written for the views.
  sink.onCaughtUp?.(() => writer.flush());
  const streams = new StreamBuilder(writer);
  const where = (offset: number | null) => placeOf(entry, offset);
  // Marked on the fd itself (not kept in a set): memory stays bounded however long the capture.
  const writeFd = (f: FdInfo, t: Thread, closedTs: bigint | null) => {
    if (f.written || f.type === 'unknown') return;
    f.written = true;
    f.streamId ??= streams.streamOf(f);
    writer.fd(f, t, closedTs);
  };
  const processor = new EventProcessor({
    io: (ev, t, f, dir, res, data) => {
      streams.io(ev, t, f, dir, res, data);
      f.streamId ??= streams.streamOf(f);
    },
    closed: (f, t, ts) => {
      f.streamId ??= streams.streamOf(f);
      streams.closed(f, ts, t.pid);
      writeFd(f, t, ts);
    },
    container: (c) => writer.container(c),
    threadExit: (t) => writer.thread(t),
  });
  let format = 'scap';
  const started = performance.now();

  let failure: unknown = null;
  let fault: Awaited<ReturnType<typeof readScap>>['fault'] = null;
  try {
    const result = await readScap(entry.reader, {
      section: (s) => {
        format = `scap ${s.major}.${s.minor}, ${s.littleEndian ? 'little' : 'big'}-endian`;
      },
      machine: (mi) => writer.machine(mi, format),
      procList: (threads) => processor.addThreads(threads),
      fdList: (tid, fds) => processor.addFds(tid, fds),
      userList: (users) => writer.users(users),
      event: (ev) => writer.event(processor.process(ev), ev.offset, ev),
      diagnostic: (offset, d) => sink.diagnostic(offset, locatedAt(where(offset), d)),
    });
    fault = result.fault;
  } catch (err) {
    failure = err;
  }
  try {
    // What the capture left open is written as it stands at its end.
    streams.end();
    const seen = new Set<Map<number, FdInfo>>();
    for (const t of processor.threads.threads.values()) {
      writer.thread(t);
      const fds = processor.threads.fdsOf(t);
      if (seen.has(fds)) continue;
      seen.add(fds);
      for (const f of fds.values()) writeFd(f, t, null);
    }
    writer.finishMachine(format);
  } catch (err) {
    failure ??= err;
  }
  // Everything read is written however the reading ended: a failed or cancelled ingest keeps a
  // usable index.
  try {
    // A cancelled ingest runs no analyses: nothing to compute for its rollup.
    await writer.close({ startRollup: !(failure instanceof CancelledError) });
  } catch (err) {
    failure ??= err;
  }
  const readMs = performance.now() - started;
  sink.diagnostic(
    null,
    SCAP_INGEST_DIAGNOSTICS.emit('summary', {
      events: writer.events,
      containers: processor.containers.size,
      threads: processor.threads.threads.size,
      readSeconds: (readMs / 1000).toFixed(1),
    }),
  );
  if (failure !== null) throw failure;
  if (fault) {
    const { expected, found } = fault;
    const diagnostic = SCAP_DIAGNOSTICS.emit(fault.name, { expected, found });
    throw new SourceError({ file: entry.context.file, entry: entry.context.entry, offset: fault.offset, stream: streamName(entry), expected, found, diagnostic });
  }
  return entry.reader.offset;
};

function placeOf(entry: EvidenceEntry, offset: number | null): string {
  const file = entry.context.entry ? `${entry.context.file} › ${entry.context.entry}` : entry.context.file;
  if (offset === null) return file;
  const stream = streamName(entry);
  return `${file} at byte ${offset}${stream ? ` of the ${stream}` : ''}`;
}

function streamName(entry: EvidenceEntry): string | undefined {
  const last = entry.compression.at(-1);
  return last === 'gzip' || last === 'zstd' ? `decompressed ${last} data` : undefined;
}
