// The tables domain's methods (./contract.ts): a page of a table, and the filter bar's check.

import type Database from 'better-sqlite3';
import { ApiError, type HandlersOf, type ViewScope } from '../../api/wire';
import { compileFilter, FilterError } from '../../filter/language';
import { unfilledFieldNotes } from '../../filter/unfilled';
import { caseCapabilities } from '../case-access/sources-with';
import type { CaseAccess } from '../case-access/case-access';
import { prepareHeldConnections } from './connection-list';
import type { FilterTargetName, TableId, TableMethods } from './contract';
import { prepareErrorGroups } from './error-groups';
import { prepareHeldFiles } from './file-groups';
import { tableExport } from './table-export';
import { tablePage } from './table-page';

const FILTER_TARGETS: readonly FilterTargetName[] = ['events', 'streams', 'http'];

/** The lists some tables are read from, loaded once per state of the index before their first page. */
async function prepareTable(handle: Database.Database, req: { table: TableId; scope?: ViewScope }): Promise<void> {
  if (req?.table === 'errors') await prepareErrorGroups(handle);
  // A load the warm-up started (or this request starts) is awaited, not run a second time.
  if (req?.table === 'connections' && !req.scope?.filter) await prepareHeldConnections(handle);
  if (req?.table === 'directories' && !req.scope?.filter) await prepareHeldFiles(handle);
}

export function createTableHandlers(access: CaseAccess): HandlersOf<TableMethods> {
  const db = (caseId: unknown) => access.db(String(caseId));
  return {
    'table.page': async (req) => {
      const handle = db(req?.caseId);
      await prepareTable(handle, req);
      return tablePage(handle, req);
    },
    'table.export': async (req) => {
      const handle = db(req?.caseId);
      await prepareTable(handle, req);
      return tableExport(handle, req);
    },
    'filter.check': async (req) => {
      if (typeof req?.expr !== 'string') throw new ApiError('bad-request', 'filter.check needs expr (a string)');
      if (!FILTER_TARGETS.includes(req.target)) throw new ApiError('bad-request', `filter.check: target must be one of ${FILTER_TARGETS.join(', ')}`);
      try {
        compileFilter(req.expr, req.target);
        if (req.caseId === undefined) return { ok: true };
        const notes = unfilledFieldNotes(req.expr, req.target, caseCapabilities(db(req.caseId)));
        return notes.length > 0 ? { ok: true, notes } : { ok: true };
      } catch (error) {
        if (error instanceof FilterError) return { ok: false, message: error.message, column: error.column };
        throw error;
      }
    },
  };
}
