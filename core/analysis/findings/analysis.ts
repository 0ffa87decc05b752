// The findings over the HTTP exchanges (proxy errors, rejected requests, error rates, slow
// requests) and the heap dumps' leak suspects.

import type { Analysis } from '../analysis';
import { FINDINGS_DIAGNOSTICS } from './diagnostics';
import { analyseFindings } from './analyse-findings';
import { FINDINGS_TABLES } from './tables';

export const findingsAnalysis: Analysis = {
  name: 'findings',
  // packets: how a network capture's failed connection ended (RST or FIN).
  // heap_suspects, sources: the leak suspects the heap dumps' ingest found, and the dumps' names.
  reads: ['streams', 'packets', 'http_exchanges', 'http_diagnostics', 'heap_suspects', 'sources'],
  writes: ['findings'],
  tables: FINDINGS_TABLES,
  diagnostics: [{ file: 'core/analysis/findings/diagnostics.ts', catalogue: FINDINGS_DIAGNOSTICS }],
  run: (db) => {
    const n = analyseFindings(db);
    return n > 0 ? FINDINGS_DIAGNOSTICS.emit('summary', { findings: n }) : null;
  },
};
