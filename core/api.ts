// The one contract between the UI and the core. The renderer, the Electron IPC binding and the
// local HTTP server all speak it; nothing else crosses the boundary. Each API domain declares its
// own methods and row types (core/domain/<name>/contract.ts, on the shared words of core/api/wire.ts);
// this file composes them. Types only (plus a few pure helpers): this file is imported by the
// browser bundle, so it must never pull in Node modules.

import { ALERTS_METHOD_NAMES, type AlertsMethods } from './domain/alerts/contract';
import { CASE_METHOD_NAMES, type CaseMethods } from './domain/case/contract';
import { FINDINGS_METHOD_NAMES, type FindingsMethods } from './domain/findings/contract';
import { HEAP_METHOD_NAMES, type HeapMethods } from './domain/heap/contract';
import { HTTP_METHOD_NAMES, type HttpMethods } from './domain/http/contract';
import { OVERVIEW_METHOD_NAMES, type OverviewMethods } from './domain/overview/contract';
import { PROFILE_METHOD_NAMES, type ProfileMethods } from './domain/profile/contract';
import { REPORT_METHOD_NAMES, type ReportMethods } from './domain/report/contract';
import { STREAM_METHOD_NAMES, type StreamMethods } from './domain/streams/contract';
import { TABLE_METHOD_NAMES, type TableMethods } from './domain/tables/contract';
import { EXPORT_METHOD_NAMES, type ExportMethods } from './domain/export/contract';
import { SEARCH_METHOD_NAMES, type SearchMethods } from './domain/search/contract';
import { BOOKMARKS_METHOD_NAMES, type BookmarksMethods } from './domain/bookmarks/contract';
import { PACKET_METHOD_NAMES, type PacketMethods } from './domain/packets/contract';
import type { HandlersOf } from './api/wire';

export type { Capability, ContainerLayer, FormatName, Severity } from '../common/evidence';
export { API_ERROR_CODES, ApiError, type ApiErrorBody, type ApiErrorCode, type PageRequest, type TimeRange, type ViewScope } from './api/wire';
export type { AppInfo, CaseMethods, CaseShape, CaseSummary, DiagnosticRow, IngestProgress, IngestState, SourceRow, SourceStatus } from './domain/case/contract';

/**
 * Every method: its request and its response. Adding a method to a domain's map (or a domain's
 * map here) is the whole of adding it to the contract; the server, the IPC binding and the client
 * are generic over this map.
 */
export interface ApiMethods extends CaseMethods, OverviewMethods, TableMethods, StreamMethods, HttpMethods, HeapMethods, ProfileMethods, FindingsMethods, AlertsMethods, ReportMethods, ExportMethods, SearchMethods, BookmarksMethods, PacketMethods {}

export type ApiMethod = keyof ApiMethods;
export type ApiRequest<M extends ApiMethod> = ApiMethods[M]['req'];
export type ApiResponse<M extends ApiMethod> = ApiMethods[M]['res'];

/** What the core implements and each transport exposes. */
export type ApiHandlers = HandlersOf<ApiMethods>;

/** What the renderer holds, whichever transport is underneath. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>>;
}

const METHOD_NAMES: Record<ApiMethod, true> = {
  ...CASE_METHOD_NAMES,
  ...OVERVIEW_METHOD_NAMES,
  ...TABLE_METHOD_NAMES,
  ...STREAM_METHOD_NAMES,
  ...HTTP_METHOD_NAMES,
  ...HEAP_METHOD_NAMES,
  ...PROFILE_METHOD_NAMES,
  ...FINDINGS_METHOD_NAMES,
  ...ALERTS_METHOD_NAMES,
  ...REPORT_METHOD_NAMES,
  ...EXPORT_METHOD_NAMES,
  ...SEARCH_METHOD_NAMES,
  ...BOOKMARKS_METHOD_NAMES,
  ...PACKET_METHOD_NAMES,
};

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
