// Decodes pprof's profile.proto. The top-level Profile message is walked field by field here (with
// protobufjs's Reader), so that every field's offset is known: a field cut short, a length past
// the end of the data (a 4 GiB length in a 2 KB file) or a wire type no Profile field has stops
// the walk with a diagnostic naming the offset, and everything before it is kept. Each field's
// nested message (a Sample, a Location, ...) is decoded by protobufjs from profile-proto.ts; one
// it cannot decode is skipped alone. Nothing is allocated from a declared length: a field's bytes
// are a view of the data, after checking that they are there.
//
// Strings and ids are resolved once the walk is over (Go writes the string table last): a string
// index past the table or an id no location or function has is a warning, and the frame gets a
// name that says what is missing, so the rest of the profile still adds up.

import { DiagnosticCap, type Diagnostic } from '../../../../common/diagnostics';
import { PPROF_DIAGNOSTICS } from './diagnostics';
import { emptyProfile, type Profile, type ProfileFunction, type ProfileLocation, type SampleLabel, type ValueType } from './profile';
import { PROFILE_FIELDS, profileProto, protobufjs } from './profile-proto';

export type DiagnosticSink = (offset: number | null, d: Diagnostic) => void;

/** The fault that ended the reading early, with its offset (the whole profile is kept up to it). */
export interface ReadStop {
  offset: number;
  diagnostic: Diagnostic;
}

export interface DecodedProfile {
  profile: Profile;
  stop: ReadStop | null;
}

/** Diagnostics of a kind listed one by one before the rest are counted. */
const LISTED = 5;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

type Long = { toNumber(): number; high: number; low: number; unsigned: boolean };

/** An int64/uint64 from protobufjs (a number, or a Long when long.js is present) as a number. */
export function int64(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/** A uint64 address as hex text: addresses use all 64 bits, which a number cannot hold. */
export function hex64(v: number | Long | null | undefined): string {
  if (v === null || v === undefined) return '0x0';
  if (typeof v === 'number') return `0x${v.toString(16)}`;
  const hi = v.high >>> 0;
  const lo = v.low >>> 0;
  return hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
}

interface Raw {
  sampleTypes: { type: number; unit: number; offset: number }[];
  samples: { msg: Record<string, unknown>; offset: number }[];
  mappings: { msg: Record<string, unknown>; offset: number }[];
  locations: { msg: Record<string, unknown>; offset: number }[];
  functions: { msg: Record<string, unknown>; offset: number }[];
  strings: string[];
  scalars: Map<number, { value: number; offset: number }>;
  periodType: { type: number; unit: number; offset: number } | null;
  comments: { index: number; offset: number }[];
}

export function decodeProfileProto(bytes: Uint8Array, sink: DiagnosticSink): DecodedProfile {
  const cap = new DiagnosticCap(LISTED, sink);
  const raw: Raw = { sampleTypes: [], samples: [], mappings: [], locations: [], functions: [], strings: [], scalars: new Map(), periodType: null, comments: [] };
  const stop = walkProfile(bytes, raw, cap);
  const profile = resolve(raw, cap);
  for (const [kind, count] of cap.drainUnlisted()) sink(null, PPROF_DIAGNOSTICS.emit('more-not-listed', { count, kind }));
  return { profile, stop };
}

function walkProfile(bytes: Uint8Array, raw: Raw, cap: DiagnosticCap): ReadStop | null {
  const protobuf = protobufjs();
  const PROTO = profileProto();
  const reader = protobuf.Reader.create(bytes);
  const decoder = new TextDecoder('utf-8');
  while (reader.pos < reader.len) {
    const start = reader.pos;
    let tag: number;
    try {
      tag = reader.uint32();
    } catch {
      return stopAt(start, PPROF_DIAGNOSTICS.emit('varint-truncated', { what: 'a field key', offset: start }));
    }
    const field = tag >>> 3;
    const wire = tag & 7;
    const known = PROFILE_FIELDS.get(field);
    if (known && !known.wire.includes(wire)) {
      return stopAt(start, PPROF_DIAGNOSTICS.emit('bad-wire-type', { field: `${field} (${known.name})`, offset: start, wire, expected: known.wire.map(wireName).join(' or '), bytes: bytes.length - start }));
    }
    if (wire === 0) {
      let value: number;
      try {
        value = int64(reader.int64() as unknown as Long);
      } catch {
        return stopAt(start, PPROF_DIAGNOSTICS.emit('varint-truncated', { what: `field ${field} (${known?.name ?? 'unknown'})`, offset: start }));
      }
      if (field === 13) raw.comments.push({ index: value, offset: start });
      else if (known) raw.scalars.set(field, { value, offset: start });
      else cap.report('unknown-field', start, () => PPROF_DIAGNOSTICS.emit('unknown-field', { field, offset: start }));
      continue;
    }
    if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      if (reader.pos + size > reader.len) return stopAt(start, PPROF_DIAGNOSTICS.emit('field-overrun', { field: String(field), offset: start, declared: size, left: reader.len - reader.pos, end: reader.pos + size }));
      reader.skip(size);
      cap.report('unknown-field', start, () => PPROF_DIAGNOSTICS.emit('unknown-field', { field, offset: start }));
      continue;
    }
    if (wire !== 2) {
      return stopAt(start, PPROF_DIAGNOSTICS.emit('bad-wire-type', { field: String(field), offset: start, wire, expected: 'a varint, fixed or length-delimited field', bytes: bytes.length - start }));
    }
    let length: number;
    try {
      // uint64: a corrupt length of 4 GiB or more must be seen as such, not wrapped to 32 bits.
      length = int64(reader.uint64() as unknown as Long);
    } catch {
      return stopAt(start, PPROF_DIAGNOSTICS.emit('varint-truncated', { what: `the length of field ${field} (${known?.name ?? 'unknown'})`, offset: start }));
    }
    const body = reader.pos;
    if (length > reader.len - body) {
      return stopAt(start, PPROF_DIAGNOSTICS.emit('field-overrun', { field: `${field} (${known?.name ?? 'unknown'})`, offset: start, declared: length, left: reader.len - body, end: body + length }));
    }
    const view = bytes.subarray(body, body + length);
    reader.skip(length);
    if (!known) {
      cap.report('unknown-field', start, () => PPROF_DIAGNOSTICS.emit('unknown-field', { field, offset: start }));
      continue;
    }
    try {
      switch (field) {
        case 1: {
          const vt = PROTO.ValueType.decode(view) as unknown as { type: Long | number; unit: Long | number };
          raw.sampleTypes.push({ type: int64(vt.type), unit: int64(vt.unit), offset: start });
          break;
        }
        case 11: {
          const vt = PROTO.ValueType.decode(view) as unknown as { type: Long | number; unit: Long | number };
          raw.periodType = { type: int64(vt.type), unit: int64(vt.unit), offset: start };
          break;
        }
        case 2:
          raw.samples.push({ msg: PROTO.Sample.decode(view) as unknown as Record<string, unknown>, offset: start });
          break;
        case 3:
          raw.mappings.push({ msg: PROTO.Mapping.decode(view) as unknown as Record<string, unknown>, offset: start });
          break;
        case 4:
          raw.locations.push({ msg: PROTO.Location.decode(view) as unknown as Record<string, unknown>, offset: start });
          break;
        case 5:
          raw.functions.push({ msg: PROTO.Function.decode(view) as unknown as Record<string, unknown>, offset: start });
          break;
        case 6:
          raw.strings.push(decoder.decode(view));
          break;
        case 13: {
          // A packed comment list.
          const packed = protobuf.Reader.create(view);
          while (packed.pos < packed.len) raw.comments.push({ index: int64(packed.int64() as unknown as Long), offset: start });
          break;
        }
      }
    } catch (err) {
      cap.report(`bad-${known.name}`, start, () => PPROF_DIAGNOSTICS.emit('bad-message', { field: known.name, offset: start, reason: reasonOf(err) }));
    }
  }
  return null;
}

function stopAt(offset: number, diagnostic: Diagnostic): ReadStop {
  return { offset, diagnostic };
}

function wireName(wire: number): string {
  return wire === 0 ? 'varint (0)' : wire === 2 ? 'length-delimited (2)' : String(wire);
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n', 1)[0]!.slice(0, 120);
}

/** Turns the string indexes and ids of what the walk found into the profile. */
function resolve(raw: Raw, cap: DiagnosticCap): Profile {
  const profile = emptyProfile('proto');
  const strings = raw.strings;
  const str = (index: number, what: string, offset: number): string => {
    if (index >= 0 && index < strings.length) return strings[index]!;
    const shown = `<string ${index} missing>`;
    cap.report('string-out-of-range', offset, () => PPROF_DIAGNOSTICS.emit('string-out-of-range', { what, offset, index, strings: `${strings.length} ${strings.length === 1 ? 'string' : 'strings'}`, shown }));
    return shown;
  };
  const valueType = (vt: { type: number; unit: number; offset: number }, what: string): ValueType => ({ type: str(vt.type, what, vt.offset), unit: str(vt.unit, what, vt.offset) });

  profile.sampleTypes = raw.sampleTypes.map((vt) => valueType(vt, 'a sample type'));
  if (raw.periodType) profile.periodType = valueType(raw.periodType, 'the period type');
  const scalar = (field: number) => raw.scalars.get(field);
  profile.period = scalar(12)?.value ?? 0;
  profile.timeNanos = scalar(9)?.value ?? null;
  profile.durationNanos = scalar(10)?.value ?? null;
  const named = (field: number, what: string) => {
    const s = scalar(field);
    return s && s.value !== 0 ? str(s.value, what, s.offset) : '';
  };
  profile.dropFrames = named(7, 'drop_frames');
  profile.keepFrames = named(8, 'keep_frames');
  profile.docUrl = named(15, 'doc_url');
  const defaultType = named(14, 'default_sample_type');
  profile.defaultSampleType = defaultType || null;
  profile.comments = raw.comments.map((c) => str(c.index, 'a comment', c.offset));

  for (const { msg, offset } of raw.functions) {
    const id = int64(msg['id'] as Long);
    const fn: ProfileFunction = {
      id,
      name: str(int64(msg['name'] as Long), `function ${id}'s name`, offset),
      systemName: str(int64(msg['system_name'] as Long), `function ${id}'s system name`, offset),
      filename: str(int64(msg['filename'] as Long), `function ${id}'s file name`, offset),
      startLine: int64(msg['start_line'] as Long),
    };
    profile.functions.set(id, fn);
  }
  for (const { msg, offset } of raw.mappings) {
    const id = int64(msg['id'] as Long);
    profile.mappings.set(id, {
      id,
      memoryStart: hex64(msg['memory_start'] as Long),
      memoryLimit: hex64(msg['memory_limit'] as Long),
      fileOffset: hex64(msg['file_offset'] as Long),
      filename: str(int64(msg['filename'] as Long), `mapping ${id}'s file name`, offset),
      buildId: str(int64(msg['build_id'] as Long), `mapping ${id}'s build id`, offset),
      hasFunctions: Boolean(msg['has_functions']),
      hasFilenames: Boolean(msg['has_filenames']),
      hasLineNumbers: Boolean(msg['has_line_numbers']),
      hasInlineFrames: Boolean(msg['has_inline_frames']),
    });
  }
  for (const { msg, offset } of raw.locations) {
    const id = int64(msg['id'] as Long);
    const lines = ((msg['line'] as Record<string, unknown>[] | undefined) ?? []).map((l) => ({
      functionId: int64(l['function_id'] as Long),
      line: int64(l['line'] as Long),
      column: int64(l['column'] as Long),
    }));
    for (const line of lines) {
      if (profile.functions.has(line.functionId)) continue;
      const shown = `<function ${line.functionId} missing>`;
      cap.report('dangling-function', offset, () => PPROF_DIAGNOSTICS.emit('dangling-function', { id, offset, functionId: line.functionId, shown }));
      profile.functions.set(line.functionId, { id: line.functionId, name: shown, systemName: shown, filename: '', startLine: 0 });
    }
    const location: ProfileLocation = { id, mappingId: int64(msg['mapping_id'] as Long), address: hex64(msg['address'] as Long), lines, isFolded: Boolean(msg['is_folded']) };
    profile.locations.set(id, location);
  }
  const types = profile.sampleTypes.length;
  for (const { msg, offset } of raw.samples) {
    const locationIds = ((msg['location_id'] as (Long | number)[] | undefined) ?? []).map(int64);
    for (const id of locationIds) {
      if (profile.locations.has(id)) continue;
      const shown = `<location ${id} missing>`;
      cap.report('dangling-location', offset, () => PPROF_DIAGNOSTICS.emit('dangling-location', { offset, id, shown }));
      // A stand-in location with a stand-in function, so the sample's value still counts.
      const functionId = -id;
      profile.functions.set(functionId, { id: functionId, name: shown, systemName: shown, filename: '', startLine: 0 });
      profile.locations.set(id, { id, mappingId: 0, address: '', lines: [{ functionId, line: 0, column: 0 }], isFolded: false });
    }
    const given = ((msg['value'] as (Long | number)[] | undefined) ?? []).map(int64);
    if (given.length !== types) cap.report('value-count', offset, () => PPROF_DIAGNOSTICS.emit('value-count', { offset, found: given.length, expected: types }));
    const values = Array.from({ length: types }, (_, i) => given[i] ?? 0);
    for (const v of values) {
      if (Math.abs(v) > MAX_SAFE) cap.report('large-value', offset, () => PPROF_DIAGNOSTICS.emit('large-value', { what: 'a sample value', offset, value: String(v) }));
    }
    const labels: SampleLabel[] = ((msg['label'] as Record<string, unknown>[] | undefined) ?? []).map((l) => {
      const label: SampleLabel = { key: str(int64(l['key'] as Long), 'a label key', offset) };
      const s = int64(l['str'] as Long);
      if (s !== 0) label.str = str(s, 'a label value', offset);
      else {
        label.num = int64(l['num'] as Long);
        const unit = int64(l['num_unit'] as Long);
        if (unit !== 0) label.numUnit = str(unit, 'a label unit', offset);
      }
      return label;
    });
    profile.samples.push({ locationIds, values, labels });
  }
  return profile;
}
