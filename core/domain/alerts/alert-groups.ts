// Alerts grouped by rule, most severe first: the stored ones (falco_alerts) or those of rules files
// run now through the same loader and evaluator the ingest uses.

import type Database from 'better-sqlite3';
import { evaluateRules, selectRules, type Alert } from '../../analysis/falco/evaluate';
import { priorityRank, type Priority } from '../../analysis/falco/priority';
import { loadRules } from '../../analysis/falco/rules-compile';
import { alertStreams } from '../../analysis/falco/store-alerts';
import type { AlertGroup, AlertRow, AlertsResult } from './contract';

interface Raised {
  rule: string;
  priority: Priority;
  tags: readonly string[];
  row: AlertRow;
}

export function storedAlertGroups(db: Database.Database, perRule: number): AlertsResult {
  const rows = db
    .prepare('SELECT rule, priority, tags, evt_num, ts, output, evt, stream_id FROM falco_alerts ORDER BY id')
    .safeIntegers(true)
    .all() as { rule: string; priority: string; tags: string; evt_num: bigint; ts: bigint; output: string; evt: string; stream_id: bigint | null }[];
  const raised = rows.map((r): Raised => {
    const evt = JSON.parse(r.evt) as Alert['evt'];
    return {
      rule: r.rule,
      priority: r.priority as Priority,
      tags: JSON.parse(r.tags) as string[],
      row: { ts: String(r.ts), output: r.output, evtNum: Number(r.evt_num), pid: evt.pid, containerId: evt.containerId, streamId: r.stream_id === null ? null : Number(r.stream_id) },
    };
  });
  const skipped = db.prepare('SELECT rule, reason FROM falco_skipped ORDER BY rowid').all() as AlertsResult['skipped'];
  return { groups: grouped(raised, perRule), total: raised.length, skipped, faults: [] };
}

export function runAlertGroups(db: Database.Database, files: readonly { name: string; text: string }[], perRule: number): AlertsResult {
  const set = loadRules(files.map((f) => ({ file: f.name, text: f.text })));
  const streamOf = alertStreams(db);
  const raised = evaluateRules(db, selectRules(set.rules)).map(
    (a): Raised => ({
      rule: a.rule,
      priority: a.priority,
      tags: a.tags,
      row: { ts: String(a.ts), output: a.output, evtNum: a.num, pid: a.evt.pid, containerId: a.evt.containerId, streamId: streamOf(a) },
    }),
  );
  const faults = set.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, item: p.item, message: p.message }));
  return { groups: grouped(raised, perRule), total: raised.length, skipped: set.skipped, faults };
}

function grouped(raised: readonly Raised[], perRule: number): AlertGroup[] {
  const groups = new Map<string, AlertGroup & { rank: number }>();
  for (const r of raised) {
    let g = groups.get(r.rule);
    if (!g) {
      g = { rule: r.rule, priority: r.priority, tags: [...r.tags], count: 0, alerts: [], rank: priorityRank(r.priority) };
      groups.set(r.rule, g);
    }
    g.count++;
    if (g.alerts.length < perRule) g.alerts.push(r.row);
  }
  return [...groups.values()].sort((a, b) => a.rank - b.rank || b.count - a.count).map(({ rank: _rank, ...g }) => g);
}
