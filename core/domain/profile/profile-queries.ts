// The profile domain's reads: what the ingest stored (the profile list, each function's flat and
// cum) and what is computed from a profile's samples on demand (the flame graph, callers and
// callees, goroutine groups). With a base profile, values are the new profile's minus the base's,
// as `pprof -diff_base` computes them: per function for the top table, per call path for the
// differential flame graph.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import { goroutineGroups } from '../../formats/pprof/goroutine-groups';
import { loadProfile, storedFunctionTotals, storedProfileRow, storedProfileRows, type StoredProfileRow } from '../../formats/pprof/load';
import type { Profile } from '../../formats/pprof/parser/profile';
import { namedSamples, type NamedSample } from '../../formats/pprof/profile-math';
import type { FlameNode, GoroutineGroupInfo, NeighbourRow, ProfileFlame, ProfileInfo, ProfileNeighbours, ProfileTop, TopRow, TopSortColumn } from './contract';

export function profileList(db: Database.Database): ProfileInfo[] {
  const entries = new Map((db.prepare('SELECT id, entry FROM sources').all() as { id: number; entry: string }[]).map((s) => [s.id, s.entry]));
  return storedProfileRows(db).map((r) => profileInfo(r, entries.get(r.source_id) ?? ''));
}

function profileInfo(r: StoredProfileRow, entry: string): ProfileInfo {
  return {
    sourceId: r.source_id,
    entry,
    kind: r.kind,
    form: r.form,
    sampleTypes: JSON.parse(r.sample_types) as ProfileInfo['sampleTypes'],
    defaultType: r.default_type,
    periodType: r.period_type,
    period: r.period,
    timeNanos: r.time_nanos,
    durationNanos: r.duration_nanos,
    samples: r.samples,
    totals: JSON.parse(r.totals) as Record<string, number>,
    comments: JSON.parse(r.comments) as string[],
  };
}

/** A profile of the case and the sample type asked for (its default when none is), or a not-found naming what there is. */
export function profileAndType(db: Database.Database, sourceId: number, sampleType: string | undefined): { info: ProfileInfo; type: string; unit: string; index: number } {
  const row = storedProfileRow(db, sourceId);
  if (!row) throw new ApiError('not-found', `source ${sourceId} is not a Go profile of this case`);
  const info = profileInfo(row, '');
  const type = sampleType ?? info.defaultType;
  const index = info.sampleTypes.findIndex((t) => t.type === type);
  if (index < 0) {
    const has = info.sampleTypes.map((t) => t.type).join(', ') || 'none';
    throw new ApiError('bad-request', `sampleType: profile ${sourceId} has no sample type '${type ?? ''}' (it has ${has})`);
  }
  return { info, type: type!, unit: info.sampleTypes[index]!.unit, index };
}

/** Flat and cum per function (minus the base's, with one), the total likewise. */
export function functionRows(db: Database.Database, sourceId: number, sampleType: string | undefined, baseDb?: Database.Database, baseSourceId?: number): { rows: TopRow[]; total: number; type: string; unit: string } {
  const { info, type, unit } = profileAndType(db, sourceId, sampleType);
  const rows = new Map<string, TopRow>();
  for (const t of storedFunctionTotals(db, sourceId, type)) rows.set(t.function, { ...t });
  let total = info.totals[type] ?? 0;
  if (baseSourceId !== undefined) {
    const bdb = baseDb ?? db;
    const base = profileAndType(bdb, baseSourceId, type);
    total -= base.info.totals[type] ?? 0;
    for (const t of storedFunctionTotals(bdb, baseSourceId, type)) {
      const row = rows.get(t.function) ?? { function: t.function, flat: 0, cum: 0 };
      row.flat -= t.flat;
      row.cum -= t.cum;
      rows.set(t.function, row);
    }
    for (const [name, row] of rows) if (row.flat === 0 && row.cum === 0) rows.delete(name);
  }
  return { rows: [...rows.values()], total, type, unit };
}

/** pprof -top's order: |flat|, then |cum|, largest first, then the name (A to Z, whichever way the numbers go). */
export function sortTop(rows: TopRow[], column: TopSortColumn = 'flat', desc = true): TopRow[] {
  const byName = (a: TopRow, b: TopRow) => (a.function < b.function ? -1 : a.function > b.function ? 1 : 0);
  const numbers = (a: TopRow, b: TopRow): number => {
    const primary = column === 'flat' ? Math.abs(a.flat) - Math.abs(b.flat) : Math.abs(a.cum) - Math.abs(b.cum);
    if (primary !== 0) return primary;
    return column === 'flat' ? Math.abs(a.cum) - Math.abs(b.cum) : Math.abs(a.flat) - Math.abs(b.flat);
  };
  const sign = desc ? -1 : 1;
  return [...rows].sort((a, b) => (column === 'function' ? sign * byName(a, b) : sign * numbers(a, b) || byName(a, b)));
}

export function profileTop(
  db: Database.Database,
  req: { sourceId: number; sampleType?: string; baseSourceId?: number; sort?: { column: TopSortColumn; desc?: boolean }; functionRegex?: string; limit?: number },
): ProfileTop {
  const { rows, total, type, unit } = functionRows(db, req.sourceId, req.sampleType, undefined, req.baseSourceId);
  let pattern: RegExp | null = null;
  if (req.functionRegex) {
    try {
      pattern = new RegExp(req.functionRegex);
    } catch (err) {
      throw new ApiError('bad-request', `functionRegex: ${(err as Error).message}`);
    }
  }
  const column = req.sort?.column ?? 'flat';
  const matched = sortTop(pattern ? rows.filter((r) => pattern!.test(r.function)) : rows, column, req.sort?.desc ?? column !== 'function');
  return { sampleType: type, unit, total, rows: matched.slice(0, req.limit ?? 1000), matched: matched.length };
}

/** What the reading of a profile found wrong (the diagnostics of its source), in the order found. */
export function profileDiagnostics(db: Database.Database, sourceId: number): { offset: number | null; code: string; severity: string; message: string }[] {
  return db.prepare('SELECT offset, code, severity, message FROM diagnostics WHERE source_id = ? ORDER BY id').all(sourceId) as { offset: number | null; code: string; severity: string; message: string }[];
}

// ----- computed from the samples -----

function samplesOf(db: Database.Database, sourceId: number): { profile: Profile; named: NamedSample[] } {
  const profile = loadProfile(db, sourceId);
  if (!profile) throw new ApiError('not-found', `source ${sourceId} is not a Go profile of this case`);
  return { profile, named: namedSamples(profile) };
}

/** The flame graph: call paths from the root (the leaf-first stacks reversed), merged. */
export function profileFlame(db: Database.Database, req: { sourceId: number; sampleType?: string; baseSourceId?: number }): ProfileFlame {
  const { info, type, unit, index } = profileAndType(db, req.sourceId, req.sampleType);
  const root: FlameNode = { name: 'root', value: 0, self: 0, children: [] };
  addSamples(root, samplesOf(db, req.sourceId).named, index, 'value');
  let baseTotal: number | null = null;
  if (req.baseSourceId !== undefined) {
    const base = profileAndType(db, req.baseSourceId, type);
    baseTotal = base.info.totals[type] ?? 0;
    setBase(root);
    addSamples(root, samplesOf(db, req.baseSourceId).named, base.index, 'base');
  }
  sortChildren(root);
  return { sampleType: type, unit, total: info.totals[type] ?? 0, baseTotal, root };
}

function addSamples(root: FlameNode, samples: NamedSample[], index: number, field: 'value' | 'base'): void {
  const byName = new WeakMap<FlameNode, Map<string, FlameNode>>();
  const child = (node: FlameNode, name: string): FlameNode => {
    let map = byName.get(node);
    if (!map) byName.set(node, (map = new Map(node.children.map((c) => [c.name, c]))));
    let c = map.get(name);
    if (!c) {
      c = { name, value: 0, self: 0, children: [], ...(field === 'base' ? { base: 0 } : {}) };
      node.children.push(c);
      map.set(name, c);
    }
    return c;
  };
  for (const sample of samples) {
    const v = sample.values[index] ?? 0;
    if (v === 0) continue;
    let node = root;
    node[field] = (node[field] ?? 0) + v;
    for (let i = sample.frames.length - 1; i >= 0; i--) {
      node = child(node, sample.frames[i]!);
      node[field] = (node[field] ?? 0) + v;
    }
    if (field === 'value') node.self += v;
  }
}

function setBase(node: FlameNode): void {
  node.base = 0;
  for (const c of node.children) setBase(c);
}

function sortChildren(node: FlameNode): void {
  node.children.sort((a, b) => Math.max(b.value, b.base ?? 0) - Math.max(a.value, a.base ?? 0) || (a.name < b.name ? -1 : 1));
  for (const c of node.children) sortChildren(c);
}

/** pprof's peek: who calls the function and whom it calls, each edge counted once per sample. */
export function profileNeighbours(db: Database.Database, req: { sourceId: number; sampleType?: string; function: string }): ProfileNeighbours {
  const { index } = profileAndType(db, req.sourceId, req.sampleType);
  const { named } = samplesOf(db, req.sourceId);
  const callers = new Map<string, number>();
  const callees = new Map<string, number>();
  let flat = 0;
  let cum = 0;
  const seenCallers = new Set<string>();
  const seenCallees = new Set<string>();
  for (const s of named) {
    const v = s.values[index] ?? 0;
    if (v === 0 || !s.frames.includes(req.function)) continue;
    cum += v;
    if (s.frames[0] === req.function) flat += v;
    seenCallers.clear();
    seenCallees.clear();
    s.frames.forEach((name, i) => {
      if (name !== req.function) return;
      const caller = s.frames[i + 1];
      const callee = i > 0 ? s.frames[i - 1] : undefined;
      if (caller !== undefined && caller !== req.function && !seenCallers.has(caller)) {
        seenCallers.add(caller);
        callers.set(caller, (callers.get(caller) ?? 0) + v);
      }
      if (callee !== undefined && callee !== req.function && !seenCallees.has(callee)) {
        seenCallees.add(callee);
        callees.set(callee, (callees.get(callee) ?? 0) + v);
      }
    });
  }
  const rows = (m: Map<string, number>): NeighbourRow[] => [...m].map(([fn, value]) => ({ function: fn, value })).sort((a, b) => b.value - a.value);
  return { function: req.function, flat, cum, callers: rows(callers), callees: rows(callees) };
}

export function profileGoroutines(db: Database.Database, sourceId: number): { total: number; groups: GoroutineGroupInfo[]; withStates: boolean } {
  const { profile } = samplesOf(db, sourceId);
  if (!profile.sampleTypes.some((t) => t.type === 'goroutine')) throw new ApiError('bad-request', `sourceId: profile ${sourceId} is not a goroutine profile or dump`);
  const groups = goroutineGroups(profile);
  return { total: groups.reduce((s, g) => s + g.count, 0), groups, withStates: profile.goroutines !== null };
}
