// The one contract between the UI and the core. The renderer, the Electron IPC binding and the
// local HTTP server all speak it; nothing else crosses the boundary. Types only (plus a few pure
// helpers): this file is imported by the browser bundle, so it must never pull in Node modules.

import { EVIDENCE_METHOD_NAMES, type EvidenceMethods } from './api/evidence';
import { EXPLORE_METHOD_NAMES, type ExploreMethods } from './api/explore';
import { REPORT_METHOD_NAMES, type ReportMethods } from './api/report';

import type { ContainerLayer, FormatName, Severity } from '../common/evidence';

export type { Capability, ContainerLayer, FormatName, Severity } from '../common/evidence';

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
  /** Its code ("scap.block-fault"): docs/diagnostics.md lists every code with its template. */
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
  /** The one-line error that stopped the ingest, if any. */
  error: string | null;
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

/** A span of capture time, nanoseconds since the epoch as decimal strings (JSON has no 64-bit ints). */
export interface TimeRange {
  from: string;
  to: string;
}

/** What every view is narrowed by: the filter bar's expression and the timeline's brush. */
export interface ViewScope {
  /** Filter language (core/filter); empty for everything. */
  filter?: string;
  range?: TimeRange | null;
}

export interface PageRequest {
  limit?: number;
  offset?: number;
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

/**
 * Every method: its request and its response. Adding a method here (or to one of the view groups
 * in core/api/) is the whole of adding it to the contract; the server, the IPC binding and the
 * client are generic over this map.
 */
export interface CaseMethods {
  'app.info': { req: Record<string, never>; res: AppInfo };
  'app.recentFiles': { req: Record<string, never>; res: { files: string[] } };
  /** Open an evidence file by path (indexing it in the background unless already indexed). */
  'case.open': { req: { path: string; reindex?: boolean }; res: CaseSummary };
  'case.get': { req: { caseId: string }; res: CaseSummary };
  /** Index the case's file again from the start, into the same index. */
  'case.reindex': { req: { caseId: string }; res: CaseSummary };
  'case.cancel': { req: { caseId: string }; res: CaseSummary };
  'case.diagnostics': {
    req: { caseId: string; sourceId?: number } & PageRequest;
    res: { total: number; rows: DiagnosticRow[] };
  };
}

export interface ApiMethods extends CaseMethods, ExploreMethods, EvidenceMethods, ReportMethods {}

export type ApiMethod = keyof ApiMethods;
export type ApiRequest<M extends ApiMethod> = ApiMethods[M]['req'];
export type ApiResponse<M extends ApiMethod> = ApiMethods[M]['res'];

/** What the core implements and each transport exposes. */
export type ApiHandlers = { [M in ApiMethod]: (req: ApiRequest<M>) => Promise<ApiResponse<M>> };

/** What the renderer holds, whichever transport is underneath. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>>;
}

/** Errors cross the boundary as data, never as stack traces. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string };
}

export type ApiErrorCode = 'bad-request' | 'not-found' | 'bad-input' | 'unauthorized' | 'internal';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// A record, not an array, so that the compiler insists every method of the map is listed.
const CASE_METHOD_NAMES: Record<keyof CaseMethods, true> = {
  'app.info': true,
  'app.recentFiles': true,
  'case.open': true,
  'case.get': true,
  'case.reindex': true,
  'case.cancel': true,
  'case.diagnostics': true,
};

const METHOD_NAMES: Record<ApiMethod, true> = { ...CASE_METHOD_NAMES, ...EXPLORE_METHOD_NAMES, ...EVIDENCE_METHOD_NAMES, ...REPORT_METHOD_NAMES };

export const API_METHODS = Object.keys(METHOD_NAMES) as readonly ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

/** Header that carries the per-run token in web mode. */
export const TOKEN_HEADER = 'x-capscope-token';
/** Path prefix of the HTTP transport: POST /api/<method> with the request as JSON. */
export const API_PATH_PREFIX = '/api/';
/** Path for uploading a dropped/picked file in web mode (the browser cannot give a path). */
export const UPLOAD_PATH = '/upload';
/** Header naming the uploaded file (URI-encoded): the body is the file's raw bytes. */
export const FILENAME_HEADER = 'x-capscope-filename';

/**
 * What the Electron preload adds to `window` (as `window.capscope`) besides the API itself: the
 * things only the desktop shell can do. In web mode it is absent and the renderer falls back to
 * an <input type=file> upload.
 */
export interface DesktopBridge {
  call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>>;
  /** Shows the native File › Open dialog; resolves to the chosen path or null. */
  pickFile(): Promise<string | null>;
  /** The path on disk of a File from a drop or an <input type=file>. */
  pathForFile(file: File): string;
  /** Called when the shell asks the page to open a path (menu, recent files, second instance). */
  onOpenPath(listener: (path: string) => void): () => void;
}
