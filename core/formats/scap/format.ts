// Syscall captures: sysdig / falco / `kubectl capture` savefiles (.scap).

import { sniffScap } from '../../../parsers/scap/sniff';
import type { EvidenceFormat } from '../format';
import { ingestScap } from './ingest';
import { SCAP_TABLES } from './schema/tables';

export const scapFormat: EvidenceFormat = {
  id: 'scap',
  label: 'Syscall capture',
  names: ['scap'],
  noun: { kind: 'capture', names: ['scap'] },
  sniff: sniffScap,
  ingest: ingestScap,
  tables: SCAP_TABLES,
  capabilities: ['syscalls'],
  filterTargets: ['events', 'streams'],
};
