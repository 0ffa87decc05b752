// Gathers a post-mortem report's data from a case's index: read-only queries, narrowed by the
// filter and the time range, with credentials masked unless redaction is switched off.

import type Database from 'better-sqlite3';
import path from 'node:path';
import { CAPSCOPE_VERSION } from '../../../common/version';
import { gatherActivity } from './gather-activity';
import { gatherAlerts } from './gather-alerts';
import { gatherBookmarks } from './gather-bookmarks';
import { gatherErrors } from './gather-errors';
import { gatherEvidence, reportSpan } from './gather-evidence';
import { gatherFindings } from './gather-findings';
import { gatherHeaps } from './gather-heap';
import { gatherHttp } from './gather-http';
import { gatherProfiles } from './gather-profiles';
import { gatherTimeline } from './gather-timeline';
import type { ReportData } from './model';
import { createRedactor } from './redact';
import { compileScope } from './report-scope';
import { parseTimeRange, type CaptureSpan } from './time-spec';

export interface ReportOptions {
  /** Filter language (core/filter); empty or absent for everything. */
  filter?: string | null;
  /** As the user wrote them (time-spec.ts); either may be left out. */
  from?: string;
  to?: string;
  /** How errors name the two ends (`--from`/`--to` by default). */
  rangeNames?: { from: string; to: string };
  /** Mask credentials (default true). */
  redact?: boolean;
  /** For tests: the time the report says it was made. */
  now?: Date;
}

function hasStreamsOrEvents(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM streams LIMIT 1').get() !== undefined || db.prepare('SELECT 1 FROM events LIMIT 1').get() !== undefined;
}

/** Throws FilterError (a filter no kind of row can take) or TimeSpecError (an unreadable time). */
export function gatherReport(db: Database.Database, options: ReportOptions = {}): ReportData {
  const span: CaptureSpan | null = reportSpan(db);
  const range = parseTimeRange(options.from, options.to, span, options.rangeNames);
  const scope = compileScope(options.filter, range);
  const redact = createRedactor(options.redact !== false);
  const evidence = gatherEvidence(db);
  const first = evidence.files[0];
  return {
    title: first ? `Post-mortem: ${evidence.files.length === 1 && first.entry ? first.entry : path.basename(first.file)}` : 'Post-mortem',
    generatedAt: (options.now ?? new Date()).toISOString(),
    capscopeVersion: CAPSCOPE_VERSION,
    redacted: redact.enabled,
    scope: { filter: scope.filter, range: range ? { from: String(range.from), to: String(range.to) } : null },
    evidence,
    findings: gatherFindings(db, scope, redact),
    alerts: gatherAlerts(db, scope, redact),
    timeline: span ? gatherTimeline(db, scope, span) : null,
    activity: hasStreamsOrEvents(db) ? gatherActivity(db, scope, redact) : null,
    errors: gatherErrors(db, scope, redact),
    http: gatherHttp(db, scope, redact),
    heaps: gatherHeaps(db),
    profiles: gatherProfiles(db),
    bookmarks: gatherBookmarks(db, redact),
  };
}
