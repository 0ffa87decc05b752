// The report's security alerts: the default Falco rules' alerts (core/analysis/falco/, stored at
// ingest), by rule, most severe first, with how many, when, and the first few as Falco printed
// them; and the rules of the set capscope could not run, with why. Narrowed like the events are.

import type Database from 'better-sqlite3';
import { clip } from './clip';
import type { AlertsSection, Scoped } from './model';
import type { Redactor } from './redact';
import { and, isRefused, omittedBecause, rangeCondition, type ReportScope } from './report-scope';

/** Alerts quoted per rule; the rest are counted (`capscope alerts` lists them all). */
const EXAMPLES = 3;
const PRIORITY_ORDER = "CASE a.priority WHEN 'Emergency' THEN 0 WHEN 'Alert' THEN 1 WHEN 'Critical' THEN 2 WHEN 'Error' THEN 3 WHEN 'Warning' THEN 4 WHEN 'Notice' THEN 5 WHEN 'Informational' THEN 6 ELSE 7 END";

/** Null when the evidence has no syscall events: the rules read nothing else. */
export function gatherAlerts(db: Database.Database, scope: ReportScope, redact: Redactor): Scoped<AlertsSection> | null {
  if (db.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined) return null;
  if (isRefused(scope.events)) return { omitted: omittedBecause('syscall events, which the alerts are about', scope.events) };
  const where = and(scope.events, rangeCondition('a.ts', scope.range));
  const rows = db
    .prepare(
      `SELECT a.rule, a.priority, a.tags, a.evt_num, a.ts, a.output FROM falco_alerts a JOIN events e ON e.source_id = a.source_id AND e.num = a.evt_num
       WHERE ${where.where} ORDER BY ${PRIORITY_ORDER}, a.rule, a.id`,
    )
    .safeIntegers(true)
    .all(...where.params) as { rule: string; priority: string; tags: string; evt_num: bigint; ts: bigint; output: string }[];
  const rules: AlertsSection['rules'] = [];
  for (const r of rows) {
    let rule = rules.at(-1);
    if (!rule || rule.rule !== r.rule) {
      rule = { rule: r.rule, priority: r.priority, tags: JSON.parse(r.tags) as string[], count: 0, first: String(r.ts), last: String(r.ts), examples: [] };
      rules.push(rule);
    }
    rule.count++;
    if (BigInt(rule.first) > r.ts) rule.first = String(r.ts);
    if (BigInt(rule.last) < r.ts) rule.last = String(r.ts);
    if (rule.examples.length < EXAMPLES) rule.examples.push({ num: Number(r.evt_num), output: clip(redact.text(r.output)) });
  }
  const skipped = db.prepare('SELECT rule, reason FROM falco_skipped ORDER BY rowid').all() as AlertsSection['skipped'];
  return { rows: { rules, skipped } };
}
