// Analyses that run over the index once the evidence is read: each reads tables the ingesters (or
// earlier analyses) filled and writes its own. They run in the ingest worker, in this order.

import type Database from 'better-sqlite3';
import type { Diagnostic } from '../../common/diagnostics';
import { analyseFindings } from '../analysis/findings/analyse-findings';
import { FINDINGS_DIAGNOSTICS } from '../analysis/findings/diagnostics';
import { analyseHttp } from '../analysis/http/analyse-http';
import { HTTP_ANALYSIS_DIAGNOSTICS } from '../analysis/http/diagnostics';
import { storeRollup } from '../analysis/rollup/store';

export interface Analysis {
  name: string;
  /** Returns a one-line summary for the diagnostics ("85 HTTP exchanges"), or null. */
  run(db: Database.Database): Diagnostic | null | Promise<Diagnostic | null>;
}

export const ANALYSES: Analysis[] = [
  {
    name: 'http',
    run: (db) => {
      const r = analyseHttp(db);
      return r.exchanges > 0 ? HTTP_ANALYSIS_DIAGNOSTICS.emit('summary', { exchanges: r.exchanges, diagnostics: r.diagnostics }) : null;
    },
  },
  {
    name: 'findings',
    run: (db) => {
      const n = analyseFindings(db);
      return n > 0 ? FINDINGS_DIAGNOSTICS.emit('summary', { findings: n }) : null;
    },
  },
  {
    // Last: the overview counts the exchanges and findings too. Computed here, where the capture's
    // span is final, so that the first overview of a big case reads it instead of scanning it.
    // Nothing to tell the user (its cost is in rollup.compute_ms): no summary.
    name: 'overview rollup',
    run: async (db) => {
      await storeRollup(db);
      return null;
    },
  },
];
