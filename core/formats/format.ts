// What an evidence format is to the rest of capscope: one descriptor, exported by the format's own
// folder (core/formats/<id>/format.ts) and listed once in core/registry/formats.ts. Everything
// outside that folder asks the descriptor (through the registry) instead of testing the format's
// name: which parser recognises it, how it is ingested, what a case holding it can show.

import type { Diagnostic, ListedCatalogue } from '../../common/diagnostics';
import type { Capability, FormatName } from '../../common/evidence';
import type { FormatSniffer } from '../../parsers/source/format-sniffer';
import type { EvidenceEntry } from '../../parsers/source/walk';
import type { FilterTargetName } from '../domain/tables/contract';
import type { CaseIndex } from '../index/case-index';
import type { TableDeclaration } from '../index/schema/declaration';

export type { Capability } from '../../common/evidence';

/** What an ingester may do with the index while it reads one entry. */
export interface IngestSink {
  readonly index: CaseIndex;
  readonly sourceId: number;
  /** Records a diagnostic of a declared catalogue (see core/ingest/diagnostic-catalogues.ts). */
  diagnostic(offset: number | null, d: Diagnostic): void;
  /**
   * Registers how to hand over the rows held for a fuller batch, called when the reading has caught
   * up with evidence still arriving (a capture piped in): the views then see what has come so far.
   * What it returns settles once they are in the index (the analyses that follow the stream wait for it).
   */
  onCaughtUp?(handOver: () => void | Promise<void>): void;
  /** The evidence is still arriving (a capture piped in): the analyses follow it as it is read (core/ingest/live-analyses.ts). */
  readonly growing?: boolean;
}

/** Reads one entry's bytes (entry.reader) into the index; returns the uncompressed bytes it read. */
export type EntryIngester = (entry: EvidenceEntry, sink: IngestSink) => Promise<number>;

export interface EvidenceFormat {
  /** The format's folder and id ("scap"). */
  id: string;
  /** For people ("Syscall capture"). */
  label: string;
  /** What its sniffer may call an entry (the sources table's `format`): one name per variant. */
  names: readonly FormatName[];
  /** File-name extensions it usually has, for the desktop's open dialog (content decides, never the name). */
  extensions: readonly string[];
  /** How a person names this kind of file, for "expected a capture (scap, pcap, pcapng)…". */
  noun: { kind: string; names: readonly string[] };
  sniff: FormatSniffer;
  ingest: EntryIngester;
  /** The tables only this format fills, declared in its folder (schema/); the shared ones are the index's. */
  tables: readonly TableDeclaration[];
  capabilities: readonly Capability[];
  /** The diagnostics its parser and its ingest may write (docs/diagnostics.md lists them). */
  diagnostics: readonly ListedCatalogue[];
  /** The filter targets whose rows this format's ingest fills (their fields apply to its cases). */
  filterTargets: readonly FilterTargetName[];
}
