// Format → ingester: the one place a format's parser is plugged into the ingest pipeline.

import type { EvidenceEntry } from '../../parsers/source/walk';
import type { EvidenceFormat, Severity } from '../api';
import type { CaseIndex } from './case-index';
import { ingestHprof } from './ingest-hprof';
import { ingestPcap } from './ingest-pcap';
import { ingestScap } from './ingest-scap';

/** What an ingester may do with the index while it reads one entry. */
export interface IngestSink {
  readonly index: CaseIndex;
  readonly sourceId: number;
  diagnostic(offset: number | null, severity: Severity, message: string): void;
}

/**
 * Reads one entry's bytes (entry.reader) into the index. Registered per format by the issues that
 * bring each parser; returns the number of uncompressed bytes it read.
 */
export type EntryIngester = (entry: EvidenceEntry, sink: IngestSink) => Promise<number>;

/** A format without an ingester is read through, measured and verified. */
export const INGESTERS: Partial<Record<EvidenceFormat, EntryIngester>> = {
  hprof: ingestHprof,
  pcap: ingestPcap,
  scap: ingestScap,
  pcapng: ingestPcap,
};

