// capscope http <file>: the HTTP exchanges in the file, with their diagnostics.

import { listExchanges, type ExchangeFilter, type ExchangeSummary } from '../../domain/http/exchange-rows';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, filterOption, printJson, reportFailure, type Command } from './common';

export const httpCommand: Command = {
  synopsis: 'http <file> [--filter EXPR] [--db PATH] [--json]',
  summary: 'HTTP requests and responses, paired, with RFC 9110/9112 diagnostics',
  options: { json: { type: 'boolean' }, db: { type: 'string' }, filter: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) => http(args[0]!, { json: flags.json === true, db: flags.db as string | undefined, filter: { where: filterOption(flags.filter, 'http') } }),
};

async function http(file: string, options: { json: boolean; db?: string; filter: ExchangeFilter }): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const exchanges = listExchanges(db, options.filter);
      stopQuietlyOnClosedPipe();
      if (options.json) printJson({ file: summary.file, exchanges, error: problems[0] ? { message: problems[0] } : null });
      else printText(exchanges);
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}

function printText(exchanges: ExchangeSummary[]): void {
  const lines = exchanges.map((e) => {
    const latency = e.latencyNs === null ? '      -' : `${(Number(e.latencyNs) / 1e6).toFixed(1).padStart(6)}ms`;
    const head = `${String(e.id).padStart(5)}  ${(e.client ?? '?').padEnd(21)} → ${(e.server ?? '?').padEnd(21)} ${visible(e.method ?? '-').padEnd(7)} ${visible((e.target ?? '').slice(0, 40)).padEnd(40)} ${String(e.status ?? '---')} ${latency}${grpcText(e)}${e.truncated ? '  (truncated)' : ''}`;
    const diags = e.diagnostics.map((d) => `         ${d.severity} ${d.code} (${d.side}, stream ${d.stream} @${d.offset}): ${visible(d.message)}\n           | ${visible(d.line)}`);
    return [head, ...diags].join('\n');
  });
  process.stdout.write(`${lines.join('\n')}${lines.length ? '\n' : ''}${exchanges.length} exchange${exchanges.length === 1 ? '' : 's'}\n`);
}

/** A gRPC call's outcome after its HTTP status: `grpc UNKNOWN 'ERROR'`. */
function grpcText(e: ExchangeSummary): string {
  if (!e.grpc) return '';
  const status = e.grpc.statusName ?? 'no status';
  return `  grpc ${status}${e.grpc.message ? ` '${visible(e.grpc.message)}'` : ''}${e.grpc.deadlineExceeded ? ' (deadline exceeded)' : ''}`;
}

/**
 * Text from the capture as a terminal should see it: a control byte (a NUL, an escape sequence, a
 * carriage return that would overwrite the line) is written as \xNN. --json carries it as it is.
 */
function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
