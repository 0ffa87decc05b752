// The tables of Go profiles (pprof): per profile (one source: one .pb.gz, one debug=1 text, one
// goroutine dump, or a bundle's member), pprof's own model — functions, locations with their
// (inlined) lines, mappings, samples with labels — and what the views read first: each function's
// flat and cum per sample type, as `pprof -top` adds them up, and a debug=2 dump's goroutines.
// Values are in the sample type's own unit (bytes, nanoseconds, counts), exact.

import type { ColumnDeclaration, TableDeclaration } from '../../../index/schema/declaration';

const SOURCE: ColumnDeclaration = ['source_id', 'INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE', 'the profile'];

const pprofProfiles: TableDeclaration = {
  name: 'pprof_profiles',
  columns: [
    ['source_id', 'INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE', 'the profile'],
    ['kind', 'TEXT NOT NULL', 'heap, allocs, cpu, goroutine, block, mutex, threadcreate, trace, or the first sample type'],
    ['form', "TEXT NOT NULL CHECK (form IN ('proto', 'debug1', 'debug2', 'trace'))", 'profile.proto, debug=1 text, a debug=2 goroutine dump, an execution trace (named, not read)'],
    ['sample_types', 'TEXT NOT NULL', 'JSON [{type, unit}], in the order of every sample\'s values'],
    ['default_type', 'TEXT', "the sample type pprof shows first: default_sample_type, else the last; NULL with none"],
    ['period_type', 'TEXT', '"cpu/nanoseconds"; NULL when not said'],
    ['period', 'INTEGER NOT NULL', 'the sampling period, in the period type\'s unit'],
    ['time_nanos', 'INTEGER', 'when the profile was taken, ns since 1970'],
    ['duration_nanos', 'INTEGER', 'how long it covers (CPU: the sampling time)'],
    ['comments', 'TEXT NOT NULL', 'JSON array of strings (a heap debug=1 profile\'s MemStats lines, a panic\'s message)'],
    ['drop_frames', 'TEXT NOT NULL', "the profile's drop_frames regexp, '' for none"],
    ['keep_frames', 'TEXT NOT NULL', "its keep_frames regexp, '' for none"],
    ['samples', 'INTEGER NOT NULL', 'samples read'],
    ['totals', 'TEXT NOT NULL', 'JSON {sample type: sum of its values}'],
  ],
};

const pprofFunctions: TableDeclaration = {
  name: 'pprof_functions',
  columns: [
    SOURCE,
    ['function_id', 'INTEGER NOT NULL', "the profile's id (negative: a stand-in for a missing location)"],
    ['name', 'TEXT NOT NULL', 'main.(*Server).handle'],
    ['system_name', 'TEXT NOT NULL', 'the mangled name, as the binary has it'],
    ['filename', 'TEXT NOT NULL', 'its source file'],
    ['start_line', 'INTEGER NOT NULL', 'its first line, 0 when not known'],
  ],
  constraints: ['PRIMARY KEY (source_id, function_id)'],
};

const pprofLocations: TableDeclaration = {
  name: 'pprof_locations',
  columns: [
    SOURCE,
    ['location_id', 'INTEGER NOT NULL', "the profile's id"],
    ['mapping_id', 'INTEGER NOT NULL', '0: none'],
    ['address', 'TEXT NOT NULL', 'the pc as hex text ("0x67cfc7"), \'\' when not known'],
    ['folded', 'INTEGER NOT NULL', '1: is_folded'],
  ],
  constraints: ['PRIMARY KEY (source_id, location_id)'],
};

/** A location's lines: more than one when calls were inlined into the function the pc is in. */
const pprofLines: TableDeclaration = {
  name: 'pprof_lines',
  columns: [
    SOURCE,
    ['location_id', 'INTEGER NOT NULL', 'the location'],
    ['depth', 'INTEGER NOT NULL', '0: the innermost (inlined) function; the last: the function the pc is in'],
    ['function_id', 'INTEGER NOT NULL', 'the function'],
    ['line', 'INTEGER NOT NULL', 'its source line'],
    ['column', 'INTEGER NOT NULL', '0 when not known'],
  ],
  constraints: ['PRIMARY KEY (source_id, location_id, depth)'],
};

const pprofMappings: TableDeclaration = {
  name: 'pprof_mappings',
  columns: [
    SOURCE,
    ['mapping_id', 'INTEGER NOT NULL', "the profile's id"],
    ['memory_start', 'TEXT NOT NULL', 'where the binary is mapped, hex (uint64)'],
    ['memory_limit', 'TEXT NOT NULL', 'the end of the mapping, hex'],
    ['file_offset', 'TEXT NOT NULL', 'its offset in the file, hex'],
    ['filename', 'TEXT NOT NULL', 'the binary'],
    ['build_id', 'TEXT NOT NULL', "the binary's build id"],
    ['flags', 'TEXT NOT NULL', 'JSON {hasFunctions, hasFilenames, hasLineNumbers, hasInlineFrames}'],
  ],
  constraints: ['PRIMARY KEY (source_id, mapping_id)'],
};

const pprofSamples: TableDeclaration = {
  name: 'pprof_samples',
  columns: [
    SOURCE,
    ['sample_index', 'INTEGER NOT NULL', 'in the profile\'s order'],
    ['stack', 'TEXT NOT NULL', 'JSON array of location ids, leaf first'],
    ['value_list', 'TEXT NOT NULL', 'JSON array, one value per sample type'],
    ['labels', 'TEXT NOT NULL', 'JSON [{key, str} | {key, num, numUnit}]'],
  ],
  constraints: ['PRIMARY KEY (source_id, sample_index)'],
};

/** Per function and sample type, what `pprof -top` shows: flat (leaf) and cum (anywhere on the stack, once per sample). */
const pprofFunctionTotals: TableDeclaration = {
  name: 'pprof_function_totals',
  columns: [
    SOURCE,
    ['sample_type', 'TEXT NOT NULL', 'the sample type'],
    ['function', 'TEXT NOT NULL', "the function's name"],
    ['flat', 'INTEGER NOT NULL', 'values of the samples whose leaf frame is in it'],
    ['cum', 'INTEGER NOT NULL', 'values of the samples with it anywhere on the stack'],
  ],
  constraints: ['PRIMARY KEY (source_id, sample_type, function)'],
};

const pprofGoroutines: TableDeclaration = {
  name: 'pprof_goroutines',
  columns: [
    SOURCE,
    ['goroutine_id', 'INTEGER NOT NULL', 'as the dump numbers it'],
    ['sample_index', 'INTEGER NOT NULL', 'its sample (its stack)'],
    ['state', 'TEXT NOT NULL', '"chan receive", "running", …'],
    ['wait_minutes', 'INTEGER NOT NULL', 'how long it has been blocked, as the dump says (0: not said)'],
    ['locked', 'INTEGER NOT NULL', '1: locked to its thread'],
    ['created_by', 'TEXT', 'the function that started it'],
    ['offset', 'INTEGER NOT NULL', 'of its header line in the dump'],
  ],
  constraints: ['PRIMARY KEY (source_id, goroutine_id)'],
};

export const PPROF_TABLES: readonly TableDeclaration[] = [pprofProfiles, pprofFunctions, pprofLocations, pprofLines, pprofMappings, pprofSamples, pprofFunctionTotals, pprofGoroutines];
