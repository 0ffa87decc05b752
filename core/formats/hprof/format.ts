// Java heap dumps (HPROF), from jmap, jcmd GC.heap_dump and -XX:+HeapDumpOnOutOfMemoryError.

import { sniffHprof } from './parser/sniff';
import { HPROF_DIAGNOSTICS } from './parser/diagnostics';
import type { EvidenceFormat } from '../format';
import { HEAP_DIAGNOSTICS } from './diagnostics';
import { ingestHprof } from './ingest';
import { HPROF_TABLES } from './schema/tables';

export const hprofFormat: EvidenceFormat = {
  id: 'hprof',
  label: 'Java heap dump',
  names: ['hprof'],
  extensions: ['hprof'],
  noun: { kind: 'heap dump', names: ['HPROF'] },
  sniff: sniffHprof,
  ingest: ingestHprof,
  tables: HPROF_TABLES,
  diagnostics: [
    { file: 'core/formats/hprof/parser/diagnostics.ts', catalogue: HPROF_DIAGNOSTICS },
    { file: 'core/formats/hprof/diagnostics.ts', catalogue: HEAP_DIAGNOSTICS },
  ],
  capabilities: ['heap'],
  filterTargets: [],
};
