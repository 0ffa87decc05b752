// table.page: one page of a table under the scope and the drill context, request checked first.

import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { DrillContext, TableId, TableMethods, TablePage, TableSort } from './contract';
import { clampInt, readRange, scopeFilter } from '../scope/view-scope';
import { TABLES } from './tables-by-id';
import { toColumns } from './table-def';

export const PAGE_MAX = 1000;

function readDrill(drill: unknown): DrillContext {
  if (drill === undefined || drill === null) return {};
  if (typeof drill !== 'object') throw new ApiError('bad-request', 'drill must be an object');
  const d = drill as Record<string, unknown>;
  const out: DrillContext = {};
  const int = (key: 'pid' | 'tid' | 'res') => {
    if (d[key] === undefined || d[key] === null) return;
    if (typeof d[key] !== 'number' || !Number.isInteger(d[key])) throw new ApiError('bad-request', `drill.${key} must be an integer`);
    out[key] = d[key] as number;
  };
  const text = (key: 'containerId' | 'directory' | 'syscall') => {
    if (d[key] === undefined || d[key] === null) return;
    if (typeof d[key] !== 'string') throw new ApiError('bad-request', `drill.${key} must be a string`);
    out[key] = d[key] as string;
  };
  int('pid');
  int('tid');
  int('res');
  text('containerId');
  text('directory');
  text('syscall');
  return out;
}

export function tablePage(db: Database.Database, req: TableMethods['table.page']['req']): TablePage {
  const def = TABLES[req?.table as TableId];
  if (!def || !Object.hasOwn(TABLES, req.table)) throw new ApiError('bad-request', `unknown table '${String(req?.table)}'; tables: ${Object.keys(TABLES).join(', ')}`);
  const sort: TableSort =
    req.sort && typeof req.sort.column === 'string' ? { column: req.sort.column, desc: req.sort.desc === true } : def.defaultSort;
  const out = def.page({
    db,
    range: readRange(req.scope?.range, 'scope.range'),
    filter: scopeFilter(req.scope),
    drill: readDrill(req.drill),
    sort,
    offset: clampInt(req.offset, 0, Number.MAX_SAFE_INTEGER, 0),
    limit: clampInt(req.limit, 1, PAGE_MAX, 100),
    metadata: req.metadata === true,
  });
  const hidden = new Set(out.hidden ?? []);
  const keep = def.columns.map((c) => !hidden.has(c.id));
  return {
    columns: toColumns(def.columns.filter((_, i) => keep[i])),
    rows: hidden.size ? out.rows.map((r) => ({ ...r, cells: r.cells.filter((_, i) => keep[i]) })) : out.rows,
    total: out.total,
    totalExact: out.totalExact,
    sort,
    filterTarget: def.filterTarget,
    metadata: def.hasMetadata ? (req.metadata === true ? 'shown' : 'hidden') : null,
  };
}
