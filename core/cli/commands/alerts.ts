// capscope alerts <file> [--rules FILE]... [--json]: security alerts from Falco rules over the
// capture. Without --rules, the default rules' alerts the ingest stored; with it, the given rules
// files, loaded in the order given (replacing the default set) and run now over the index. Each
// alert is shaped like Falco's json_output; the rules that could not run are listed with why.

import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { evaluateRules, isoTime, selectRules, type Alert } from '../../analysis/falco/evaluate';
import { loadRules } from '../../analysis/falco/rules-compile';
import { problemLine, type RulesProblem, type SkippedRule } from '../../analysis/falco/rules-problem';
import { alertStreams } from '../../analysis/falco/store-alerts';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';

export const alertsCommand: Command = {
  synopsis: 'alerts <file> [--rules FILE]... [--db PATH] [--json]',
  summary: "security alerts from Falco rules: capscope's default set, or your rules files",
  options: { json: { type: 'boolean' }, db: { type: 'string' }, rules: { type: 'string', multiple: true } },
  positionals: [1, 1],
  run: (args, flags) => alerts(args[0]!, { json: flags.json === true, db: flags.db as string | undefined, rules: (flags.rules as string[] | undefined) ?? [] }),
};

/** One alert as the CLI prints it in JSON: Falco's json_output fields, and the event it came from. */
interface AlertJson {
  time: string;
  rule: string;
  priority: string;
  output: string;
  output_fields: Record<string, string | null>;
  tags: readonly string[];
  source: 'syscall';
  evt: { num: number; type: string; dir: string; tid: number; pid: number | null; container_id: string | null; fd: number | null; fd_name: string | null };
  /** The stream of the event's fd (`capscope follow`), where it carried I/O. */
  stream: number | null;
}

async function alerts(file: string, options: { json: boolean; db?: string; rules: string[] }): Promise<number> {
  // The rules files first: a missing one is a mistake in the command line, before any indexing.
  const rulesFiles = options.rules.map((name) => {
    try {
      return { file: name, text: fs.readFileSync(name, 'utf8') };
    } catch (err) {
      throw new UsageError(`--rules ${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  });
  try {
    return await withIndexedCase(file, options.db, ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const result = rulesFiles.length > 0 ? runRules(db, rulesFiles) : storedAlerts(db);
      stopQuietlyOnClosedPipe();
      if (options.json) {
        printJson({
          file: summary.file,
          alerts: result.alerts,
          skipped: result.skipped,
          rules_errors: result.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, item: p.item, code: p.code, message: p.message })),
          error: problems[0] ? { message: problems[0] } : null,
        });
      } else {
        for (const a of result.alerts) process.stdout.write(`${a.output}\n`);
        process.stdout.write(`${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'}\n`);
        // Part of the answer (which rules did not run), not an error: stderr is kept for faults.
        for (const s of result.skipped) process.stdout.write(`rule ${s.rule} skipped: ${s.reason}\n`);
      }
      for (const p of result.problems) process.stderr.write(`capscope: ${problemLine(p)}\n`);
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length || result.problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}

interface AlertsResult {
  alerts: AlertJson[];
  skipped: SkippedRule[];
  problems: RulesProblem[];
}

function runRules(db: Database.Database, files: { file: string; text: string }[]): AlertsResult {
  const set = loadRules(files);
  const raised = evaluateRules(db, selectRules(set.rules));
  const streamOf = alertStreams(db);
  return { alerts: raised.map((a) => toJson(a, streamOf(a))), skipped: set.skipped, problems: set.problems };
}

function toJson(a: Alert, stream: number | null): AlertJson {
  const e = a.evt;
  return {
    time: isoTime(a.ts),
    rule: a.rule,
    priority: a.priority,
    output: a.output,
    output_fields: a.outputFields,
    tags: a.tags,
    source: 'syscall',
    evt: { num: a.num, type: e.type, dir: e.dir, tid: e.tid, pid: e.pid, container_id: e.containerId, fd: e.fd, fd_name: e.fdName },
    stream,
  };
}

/** What the ingest stored from the default rules. */
function storedAlerts(db: Database.Database): AlertsResult {
  const rows = db
    .prepare('SELECT source_id, evt_num, ts, rule, priority, output, output_fields, tags, evt, stream_id FROM falco_alerts ORDER BY id')
    .safeIntegers(true)
    .all() as Record<string, unknown>[];
  const alerts = rows.map((r) => {
    const evt = JSON.parse(String(r.evt)) as Alert['evt'];
    const alert: Alert = {
      sourceId: Number(r.source_id),
      num: Number(r.evt_num),
      ts: r.ts as bigint,
      rule: String(r.rule),
      priority: String(r.priority) as Alert['priority'],
      output: String(r.output),
      outputFields: JSON.parse(String(r.output_fields)) as Record<string, string | null>,
      tags: JSON.parse(String(r.tags)) as string[],
      evt,
    };
    return toJson(alert, r.stream_id === null ? null : Number(r.stream_id));
  });
  const skipped = db.prepare('SELECT rule, reason FROM falco_skipped ORDER BY rowid').all() as SkippedRule[];
  return { alerts, skipped, problems: [] };
}
