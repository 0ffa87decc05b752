import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiError } from '../../../core/api';
import type { DominatorNode } from '../../../core/domain/heap/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { formatBytes, formatCount } from '../../format';
import { toApiError } from '../../transport/errors';
import type { HeapTabProps } from './HeapView';
import { ObjectName } from './ObjectName';
import { BookmarkButton } from '../../components/BookmarkButton';
import { PathToRoot } from './PathToRoot';
import { DominatorGroups } from './DominatorGroups';

const PAGE = 50;
const ROOT = '';

interface Children {
  rows: DominatorNode[];
  total: number;
  loading: boolean;
}

interface Line {
  node: DominatorNode;
  depth: number;
  parent: string;
}

/**
 * The dominator tree, biggest first, opened one level at a time (WAI-ARIA tree: Up/Down move,
 * Right opens, Left closes or goes to the parent, Enter shows the path from a GC root).
 */
export function DominatorTreeTab(props: HeapTabProps) {
  const [byClass, setByClass] = useState(false);
  return (
    <div>
      <div className="toolbar">
        <label>
          <input type="checkbox" checked={byClass} onChange={(e) => setByClass(e.target.checked)} /> Group by class
        </label>
      </div>
      {byClass ? <DominatorGroups {...props} /> : <ObjectTree {...props} />}
    </div>
  );
}

/** The dominator tree object by object. */
function ObjectTree(props: HeapTabProps) {
  const { caseId, sourceId, model } = props;
  const { api } = useApp();
  const [children, setChildren] = useState<Map<string, Children>>(new Map());
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const [pathOf, setPathOf] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());

  const load = useCallback(
    (parent: string, offset: number) => {
      setChildren((prev) => new Map(prev).set(parent, { rows: prev.get(parent)?.rows ?? [], total: prev.get(parent)?.total ?? 0, loading: true }));
      api.call('heap.dominators', { caseId, sourceId, model, parent: parent === ROOT ? null : parent, offset, limit: PAGE }).then(
        (res) =>
          setChildren((prev) => {
            const before = offset === 0 ? [] : (prev.get(parent)?.rows ?? []);
            return new Map(prev).set(parent, { rows: [...before, ...res.rows], total: res.total, loading: false });
          }),
        (reason) => {
          setError(toApiError(reason));
          setChildren((prev) => new Map(prev).set(parent, { rows: prev.get(parent)?.rows ?? [], total: prev.get(parent)?.total ?? 0, loading: false }));
        },
      );
    },
    [api, caseId, sourceId, model],
  );

  useEffect(() => {
    setChildren(new Map());
    setOpen(new Set());
    setError(null);
    load(ROOT, 0);
  }, [load]);

  // The lines on screen, in order, for the arrow keys.
  const lines: Line[] = [];
  const walk = (parent: string, depth: number) => {
    for (const node of children.get(parent)?.rows ?? []) {
      lines.push({ node, depth, parent });
      if (open.has(node.objectId)) walk(node.objectId, depth + 1);
    }
  };
  walk(ROOT, 1);

  function toggle(node: DominatorNode, to?: boolean) {
    const isOpen = open.has(node.objectId);
    const next = to ?? !isOpen;
    if (next === isOpen || node.childCount === 0) return;
    setOpen((prev) => {
      const s = new Set(prev);
      if (next) s.add(node.objectId);
      else s.delete(node.objectId);
      return s;
    });
    if (next && !children.has(node.objectId)) load(node.objectId, 0);
  }

  function focus(id: string) {
    setFocused(id);
    items.current.get(id)?.focus();
  }

  function onKeyDown(event: KeyboardEvent, line: Line, index: number) {
    const { node } = line;
    switch (event.key) {
      case 'ArrowDown':
        if (lines[index + 1]) focus(lines[index + 1]!.node.objectId);
        break;
      case 'ArrowUp':
        if (lines[index - 1]) focus(lines[index - 1]!.node.objectId);
        break;
      case 'ArrowRight':
        if (node.childCount > 0 && !open.has(node.objectId)) toggle(node, true);
        else if (open.has(node.objectId) && lines[index + 1]?.parent === node.objectId) focus(lines[index + 1]!.node.objectId);
        break;
      case 'ArrowLeft':
        if (open.has(node.objectId)) toggle(node, false);
        else if (line.parent !== ROOT) focus(line.parent);
        break;
      case 'Home':
        if (lines[0]) focus(lines[0].node.objectId);
        break;
      case 'End':
        if (lines.length) focus(lines[lines.length - 1]!.node.objectId);
        break;
      case 'Enter':
        setPathOf(pathOf === node.objectId ? null : node.objectId);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  const root = children.get(ROOT);
  const tabStop = focused ?? lines[0]?.node.objectId ?? null;
  const render = (parent: string, depth: number) => {
    const kids = children.get(parent);
    if (!kids) return null;
    return (
      <>
        {kids.rows.map((node) => {
          const index = lines.findIndex((l) => l.node.objectId === node.objectId && l.parent === parent);
          const isOpen = open.has(node.objectId);
          return (
            <li
              key={node.objectId}
              role="treeitem"
              aria-level={depth}
              aria-expanded={node.childCount > 0 ? isOpen : undefined}
              aria-selected={focused === node.objectId}
              tabIndex={tabStop === node.objectId ? 0 : -1}
              ref={(el) => {
                if (el) items.current.set(node.objectId, el);
                else items.current.delete(node.objectId);
              }}
              onKeyDown={(e) => onKeyDown(e, lines[index]!, index)}
              onFocus={(e) => e.target === e.currentTarget && setFocused(node.objectId)}
              className="tree-item"
            >
              <div className="tree-line" style={{ paddingLeft: (depth - 1) * 18 }} onClick={() => (toggle(node), setFocused(node.objectId))}>
                <span className="tree-toggle" aria-hidden="true">
                  {node.childCount === 0 ? '·' : isOpen ? '▾' : '▸'}
                </span>
                <ObjectName object={node} />
                {node.gcRoot && <span className="badge badge-neutral">GC root</span>}
                <span className="tree-size num" title={`${formatCount(node.retainedBytes)} bytes retained`}>
                  {formatBytes(node.retainedBytes)}
                </span>
                <span className="tree-shallow num muted">{`shallow ${formatBytes(node.shallowBytes)}`}</span>
                <button type="button" className="link-button" tabIndex={-1} onClick={(e) => (e.stopPropagation(), setPathOf(pathOf === node.objectId ? null : node.objectId))}>
                  path
                </button>
              </div>
              {pathOf === node.objectId && (
                <div style={{ paddingLeft: (depth - 1) * 18 + 22 }}>
                  <PathToRoot {...props} objectId={node.objectId} />
                </div>
              )}
              {isOpen && (
                <ul role="group" className="tree-group">
                  {render(node.objectId, depth + 1)}
                </ul>
              )}
            </li>
          );
        })}
        {kids.loading && (
          <li role="none" className="muted tree-note" style={{ paddingLeft: (depth - 1) * 18 + 22 }}>
            {parent === ROOT && kids.rows.length === 0 ? "Reading the dump's object graph (the first time only)…" : 'Loading…'}
          </li>
        )}
        {!kids.loading && kids.rows.length < kids.total && (
          <li role="none" style={{ paddingLeft: (depth - 1) * 18 + 22 }}>
            <button type="button" onClick={() => load(parent, kids.rows.length)}>
              {`Show ${Math.min(PAGE, kids.total - kids.rows.length)} more of ${formatCount(kids.total - kids.rows.length)}`}
            </button>
          </li>
        )}
      </>
    );
  };

  return (
    <div>
      <ErrorLine error={error} />
      <p className="muted small">Each object retains what it dominates: everything only reachable through it. Biggest first.</p>
      {focused && (
        <p className="tree-bookmark">
          <BookmarkButton caseId={props.caseId} place={{ kind: 'heap-object', sourceId: props.sourceId, objectId: focused }} what={`object ${focused}`} shortcut />
        </p>
      )}
      {root && (
        <ul role="tree" aria-label="Dominator tree" className="dominator-tree">
          {render(ROOT, 1)}
        </ul>
      )}
    </div>
  );
}
