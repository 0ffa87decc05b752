// capscope http <file>: the HTTP exchanges in the file, with their diagnostics.

import { listExchanges, type ExchangeFilter, type ExchangeSummary } from '../analysis/http/queries';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from '../streams/open-case';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';

export const httpCommand: Command = {
  synopsis: 'http <file> [--filter EXPR] [--db PATH] [--json]',
  summary: 'HTTP requests and responses, paired, with RFC 9110/9112 diagnostics',
  options: { json: { type: 'boolean' }, db: { type: 'string' }, filter: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) => http(args[0]!, { json: flags.json === true, db: flags.db as string | undefined, filter: parseFilter(flags.filter as string | undefined) }),
};

const FIELDS: Record<string, (f: ExchangeFilter, v: string) => void> = {
  'http.status': (f, v) => {
    if (!/^\d{3}$/.test(v)) throw new UsageError(`http.status takes a three-digit code, got '${v}'`);
    f.status = Number(v);
  },
  'http.method': (f, v) => void (f.method = v),
  'http.server': (f, v) => void (f.server = v),
  'http.diagnostics': (f, v) => {
    if (v !== 'true') throw new UsageError("http.diagnostics takes 'true'");
    f.withDiagnostics = true;
  },
};

/**
 * Until the filter language lands, `--filter` takes `field=value` terms joined by `and`:
 * http.status, http.method, http.server (addr:port) and http.diagnostics=true.
 */
export function parseFilter(text: string | undefined): ExchangeFilter {
  const filter: ExchangeFilter = {};
  if (text === undefined || text.trim() === '') return filter;
  for (const term of text.split(/\s+and\s+/i)) {
    const m = /^\s*([a-z.]+)\s*==?\s*("?)([^"]*)\2\s*$/.exec(term);
    if (!m) throw new UsageError(`--filter: cannot read '${term.trim()}': write field=value terms joined by 'and'`);
    const apply = FIELDS[m[1]!];
    if (!apply) throw new UsageError(`--filter: unknown field '${m[1]}' (known: ${Object.keys(FIELDS).join(', ')})`);
    apply(filter, m[3]!);
  }
  return filter;
}

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
    const head = `${String(e.id).padStart(5)}  ${(e.client ?? '?').padEnd(21)} → ${(e.server ?? '?').padEnd(21)} ${(e.method ?? '-').padEnd(7)} ${(e.target ?? '').slice(0, 40).padEnd(40)} ${String(e.status ?? '---')} ${latency}${e.truncated ? '  (truncated)' : ''}`;
    const diags = e.diagnostics.map((d) => `         ${d.severity} ${d.code} (${d.side}, stream ${d.stream} @${d.offset}): ${d.message}\n           | ${d.line}`);
    return [head, ...diags].join('\n');
  });
  process.stdout.write(`${lines.join('\n')}${lines.length ? '\n' : ''}${exchanges.length} exchange${exchanges.length === 1 ? '' : 's'}\n`);
}
