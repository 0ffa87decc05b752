// Stores alerts: every one in falco_alerts, with the stream of its event's fd where that fd carried
// I/O, and one finding per rule that fired (so the findings panel, the CLI's findings and the report
// show the alerts grouped by rule): its count, its first alerts as Falco printed them, and links to
// the streams they touched.

import type Database from 'better-sqlite3';
import { priorityRank, severityOf } from './priority';
import type { Alert } from './evaluate';
import type { LoadedRule } from './rules-compile';
import type { SkippedRule } from './rules-problem';

/** Alerts quoted in a rule's finding, and streams linked from it; falco_alerts keeps them all. */
const QUOTED = 5;
const LINKED = 10;

/**
 * The stream of an alert's fd, where that fd carried I/O: the lifetime of the fd number that was
 * open at the alert's time (the first one, in opening order, not closed before it), so that an fd
 * number used again later does not lend the alert another file's stream.
 */
export function alertStreams(db: Database.Database): (a: Alert) => number | null {
  const lifetime = db
    .prepare('SELECT f.stream_id FROM fds f WHERE f.source_id = ? AND f.pid = ? AND f.fd = ? AND (f.closed_ts IS NULL OR f.closed_ts >= ?) ORDER BY f.id LIMIT 1')
    .pluck();
  return (a) => (a.evt.pid !== null && a.evt.fd !== null && a.evt.fd >= 0 ? ((lifetime.get(a.sourceId, a.evt.pid, a.evt.fd, a.ts) as number | null | undefined) ?? null) : null);
}

export function storeAlerts(db: Database.Database, alerts: readonly Alert[], rules: readonly LoadedRule[], skipped: readonly SkippedRule[]): void {
  const streamOf = alertStreams(db);
  const insertAlert = db.prepare(
    'INSERT INTO falco_alerts (source_id, evt_num, ts, rule, priority, output, output_fields, tags, evt, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertFinding = db.prepare("INSERT INTO findings (kind, severity, title, explanation, cause, exchange_id, evidence) VALUES ('falco-alert', ?, ?, ?, ?, NULL, ?)");
  const insertSkipped = db.prepare('INSERT INTO falco_skipped (rule, reason) VALUES (?, ?)');
  const byRule = new Map<string, { alert: Alert; stream: number | null }[]>();
  db.transaction(() => {
    db.exec("DELETE FROM falco_alerts; DELETE FROM falco_skipped; DELETE FROM findings WHERE kind = 'falco-alert'");
    for (const a of alerts) {
      const stream = streamOf(a);
      insertAlert.run(a.sourceId, a.num, a.ts, a.rule, a.priority, a.output, JSON.stringify(a.outputFields), JSON.stringify(a.tags), JSON.stringify(a.evt), stream);
      const group = byRule.get(a.rule) ?? [];
      group.push({ alert: a, stream });
      byRule.set(a.rule, group);
    }
    // The most severe rules first, then in the rules' order.
    const fired = rules.filter((r) => byRule.has(r.name)).sort((a, b) => priorityRank(a.priority) - priorityRank(b.priority));
    for (const rule of fired) {
      const group = byRule.get(rule.name)!;
      const n = group.length;
      const quoted = group.slice(0, QUOTED).map((g) => `evt ${g.alert.num}: ${g.alert.output}`);
      const more = n > QUOTED ? ` … and ${n - QUOTED} more (capscope alerts lists every one).` : '';
      const explanation = `${rule.desc} Falco rule, priority ${rule.priority}; tags ${rule.tags.join(', ') || 'none'}. ${quoted.join(' | ')}${more}`;
      const evidence = group
        .filter((g) => g.stream !== null)
        .slice(0, LINKED)
        .map((g) => ({ stream: g.stream, dir: null, offset: 0, length: 0, excerpt: g.alert.output }));
      const cause = { rule: rule.name, priority: rule.priority, tags: rule.tags, alerts: n, events: group.slice(0, QUOTED).map((g) => ({ source: g.alert.sourceId, num: g.alert.num })) };
      insertFinding.run(severityOf(rule.priority), `${rule.name}: ${n} ${n === 1 ? 'alert' : 'alerts'}`, explanation, JSON.stringify(cause), JSON.stringify(evidence));
    }
    for (const s of skipped) insertSkipped.run(s.rule, s.reason);
  })();
}
