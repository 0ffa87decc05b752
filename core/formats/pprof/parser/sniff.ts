// Is this a Go profile? By content, as every format is sniffed:
//   - profile.proto (raw; gzip is unwrapped by the source layer first) has no magic number, so its
//     first bytes are walked as Profile fields: every field number and wire type must be one
//     profile.proto gives a Profile field, every nested message read in full must be made of its
//     own fields, and field 0 (NUL bytes, a tar header's padding) is never one. Text, tar headers
//     and the other formats fail this within a few bytes;
//   - the debug=1 text forms, by their first line ("goroutine profile: total 505");
//   - a debug=2 goroutine dump, by a "goroutine 1 [running]:" line first (or after a panic's message);
//   - a Go execution trace, by its "go 1.19 trace" header (recognised and named, not read).

import type { FormatSniffer } from '../../../../parsers/source/format-sniffer';
import { isGoroutineHeader } from './goroutine-dump';
import { legacyTextKind } from './legacy-text';
import { NESTED_FIELDS, PROFILE_FIELDS } from './profile-proto';

export const PPROF_FORMAT = 'pprof';
export const PPROF_TEXT_FORMAT = 'pprof-text';
export const GOROUTINE_DUMP_FORMAT = 'goroutine-dump';
export const GO_TRACE_FORMAT = 'go-trace';

const TRACE_HEADER = /^go 1\.(\d+) trace\0\0\0/;

export const sniffPprof: FormatSniffer = (prefix, complete) => {
  if (prefix.length === 0) return null;
  const head = new TextDecoder('latin1').decode(prefix.subarray(0, Math.min(prefix.length, 4096)));
  const trace = TRACE_HEADER.exec(head);
  if (trace) return { kind: 'evidence', format: GO_TRACE_FORMAT, detail: `Go execution trace (go 1.${trace[1]})` };
  const newline = head.indexOf('\n');
  const firstLine = (newline < 0 ? head : head.slice(0, newline)).replace(/\r$/, '');
  if (newline >= 0 || complete) {
    const kind = legacyTextKind(firstLine);
    if (kind) return { kind: 'evidence', format: PPROF_TEXT_FORMAT, detail: `Go ${kind} profile, debug=1 text` };
    if (isGoroutineHeader(firstLine)) return { kind: 'evidence', format: GOROUTINE_DUMP_FORMAT, detail: 'Go goroutine dump (debug=2)' };
    if (/^(panic|fatal error): /.test(firstLine) && head.split('\n').some((l) => isGoroutineHeader(l))) {
      return { kind: 'evidence', format: GOROUTINE_DUMP_FORMAT, detail: 'Go goroutine dump (debug=2) after a panic' };
    }
  }
  // Three whole fields (or a whole short stream) before a stream is taken for a profile: random
  // bytes pass one field's test often enough, three in a row rarely.
  const fields = walkFields(prefix, PROFILE_FIELDS_WIRE, true);
  if (fields === null) return null;
  if (fields < 3 && !(complete && fields >= 1)) return null;
  return { kind: 'evidence', format: PPROF_FORMAT, detail: 'Go profile (profile.proto)' };
};

const PROFILE_FIELDS_WIRE: ReadonlyMap<number, readonly number[]> = new Map([...PROFILE_FIELDS].map(([n, f]) => [n, f.wire]));

/**
 * Walks protobuf fields while they lie in `bytes`: the number of fields read whole, or null as soon
 * as one is not a field `allowed` has (with that wire type). A field cut by the end of the prefix
 * ends the walk without judging it. At the top level, nested messages read whole are checked too.
 */
function walkFields(bytes: Uint8Array, allowed: ReadonlyMap<number, readonly number[]>, topLevel: boolean): number | null {
  let pos = 0;
  let fields = 0;
  while (pos < bytes.length) {
    const tag = varint(bytes, pos);
    if (!tag) return fields;
    const field = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (field === 0 || !allowed.get(field)?.includes(wire)) return null;
    pos = tag.next;
    if (wire === 0) {
      const v = varint(bytes, pos);
      if (!v) return fields;
      pos = v.next;
    } else {
      const length = varint(bytes, pos);
      if (!length) return fields;
      const end = length.next + length.value;
      if (end > bytes.length) return fields;
      const nested = topLevel ? NESTED_FIELDS.get(field) : undefined;
      if (nested && nested !== 'bytes' && walkFields(bytes.subarray(length.next, end), nested, false) === null) return null;
      pos = end;
    }
    fields++;
  }
  return fields;
}

function varint(bytes: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return { value, next: i + 1 };
  }
  return null;
}
