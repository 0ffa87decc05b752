// capscope findings <file>: what capscope points at, most severe first, with evidence.

import { formatBytePlace } from '../../../common/format';
import { listFindings } from '../../domain/findings/finding-rows';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, type Command } from './common';

export const findingsCommand: Command = {
  synopsis: 'findings <file> [--db PATH] [--json]',
  summary: 'what went wrong and why: proxy errors explained, rejected requests, error rates',
  options: { json: { type: 'boolean' }, db: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) => findings(args[0]!, { json: flags.json === true, db: flags.db as string | undefined }),
};

async function findings(file: string, options: { json: boolean; db?: string }): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const all = listFindings(db);
      stopQuietlyOnClosedPipe();
      if (options.json) printJson({ file: summary.file, findings: all, error: problems[0] ? { message: problems[0] } : null });
      else {
        for (const f of all) {
          process.stdout.write(`[${f.severity}] ${f.title}\n  ${f.explanation}\n`);
          for (const e of f.evidence) {
            // An offending byte in a quoted line is said as the app and the report say it.
            const where = e.lineOffset === null ? `@${e.offset}+${e.length}` : formatBytePlace(e.offset, { offset: e.lineOffset, text: e.excerpt });
            process.stdout.write(`    stream ${e.stream}${e.dir ? ` ${e.dir}` : ''} ${where}: ${JSON.stringify(e.excerpt)}\n`);
          }
        }
        process.stdout.write(`${all.length} finding${all.length === 1 ? '' : 's'}\n`);
      }
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}
