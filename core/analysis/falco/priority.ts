// Falco's priorities, most severe first, as its rules name them and its alerts print them, and
// the finding severity each becomes.

import type { Severity } from '../../../common/evidence';

export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A rule's `priority:` (any case; INFO is Informational), or null for one Falco does not know. */
export function parsePriority(text: unknown): Priority | null {
  if (typeof text !== 'string') return null;
  const t = text.trim().toLowerCase();
  if (t === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === t) ?? null;
}

/** Lower is more severe (Emergency 0 ... Debug 7). */
export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

export function severityOf(p: Priority): Severity {
  const rank = priorityRank(p);
  return rank <= priorityRank('Error') ? 'error' : rank <= priorityRank('Notice') ? 'warning' : 'info';
}
