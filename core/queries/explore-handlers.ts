// The exploring views' methods (core/api/explore.ts), read from a case's index. Each method's
// queries live in core/queries/explore/.

import { ApiError } from '../api';
import type { ExploreMethods, FilterTargetName } from '../api/explore';
import { compileFilter, FilterError } from '../filter/index';
import type { CaseAccess, HandlersOf } from './case-access';
import { prepareErrorGroups } from './explore/error-groups';
import { TIMED_FAMILIES } from '../analysis/rollup/metric-families';
import { prepareRollup } from './explore/rollup';
import { caseShape } from './explore/shape';
import { tablePage } from './explore/table-page';
import { prepareHeldConnections } from './explore/tables/connection-list';
import { prepareHeldFiles } from './explore/tables/file-groups';
import { warmUp } from './explore/warm-up';
import { overviewTiles, timelineSeries } from './explore/tiles';

const FILTER_TARGETS: readonly FilterTargetName[] = ['events', 'streams', 'http'];

export function createExploreHandlers(access: CaseAccess): HandlersOf<ExploreMethods> {
  const db = (caseId: unknown) => access.db(String(caseId));
  return {
    'explore.shape': async (req) => {
      const handle = db(req?.caseId);
      const shape = caseShape(handle);
      warmUp(handle);
      return shape;
    },
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
    'table.page': async (req) => {
      const handle = db(req?.caseId);
      if (req?.table === 'errors') await prepareErrorGroups(handle);
      // A load the warm-up started (or this request starts) is awaited, not run a second time.
      if (req?.table === 'connections' && !req.scope?.filter) await prepareHeldConnections(handle);
      if (req?.table === 'directories' && !req.scope?.filter) await prepareHeldFiles(handle);
      return tablePage(handle, req);
    },
    'filter.check': async (req) => {
      if (typeof req?.expr !== 'string') throw new ApiError('bad-request', 'filter.check needs expr (a string)');
      if (!FILTER_TARGETS.includes(req.target)) throw new ApiError('bad-request', `filter.check: target must be one of ${FILTER_TARGETS.join(', ')}`);
      try {
        compileFilter(req.expr, req.target);
        return { ok: true };
      } catch (error) {
        if (error instanceof FilterError) return { ok: false, message: error.message, column: error.column };
        throw error;
      }
    },
  };
}
