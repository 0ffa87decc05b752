// Containers (and the host) the capture saw: from the container metadata and every thread's
// cgroup. A row drills into the container's processes.

import { memoized } from '../state-cache/memo';
import { cells, orderBy, pageOfList, type ColumnDef, type TableDef } from './table-def';
import { add, someEventInScope, whereSql, where } from './table-where';
import { processActivity } from '../../formats/scap/schema/activity';

const COLUMNS: ColumnDef[] = [
  { id: 'name', label: 'Container', kind: 'text', sort: 'name', field: 'container.name' },
  { id: 'id', label: 'Id', kind: 'mono', sort: 'id', field: 'container.id' },
  { id: 'image', label: 'Image', kind: 'text', sort: 'image', field: 'container.image' },
  { id: 'type', label: 'Runtime', kind: 'text', sort: 'type', field: 'container.type' },
  { id: 'pod', label: 'Pod', kind: 'text', sort: 'pod', title: 'Kubernetes namespace/pod' },
  { id: 'privileged', label: 'Privileged', kind: 'text', sort: 'privileged' },
  { id: 'processes', label: 'Processes', kind: 'count', sort: 'processes' },
  { id: 'threads', label: 'Threads', kind: 'count', sort: 'threads' },
];

export const containersTable: TableDef = {
  id: 'containers',
  label: 'Containers',
  columns: COLUMNS,
  filterTarget: 'events',
  defaultSort: { column: 'processes', desc: true },
  hasMetadata: true,
  page({ db, range, filter, drill, sort, offset, limit, metadata }) {
    const w = where();
    if (drill.containerId !== undefined) add(w, 'k.id = ?', drill.containerId);
    // Unless the capture's metadata is asked for, a container is listed when a process did something
    // in it (as sysdig counts containers: by its events, for a process that moved into a container
    // at its execve is in the host before), and counts the threads that did something.
    someEventInScope(w, 'e.container_id = k.id', range, filter, !metadata);
    const activeAnywhere = `EXISTS (SELECT 1 FROM events e WHERE e.container_id = k.id AND ${processActivity()})`;
    const threads = metadata ? 'threads' : '(SELECT * FROM threads WHERE events > 0)';
    const base = (condition: string) => `
      WITH k AS (SELECT source_id, id FROM containers UNION SELECT source_id, container_id FROM threads),
      t AS (SELECT source_id, container_id, COUNT(*) AS threads, ${metadata ? 'SUM(tid = pid)' : 'COUNT(DISTINCT pid)'} AS processes FROM ${threads} GROUP BY source_id, container_id)
      SELECT k.id AS id, CASE WHEN k.id = 'host' THEN 'host' ELSE COALESCE(c.name, k.id) END AS name, c.image AS image, c.type AS type,
        CASE WHEN c.pod_name IS NULL THEN NULL ELSE COALESCE(c.namespace || '/', '') || c.pod_name END AS pod,
        CASE c.privileged WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END AS privileged,
        COALESCE(t.processes, 0) AS processes, COALESCE(t.threads, 0) AS threads
      FROM k LEFT JOIN containers c ON c.source_id = k.source_id AND c.id = k.id
      LEFT JOIN t ON t.source_id = k.source_id AND t.container_id = k.id
      WHERE ${condition}`;
    const order = orderBy(COLUMNS, sort, 'id');
    // Unnarrowed, the list (a few rows, from a walk of the threads table) is made once per index state.
    const all =
      !range && !filter
        ? memoized(db, `containers:${metadata}:${order}`, () => db.prepare(`${base(metadata ? '1' : activeAnywhere)} ORDER BY ${order}`).all() as Record<string, unknown>[]).filter(
            (r) => drill.containerId === undefined || r.id === drill.containerId,
          )
        : (db.prepare(`${base(whereSql(w))} ORDER BY ${order}`).all(...w.params) as Record<string, unknown>[]);
    return pageOfList(all, offset, limit, (r) => ({
      key: String(r.id),
      cells: cells(r, COLUMNS),
      drill: { kind: 'table', label: `container ${String(r.name)}`, set: { containerId: String(r.id) }, next: 'processes' },
    }));
  },
};
