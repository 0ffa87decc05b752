// The diagnostics of the heap builder and the graph resolution: what the object graph leaves out
// because the dump does not hold it or capscope's memory bound is reached, and a dump with no heap
// in it at all. The reader's own are in core/formats/hprof/parser/diagnostics.ts.

import { defineDiagnostics } from '../../../common/diagnostics';

export const HEAP_DIAGNOSTICS = defineDiagnostics('hprof', {
  'no-heap-dump': {
    severity: 'error',
    group: 'truncated',
    template:
      'the dump ends at offset {offset} after {records} {records:record|records} and holds no heap dump (no HEAP DUMP or HEAP DUMP SEGMENT record): it was cut short before its heap, or it is a profile without one; there is no heap to analyse',
  },
  'class-dumped-twice': {
    severity: 'warning',
    group: 'malformed',
    template: 'class {classId} is dumped a second time at offset {offset}: the first dump is kept',
  },
  'pending-budget-used': {
    severity: 'warning',
    group: 'limit',
    template: 'instance at offset {offset} comes before its class is dumped and the {budgetMiB} MiB kept for such instances is used up: its references are not followed',
  },
  'pending-dropped': {
    severity: 'warning',
    group: 'limit',
    template: '{count} instances came before their class beyond the {budgetMiB} MiB budget: their references are not followed',
  },
  'instance-size-mismatch': {
    severity: 'warning',
    group: 'malformed',
    template: "instance {id} of {className}{at}: expected {expected} bytes of field values (its class's fields), found {length}; only the fields that fit are read",
  },
  'missing-super-class': {
    severity: 'warning',
    group: 'malformed',
    template: 'instances of {className}: a class up its hierarchy is missing from the dump, so only the fields of the classes that are present are read',
  },
  'class-not-dumped': {
    severity: 'warning',
    group: 'malformed',
    template: 'instance {id} is of class {classId}{className}, which has no CLASS DUMP: its fields cannot be read, its references are not followed',
  },
  'duplicate-ids': {
    severity: 'warning',
    group: 'malformed',
    template: '{count} objects reuse an identifier already taken by an earlier object (first: {first}); references go to the first one',
  },
  'dangling-references': {
    severity: 'warning',
    group: 'malformed',
    template: '{count} references point to objects that are not in the dump (such as {examples}): they are left out of the object graph',
  },
  'missing-roots': {
    severity: 'warning',
    group: 'malformed',
    template: '{count} GC roots name objects that are not in the dump (first: {kind} root {id}): they are ignored',
  },
});
