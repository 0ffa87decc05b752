// The pcap / pcapng ingester: reads the entry's packets, decodes them, reassembles TCP and UDP into
// streams of chunks, and hands streams, chunks and packets in batches to a second thread that
// inserts them into the index (batch-writer.ts, row-tables.ts). On the way, TCP streams are parsed as HTTP for
// the analysis that follows ingest (live-views.ts), and a third thread moves the write-ahead log
// into the database (wal-checkpointer.ts).
//
// Faults that stop the reading (a cut last packet, a block running past the end) keep everything
// before them: connections are closed with what they had and the last batch is written before the
// fault is passed on as a SourceError naming the file, the entry and the byte offset. A cancel
// (thrown by the reader) takes the same path.

import { locatedAt } from '../../../common/diagnostics';
import { CaptureFault } from './parser/capture-fault';
import { readCapture } from './parser/capture-reader';
import { PCAP_DIAGNOSTICS } from './parser/diagnostics';
import type { StreamSink } from './parser/flow-stream';
import { FlowTable } from './parser/flow-table';
import { linkTypeName } from './parser/link-layer';
import { PacketDecoder } from './parser/packet-decoder';
import type { CaptureVisitor } from './parser/packet';
import { nsInRange } from './parser/timestamp';
import { SourceError } from '../../../parsers/source/source-error';
import type { EvidenceEntry } from '../../../parsers/source/walk';
import { LiveHttpViews } from './live-http';
import { preparsedViewsFor } from '../../analysis/http/preparsed';
import { clearForStaging, HttpStager, stagedTableSpecs } from '../../analysis/http/staged-exchanges';
import type { StreamView } from '../../analysis/http/views';
import type { FlowStream } from './parser/flow-stream';
import { toNs } from './parser/timestamp';
import { PcapIndexWriter } from './batch-writer';
import type { EntryIngester, IngestSink } from '../format';
import { openRowBatchWriter } from '../../index/row-batch-writer';
import { pcapTableSpecs } from './row-tables';
import { WalCheckpointer } from '../../index/wal-checkpointer';
import { CancelledError } from '../../../parsers/source/walk';
import { closeEarlyRollupThread, startEarlyRollup, startEarlyRollupThread } from '../../analysis/rollup/store';
import { PCAP_INGEST_DIAGNOSTICS as D } from './diagnostics';
import { HeapTrim } from './heap-trim';

/** Captured bytes read between two requests for a background checkpoint. */
const CHECKPOINT_EVERY_BYTES = 16 * 1024 * 1024;

export const ingestPcap: EntryIngester = async (entry, sink) => {
  const format = entry.format === 'pcapng' ? 'pcapng' : 'pcap';
  // Checkpoints are left to the checkpointer's thread and the final one below. Two batches may
  // wait: the live HTTP parse holds much besides (the pcap writer's own batches waited two deep).
  // The HTTP rows staged during the read go through the same batches, into the HTTP tables,
  // emptied for them when the first entry of this ingest begins staging (a capture piped in
  // stages nothing: its live HTTP pass takes the finished parses, core/ingest/live-analyses.ts).
  const preparsed = preparsedViewsFor(sink.index.db);
  if (!sink.growing && !preparsed.staging) {
    clearForStaging(sink.index.db);
    preparsed.beginStaging(1);
  }
  const rows = openRowBatchWriter(sink.index.db, [...pcapTableSpecs(sink.sourceId), ...stagedTableSpecs()], false, 2);
  const writer = new PcapIndexWriter(sink.index.db, rows);
  // The payload of a plain capture file is read from the file again when it is asked for, not
  // copied into the index; a compressed or archived entry's bytes are not in the file as they are.
  const byReference = entry.compression.length === 0 && entry.context.entry === undefined;
  // A capture piped in: while the reading waits for more, what is held is written for the views.
  sink.onCaughtUp?.(() => {
    writer.flush();
    return rows.settled();
  });
  // HTTP is parsed as the streams go by, sparing the analysis after ingest a second read of them;
  // each connection's rows are staged as its parse completes.
  const stager = sink.growing ? null : new HttpStager(writer, preparsed);
  const live = new LiveHttpViews(preparsed, stager ? (stream, kept) => stager.stage(streamView(stream), kept) : null);
  const flows = new FlowTable(alsoTo(writer, live));
  const decoder = new PacketDecoder(flows);
  const where = (offset: number) => placeOf(entry, offset);
  const farTimes = { count: 0, firstOffset: 0 };
  const db = sink.index.db;
  // The checkpointer's thread starts with the first checkpoint asked for, after CHECKPOINT_EVERY_BYTES:
  // a smaller capture leaves its WAL to the final checkpoint below, and does not wait for a thread's
  // start (~70 ms) at its end to stop it.
  let checkpointer = null as WalCheckpointer | null; // (set in packet(): no narrowing to null)
  let checkpointerTried = db.memory;
  // The early rollup's thread starts while the capture is read, not after (store.ts). A capture
  // piped in may take hours to arrive: its thread starts when it has, as before.
  if (!sink.growing) startEarlyRollupThread(db);
  let sinceCheckpoint = 0;
  const heap = new HeapTrim();
  const visitor: CaptureVisitor = {
    packet(p) {
      sinceCheckpoint += p.data.length;
      if (sinceCheckpoint >= CHECKPOINT_EVERY_BYTES) {
        sinceCheckpoint = 0;
        if (!checkpointerTried) {
          checkpointerTried = true;
          checkpointer = WalCheckpointer.start(db.name);
        }
        checkpointer?.nudge();
        heap.check(); // finished connections die in the old generation: heap-trim.ts
      }
      if (!nsInRange(p.tsSec) && farTimes.count++ === 0) farTimes.firstOffset = p.offset;
      if (byReference) writer.current = p;
      const d = decoder.decode(p);
      writer.current = null;
      writer.packet(p, d);
      if (p.comments) for (const text of p.comments) writer.comment('packet', p.offset, p.frame, text);
    },
    interface(i) {
      writer.captureInterface(i);
    },
    comment(offset, text) {
      writer.comment('section', offset, null, text);
    },
    diagnostic(d) {
      const { offset, ...diagnostic } = d;
      sink.diagnostic(offset, locatedAt(where(offset), diagnostic));
    },
  };

  // No checkpoints on this thread while reading (the checkpointer's thread does them), one at
  // the end for what is left.
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  let failure: unknown = null;
  try {
    await readCapture(format, entry.reader, visitor);
  } catch (err) {
    failure = err;
  }
  try {
    try {
      decoder.ip.fragments.finish();
      flows.finish();
      writer.flush();
    } finally {
      // Everything handed over is written before anything else touches the index.
      await rows.close();
    }
    // The overview rollup's scans of the chunks and streams start now on a thread of their own,
    // while this one goes on to the HTTP analysis.
    if (!(failure instanceof CancelledError)) startEarlyRollup(db);
    // The analyses after ingest start from what is alive, not from the capture's garbage.
    heap.now();
    summarize(decoder, flows, sink, where);
    if (farTimes.count > 0) {
      sink.diagnostic(farTimes.firstOffset, locatedAt(where(farTimes.firstOffset), D.emit('far-timestamp', { count: farTimes.count })));
    }
  } catch (err) {
    if (failure === null) throw err;
  } finally {
    closeEarlyRollupThread(db); // not taken: the reading failed or was cancelled
    await checkpointer?.stop();
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`);
    db.pragma('wal_checkpoint(PASSIVE)');
  }
  if (failure instanceof CaptureFault) {
    const { expected, found } = failure;
    const diagnostic = PCAP_DIAGNOSTICS.emit(failure.code, { expected, found });
    throw new SourceError({ file: entry.context.file, entry: entry.context.entry, offset: failure.offset, stream: streamName(entry), expected, found, diagnostic });
  }
  if (failure !== null) throw failure;
  return entry.reader.offset;
};

/**
 * The writer first (it names the stream), then the HTTP parse, which finishes a stream's parse
 * before the writer hears that it closed.
 */
function alsoTo(writer: StreamSink, http: LiveHttpViews): StreamSink {
  return {
    opened(stream) {
      writer.opened(stream);
      http.opened(stream);
    },
    chunk(c) {
      writer.chunk(c);
      http.chunk(c);
    },
    finished(stream) {
      http.finished(stream);
    },
    closed(stream) {
      http.closed(stream);
      writer.closed(stream);
    },
  };
}

/** A stream as the HTTP analysis sees its row (the pcap ingest writes role 'client' and no process). */
function streamView(s: FlowStream): StreamView {
  return {
    id: s.ref,
    kind: s.kind,
    clientAddr: s.clientAddr,
    clientPort: s.clientPort,
    serverAddr: s.serverAddr,
    serverPort: s.serverPort,
    role: 'client',
    containerId: null,
    proc: null,
    pid: null,
    firstTs: toNs(s.firstSec, s.firstNsec),
    lastTs: toNs(s.lastSec, s.lastNsec),
    state: s.state,
  };
}

/** "/evidence/x.pcap at byte 1234", "/evidence/b.tar › x.pcap.gz at byte 1234 of the decompressed data". */
function placeOf(entry: EvidenceEntry, offset: number): string {
  const file = entry.context.entry ? `${entry.context.file} › ${entry.context.entry}` : entry.context.file;
  const stream = streamName(entry);
  return `${file} at byte ${offset}${stream ? ` of the ${stream}` : ''}`;
}

function streamName(entry: EvidenceEntry): string | undefined {
  const last = entry.compression.at(-1);
  return last === 'gzip' || last === 'zstd' ? `decompressed ${last} data` : undefined;
}

/** Diagnostics for what was counted rather than decoded, and one line saying what the capture held. */
function summarize(decoder: PacketDecoder, flows: FlowTable, sink: IngestSink, where: (offset: number) => string): void {
  const st = decoder.stats;
  for (const [linkType, { count, firstOffset }] of st.unsupported) {
    sink.diagnostic(firstOffset, locatedAt(where(firstOffset), D.emit('unsupported-link-type', { linkType: linkTypeName(linkType), count })));
  }
  if (st.malformed.count > 0) {
    sink.diagnostic(st.malformed.firstOffset, locatedAt(where(st.malformed.firstOffset), D.emit('malformed-packets', { count: st.malformed.count })));
  }
  const frag = decoder.ip.fragments.stats;
  if (frag.dropped > 0) sink.diagnostic(null, D.emit('fragments-dropped', { count: frag.dropped }));
  if (flows.stats.evicted > 0) sink.diagnostic(null, D.emit('connections-evicted', { count: flows.stats.evicted }));
  if (flows.stats.forcedGaps > 0) sink.diagnostic(null, D.emit('forced-gaps', { count: flows.stats.forcedGaps }));
  const k = st.byKind;
  sink.diagnostic(
    null,
    D.emit('summary', {
      packets: st.packets,
      tcp: k.tcp,
      tcpStreams: flows.stats.tcpStreams,
      udp: k.udp,
      udpStreams: flows.stats.udpStreams,
      icmp: k.icmp + k.icmpv6,
      ip: k.ip,
      fragment: k.fragment,
      other: k.other,
      malformed: k.malformed,
      unsupported: k.unsupported,
    }),
  );
}
