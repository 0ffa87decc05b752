// Go profiles: pprof's profile.proto (heap, allocs, CPU, goroutine, block, mutex, threadcreate;
// gzip'd or raw), the debug=1 text forms, debug=2 goroutine dumps, and the /debug/pprof/all
// bundles that hold them (through the source layer's tar and gzip walk). A Go execution trace in
// a bundle is recognised and named.

import type { EvidenceFormat } from '../format';
import { PPROF_INGEST_DIAGNOSTICS } from './diagnostics';
import { ingestPprof } from './ingest';
import { PPROF_DIAGNOSTICS } from './parser/diagnostics';
import { GO_TRACE_FORMAT, GOROUTINE_DUMP_FORMAT, PPROF_FORMAT, PPROF_TEXT_FORMAT, sniffPprof } from './parser/sniff';
import { PPROF_TABLES } from './schema/tables';

export const pprofFormat: EvidenceFormat = {
  id: 'pprof',
  label: 'Go profile',
  names: [PPROF_FORMAT, PPROF_TEXT_FORMAT, GOROUTINE_DUMP_FORMAT, GO_TRACE_FORMAT],
  extensions: ['pb.gz', 'pprof', 'prof', 'pb', 'txt'],
  noun: { kind: 'Go profile', names: ['pprof', 'goroutine dump'] },
  sniff: sniffPprof,
  ingest: ingestPprof,
  tables: PPROF_TABLES,
  diagnostics: [
    { file: 'core/formats/pprof/parser/diagnostics.ts', catalogue: PPROF_DIAGNOSTICS },
    { file: 'core/formats/pprof/diagnostics.ts', catalogue: PPROF_INGEST_DIAGNOSTICS },
  ],
  capabilities: ['profile'],
  filterTargets: [],
};
