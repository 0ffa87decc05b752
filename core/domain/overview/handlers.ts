// The overview domain's methods (./contract.ts): tiles and timeline series, read from the case's
// rollup (computed in slices first while the ingest has not stored one).

import type { HandlersOf } from '../../api/wire';
import { TIMED_FAMILIES } from '../../analysis/rollup/metric-families';
import type { CaseAccess } from '../case-access/case-access';
import { prepareRollup } from '../state-cache/rollup';
import type { OverviewMethods } from './contract';
import { overviewTiles, timelineSeries } from './tiles';

export function createOverviewHandlers(access: CaseAccess): HandlersOf<OverviewMethods> {
  const db = (caseId: unknown) => access.db(String(caseId));
  return {
    'overview.tiles': async (req) => {
      const handle = db(req?.caseId);
      await prepareRollup(handle, TIMED_FAMILIES);
      return overviewTiles(handle, req.scope ?? {}, req.buckets);
    },
    'timeline.series': async (req) => {
      const handle = db(req?.caseId);
      await prepareRollup(handle, TIMED_FAMILIES);
      return timelineSeries(handle, req.scope ?? {}, req.metrics, req.window, req.buckets);
    },
  };
}
