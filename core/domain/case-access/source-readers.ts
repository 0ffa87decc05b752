// The uncompressed bytes of a case's sources, read again from the evidence file: one walk of the
// file (through its gzip, zstd and tar layers) hands each wanted source's reader to the caller in
// the file's order, as the ingest met them.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { ByteReader } from '../../../parsers/source/byte-reader';
import { walkEvidence } from '../../../parsers/source/walk';
import { EVIDENCE_SNIFFERS } from '../../registry/formats';

interface SourceRow {
  id: number;
  file: string;
  entry: string;
  format: string;
}

/**
 * Calls `read` with each wanted source's reader, in source order. A source is matched to the
 * walk's entries by its entry name and its rank among the entries of that name.
 */
export async function readSources(db: Database.Database, sourceIds: readonly number[], read: (source: SourceRow, reader: ByteReader) => Promise<void>): Promise<void> {
  const all = db.prepare('SELECT id, file, entry, format FROM sources ORDER BY id').all() as SourceRow[];
  const wanted = all.filter((s) => sourceIds.includes(s.id));
  const byFile = new Map<string, SourceRow[]>();
  for (const s of wanted) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const [file, sources] of byFile) {
    // The rank of each wanted source among the case's sources of the same file and entry name.
    const rank = new Map(sources.map((s) => [s.id, all.filter((o) => o.file === file && o.entry === s.entry && o.id < s.id).length]));
    const seen = new Map<string, number>();
    const left = new Set(sources.map((s) => s.id));
    const walk = walkEvidence(file, { formats: EVIDENCE_SNIFFERS });
    try {
      for await (const item of walk) {
        if (item.kind !== 'evidence') continue;
        const n = seen.get(item.name) ?? 0;
        seen.set(item.name, n + 1);
        const source = sources.find((s) => s.entry === item.name && rank.get(s.id) === n);
        if (!source) continue;
        await read(source, item.reader);
        left.delete(source.id);
        if (left.size === 0) break;
      }
    } finally {
      await walk.return(undefined);
    }
    if (left.size > 0) throw new ApiError('not-found', `${file} no longer holds ${sources.filter((s) => left.has(s.id)).map((s) => s.entry).join(', ')}`);
  }
}
