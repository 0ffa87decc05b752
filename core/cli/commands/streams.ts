// capscope streams <file>: the connections and flows in the file (indexing it first if needed).

import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { iterateStreams, type StreamSummary } from '../../domain/streams/stream-rows';
import type { CompiledFilter } from '../../filter/language';
import { formatCount } from '../../../common/format';
import { EXIT_FAILED, EXIT_OK, filterOption, reportFailure, UsageError, type Command } from './common';

export const streamsCommand: Command = {
  synopsis: 'streams <file> [--filter EXPR] [--kind tcp|udp|...] [--db PATH] [--json]',
  summary: 'the connections and flows in the file, with bytes each way',
  options: { json: { type: 'boolean' }, db: { type: 'string' }, kind: { type: 'string' }, filter: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) =>
    streams(args[0]!, { json: flags.json === true, db: flags.db as string | undefined, kind: parseKind(flags.kind), where: filterOption(flags.filter, 'streams') }),
};

function parseKind(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[a-z0-9-]+$/.test(value)) throw new UsageError(`--kind takes a stream kind such as tcp or udp, got '${String(value)}'`);
  return value;
}

async function streams(file: string, options: { json: boolean; db?: string; kind?: string; where: CompiledFilter }): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const rows = iterateStreams(db, { kind: options.kind, where: options.where });
      stopQuietlyOnClosedPipe();
      if (options.json) printStreamsJson(summary.file, rows, problems[0] ?? null);
      else printStreamsText(rows);
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}

/** One JSON document, written a stream at a time (a capture can hold hundreds of thousands). */
function printStreamsJson(file: string, rows: Iterable<StreamSummary>, error: string | null): void {
  const out = process.stdout;
  out.write(`{"file":${JSON.stringify(file)},"streams":[`);
  let first = true;
  for (const s of rows) {
    out.write(`${first ? '' : ','}${JSON.stringify(s)}`);
    first = false;
  }
  out.write(`],"error":${error === null ? 'null' : JSON.stringify({ message: error })}}\n`);
}

function printStreamsText(rows: Iterable<StreamSummary>): void {
  const lines: string[] = [];
  const flush = () => {
    if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    lines.length = 0;
  };
  process.stdout.write(`${'id'.padStart(6)}  ${'kind'.padEnd(4)}  ${'state'.padEnd(11)}  ${'out B'.padStart(11)}  ${'in B'.padStart(11)}  ${'chunks'.padStart(7)}  tuple\n`);
  let count = 0;
  for (const s of rows) {
    count++;
    const guessed = s.clientGuessed ? ' (client guessed)' : '';
    const gaps = s.gapBytes ? `, ${formatCount(s.gapBytes)} B missing` : '';
    lines.push(
      `${String(s.id).padStart(6)}  ${s.kind.padEnd(4)}  ${(s.state ?? '').padEnd(11)}  ${formatCount(s.bytesOut).padStart(11)}  ${formatCount(s.bytesIn).padStart(11)}  ${formatCount(s.chunkCount).padStart(7)}  ${s.tuple ?? ''}${guessed}${gaps}`,
    );
    if (lines.length >= 1000) flush();
  }
  flush();
  process.stdout.write(`${formatCount(count)} stream${count === 1 ? '' : 's'}; out = client→server, in = server→client\n`);
}
