// capscope follow <file> <stream-id>: a stream's chunks in order, each marked write (the
// endpoint sent it; for network captures the client) or read, with gaps and truncation shown, like
// `sysdig -A -c echo_fds` for one stream or Wireshark's Follow TCP Stream.

import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { getStream, iterateChunks, type ChunkRow, type StreamSummary } from '../../domain/streams/stream-rows';
import { formatCount, printableByte } from '../../../common/format';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';

type Rendering = 'ascii' | 'hex';

export const followCommand: Command = {
  synopsis: 'follow <file> <stream-id> [--ascii|--hex] [--db PATH] [--json]',
  summary: "a stream's bytes in order, each chunk marked read or write",
  options: { json: { type: 'boolean' }, db: { type: 'string' }, ascii: { type: 'boolean' }, hex: { type: 'boolean' } },
  positionals: [2, 2],
  run: (args, flags) => {
    if (flags.ascii && flags.hex) throw new UsageError('--ascii and --hex exclude each other');
    const id = Number(args[1]);
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`a stream id is a positive integer (see 'capscope streams'), got '${args[1]}'`);
    return follow(args[0]!, id, { json: flags.json === true, db: flags.db as string | undefined, rendering: flags.hex ? 'hex' : flags.ascii ? 'ascii' : null });
  },
};

async function follow(file: string, id: number, options: { json: boolean; db?: string; rendering: Rendering | null }): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const stream = getStream(db, id);
      if (!stream) {
        const message = `${summary.file}: no stream ${id} (see 'capscope streams')`;
        if (options.json) printJson({ file: summary.file, stream: null, chunks: [], error: { message } });
        process.stderr.write(`capscope: ${message}\n`);
        return EXIT_FAILED;
      }
      const chunks = iterateChunks(db, id);
      stopQuietlyOnClosedPipe();
      if (options.json) printFollowJson(summary.file, stream, chunks, options.rendering, problems[0] ?? null);
      else printFollowText(stream, chunks, options.rendering ?? 'ascii');
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}

/** For the endpoint whose view the stream is (the client, for network captures): out is a write. */
function op(dir: 'in' | 'out'): 'read' | 'write' {
  return dir === 'out' ? 'write' : 'read';
}

function printFollowJson(file: string, stream: StreamSummary, chunks: Iterable<ChunkRow>, rendering: Rendering | null, error: string | null): void {
  const out = process.stdout;
  out.write(`{"file":${JSON.stringify(file)},"stream":${JSON.stringify(stream)},"chunks":[`);
  let first = true;
  for (const c of chunks) {
    const row: Record<string, unknown> = {
      seq: c.seq,
      ts: c.ts,
      dir: c.dir,
      op: op(c.dir),
      offset: c.offset,
      length: c.length,
      captured: c.captured,
      truncated: c.captured < c.length,
      gapBefore: c.gapBefore,
      frame: c.frame,
      data: c.data.toString('base64'),
    };
    if (rendering === 'hex') row.hex = c.data.toString('hex');
    if (rendering === 'ascii') row.ascii = printable(c.data);
    out.write(`${first ? '' : ','}${JSON.stringify(row)}`);
    first = false;
  }
  out.write(`],"error":${error === null ? 'null' : JSON.stringify({ message: error })}}\n`);
}

function printFollowText(stream: StreamSummary, chunks: Iterable<ChunkRow>, rendering: Rendering): void {
  const out = process.stdout;
  const who = stream.tuple ?? `stream ${stream.id}`;
  out.write(`====== ${stream.kind} stream ${stream.id}: ${who}${stream.clientGuessed ? ' (client guessed)' : ''}, state ${stream.state ?? 'n/a'}\n`);
  for (const c of chunks) {
    if (c.gapBefore > 0) out.write(`------ [${formatCount(c.gapBefore)} bytes missing in the capture]\n`);
    const moved = `${formatCount(c.length)} B`;
    const truncated = c.captured < c.length ? ` (${formatCount(c.captured)} B captured, the rest cut by the snapshot length)` : '';
    const arrow = c.dir === 'out' ? 'client→server' : 'server→client';
    out.write(`------ ${op(c.dir)} ${moved}${truncated}  ${stream.l4proto ? arrow : c.dir}  ${formatTs(c.ts)}${c.frame !== null ? `  frame ${c.frame}` : ''}\n`);
    if (c.captured > 0) out.write(rendering === 'hex' ? hexDump(c.data) : `${printable(c.data)}\n`);
  }
}

/** Captured bytes are hostile: only printable ASCII, newlines and tabs are shown as themselves. */
function printable(data: Buffer): string {
  let s = '';
  for (const b of data) s += b === 0x0a || b === 0x09 ? String.fromCharCode(b) : b === 0x0d ? '' : printableByte(b);
  return s;
}

function hexDump(data: Buffer): string {
  const lines: string[] = [];
  for (let at = 0; at < data.length; at += 16) {
    const row = data.subarray(at, at + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = Array.from(row, printableByte).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${text}`);
  }
  return `${lines.join('\n')}\n`;
}

/** "2026-11-22T06:51:56.421105000Z" from nanoseconds since the epoch. */
export function formatTs(ns: string): string {
  const big = BigInt(ns);
  if (big < 0n) return `${ns} ns`;
  const sec = big / 1_000_000_000n;
  const frac = (big % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}
