// The diagnostics of the Go profile readers (profile.proto, the debug=1 text forms, debug=2
// goroutine dumps). A fault that makes the rest unreadable (a field cut short, a length past the
// end) stops the reading with everything before it kept and is handed back as the result's `stop`;
// a bad reference (a location id no location has, a string index past the table) is a warning and
// the frame is shown under a name that says what is missing.

import { defineDiagnostics } from '../../../../common/diagnostics';

export const PPROF_DIAGNOSTICS = defineDiagnostics('pprof', {
  'field-overrun': {
    severity: 'error',
    group: 'truncated',
    template:
      'field {field} at offset {offset} declares {declared} bytes, but only {left} remain: expected the field to end by offset {end} (the profile was cut short, or the length is corrupt); everything before it is kept',
  },
  'varint-truncated': {
    severity: 'error',
    group: 'truncated',
    template: 'the profile ends inside {what} at offset {offset}: expected a complete varint (the profile was cut short); everything before it is kept',
  },
  'bad-wire-type': {
    severity: 'error',
    group: 'malformed',
    template: 'field {field} at offset {offset} has wire type {wire}, expected {expected}: it cannot be skipped safely, so the rest of the profile ({bytes} bytes) is not read',
  },
  'unknown-field': {
    severity: 'info',
    group: 'unsupported',
    template: 'field number {field} at offset {offset} is not in profile.proto: skipped',
  },
  'bad-message': {
    severity: 'warning',
    group: 'malformed',
    template: '{field} at offset {offset} cannot be decoded ({reason}): skipped',
  },
  'string-out-of-range': {
    severity: 'warning',
    group: 'malformed',
    template: '{what} at offset {offset} names string {index}, but the string table holds {strings}: shown as "{shown}"',
  },
  'dangling-location': {
    severity: 'warning',
    group: 'malformed',
    template: 'a sample at offset {offset} names location {id}, which the profile does not hold: the frame is shown as "{shown}"',
  },
  'dangling-function': {
    severity: 'warning',
    group: 'malformed',
    template: 'location {id} at offset {offset} names function {functionId}, which the profile does not hold: the frame is shown as "{shown}"',
  },
  'value-count': {
    severity: 'warning',
    group: 'malformed',
    template: 'a sample at offset {offset} holds {found} {found:value|values}, expected {expected} (one per sample type): missing values count as 0, extra ones are ignored',
  },
  'large-value': {
    severity: 'warning',
    group: 'unsupported',
    template: '{what} at offset {offset} is {value}, beyond 2^53: sums that include it are not exact',
  },
  'no-sample-types': {
    severity: 'warning',
    group: 'malformed',
    template: 'the profile declares no sample types: it holds {samples} {samples:sample|samples} and nothing to show for them',
  },
  'too-large': {
    severity: 'error',
    group: 'limit',
    template: 'the profile is larger than the {limitMiB} MiB capscope reads into memory: the bytes after offset {offset} are not read',
  },
  'text-bad-line': {
    severity: 'warning',
    group: 'malformed',
    template: 'line {line} at offset {offset}: expected {expected}, found "{found}": skipped',
  },
  'text-total-mismatch': {
    severity: 'warning',
    group: 'malformed',
    template: 'the header at offset 0 says {declared} {what} in all, the groups below it add up to {found} (the dump was cut short or edited)',
  },
  'dump-truncated': {
    severity: 'error',
    group: 'truncated',
    template: 'the goroutine dump ends inside goroutine {id} (header at offset {offset}): expected its frames, each a function line and a file:line line, found the end of the data; everything before it is kept',
  },
  'more-not-listed': {
    severity: 'warning',
    group: 'limit',
    template: '{count} more of: {kind}',
  },
});
