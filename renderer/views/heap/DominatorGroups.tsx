import { useState } from 'react';
import type { DominatorClassGroup } from '../../../core/domain/heap/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { formatBytes, formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { openByKey } from './tree-keys';

const PAGE = 50;

/**
 * The dominator tree grouped by class (Eclipse MAT's "Group by class"): at each level the objects
 * grouped by their class; a group opens to what its objects immediately dominate, grouped again.
 */
export function DominatorGroups(props: HeapTabProps) {
  return (
    <ul role="tree" aria-label="Dominator tree grouped by class" className="dominator-tree">
      <GroupLevel {...props} classPath={[]} />
    </ul>
  );
}

function GroupLevel(props: HeapTabProps & { classPath: string[] }) {
  const { caseId, sourceId, model, classPath } = props;
  const { api } = useApp();
  const [limit, setLimit] = useState(PAGE);
  const key = JSON.stringify([caseId, sourceId, model, classPath, limit]);
  const { data, error } = useQuery(key, () => api.call('heap.dominatorsByClass', { caseId, sourceId, model, classPath, offset: 0, limit }));
  const pad = classPath.length * 18 + 22;
  if (error) return <li role="none" style={{ paddingLeft: pad }}><ErrorLine error={error} /></li>;
  if (!data) return <li role="none" className="muted tree-note" style={{ paddingLeft: pad }}>{classPath.length === 0 ? "Reading the dump's object graph (the first time only)…" : 'Loading…'}</li>;
  return (
    <>
      {data.rows.map((g) => (
        <GroupItem key={g.classId + g.class} {...props} group={g} />
      ))}
      {data.rows.length < data.total && (
        <li role="none" style={{ paddingLeft: pad }}>
          <button type="button" onClick={() => setLimit(Math.min(500, limit + PAGE))} disabled={limit >= 500}>
            {limit >= 500 ? `${formatCount(data.total - data.rows.length)} more classes not shown (500 per level)` : `Show ${Math.min(PAGE, data.total - data.rows.length)} more of ${formatCount(data.total - data.rows.length)}`}
          </button>
        </li>
      )}
    </>
  );
}

function GroupItem(props: HeapTabProps & { classPath: string[]; group: DominatorClassGroup }) {
  const { group: g, classPath } = props;
  const [open, setOpen] = useState(false);
  const leaf = g.withChildren === 0 || g.classId === '';
  const depth = classPath.length + 1;
  return (
    <li role="treeitem" aria-level={depth} aria-expanded={leaf ? undefined : open} className="tree-item" tabIndex={0} onKeyDown={(e) => openByKey(e, leaf, open, setOpen)}>
      <div className="tree-line" style={{ paddingLeft: classPath.length * 18 }} onClick={() => !leaf && setOpen(!open)}>
        <span className="tree-toggle" aria-hidden="true">
          {leaf ? '·' : open ? '▾' : '▸'}
        </span>
        <span className="object-class">{g.class}</span>
        <span className="muted small">{`${formatCount(g.objects)} ${g.objects === 1 ? 'object' : 'objects'}`}</span>
        <span className="tree-size num" title={`${formatCount(g.retainedBytes)} bytes retained`}>
          {formatBytes(g.retainedBytes)}
        </span>
        <span className="tree-shallow num muted">{`shallow ${formatBytes(g.shallowBytes)}`}</span>
      </div>
      {open && (
        <ul role="group" className="tree-group">
          <GroupLevel {...props} classPath={[...classPath, g.classId]} />
        </ul>
      )}
    </li>
  );
}
