// The captured bytes of chosen packet records, read from the evidence at the offsets the index
// kept (packets.file_offset). A capture that is a plain file on disk is read where each record is
// (a page costs its records, wherever they lie in the file); one inside gzip, zstd or tar is read
// in one forward pass through its layers up to the last record asked for (what a page costs there
// grows with how far into the capture it is: docs/benchmarks.md has it measured).

import fs from 'node:fs/promises';
import type Database from 'better-sqlite3';
import { ChunkBytes } from '../../index/chunk-bytes';
import { ByteReader } from '../../../parsers/source/byte-reader';
import { packetData } from '../../formats/pcap/export/packet-records';
import { readSources } from '../case-access/source-readers';

export interface RecordRef {
  sourceId: number;
  fileOffset: number;
  capLen: number;
}

/** The longest record head before a packet's data: a pcapng enhanced packet block's. */
const HEAD_MAX = 28;

export const recordKey = (r: { sourceId: number; fileOffset: number }) => `${r.sourceId}:${r.fileOffset}`;

export interface ReadRecords {
  /** Captured bytes by recordKey. */
  data: Map<string, Uint8Array>;
  /** Why some records were not read (the first fault), or null. */
  fault: string | null;
}

interface SourceRow {
  id: number;
  file: string;
  format: string;
  compression: string;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Records closer than this are read in one read, with what lies between (a page's records are neighbours). */
const GAP_READ_THROUGH = 256 * 1024;

/** Each record read where it is in a plain file: neighbouring records (refs sorted by offset) in one read. */
async function readInPlace(source: SourceRow, refs: RecordRef[], out: Map<string, Uint8Array>): Promise<void> {
  const handle = await fs.open(source.file, 'r');
  const format = source.format === 'pcap' ? 'pcap' : 'pcapng';
  try {
    for (let i = 0; i < refs.length; ) {
      const from = refs[i]!.fileOffset;
      let j = i;
      let to = from + HEAD_MAX + refs[i]!.capLen;
      while (j + 1 < refs.length && refs[j + 1]!.fileOffset - to < GAP_READ_THROUGH) {
        j++;
        to = Math.max(to, refs[j]!.fileOffset + HEAD_MAX + refs[j]!.capLen);
      }
      const buffer = Buffer.alloc(to - from);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
      // The run's records parsed from its bytes as the export reads a capture (offsets relative to the run).
      const run = refs.slice(i, j + 1);
      let k = 0;
      for await (const data of packetData(new ByteReader(once(buffer.subarray(0, bytesRead))), format, run.map((r) => ({ fileOffset: r.fileOffset - from, capLen: r.capLen })))) {
        out.set(recordKey(run[k++]!), data);
      }
      i = j + 1;
    }
  } catch (error) {
    throw new Error(`${source.file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    await handle.close();
  }
}

export async function readRecords(db: Database.Database, refs: readonly RecordRef[]): Promise<ReadRecords> {
  const data = new Map<string, Uint8Array>();
  const bySource = new Map<number, RecordRef[]>();
  const seen = new Set<string>();
  for (const ref of refs) {
    // A record asked for twice (a page's packet that is also its connection's first) is read once.
    if (seen.has(recordKey(ref))) continue;
    seen.add(recordKey(ref));
    const list = bySource.get(ref.sourceId);
    if (list) list.push(ref);
    else bySource.set(ref.sourceId, [ref]);
  }
  const sources = db.prepare('SELECT id, file, format, compression FROM sources').all() as SourceRow[];
  // Every capture read is first checked to be the one indexed, as chunk bytes are (a file of the
  // same name and size with other bytes would list other packets as these).
  const evidence = new ChunkBytes(db);
  try {
    const layered: number[] = [];
    for (const [sourceId, list] of bySource) {
      const source = sources.find((s) => s.id === sourceId);
      if (!source) throw new Error(`no source ${sourceId} in this case`);
      list.sort((a, b) => a.fileOffset - b.fileOffset);
      evidence.checkSource(sourceId, source.compression === '[]' ? list[0]!.fileOffset : 0);
      if (source.compression === '[]') await readInPlace(source, list, data);
      else layered.push(sourceId);
    }
    if (layered.length > 0) {
      await readSources(db, layered, async (source, reader) => {
        const list = bySource.get(source.id)!;
        let i = 0;
        try {
          for await (const bytes of packetData(reader, source.format === 'pcap' ? 'pcap' : 'pcapng', list)) data.set(recordKey(list[i++]!), bytes);
        } catch (error) {
          throw new Error(`${source.file} (${source.entry}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      });
    }
    return { data, fault: null };
  } catch (error) {
    // What was read before the fault is kept; the rest of the page says why it is not there.
    return { data, fault: error instanceof Error ? error.message : String(error) };
  }
}
