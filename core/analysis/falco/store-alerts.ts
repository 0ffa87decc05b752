// Stores alerts: every one in falco_alerts, with the stream of its event's fd where that fd carried
// I/O, and each as a finding (grouped by rule where findings are shown), up to a bound per rule so
// that a rule firing on every event does not bury the other findings; the table keeps them all.

import type Database from 'better-sqlite3';
import { severityOf } from './priority';
import type { Alert } from './evaluate';
import type { LoadedRule } from './rules-compile';
import type { SkippedRule } from './rules-problem';

/** Findings kept per rule; the rest are in falco_alerts and counted in the last finding's text. */
export const FINDINGS_PER_RULE = 100;

/** The stream of an alert's fd, where that fd carried I/O (the latest lifetime of the fd number that did). */
export function alertStreams(db: Database.Database): (a: Alert) => number | null {
  const streamOf = db
    .prepare('SELECT f.stream_id FROM fds f WHERE f.source_id = ? AND f.pid = ? AND f.fd = ? AND f.stream_id IS NOT NULL ORDER BY f.id DESC LIMIT 1')
    .pluck();
  return (a) => (a.evt.pid !== null && a.evt.fd !== null && a.evt.fd >= 0 ? ((streamOf.get(a.sourceId, a.evt.pid, a.evt.fd) as number | undefined) ?? null) : null);
}

export function storeAlerts(db: Database.Database, alerts: readonly Alert[], rules: readonly LoadedRule[], skipped: readonly SkippedRule[]): void {
  const streamOf = alertStreams(db);
  const insertAlert = db.prepare(
    'INSERT INTO falco_alerts (source_id, evt_num, ts, rule, priority, output, output_fields, tags, evt, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFinding = db.prepare("INSERT INTO findings (kind, severity, title, explanation, cause, exchange_id, evidence) VALUES ('falco-alert', ?, ?, ?, ?, NULL, '[]')");
  const insertSkipped = db.prepare('INSERT INTO falco_skipped (rule, reason) VALUES (?, ?)');
  const descOf = new Map(rules.map((r) => [r.name, r.desc]));
  const perRule = new Map<string, number>();
  db.transaction(() => {
    db.exec("DELETE FROM falco_alerts; DELETE FROM falco_skipped; DELETE FROM findings WHERE kind = 'falco-alert'");
    for (const a of alerts) {
      const stream = streamOf(a);
      insertAlert.run(a.sourceId, a.num, a.ts, a.rule, a.priority, a.output, JSON.stringify(a.outputFields), JSON.stringify(a.tags), JSON.stringify(a.evt), stream);
      const n = (perRule.get(a.rule) ?? 0) + 1;
      perRule.set(a.rule, n);
      if (n > FINDINGS_PER_RULE) continue;
      const cause = { rule: a.rule, priority: a.priority, tags: a.tags, source: a.sourceId, evt: a.num, pid: a.evt.pid, container: a.evt.containerId, stream };
      insertFinding.run(severityOf(a.priority), `${a.rule}: ${a.output}`, `${descOf.get(a.rule) ?? ''} (Falco rule, ${a.priority}; tags ${a.tags.join(', ') || 'none'})`, JSON.stringify(cause));
    }
    for (const s of skipped) insertSkipped.run(s.rule, s.reason);
  })();
}
