// What `capscope info` reports: the evidence inside a file, each entry's format, layers and
// uncompressed size. Compressed entries are read through to the end, which both measures them and
// proves the compression intact (a truncated .gz is found here, not halfway through an ingest).

import type { ContainerLayer, FormatName } from '../../common/evidence';
import { SourceError } from './source-error';
import { walkEvidence, type WalkOptions } from './walk';

export interface DescribedEntry {
  name: string;
  format: FormatName;
  compression: ContainerLayer[];
  bytes: number | null;
  detail: string;
}

export interface SkippedMember {
  name: string;
  compression: ContainerLayer[];
  reason: string;
}

export interface FileDescription {
  file: string;
  entries: DescribedEntry[];
  /** Archive members that are not evidence, or could not be read. */
  skipped: SkippedMember[];
  /** The fault that ended the walk early; entries before it are listed. */
  error: SourceError | null;
}

export async function describeFile(file: string, options: WalkOptions): Promise<FileDescription> {
  const out: FileDescription = { file, entries: [], skipped: [], error: null };
  try {
    for await (const item of walkEvidence(file, options)) {
      if (item.kind === 'skipped') {
        out.skipped.push({ name: item.name, compression: item.compression, reason: item.reason });
        continue;
      }
      const described: DescribedEntry = { name: item.name, format: item.format, compression: item.compression, bytes: item.declaredBytes, detail: item.detail };
      out.entries.push(described);
      const compressed = item.compression.some((layer) => layer !== 'tar');
      if (!compressed) continue; // the walker skips the bytes; their count is already known
      try {
        described.bytes = await item.reader.drain();
      } catch (err) {
        if (!(err instanceof SourceError)) throw err;
        described.bytes = null;
        // A member's own broken compression spoils only that member; anything else ends the walk.
        if (item.context.entry === undefined || err.details.entry !== item.context.entry) throw err;
        out.entries.pop();
        out.skipped.push({ name: item.name, compression: item.compression, reason: err.message });
      }
    }
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    out.error = err;
  }
  return out;
}
