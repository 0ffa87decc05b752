// The overview rollup, stored (tables.ts). Last: the overview counts the exchanges and findings too.
// Computed here, where the capture's span is final, so that the first overview of a big case reads
// it instead of scanning it.

import type { Analysis } from '../analysis';
import { storeRollup } from './store';
import { ROLLUP_TABLES } from './tables';

export const rollupAnalysis: Analysis = {
  name: 'overview rollup',
  reads: ['sources', 'ingests', 'machine', 'events', 'event_exits', 'fds', 'streams', 'chunks', 'http_exchanges', 'findings', 'falco_alerts'],
  writes: ['rollup', 'rollup_series', 'rollup_error_groups'],
  tables: ROLLUP_TABLES,
  diagnostics: [],
  // Nothing to tell the user (its cost is in rollup.compute_ms): no summary.
  run: async (db) => {
    await storeRollup(db);
    return null;
  },
};
