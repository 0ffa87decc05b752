import { axisLeft, brushX, scaleLinear, scaleLog, select, type BrushBehavior } from 'd3';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TimeRange } from '../../../core/api';
import type { LatencySeries } from '../../../core/domain/http/contract';
import { formatNs } from '../../formatting/time';
import { drawTimeAxis } from '../../components/time-axis';
import { useTimeDisplay } from '../../context/time-display-context';
import { timeAxis } from '../../formatting/time-display';
import { formatCount } from '../../format';

const WIDTH = 1180;
const HEIGHT = 190;
const M = { top: 10, right: 16, bottom: 26, left: 62 };
const INNER_W = WIDTH - M.left - M.right;
const INNER_H = HEIGHT - M.top - M.bottom;
/** Keyboard brush: one step of the arrows, as a share of the width. */
const KEY_STEP = 0.05;

interface LatencyChartProps {
  series: LatencySeries;
  onRangeChange(range: TimeRange | null): void;
}

/** 1-2-5 steps per decade, or decades alone when those would crowd the axis. */
function logTicks([lo, hi]: [number, number]): number[] {
  const steps: number[] = [];
  const decades: number[] = [];
  for (let decade = 10 ** Math.floor(Math.log10(lo)); decade <= hi; decade *= 10) {
    if (decade >= lo) decades.push(decade);
    for (const m of [1, 2, 5]) if (m * decade >= lo && m * decade <= hi) steps.push(m * decade);
  }
  return steps.length > 7 ? decades : steps;
}

function statusClass(status: number | null): string {
  if (status === null) return 'pt-none';
  if (status >= 500) return 'pt-5xx';
  if (status >= 400) return 'pt-4xx';
  return 'pt-ok';
}

/**
 * Latency of each exchange over time (per time bucket when there are many), with a brush: the
 * span brushed becomes the case's time range. Keyboard: arrows move a selection, Shift+arrows
 * resize it, Enter applies it, Escape drops it.
 */
export function LatencyChart({ series, onRangeChange }: LatencyChartProps) {
  const brushLayer = useRef<SVGGElement | null>(null);
  const xAxis = useRef<SVGGElement | null>(null);
  const yAxis = useRef<SVGGElement | null>(null);
  const brushRef = useRef<BrushBehavior<unknown> | null>(null);
  const [keySelection, setKeySelection] = useState<[number, number] | null>(null);
  const time = useTimeDisplay();

  const from = series.from === null ? null : BigInt(series.from);
  const to = series.to === null ? null : BigInt(series.to);
  const spanMs = from !== null && to !== null ? Math.max(Number(to - from) / 1e6, 1e-3) : 1;
  const relMs = (ns: string) => (from === null ? 0 : Number(BigInt(ns) - from) / 1e6);

  const { x, y } = useMemo(() => {
    const values = series.points ? series.points.map((p) => Number(p.latencyNs)) : series.buckets.map((b) => b.maxNs);
    const max = Math.max(1000, ...values);
    const min = Math.max(1, Math.min(max / 10, ...values.filter((v) => v > 0)));
    return { x: scaleLinear().domain([0, spanMs]).range([0, INNER_W]), y: scaleLog().domain([min / 1.5, max * 1.5]).range([INNER_H, 0]).clamp(true) };
  }, [series, spanMs]);

  const rangeOf = (px0: number, px1: number): TimeRange | null => {
    if (from === null) return null;
    const a = BigInt(Math.max(0, Math.floor(x.invert(px0) * 1e6)));
    const b = BigInt(Math.ceil(x.invert(px1) * 1e6));
    return { from: String(from + a), to: String(from + b) };
  };

  useEffect(() => {
    // The case's time base, as the timeline above draws it.
    if (xAxis.current && from !== null) drawTimeAxis(xAxis.current, timeAxis({ from, to: from + BigInt(Math.round(spanMs * 1e6)) }, time), INNER_W, 8);
    if (yAxis.current) select(yAxis.current).call(axisLeft(y).tickValues(logTicks(y.domain() as [number, number])).tickFormat((ns) => formatNs(Number(ns))));
  }, [x, y, from, spanMs, time]);

  useEffect(() => {
    const layer = brushLayer.current;
    if (!layer) return;
    // Over the time axis too: a drag that starts on its ticks brushes.
    const brush = brushX<unknown>()
      .extent([
        [0, 0],
        [INNER_W, INNER_H + M.bottom],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent?: unknown }) => {
        // Only a person's brushing narrows the range; clearing the brush after applying it does not.
        if (!event.sourceEvent || !event.selection) return;
        const [a, b] = event.selection;
        select(layer).call(brush.move, null);
        const range = rangeOf(a, b);
        if (range && b - a >= 2) onRangeChange(range);
      });
    brushRef.current = brush;
    select(layer).call(brush);
    return () => {
      select(layer).on('.brush', null);
    };
    // The brush maps pixels through the current scales.
  }, [x, onRangeChange]);

  useEffect(() => {
    if (brushLayer.current && brushRef.current) select(brushLayer.current).call(brushRef.current.move, keySelection);
  }, [keySelection]);

  function onKeyDown(event: KeyboardEvent) {
    const step = INNER_W * KEY_STEP;
    const sel = keySelection ?? [INNER_W * 0.25, INNER_W * 0.75];
    let next: [number, number] | null = sel;
    if (event.key === 'ArrowLeft') next = event.shiftKey ? [sel[0], Math.max(sel[0] + step, sel[1] - step)] : [Math.max(0, sel[0] - step), Math.max(0, sel[0] - step) + (sel[1] - sel[0])];
    else if (event.key === 'ArrowRight') next = event.shiftKey ? [sel[0], Math.min(INNER_W, sel[1] + step)] : [Math.min(INNER_W - (sel[1] - sel[0]), sel[0] + step), Math.min(INNER_W, sel[0] + step + (sel[1] - sel[0]))];
    else if (event.key === 'Enter' && keySelection) {
      const range = rangeOf(keySelection[0], keySelection[1]);
      setKeySelection(null);
      if (range) onRangeChange(range);
      event.preventDefault();
      return;
    } else if (event.key === 'Escape') next = null;
    else return;
    event.preventDefault();
    setKeySelection(next);
  }

  const barWidth = series.buckets.length > 0 ? Math.max(1, INNER_W / Math.max(series.buckets.length, 1) - 1) : 0;
  return (
    <figure className="latency-chart">
      <figcaption className="muted small">
        {`Latency (request's first byte to response's first byte), ${formatCount(series.total)} answered exchanges. Drag across the chart to narrow the time range; from the keyboard: arrows, Shift+arrows, Enter.`}
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label="Latency over time; focus and use the arrow keys and Enter to narrow the time range"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={() => setKeySelection(null)}
      >
        <g transform={`translate(${M.left},${M.top})`}>
          <g ref={xAxis} className="axis" transform={`translate(0,${INNER_H})`} />
          <g ref={yAxis} className="axis" />
          {series.points
            ? series.points.map((p) => <circle key={p.id} className={`pt ${statusClass(p.status)}`} cx={x(relMs(p.ts))} cy={y(Math.max(1, Number(p.latencyNs)))} r={3} />)
            : series.buckets.map((b) => (
                <g key={b.from}>
                  <rect className={b.errors > 0 ? 'bar bar-errors' : 'bar'} x={x(relMs(b.from))} width={barWidth} y={y(Math.max(1, b.maxNs))} height={Math.max(0, INNER_H - y(Math.max(1, b.maxNs)))} />
                  <rect className="bar-mean" x={x(relMs(b.from))} width={barWidth} y={y(Math.max(1, b.meanNs))} height={1.5} />
                </g>
              ))}
          <g ref={brushLayer} className="brush" />
        </g>
      </svg>
    </figure>
  );
}
