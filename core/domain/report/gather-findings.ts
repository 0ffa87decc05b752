// Findings first (the report's point), each kind of finding once: a seed incident yields the same
// 502 explanation dozens of times, which a reader needs once, with how often and when.

import type Database from 'better-sqlite3';
import { listFindings, type FindingSummary } from '../findings/finding-rows';
import { findingGroupKey } from '../findings/group-key';
import { formatBytePlace } from '../../../common/format';
import type { FindingGroup, Scoped } from './model';
import type { Redactor } from './redact';
import { clip, QUOTE_CHARS } from './clip';
import { and, isRefused, overlapCondition, rangeCondition, type ReportScope } from './report-scope';

export function gatherFindings(db: Database.Database, scope: ReportScope, redact: Redactor): Scoped<FindingGroup[]> {
  const all = listFindings(db);
  const exchangeTimes = new Map<number, bigint>();
  for (const r of db.prepare('SELECT id, req_ts FROM http_exchanges WHERE id IN (SELECT exchange_id FROM findings) AND req_ts IS NOT NULL').safeIntegers().iterate() as IterableIterator<{ id: bigint; req_ts: bigint }>) {
    exchangeTimes.set(Number(r.id), r.req_ts);
  }
  const narrowed = scope.filter !== null || scope.range !== null;
  if (narrowed && isRefused(scope.http) && isRefused(scope.streams)) {
    return { omitted: `Left out: the filter applies to neither HTTP exchanges nor streams, which findings are about (${scope.http.refused}).` };
  }
  const kept = narrowed ? all.filter(inScope(db, scope)) : all;
  return { rows: group(kept, exchangeTimes, redact) };
}

/** Whether a finding is about something in scope: its exchange, else the streams its evidence is in. */
function inScope(db: Database.Database, scope: ReportScope): (f: FindingSummary) => boolean {
  const exchanges = isRefused(scope.http)
    ? null
    : idSet(db, 'SELECT x.id FROM http_exchanges x', and(scope.http, rangeCondition('x.req_ts', scope.range)));
  const streams = isRefused(scope.streams)
    ? null
    : idSet(db, 'SELECT s.id FROM streams s', and(scope.streams, overlapCondition('s.first_ts', 's.last_ts', scope.range)));
  return (f) => {
    if (f.exchange !== null && exchanges) return exchanges.has(f.exchange);
    if (f.evidence.length > 0 && streams) return f.evidence.some((e) => streams.has(e.stream));
    // Nothing to place it by (an error rate over a whole endpoint): only a time range narrows the report.
    return scope.filter === null;
  };
}

function idSet(db: Database.Database, select: string, condition: { where: string; params: unknown[] }): Set<number> {
  return new Set(db.prepare(`${select} WHERE ${condition.where}`).pluck().all(...condition.params) as number[]);
}

function group(findings: FindingSummary[], times: Map<number, bigint>, redact: Redactor): FindingGroup[] {
  const groups = new Map<string, Omit<FindingGroup, 'sameTitle'> & { titles: Set<string> }>();
  for (const f of findings) {
    // The app's grouped findings group by the same key, so both count the same groups.
    const key = findingGroupKey({ kind: f.kind, cause: f.cause, title: f.title, firstExcerpt: f.evidence[0]?.excerpt ?? '' });
    const ts = f.exchange === null ? undefined : times.get(f.exchange);
    const existing = groups.get(key);
    if (existing) {
      existing.count++;
      existing.titles.add(f.title);
      if (ts !== undefined) {
        if (existing.firstTs === null || ts < BigInt(existing.firstTs)) existing.firstTs = String(ts);
        if (existing.lastTs === null || ts > BigInt(existing.lastTs)) existing.lastTs = String(ts);
      }
      continue;
    }
    groups.set(key, {
      kind: f.kind,
      severity: f.severity,
      cause: f.cause,
      title: redact.text(f.title),
      count: 1,
      explanation: clip(redact.text(f.explanation), 4 * QUOTE_CHARS),
      evidence: f.evidence.map((e) => ({ ...e, excerpt: clip(redact.text(e.excerpt)), place: e.lineOffset === null ? null : formatBytePlace(e.offset, { offset: e.lineOffset, text: e.excerpt }) })),
      firstExchange: f.exchange,
      firstTs: ts === undefined ? null : String(ts),
      lastTs: ts === undefined ? null : String(ts),
      titles: new Set([f.title]),
    });
  }
  return [...groups.values()].map(({ titles, ...g }) => ({ ...g, sameTitle: titles.size === 1 }));
}
