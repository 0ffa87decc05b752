import { useState } from 'react';
import type { MergedPathNode } from '../../../core/domain/heap/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { formatBytes, formatCount } from '../../format';
import { useQuery } from '../../hooks/use-query';
import type { HeapTabProps } from './HeapView';
import { openByKey } from './tree-keys';
import { ObjectName } from './ObjectName';

/** Rows asked for per level; "Show more" asks for the next (the API gives at most 500 a page). */
const PAGE = 25;

/**
 * Eclipse MAT's "Merge Shortest Paths to GC Roots" for a class: from the GC roots down, the objects
 * on the shortest paths to its instances, each with how many instances its paths lead to; opened a
 * level at a time.
 */
export function MergedPaths(props: HeapTabProps & { classId: string }) {
  return (
    <ul role="tree" aria-label="Merged shortest paths from GC roots" className="dominator-tree merged-paths">
      <MergedLevel {...props} parent={null} depth={1} />
    </ul>
  );
}

function MergedLevel(props: HeapTabProps & { classId: string; parent: string | null; depth: number }) {
  const { caseId, sourceId, model, classId, parent, depth } = props;
  const { api } = useApp();
  const [limit, setLimit] = useState(PAGE);
  const key = JSON.stringify([caseId, sourceId, model, classId, parent, limit]);
  const { data, error } = useQuery(key, () => api.call('heap.mergedPaths', { caseId, sourceId, model, classId, parent, offset: 0, limit }));
  const pad = (depth - 1) * 18 + 22;
  if (error) return <li role="none" style={{ paddingLeft: pad }}><ErrorLine error={error} /></li>;
  if (!data) return <li role="none" className="muted tree-note" style={{ paddingLeft: pad }}>{parent === null ? "Reading the dump's object graph (the first time only)…" : 'Loading…'}</li>;
  return (
    <>
      {parent === null && (
        <li role="none" className="muted small tree-note">
          {`${formatCount(data.reachedInstances)} of ${formatCount(data.instances)} instances of ${data.class} are reached from a GC root; their shortest paths, merged:`}
        </li>
      )}
      {data.rows.map((node) => (
        <MergedItem key={node.objectId} {...props} node={node} />
      ))}
      {data.rows.length < data.total && (
        <li role="none" style={{ paddingLeft: pad }}>
          <button type="button" onClick={() => setLimit(Math.min(500, limit + PAGE * 4))} disabled={limit >= 500}>
            {limit >= 500 ? `${formatCount(data.total - data.rows.length)} more not shown (500 per level)` : `Show more: ${formatCount(data.total - data.rows.length)} not shown`}
          </button>
        </li>
      )}
    </>
  );
}

function MergedItem(props: HeapTabProps & { classId: string; node: MergedPathNode; depth: number }) {
  const { node, depth } = props;
  const [open, setOpen] = useState(false);
  const leaf = node.childCount === 0;
  return (
    <li role="treeitem" aria-level={depth} aria-expanded={leaf ? undefined : open} className="tree-item" tabIndex={0} onKeyDown={(e) => openByKey(e, leaf, open, setOpen)}>
      <div className="tree-line" style={{ paddingLeft: (depth - 1) * 18 }} onClick={() => !leaf && setOpen(!open)}>
        <span className="tree-toggle" aria-hidden="true">
          {leaf ? '·' : open ? '▾' : '▸'}
        </span>
        {node.field && <span className="path-field mono">{node.field}</span>}
        <ObjectName object={node} />
        {node.root && <span className="badge badge-neutral" title={node.root.kinds.join(', ')}>{node.root.label}</span>}
        <span className="tree-size num" title={`${formatCount(node.instancesShallowBytes)} bytes of instances`}>
          {`${formatCount(node.instances)} ${node.instances === 1 ? 'instance' : 'instances'}`}
        </span>
        <span className="tree-shallow num muted">{`retains ${formatBytes(node.retainedBytes)}`}</span>
      </div>
      {open && (
        <ul role="group" className="tree-group">
          <MergedLevel {...props} parent={node.objectId} depth={depth + 1} />
        </ul>
      )}
    </li>
  );
}
