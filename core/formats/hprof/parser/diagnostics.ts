// The diagnostics the HPROF reader emits: a header it cannot read stops it, a record it cannot
// read is skipped where its length allows, a dump cut short ends the reading with everything
// before it kept (the fault that ends the reading is handed back as the result's `stop`). The heap builder (core/formats/hprof) adds its own and shares 'more-not-listed'.

import { defineDiagnostics } from '../../../../common/diagnostics';

export const HPROF_DIAGNOSTICS = defineDiagnostics('hprof', {
  'no-header': {
    severity: 'error',
    group: 'malformed',
    template: 'expected an HPROF header (a NUL-terminated "JAVA PROFILE 1.0.x" version string), found no NUL in the first 64 bytes',
  },
  'unknown-version': {
    severity: 'error',
    group: 'unsupported',
    template: "expected an HPROF version string ({versions}), found '{found}'",
  },
  'header-truncated': {
    severity: 'error',
    group: 'truncated',
    template: 'the dump ends inside its header: expected {expected} bytes, found {found}',
  },
  'bad-id-size': {
    severity: 'error',
    group: 'malformed',
    template: 'expected an identifier size of 4 or 8 bytes, found {idSize}',
  },
  'bad-timestamp': {
    severity: 'warning',
    group: 'malformed',
    template: "the header's timestamp at offset {offset} is {value}, which is no date (expected milliseconds since 1970, before the year 10000): the time the dump was taken is unknown; the dump is read as usual",
  },
  'large-identifier': {
    severity: 'warning',
    group: 'unsupported',
    template: 'identifier {id} is above 2^53: identifiers this large may be confused with each other',
  },
  'record-header-truncated': {
    severity: 'error',
    group: 'truncated',
    template: 'the dump ends inside a record header at offset {offset}: expected 9 bytes (tag, time, length), found {found} (the dump was cut short)',
  },
  'record-truncated': {
    severity: 'error',
    group: 'truncated',
    template:
      'the dump ends inside {what} that starts at offset {start}: expected the record to go on to offset {expectedEnd}, found the end of the data at offset {end} (the dump was cut short, as a full disk leaves it); everything before it is kept',
  },
  'heap-dump-end-missing': {
    severity: 'error',
    group: 'truncated',
    template:
      'the dump ends at offset {offset} after a HEAP_DUMP_SEGMENT record, without the HEAP_DUMP_END record that closes a segmented heap dump: it was cut short (at a record boundary); everything before it is kept',
  },
  'unknown-record-tag': {
    severity: 'warning',
    group: 'unsupported',
    template: 'unknown record tag {tag} at offset {offset} ({length} bytes): skipped',
  },
  'record-too-large': {
    severity: 'warning',
    group: 'malformed',
    template: '{record} record at offset {offset} claims {length} bytes, more than any such record holds: skipped',
  },
  'short-record': {
    severity: 'warning',
    group: 'malformed',
    template: '{record} record at offset {offset}: expected at least {expected} bytes, found {length}: skipped',
  },
  'bad-array-type': {
    severity: 'error',
    group: 'malformed',
    template: 'primitive array at offset {offset}: expected an element type (4 boolean … 11 long), found {type}; the rest of {what} ({bytes} bytes) is skipped',
  },
  'bad-field-type': {
    severity: 'error',
    group: 'malformed',
    template: 'class dump at offset {offset}: a field has a type that is not a basic type (2 object, 4 boolean … 11 long); the rest of {what} ({bytes} bytes) is skipped',
  },
  'unknown-sub-record': {
    severity: 'error',
    group: 'unsupported',
    template:
      "unknown heap dump sub-record tag {tag} at offset {offset}: expected a GC root (0x01–0x08, 0xff, Android 0x89–0x8e), a class, instance or array dump (0x20–0x23) or Android's 0xfe, 0x90, 0xc3; its length cannot be known, so the rest of {what} ({bytes} bytes) is skipped",
  },
  'sub-record-overrun': {
    severity: 'error',
    group: 'malformed',
    template: 'heap dump sub-record {tag} at offset {offset} runs past the end of {what} (offset {end}): the rest of the record ({bytes} bytes) is skipped',
  },
  // The first few of a kind are listed, the rest counted in one line (kind: what the first said).
  'more-not-listed': {
    severity: 'warning',
    group: 'limit',
    template: '{count} more of: {kind}',
  },
});
