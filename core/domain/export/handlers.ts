// The export domain's methods (./contract.ts): the file is made in memory up to a cap and handed
// over base64 (the UI offers it as a download); `capscope export` writes any size to disk.

import path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError, type HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { readRange, scopeFilter } from '../scope/view-scope';
import type { ExportedFile, ExportMethods } from './contract';
import { exportPackets } from './packet-export';
import { exportEvents } from './event-export';
import { exportStreamBytes } from './stream-bytes-export';

/** Files handed over the API at most (base64 in JSON grows them by a third): past it, the CLI. */
export const EXPORT_MAX_BYTES = 64 * 1024 * 1024;

/** Collects a file's chunks, refusing past the cap with what to do instead. */
class Collected {
  readonly parts: Uint8Array[] = [];
  size = 0;
  constructor(private readonly cli: string) {}
  readonly sink = (chunk: Uint8Array) => {
    this.size += chunk.length;
    if (this.size > EXPORT_MAX_BYTES) throw new ApiError('bad-request', `the export is over ${EXPORT_MAX_BYTES / 1024 / 1024} MiB: narrow the filter or range, or write it with ${this.cli}`);
    // Every producer hands over bytes of its own (records built, blocks and chunks read out): kept as they are.
    this.parts.push(chunk);
  };
  file(fileName: string, mediaType: string, items: number, note: string | null): ExportedFile {
    return { fileName, mediaType, base64: Buffer.concat(this.parts).toString('base64'), bytes: this.size, items, note };
  }
}

/** The evidence's name without its capture and compression suffixes, for the download's name. */
export function exportBaseName(db: Database.Database): string {
  const entry = (db.prepare('SELECT entry FROM sources ORDER BY id LIMIT 1').pluck().get() as string | undefined) ?? 'capture';
  return path.basename(entry).replace(/\.(pcapng|pcap|scap|cap)$/i, '');
}

export function createExportHandlers(access: CaseAccess): HandlersOf<ExportMethods> {
  const db = (req: { caseId: string }) => access.db(String(req?.caseId));
  return {
    'export.packets': async (req) => {
      const d = db(req);
      const out = new Collected('capscope export --packets');
      const range = readRange(req.scope?.range, 'scope.range');
      const filter = scopeFilter(req.scope);
      const n = await exportPackets(d, { streamId: req.streamId, filter, range }, req.format, out.sink);
      const what = req.streamId !== undefined ? `stream-${req.streamId}` : filter || range ? 'filtered' : 'packets';
      return out.file(`${exportBaseName(d)}.${what}.${req.format}`, 'application/vnd.tcpdump.pcap', n, null);
    },
    'export.events': async (req) => {
      const d = db(req);
      const out = new Collected('capscope export --events');
      const count = await exportEvents(d, { filter: scopeFilter(req.scope), range: readRange(req.scope?.range, 'scope.range') }, out.sink);
      const kept = 'The events that make processes and fds (clone, execve, open, close, ...) and the container records are kept with the chosen ones, so that sysdig names them: filter the slice by the same expression to see only those.';
      const cut = count.stoppedAt ? ` The capture stops being readable at byte ${count.stoppedAt.offset}: the slice holds what came before.` : '';
      return out.file(`${exportBaseName(d)}.slice.scap`, 'application/octet-stream', count.events, kept + cut);
    },
    'export.streamBytes': async (req) => {
      const d = db(req);
      const out = new Collected('capscope export --stream-bytes');
      const count = exportStreamBytes(d, req.streamId, req.dir, out.sink);
      const note = count.missing > 0 ? `${count.missing} bytes of this direction were not captured; the file holds the ${count.bytes} that were, in order, without filler.` : null;
      return out.file(`${exportBaseName(d)}.stream-${req.streamId}.${req.dir}.bin`, 'application/octet-stream', count.chunks, note);
    },
  };
}
