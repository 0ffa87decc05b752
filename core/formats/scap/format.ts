// Syscall captures: sysdig / falco / `kubectl capture` savefiles (.scap).

import { sniffScap } from './parser/sniff';
import { SCAP_DIAGNOSTICS } from './parser/diagnostics';
import type { EvidenceFormat } from '../format';
import { SCAP_INGEST_DIAGNOSTICS } from './diagnostics';
import { ingestScap } from './ingest';
import { SCAP_TABLES } from './schema/tables';

export const scapFormat: EvidenceFormat = {
  id: 'scap',
  label: 'Syscall capture',
  names: ['scap'],
  extensions: ['scap'],
  noun: { kind: 'capture', names: ['scap'] },
  sniff: sniffScap,
  ingest: ingestScap,
  tables: SCAP_TABLES,
  diagnostics: [
    { file: 'core/formats/scap/parser/diagnostics.ts', catalogue: SCAP_DIAGNOSTICS },
    { file: 'core/formats/scap/diagnostics.ts', catalogue: SCAP_INGEST_DIAGNOSTICS },
  ],
  capabilities: ['syscalls'],
  filterTargets: ['events', 'streams'],
};
