// Runs a capture's bytes through the scap reader and the EventProcessor with a StreamBuilder, in
// memory (no index): the rows, streams, chunks, fds and threads the ingest would write, for tests
// that compare two forms of the same calls.

import { ByteReader } from '../../../parsers/source/byte-reader';
import { readScap } from '../../../core/formats/scap/parser/scap-reader';
import { EventProcessor, infoText, type EventRow } from '../../../core/formats/scap/event-processor';
import { StreamBuilder, type ChunkRecord, type StreamRecord } from '../../../core/formats/scap/stream-builder';
import type { FdInfo } from '../../../core/formats/scap/parser/fds';
import type { Thread } from '../../../core/formats/scap/threads';

export interface ProcessedCapture {
  /** The rows, each with the info text the event had (EventProcessor's infoText). */
  rows: (EventRow & { info: string })[];
  streams: StreamRecord[];
  chunks: ChunkRecord[];
  /** Every fd the capture ended with, per process: "pid:fd" → its description. */
  fds: Map<string, FdInfo>;
  threads: Map<number, Thread>;
  processor: EventProcessor;
}

export async function processCapture(bytes: Uint8Array): Promise<ProcessedCapture> {
  const streams: StreamRecord[] = [];
  const chunks: ChunkRecord[] = [];
  const builder = new StreamBuilder({
    open: () => streams.length + 1,
    chunk: (c) => chunks.push({ ...c, data: c.data.slice() }),
    finish: (s) => streams.push({ ...s }),
  });
  const processor = new EventProcessor({
    io: (ev, t, f, dir, res, data) => builder.io(ev, t, f, dir, res, data),
    closed: (f, t, ts) => builder.closed(f, ts, t.pid),
  });
  const rows: (EventRow & { info: string })[] = [];
  async function* source() {
    yield bytes;
  }
  const result = await readScap(new ByteReader(source()), {
    procList: (list) => processor.addThreads(list),
    fdList: (tid, list) => processor.addFds(tid, list),
    event: (ev) => {
      const row = processor.process(ev);
      rows.push({ ...row, info: infoText(ev, row.fds) });
    },
    diagnostic: () => {},
  });
  if (result.fault) throw new Error(`capture cut at byte ${result.fault.offset}: expected ${result.fault.expected}, found ${result.fault.found}`);
  builder.end();
  const fds = new Map<string, FdInfo>();
  for (const t of processor.threads.threads.values()) {
    for (const f of processor.threads.fdsOf(t).values()) fds.set(`${t.pid}:${f.fd}`, f);
  }
  return { rows, streams, chunks, fds, threads: processor.threads.threads, processor };
}
