// capscope packets <file>: a network capture's packets as tshark lists them (No., Time, Source,
// Destination, Protocol, Length, Info), read back from the index and the capture's records (the
// packets domain decodes only the page asked for), filtered by the streams filter and paged.

import { ApiError } from '../../api/wire';
import { listPackets } from '../../domain/packets/packet-list';
import { hasSourceWith } from '../../domain/case-access/sources-with';
import type { PacketRow } from '../../domain/packets/contract';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, filterOption, printJson, reportFailure, UsageError, type Command } from './common';

export const packetsCommand: Command = {
  synopsis: 'packets <file> [--filter EXPR] [--stream ID] [--limit N] [--offset N] [--db PATH] [--json]',
  summary: "a network capture's packets as tshark lists them: number, time, addresses, protocol, length, info",
  options: { json: { type: 'boolean' }, db: { type: 'string' }, filter: { type: 'string' }, stream: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) => {
    const filter = typeof flags.filter === 'string' ? flags.filter.trim() : '';
    // Compiled here only to refuse a bad expression as a usage error; the packets domain compiles it again for its query.
    filterOption(flags.filter, 'streams');
    const stream = flags.stream === undefined ? undefined : whole(flags.stream, '--stream', 1);
    return packets(args[0]!, {
      json: flags.json === true,
      db: flags.db as string | undefined,
      filter,
      ...(stream === undefined ? {} : { streamId: stream }),
      limit: flags.limit === undefined ? 100 : whole(flags.limit, '--limit', 1),
      offset: flags.offset === undefined ? 0 : whole(flags.offset, '--offset', 0),
    });
  },
};

function whole(value: unknown, name: string, min: number): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${name} takes a whole number${min ? ' from 1' : ''}, got '${String(value)}'`);
  return Number(value);
}

interface Options {
  json: boolean;
  db?: string;
  filter: string;
  streamId?: number;
  limit: number;
  offset: number;
}

/** The decoder reads a few hundred records per call at most: pages of the list are asked for in such slices. */
const SLICE = 500;

async function packets(file: string, options: Options): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, async ({ summary, db }) => {
      const problems = ingestProblems(summary);
      if (!hasSourceWith(db, 'packets')) throw new ApiError('bad-request', `${summary.file}: holds no network capture: packets come from a .pcap or .pcapng`);
      const sel = { filter: options.filter, range: null, ...(options.streamId === undefined ? {} : { streamId: options.streamId }) };
      const rows: PacketRow[] = [];
      let total = 0;
      let unread: string | null = null;
      for (let at = options.offset; rows.length < options.limit; at += SLICE) {
        const page = await listPackets(db, sel, at, Math.min(SLICE, options.limit - rows.length));
        total = page.total;
        unread ??= page.unread;
        rows.push(...page.rows);
        if (page.rows.length === 0 || at + page.rows.length >= total) break;
      }
      stopQuietlyOnClosedPipe();
      if (options.json) printJson({ file: summary.file, total, offset: options.offset, packets: rows.map(packetJson), unread, error: problems[0] ? { message: problems[0] } : null });
      else printText(rows, total, options.offset);
      if (unread) process.stderr.write(`capscope: ${unread}\n`);
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length || unread ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}

function packetJson(r: PacketRow) {
  const [, ts, source, destination, protocol, length, info] = r.cells;
  return { frame: r.frame, ts, source, destination, protocol, length: Number(length), info, streamId: r.streamId, dir: r.dir };
}

/** UTC with microseconds, as tshark's `-t ud` shows a packet's time. */
function utc(ns: string): string {
  const n = BigInt(ns);
  const seconds = n / 1_000_000_000n;
  const micros = (n % 1_000_000_000n) / 1000n;
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${String(micros).padStart(6, '0')}`;
}

function printText(rows: readonly PacketRow[], total: number, offset: number): void {
  const lines = rows.map((r) => {
    const [frame, ts, source, destination, protocol, length, info] = r.cells;
    return `${String(frame).padStart(7)} ${utc(String(ts))} ${String(source ?? '').padStart(15)} → ${String(destination ?? '').padEnd(15)} ${String(protocol).padEnd(6)} ${String(length).padStart(5)} ${info ?? ''}`;
  });
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
  const shown = rows.length ? `${offset + 1}–${offset + rows.length}` : 'none';
  process.stdout.write(`packets ${shown} of ${total}${offset + rows.length < total ? ' (--offset and --limit page on)' : ''}\n`);
}
