// capscope export <file> (--packets | --events | --stream-bytes ID) --out PATH: evidence written
// back out for the trusted tools: packets as pcap/pcapng for Wireshark (one connection, or the
// connections a streams filter picks), a filtered slice of a syscall capture as a .scap for
// sysdig, or one direction of a stream's bytes raw. Any size: the file is written as it is made.

import fs from 'node:fs';
import path from 'node:path';
import { ingestProblems, withIndexedCase } from './open-case';
import { exportPackets } from '../../domain/export/packet-export';
import { exportEvents } from '../../domain/export/event-export';
import { exportStreamBytes } from '../../domain/export/stream-bytes-export';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';

type Mode = 'packets' | 'events' | 'stream-bytes';

export const exportCommand: Command = {
  synopsis: 'export <file> (--packets [--stream ID] [--format pcap|pcapng] | --events | --stream-bytes ID [--dir in|out]) [--filter EXPR] [--from NS --to NS] --out PATH [--db PATH] [--json]',
  summary: 'packets as pcap/pcapng, a filtered .scap slice, or a stream\'s raw bytes, for Wireshark and sysdig',
  options: {
    packets: { type: 'boolean' },
    events: { type: 'boolean' },
    'stream-bytes': { type: 'string' },
    stream: { type: 'string' },
    format: { type: 'string' },
    dir: { type: 'string' },
    filter: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [1, 1],
  run: (args, flags) => {
    const modes = (['packets', 'events', 'stream-bytes'] as const).filter((m) => flags[m] !== undefined && flags[m] !== false);
    if (modes.length !== 1) throw new UsageError('say what to export: one of --packets, --events, --stream-bytes ID');
    const out = flags.out as string | undefined;
    if (!out) throw new UsageError('--out PATH: where to write the file');
    const id = (name: string, value: unknown) => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${name} is a stream id (see 'capscope streams'), got '${String(value)}'`);
      return n;
    };
    const ns = (name: string, value: unknown) => {
      if (value === undefined) return undefined;
      if (!/^\d+$/.test(String(value))) throw new UsageError(`${name} is a time in ns since the epoch, got '${String(value)}'`);
      return BigInt(String(value));
    };
    const from = ns('--from', flags.from);
    const to = ns('--to', flags.to);
    if ((from === undefined) !== (to === undefined)) throw new UsageError('--from and --to go together');
    const format = (flags.format as string | undefined) ?? 'pcapng';
    if (format !== 'pcap' && format !== 'pcapng') throw new UsageError(`--format is pcap or pcapng, got '${format}'`);
    const dir = (flags.dir as string | undefined) ?? 'out';
    if (dir !== 'in' && dir !== 'out') throw new UsageError(`--dir is in or out, got '${dir}'`);
    return runExport(args[0]!, modes[0]!, {
      out,
      db: flags.db as string | undefined,
      json: flags.json === true,
      streamId: modes[0] === 'stream-bytes' ? id('--stream-bytes', flags['stream-bytes']) : flags.stream === undefined ? undefined : id('--stream', flags.stream),
      filter: (flags.filter as string | undefined) ?? '',
      range: from !== undefined && to !== undefined ? { from, to } : null,
      format,
      dir,
    });
  },
};

interface ExportOptions {
  out: string;
  db?: string;
  json: boolean;
  streamId?: number;
  filter: string;
  range: { from: bigint; to: bigint } | null;
  format: 'pcap' | 'pcapng';
  dir: 'in' | 'out';
}

async function runExport(file: string, mode: Mode, o: ExportOptions): Promise<number> {
  try {
    return await withIndexedCase(file, o.db, async ({ summary, db }) => {
      const target = path.resolve(o.out);
      const fd = fs.openSync(target, 'w');
      let bytes = 0;
      const sink = (chunk: Uint8Array) => {
        fs.writeSync(fd, chunk);
        bytes += chunk.length;
      };
      let items = 0;
      let note: string | null = null;
      try {
        if (mode === 'packets') items = await exportPackets(db, { streamId: o.streamId, filter: o.filter, range: o.range }, o.format, sink);
        else if (mode === 'events') {
          const c = await exportEvents(db, { filter: o.filter, range: o.range }, sink);
          items = c.events;
          if (c.stoppedAt) note = `the capture stops being readable at byte ${c.stoppedAt.offset} (${c.stoppedAt.why}): the slice holds what came before`;
        }
        else {
          const c = exportStreamBytes(db, o.streamId!, o.dir, sink);
          items = c.chunks;
          if (c.missing) note = `${c.missing} bytes of this direction were not captured`;
        }
      } catch (err) {
        fs.closeSync(fd);
        fs.rmSync(target, { force: true });
        throw err;
      }
      fs.closeSync(fd);
      const what = mode === 'packets' ? 'packets' : mode === 'events' ? 'events' : 'chunks';
      // As every command: what was read is written, and a capture that could not be read whole says so.
      const problems = ingestProblems(summary);
      if (o.json) printJson({ file: summary.file, out: target, mode, items, bytes, note, error: problems[0] ? { message: problems[0] } : null });
      else process.stdout.write(`${target}: ${items} ${what}, ${bytes} bytes${note ? ` (${note})` : ''}\n`);
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, o.json, file);
  }
}
