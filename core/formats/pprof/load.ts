// Reads one stored profile back from the pprof tables into the model the readers produce
// (parser/profile.ts), for what is computed on demand: flame graphs, callers and callees, the
// differences between two profiles, goroutine groups.

import type Database from 'better-sqlite3';
import { emptyProfile, type Profile, type ProfileForm, type SampleLabel } from './parser/profile';

export interface StoredProfileRow {
  source_id: number;
  kind: string;
  form: ProfileForm | 'trace';
  sample_types: string;
  default_type: string | null;
  period_type: string | null;
  period: number;
  time_nanos: number | null;
  duration_nanos: number | null;
  comments: string;
  drop_frames: string;
  keep_frames: string;
  samples: number;
  totals: string;
}

export function storedProfileRows(db: Database.Database): StoredProfileRow[] {
  return db.prepare('SELECT * FROM pprof_profiles ORDER BY source_id').all() as StoredProfileRow[];
}

export function storedProfileRow(db: Database.Database, sourceId: number): StoredProfileRow | undefined {
  return db.prepare('SELECT * FROM pprof_profiles WHERE source_id = ?').get(sourceId) as StoredProfileRow | undefined;
}

export function loadProfile(db: Database.Database, sourceId: number): Profile | null {
  const row = storedProfileRow(db, sourceId);
  if (!row || row.form === 'trace') return null;
  const profile = emptyProfile(row.form);
  profile.sampleTypes = JSON.parse(row.sample_types) as Profile['sampleTypes'];
  profile.defaultSampleType = row.default_type;
  profile.period = row.period;
  profile.timeNanos = row.time_nanos;
  profile.durationNanos = row.duration_nanos;
  profile.comments = JSON.parse(row.comments) as string[];
  for (const f of db.prepare('SELECT function_id, name, system_name, filename, start_line FROM pprof_functions WHERE source_id = ?').all(sourceId) as { function_id: number; name: string; system_name: string; filename: string; start_line: number }[]) {
    profile.functions.set(f.function_id, { id: f.function_id, name: f.name, systemName: f.system_name, filename: f.filename, startLine: f.start_line });
  }
  for (const l of db.prepare('SELECT location_id, mapping_id, address, folded FROM pprof_locations WHERE source_id = ?').all(sourceId) as { location_id: number; mapping_id: number; address: string; folded: number }[]) {
    profile.locations.set(l.location_id, { id: l.location_id, mappingId: l.mapping_id, address: l.address, lines: [], isFolded: l.folded === 1 });
  }
  for (const l of db.prepare('SELECT location_id, function_id, line, "column" FROM pprof_lines WHERE source_id = ? ORDER BY location_id, depth').all(sourceId) as { location_id: number; function_id: number; line: number; column: number }[]) {
    profile.locations.get(l.location_id)?.lines.push({ functionId: l.function_id, line: l.line, column: l.column });
  }
  for (const s of db.prepare('SELECT stack, value_list, labels FROM pprof_samples WHERE source_id = ? ORDER BY sample_index').all(sourceId) as { stack: string; value_list: string; labels: string }[]) {
    profile.samples.push({ locationIds: JSON.parse(s.stack) as number[], values: JSON.parse(s.value_list) as number[], labels: JSON.parse(s.labels) as SampleLabel[] });
  }
  const goroutines = db.prepare('SELECT sample_index, goroutine_id, state, wait_minutes, locked, created_by, offset FROM pprof_goroutines WHERE source_id = ? ORDER BY sample_index').all(sourceId) as {
    goroutine_id: number;
    state: string;
    wait_minutes: number;
    locked: number;
    created_by: string | null;
    offset: number;
    sample_index: number;
  }[];
  if (row.form === 'debug2') {
    // Goroutine i is sample i's (a goroutine id the dump repeats was stored once: its sample has none).
    profile.goroutines = [];
    for (const g of goroutines) profile.goroutines[g.sample_index] = { id: g.goroutine_id, state: g.state, waitMinutes: g.wait_minutes, lockedToThread: g.locked === 1, createdBy: g.created_by, offset: g.offset };
  }
  return profile;
}

/** Flat and cum per function for one sample type, as the ingest stored them. */
export function storedFunctionTotals(db: Database.Database, sourceId: number, sampleType: string): { function: string; flat: number; cum: number }[] {
  return db.prepare('SELECT function, flat, cum FROM pprof_function_totals WHERE source_id = ? AND sample_type = ?').all(sourceId, sampleType) as { function: string; flat: number; cum: number }[];
}
