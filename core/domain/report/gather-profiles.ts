// Go profiles: the findings they point at (core/domain/profile/profile-findings.ts), then for each
// profile with samples its top table and flame graph in the sample type pprof shows first. Of a
// kind taken many times (a heap profile every minute) the first and the last are shown, the ones
// between named: a report of a hundred top tables is read by no one. The
// flame graph's tree is cut to the frames wide enough to draw (flame-svg.ts), so a deep or wide
// profile does not make the report heavy.

import type Database from 'better-sqlite3';
import type { FlameNode, ProfileInfo } from '../profile/contract';
import { profileFindings } from '../profile/profile-findings';
import { functionRows, profileFlame, profileList, sortTop } from '../profile/profile-queries';
import { FLAME_MIN_SHARE } from './flame-svg';
import type { ProfileFlameFrame, ProfilesSection } from './model';

const TOP = 10;

export function gatherProfiles(db: Database.Database): ProfilesSection | null {
  const all = profileList(db);
  if (all.length === 0) return null;
  const readable = all.filter((p) => p.sampleTypes.length > 0 && p.defaultType !== null);
  const kinds = new Map<string, ProfileInfo[]>();
  for (const p of readable) kinds.set(p.kind, [...(kinds.get(p.kind) ?? []), p]);
  const shown = new Set<number>();
  const between: ProfilesSection['between'] = [];
  for (const [kind, list] of kinds) {
    const inTime = [...list].sort((a, b) => (a.timeNanos ?? 0) - (b.timeNanos ?? 0) || a.sourceId - b.sourceId);
    shown.add(inTime[0]!.sourceId).add(inTime[inTime.length - 1]!.sourceId);
    if (inTime.length > 2) between.push({ kind, entries: inTime.slice(1, -1).map((p) => p.entry) });
  }
  return {
    findings: profileFindings(db).map((f) => ({ kind: f.kind, severity: f.severity, title: f.title, explanation: f.explanation, frames: f.evidence.frames })),
    between,
    profiles: readable.filter((p) => shown.has(p.sourceId)).map((p) => {
      const { rows, total, type, unit } = functionRows(db, p.sourceId, p.defaultType!);
      const flame = profileFlame(db, { sourceId: p.sourceId, sampleType: type });
      return {
        entry: p.entry,
        kind: p.kind,
        sampleType: type,
        unit,
        total,
        timeNanos: p.timeNanos,
        durationNanos: p.durationNanos,
        functions: rows.length,
        top: sortTop(rows).slice(0, TOP),
        flame: drawable(flame.root, flame.root.value * FLAME_MIN_SHARE),
      };
    }),
    traces: all.filter((p) => p.form === 'trace').map((p) => p.entry),
  };
}

/** The tree without the frames narrower than `min` (they would be under a pixel wide). */
function drawable(node: FlameNode, min: number): ProfileFlameFrame {
  return { name: node.name, value: node.value, children: node.children.filter((c) => c.value > 0 && c.value >= min).map((c) => drawable(c, min)) };
}
