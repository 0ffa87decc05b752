// The case domain: the app's own facts (version, transport, recent files), opening a case and
// following its ingest, its diagnostics, and what it holds (its shape). Types only, like every
// contract: the browser bundle imports this file.

import type { Capability, ContainerLayer, FormatName, Severity } from '../../../common/evidence';
import type { PageRequest, TimeRange } from '../../api/wire';
import type { MetricId } from '../overview/contract';
import type { FilterTargetName, TableId } from '../tables/contract';

export type SourceStatus = 'pending' | 'indexing' | 'indexed' | 'failed' | 'cancelled';

/** One piece of evidence inside an opened file (a plain file has exactly one). */
export interface SourceRow {
  id: number;
  /** The evidence file on disk. */
  file: string;
  /** Name of the entry: the file's own name, or its path inside an archive. */
  entry: string;
  /** A registered format's name for the entry (core/registry/formats.ts): "scap", "pcapng", ... */
  format: FormatName;
  compression: ContainerLayer[];
  /** What format detection saw ("pcap 2.4, little-endian, microsecond timestamps, link type 1"). */
  detail: string;
  /** Uncompressed bytes of the entry, once read (null while unknown). */
  bytes: number | null;
  status: SourceStatus;
  /** Milliseconds since the epoch. */
  startedAt: number | null;
  finishedAt: number | null;
  /** Wall time spent reading this entry, in milliseconds. */
  parseMs: number | null;
  /** Set when status is 'failed': the one-line error. */
  error: string | null;
}

export interface DiagnosticRow {
  id: number;
  sourceId: number | null;
  /** Byte offset in the entry's uncompressed stream, when the diagnostic is about a place. */
  offset: number | null;
  /** Which declared diagnostic this is ("scap.block-truncated"; docs/diagnostics.md lists them). */
  code: string;
  severity: Severity;
  message: string;
}

export type IngestState = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface IngestProgress {
  state: IngestState;
  /** Bytes of the evidence file read so far (compressed bytes for compressed files). */
  bytesDone: number;
  /** Size of the evidence file on disk. */
  bytesTotal: number;
  /** Entry currently being read. */
  currentEntry: string | null;
  /** Milliseconds since the epoch when this ingest started / ended. */
  startedAt: number | null;
  finishedAt: number | null;
  /** True when the case was already indexed and parsing was skipped. */
  reused: boolean;
  /**
   * Why an ingest that is due has not started, while state is 'running': it is queued behind the
   * ingests already running (the number at once is bounded), or another capscope process is writing
   * the index. Null once it runs, and when nothing waits.
   */
  waiting: string | null;
  /** The one-line error that stopped the ingest, if any. */
  error: string | null;
  /**
   * True while the evidence is still arriving on standard input (`capscope serve -`): its size is
   * unknown, and bytesTotal is what has arrived so far.
   */
  streaming: boolean;
  /**
   * Grows each time the index of a capture still arriving has grown in a way the views can show
   * (what was read handed over, HTTP exchanges written as they settle): views ask again when it
   * changes. 0 otherwise.
   */
  updates: number;
}

export interface CaseSummary {
  caseId: string;
  file: string;
  dbPath: string;
  fileBytes: number;
  progress: IngestProgress;
  sources: SourceRow[];
  diagnosticCount: number;
}

export interface AppInfo {
  version: string;
  /** 'electron' when served over IPC, 'web' when served over local HTTP. */
  transport: 'electron' | 'web';
  /** A bundled sample capture, when one ships with this build. */
  samplePath: string | null;
  /** The case opened at start-up (a file given on the command line), if any. */
  initialCaseId: string | null;
}

/** What a case holds, so that the shell offers only the views that apply. */
export interface CaseShape {
  formats: FormatName[];
  /** What the case's evidence lets it show (core/formats: each format declares its own). */
  capabilities: Capability[];
  /** First and last moment of captured activity (events, packets, HTTP), or null when there is none. */
  span: TimeRange | null;
  /** Fraction digits the capture's times carry: 6 for microsecond timestamps, 9 for nanosecond ones. */
  timeDigits: 6 | 9;
  events: number;
  streams: number;
  /** Packet records of the network captures (the Packets tab's count). */
  packets: number;
  containers: number;
  processes: number;
  httpExchanges: number;
  findings: number;
  /** Sources holding a heap dump, in source order. */
  heapSourceIds: number[];
  /** True while the index is being written: counts grow between calls. */
  partial: boolean;
  /** The tables this case can fill, in the order the tables view lists them. */
  tables: CaseTable[];
  /** Every metric's label, as its tile names it (the timeline names its pinned rows by them). */
  metricLabels: Record<MetricId, string>;
  /** The timeline's main row: the metric that shows this case's activity over time. */
  mainMetric: MetricId;
  /** What the overview's filter narrows: events when the case has system calls, else streams. */
  overviewTarget: FilterTargetName;
}

/** A table the case can fill: its label and the filter target its rows are narrowed by. */
export interface CaseTable {
  id: TableId;
  label: string;
  filterTarget: FilterTargetName | null;
}

export interface CaseMethods {
  'app.info': { req: Record<string, never>; res: AppInfo };
  /** Recently opened files, newest first, and the error of each whose last ingest failed (by path). */
  'app.recentFiles': { req: Record<string, never>; res: { files: string[]; failed: Record<string, string> } };
  /** Open an evidence file by path (indexing it in the background unless already indexed). */
  'case.open': { req: { path: string; reindex?: boolean }; res: CaseSummary };
  'case.get': { req: { caseId: string }; res: CaseSummary };
  /** Index the case's file again from the start, into the same index. */
  'case.reindex': { req: { caseId: string }; res: CaseSummary };
  /**
   * Stop the case's ingest: what was read stays in the index. A case still following standard
   * input stops reading it instead, and its ingest finishes with what arrived; asked again, it stops.
   */
  'case.cancel': { req: { caseId: string }; res: CaseSummary };
  /**
   * Close the case: its ingest is stopped and its index closed. An uploaded file is removed with its
   * index (web mode keeps nothing of an upload after its case); a file opened by path and its index
   * stay where they are.
   */
  'case.close': { req: { caseId: string }; res: { caseId: string } };
  'case.diagnostics': {
    req: { caseId: string; sourceId?: number } & PageRequest;
    res: { total: number; rows: DiagnosticRow[] };
  };
  /** What the case holds: which views apply, the capture's time span. */
  'explore.shape': { req: { caseId: string }; res: CaseShape };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const CASE_METHOD_NAMES: Record<keyof CaseMethods, true> = {
  'app.info': true,
  'app.recentFiles': true,
  'case.open': true,
  'case.get': true,
  'case.reindex': true,
  'case.cancel': true,
  'case.close': true,
  'case.diagnostics': true,
  'explore.shape': true,
};
