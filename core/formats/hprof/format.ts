// Java heap dumps (HPROF), from jmap, jcmd GC.heap_dump and -XX:+HeapDumpOnOutOfMemoryError.

import { sniffHprof } from '../../../parsers/hprof/sniff';
import type { EvidenceFormat } from '../format';
import { ingestHprof } from './ingest';
import { HPROF_TABLES } from './schema/tables';

export const hprofFormat: EvidenceFormat = {
  id: 'hprof',
  label: 'Java heap dump',
  names: ['hprof'],
  noun: { kind: 'heap dump', names: ['HPROF'] },
  sniff: sniffHprof,
  ingest: ingestHprof,
  tables: HPROF_TABLES,
  capabilities: ['heap'],
  filterTargets: [],
};
