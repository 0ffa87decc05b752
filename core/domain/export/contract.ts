// The export domain: evidence written back out in the formats the trusted tools read, so that what
// capscope found can be opened in Wireshark or sysdig and handed on. Types only, like every
// contract: the browser bundle imports this file.

import type { ViewScope } from '../../api/wire';

export type PacketFileFormat = 'pcap' | 'pcapng';

export interface ExportedFile {
  /** What to offer as the download's name (`<evidence>.stream-12.pcapng`, ...). */
  fileName: string;
  mediaType: string;
  /** The file's bytes, base64. */
  base64: string;
  bytes: number;
  /** Packets, events or chunks written. */
  items: number;
  /** What the user should know of it (bytes the capture missed, metadata kept), or null. */
  note: string | null;
}

export interface ExportMethods {
  /**
   * Packets of a network capture as a capture file: one connection's (streamId) or those of the
   * connections in the scope (the filter bar's streams filter and the timeline's range).
   */
  'export.packets': { req: { caseId: string; format: PacketFileFormat; streamId?: number; scope?: ViewScope }; res: ExportedFile };
  /** The events in the scope (the events filter and range) as a .scap that sysdig reads. */
  'export.events': { req: { caseId: string; scope?: ViewScope }; res: ExportedFile };
  /** One direction of a stream's captured bytes, raw. */
  'export.streamBytes': { req: { caseId: string; streamId: number; dir: 'in' | 'out' }; res: ExportedFile };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const EXPORT_METHOD_NAMES: Record<keyof ExportMethods, true> = { 'export.packets': true, 'export.events': true, 'export.streamBytes': true };
