// capscope report <file>: a post-mortem as one self-contained HTML file or as Markdown, from the
// case's index (the file is indexed first when needed).

import fs from 'node:fs';
import path from 'node:path';
import { FilterError } from '../../filter/language';
import { defaultReportName, gatherReport, renderReport, REPORT_FORMATS, type ReportFormat } from '../../domain/report/report-document';
import { TimeSpecError } from '../../domain/report/time-spec';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';

export const reportCommand: Command = {
  synopsis: 'report <file> [--format html|md] [--out PATH] [--filter EXPR] [--from T --to T] [--no-redact]',
  summary: 'post-mortem report: findings, timeline, HTTP summary, errors, top talkers, heap',
  options: {
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    filter: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'no-redact': { type: 'boolean' },
    db: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [1, 1],
  run: (args, flags) =>
    report(args[0]!, {
      format: parseFormat(flags.format, flags.out),
      out: flags.out as string | undefined,
      filter: flags.filter as string | undefined,
      from: flags.from as string | undefined,
      to: flags.to as string | undefined,
      redact: flags['no-redact'] !== true,
      db: flags.db as string | undefined,
      json: flags.json === true,
    }),
};

interface ReportCliOptions {
  format: ReportFormat;
  out?: string;
  filter?: string;
  from?: string;
  to?: string;
  redact: boolean;
  db?: string;
  json: boolean;
}

/** --format, else the extension of --out, else HTML. */
function parseFormat(format: unknown, out: unknown): ReportFormat {
  if (format !== undefined) {
    const f = String(format).toLowerCase() === 'markdown' ? 'md' : String(format).toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format takes html or md, got '${String(format)}'`);
    return f as ReportFormat;
  }
  if (typeof out === 'string' && /\.(md|markdown)$/i.test(out)) return 'md';
  return 'html';
}

async function report(file: string, options: ReportCliOptions): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      if (summary.sources.length === 0) {
        // Nothing was recognised in the file: a report would be an empty page; the reason is the answer.
        if (options.json) printJson({ file: summary.file, report: null, error: { message: problems[0] ?? 'the file holds no evidence capscope can read' } });
        for (const p of problems.length ? problems : ['the file holds no evidence capscope can read']) process.stderr.write(`capscope: ${p}\n`);
        return EXIT_FAILED;
      }
      let text: string;
      try {
        text = renderReport(gatherReport(db, { filter: options.filter, from: options.from, to: options.to, redact: options.redact }), options.format);
      } catch (err) {
        if (err instanceof FilterError) throw new UsageError(`--filter: column ${err.column}: ${err.message}`);
        if (err instanceof TimeSpecError) throw new UsageError(err.message);
        throw err;
      }
      const out = options.out ?? path.resolve(defaultReportName(summary.file, options.format));
      if (out === '-') {
        stopQuietlyOnClosedPipe();
        process.stdout.write(text);
      } else {
        fs.writeFileSync(out, text);
      }
      const written = out === '-' ? null : path.resolve(out);
      if (options.json && out !== '-') printJson({ file: summary.file, report: written, format: options.format, bytes: Buffer.byteLength(text), redacted: options.redact, error: problems[0] ? { message: problems[0] } : null });
      else if (written) process.stderr.write(`capscope: wrote ${written}\n`);
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if ((err as NodeJS.ErrnoException).code !== undefined && (err as NodeJS.ErrnoException).syscall === 'open') {
      process.stderr.write(`capscope: cannot write the report: ${(err as Error).message}\n`);
      return EXIT_FAILED;
    }
    return reportFailure(err, options.json, file);
  }
}
