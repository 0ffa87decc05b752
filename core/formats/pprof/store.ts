// Writes one profile into the pprof tables (schema/tables.ts). A profile is small (thousands of
// rows, not millions), so its rows go in with prepared statements in one transaction on the
// ingest's own connection, as the HPROF results do, rather than through the row-batch writer
// thread built for the millions of packets and events.

import type Database from 'better-sqlite3';
import type { Profile } from './parser/profile';
import { defaultSampleIndex, functionTotals, namedSamples } from './profile-math';

export function writeProfile(db: Database.Database, sourceId: number, profile: Profile, kind: string): void {
  const named = namedSamples(profile);
  const totals: Record<string, number> = {};
  profile.sampleTypes.forEach((t, i) => (totals[t.type] = profile.samples.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)));
  const defaultIndex = defaultSampleIndex(profile.sampleTypes, profile.defaultSampleType);
  db.transaction(() => {
    db.prepare(
      `INSERT INTO pprof_profiles (source_id, kind, form, sample_types, default_type, period_type, period, time_nanos, duration_nanos, comments, drop_frames, keep_frames, samples, totals)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      sourceId,
      kind,
      profile.form,
      JSON.stringify(profile.sampleTypes),
      profile.sampleTypes[defaultIndex]?.type ?? null,
      profile.periodType ? `${profile.periodType.type}/${profile.periodType.unit}` : null,
      profile.period,
      profile.timeNanos,
      profile.durationNanos,
      JSON.stringify(profile.comments),
      profile.dropFrames,
      profile.keepFrames,
      profile.samples.length,
      JSON.stringify(totals),
    );
    const fn = db.prepare('INSERT INTO pprof_functions (source_id, function_id, name, system_name, filename, start_line) VALUES (?, ?, ?, ?, ?, ?)');
    for (const f of profile.functions.values()) fn.run(sourceId, f.id, f.name, f.systemName, f.filename, f.startLine);
    const loc = db.prepare('INSERT INTO pprof_locations (source_id, location_id, mapping_id, address, folded) VALUES (?, ?, ?, ?, ?)');
    const line = db.prepare('INSERT INTO pprof_lines (source_id, location_id, depth, function_id, line, "column") VALUES (?, ?, ?, ?, ?, ?)');
    for (const l of profile.locations.values()) {
      loc.run(sourceId, l.id, l.mappingId, l.address, l.isFolded ? 1 : 0);
      l.lines.forEach((x, depth) => line.run(sourceId, l.id, depth, x.functionId, x.line, x.column));
    }
    const mapping = db.prepare('INSERT INTO pprof_mappings (source_id, mapping_id, memory_start, memory_limit, file_offset, filename, build_id, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const m of profile.mappings.values()) {
      const flags = { hasFunctions: m.hasFunctions, hasFilenames: m.hasFilenames, hasLineNumbers: m.hasLineNumbers, hasInlineFrames: m.hasInlineFrames };
      mapping.run(sourceId, m.id, m.memoryStart, m.memoryLimit, m.fileOffset, m.filename, m.buildId, JSON.stringify(flags));
    }
    const sample = db.prepare('INSERT INTO pprof_samples (source_id, sample_index, stack, value_list, labels) VALUES (?, ?, ?, ?, ?)');
    profile.samples.forEach((s, i) => sample.run(sourceId, i, JSON.stringify(s.locationIds), JSON.stringify(s.values), JSON.stringify(s.labels)));
    const total = db.prepare('INSERT INTO pprof_function_totals (source_id, sample_type, function, flat, cum) VALUES (?, ?, ?, ?, ?)');
    profile.sampleTypes.forEach((t, i) => {
      for (const f of functionTotals(named, i)) total.run(sourceId, t.type, f.function, f.flat, f.cum);
    });
    const goroutine = db.prepare('INSERT OR IGNORE INTO pprof_goroutines (source_id, goroutine_id, sample_index, state, wait_minutes, locked, created_by, offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    profile.goroutines?.forEach((g, i) => goroutine.run(sourceId, g.id, i, g.state, g.waitMinutes, g.lockedToThread ? 1 : 0, g.createdBy, g.offset));
  })();
}

/** A Go execution trace: a profile row saying what it is, nothing else (it is not read yet). */
export function writeTrace(db: Database.Database, sourceId: number): void {
  db.prepare(
    `INSERT INTO pprof_profiles (source_id, kind, form, sample_types, default_type, period_type, period, time_nanos, duration_nanos, comments, drop_frames, keep_frames, samples, totals)
     VALUES (?, 'trace', 'trace', '[]', NULL, NULL, 0, NULL, NULL, '[]', '', '', 0, '{}')`,
  ).run(sourceId);
}
