// pprof's profile.proto (github.com/google/pprof, proto/profile.proto: its message and field
// names and numbers, Apache-2.0), read by protobufjs by reflection from this text, so there is no
// generated code to keep in step. Only the messages inside Profile are decoded by protobufjs; the
// top-level Profile message is walked field by field in decode-proto.ts, which knows the offset of
// every field and so can say where a bad one is and keep everything before it.

import { createRequire } from 'node:module';
import type { Type } from 'protobufjs';

type Protobufjs = typeof import('protobufjs');
let protobufjsModule: Protobufjs | null = null;

/**
 * protobufjs, loaded the first time a profile is decoded: loading it costs ~25 ms on every thread
 * that imports the pprof format (the CLI's, the ingest worker's), and an index of anything but a
 * Go profile never uses it. A synchronous require keeps the decoder synchronous.
 */
export function protobufjs(): Protobufjs {
  return (protobufjsModule ??= createRequire(import.meta.url)('protobufjs') as Protobufjs);
}

const PROFILE_PROTO = `
syntax = "proto3";
package perftools.profiles;

message Profile {
  repeated ValueType sample_type = 1;
  repeated Sample sample = 2;
  repeated Mapping mapping = 3;
  repeated Location location = 4;
  repeated Function function = 5;
  repeated string string_table = 6;
  int64 drop_frames = 7;
  int64 keep_frames = 8;
  int64 time_nanos = 9;
  int64 duration_nanos = 10;
  ValueType period_type = 11;
  int64 period = 12;
  repeated int64 comment = 13;
  int64 default_sample_type = 14;
  int64 doc_url = 15;
}
message ValueType {
  int64 type = 1;
  int64 unit = 2;
}
message Sample {
  repeated uint64 location_id = 1;
  repeated int64 value = 2;
  repeated Label label = 3;
}
message Label {
  int64 key = 1;
  int64 str = 2;
  int64 num = 3;
  int64 num_unit = 4;
}
message Mapping {
  uint64 id = 1;
  uint64 memory_start = 2;
  uint64 memory_limit = 3;
  uint64 file_offset = 4;
  int64 filename = 5;
  int64 build_id = 6;
  bool has_functions = 7;
  bool has_filenames = 8;
  bool has_line_numbers = 9;
  bool has_inline_frames = 10;
}
message Location {
  uint64 id = 1;
  uint64 mapping_id = 2;
  uint64 address = 3;
  repeated Line line = 4;
  bool is_folded = 5;
}
message Line {
  uint64 function_id = 1;
  int64 line = 2;
  int64 column = 3;
}
message Function {
  uint64 id = 1;
  int64 name = 2;
  int64 system_name = 3;
  int64 filename = 4;
  int64 start_line = 5;
}
`;

export interface ProfileProto {
  ValueType: Type;
  Sample: Type;
  Mapping: Type;
  Location: Type;
  Function: Type;
  /** The whole Profile message: for writing profiles (test fixtures, benchmarks), never for reading them. */
  Profile: Type;
}

let proto: ProfileProto | null = null;

/** The messages of profile.proto, made from its text on first use (with protobufjs, loaded then). */
export function profileProto(): ProfileProto {
  if (proto) return proto;
  const root = protobufjs().parse(PROFILE_PROTO, { keepCase: true }).root;
  const type = (name: string) => root.lookupType(`perftools.profiles.${name}`);
  proto = { ValueType: type('ValueType'), Sample: type('Sample'), Mapping: type('Mapping'), Location: type('Location'), Function: type('Function'), Profile: type('Profile') };
  return proto;
}

/** Profile's fields by number: its name, and the wire type it is written with (0 varint, 2 length-delimited). */
export const PROFILE_FIELDS: ReadonlyMap<number, { name: string; wire: readonly number[] }> = new Map([
  [1, { name: 'sample_type', wire: [2] }],
  [2, { name: 'sample', wire: [2] }],
  [3, { name: 'mapping', wire: [2] }],
  [4, { name: 'location', wire: [2] }],
  [5, { name: 'function', wire: [2] }],
  [6, { name: 'string_table', wire: [2] }],
  [7, { name: 'drop_frames', wire: [0] }],
  [8, { name: 'keep_frames', wire: [0] }],
  [9, { name: 'time_nanos', wire: [0] }],
  [10, { name: 'duration_nanos', wire: [0] }],
  [11, { name: 'period_type', wire: [2] }],
  [12, { name: 'period', wire: [0] }],
  [13, { name: 'comment', wire: [0, 2] }],
  [14, { name: 'default_sample_type', wire: [0] }],
  [15, { name: 'doc_url', wire: [0] }],
]);

/** The wire types each nested message's fields may have, for the sniffer's structural check. */
export const NESTED_FIELDS: ReadonlyMap<number, ReadonlyMap<number, readonly number[]> | 'bytes'> = new Map<number, ReadonlyMap<number, readonly number[]> | 'bytes'>([
  [1, new Map([[1, [0]], [2, [0]]])],
  [2, new Map([[1, [0, 2]], [2, [0, 2]], [3, [2]]])],
  [3, new Map([[1, [0]], [2, [0]], [3, [0]], [4, [0]], [5, [0]], [6, [0]], [7, [0]], [8, [0]], [9, [0]], [10, [0]]])],
  [4, new Map([[1, [0]], [2, [0]], [3, [0]], [4, [2]], [5, [0]]])],
  [5, new Map([[1, [0]], [2, [0]], [3, [0]], [4, [0]], [5, [0]]])],
  [6, 'bytes'],
  [11, new Map([[1, [0]], [2, [0]]])],
]);
