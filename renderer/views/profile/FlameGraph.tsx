import { select } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FlameNode, ProfileFlame } from '../../../core/domain/profile/contract';
import { depthOf, layoutFlame, searchSum, type FlameRect } from './flame-layout';
import { exactValue, formatValue, percent } from './values';

const ROW = 18;
const WIDTH = 1200;

/**
 * A flame graph (root at the bottom) or icicle (root on top) drawn with d3: click a frame to zoom to
 * it, click an ancestor bar to zoom back out; the search highlights the frames whose function
 * matches (a regular expression, or text) and sums them. With a base profile (compare) frames are
 * red where the profile grew and blue where it shrank, as wide as the larger of the two.
 * `initialSearch` starts the search (a finding's function).
 * The time each draw took is kept in data-draw-ms, how many draws there were in data-draws (the e2e tests read them).
 */
export function FlameGraph({ flame, onPick, initialSearch }: { flame: ProfileFlame; onPick?(fn: string): void; initialSearch?: string }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [zoom, setZoom] = useState('');
  const [icicle, setIcicle] = useState(true);
  const [search, setSearch] = useState(initialSearch ?? '');
  // A finding opened later asks for its own function.
  useEffect(() => setSearch(initialSearch ?? ''), [initialSearch]);
  const [hover, setHover] = useState<FlameNode | null>(null);
  useEffect(() => setZoom(''), [flame]);
  const match = useMemo(() => matcher(search), [search]);
  const found = useMemo(() => (match ? searchSum(flame.root, match) : null), [flame, match]);
  const diff = flame.baseTotal !== null;

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const started = performance.now();
    const rects = layoutFlame(flame.root, zoom, WIDTH);
    const depth = depthOf(rects);
    const height = depth * ROW;
    const y = (r: FlameRect) => (icicle ? r.depth * ROW : height - (r.depth + 1) * ROW);
    const root = select(svg).attr('viewBox', `0 0 ${WIDTH} ${height}`).attr('height', height);
    const groups = root
      .selectAll<SVGGElement, FlameRect>('g.frame')
      .data(rects, (r) => `${r.path}|${r.ancestor}`)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'frame');
        g.append('rect').attr('height', ROW - 1);
        g.append('text').attr('dy', 13).attr('dx', 4);
        g.append('title');
        return g;
      })
      .attr('transform', (r) => `translate(${r.x0},${y(r)})`)
      .classed('ancestor', (r) => r.ancestor)
      .classed('match', (r) => match !== null && match(r.node.name))
      .classed('dim', (r) => match !== null && !match(r.node.name))
      .on('click', (_e, r) => {
        setZoom(r.path);
        onPick?.(r.node.name);
      })
      .on('mouseenter', (_e, r) => setHover(r.node))
      .on('mouseleave', () => setHover(null));
    groups
      .select('rect')
      .attr('width', (r) => Math.max(0, r.x1 - r.x0 - 0.5))
      .attr('fill', (r) => (diff ? diffColour(r.node) : heatColour(r.node.name)));
    groups.select('text').text((r) => fit(r.node.name, r.x1 - r.x0));
    groups.select('title').text((r) => tooltip(r.node, flame));
    svg.dataset.drawMs = (performance.now() - started).toFixed(1);
    svg.dataset.frames = String(rects.length);
    svg.dataset.draws = String(Number(svg.dataset.draws ?? 0) + 1);
  }, [flame, zoom, icicle, match, diff, onPick]);

  return (
    <div className="flame">
      <div className="toolbar flame-toolbar">
        <label>
          Search{' '}
          <input type="search" className="flame-search" placeholder="function (regex)" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        {found && (
          <span className="flame-found" title={exactValue(found.value, flame.unit)}>
            {`${found.frames} ${found.frames === 1 ? 'frame' : 'frames'} match: ${formatValue(found.value, flame.unit)} (${percent(found.value, flame.total)} of ${formatValue(flame.total, flame.unit)})`}
          </span>
        )}
        <label>
          <input type="checkbox" checked={!icicle} onChange={(e) => setIcicle(!e.target.checked)} /> flame (root at the bottom)
        </label>
        {zoom !== '' && (
          <button type="button" onClick={() => setZoom('')}>
            Reset zoom
          </button>
        )}
      </div>
      <p className="flame-hover muted small" aria-live="polite">
        {hover ? tooltip(hover, flame) : diff ? 'Red: more than in the base profile; blue: less. Click a frame to zoom.' : 'Click a frame to zoom; click a bar above it to zoom out.'}
      </p>
      <svg ref={svgRef} className="flame-svg" width="100%" preserveAspectRatio="none" role="img" aria-label={`${icicle ? 'Icicle' : 'Flame'} graph of ${flame.sampleType}`} />
    </div>
  );
}

function matcher(search: string): ((name: string) => boolean) | null {
  if (search.trim() === '') return null;
  try {
    const re = new RegExp(search);
    return (name) => re.test(name);
  } catch {
    return (name) => name.includes(search);
  }
}

function tooltip(node: FlameNode, flame: ProfileFlame): string {
  const own = `${node.name}: ${formatValue(node.value, flame.unit)} (${percent(node.value, flame.total)}), self ${formatValue(node.self, flame.unit)}`;
  if (node.base === undefined) return own;
  const delta = node.value - node.base;
  return `${own}; base ${formatValue(node.base, flame.unit)}, change ${delta >= 0 ? '+' : ''}${formatValue(delta, flame.unit)}`;
}

/** As many characters of the name as the frame holds (7 px each), "…" when cut. */
function fit(name: string, width: number): string {
  const chars = Math.floor((width - 8) / 7);
  if (chars < 3) return '';
  return name.length <= chars ? name : `${name.slice(0, chars - 1)}…`;
}

/** Warm colours, stable per function (its name hashed), as flame graphs are usually drawn. */
function heatColour(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const hue = 10 + (h % 40);
  const light = 55 + ((h >> 8) % 15);
  return `hsl(${hue}, 85%, ${light}%)`;
}

/** Red as the frame grew, blue as it shrank, grey unchanged; stronger the larger the change. */
function diffColour(node: FlameNode): string {
  const base = node.base ?? 0;
  const delta = node.value - base;
  const scale = Math.max(Math.abs(node.value), Math.abs(base)) || 1;
  const strength = Math.min(1, Math.abs(delta) / scale);
  if (delta === 0) return 'hsl(0, 0%, 80%)';
  const light = 90 - 40 * strength;
  return delta > 0 ? `hsl(0, 80%, ${light}%)` : `hsl(215, 80%, ${light}%)`;
}
