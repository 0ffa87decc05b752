import { brushX, max, scaleLinear, select, type BrushBehavior } from 'd3';
import { drawTimeAxis } from '../../components/time-axis';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TimeRange } from '../../../core/api';
import type { MetricId, MetricSeries } from '../../../core/domain/overview/contract';
import { useApp } from '../../context/app-context';
import { ErrorLine } from '../../components/ErrorLine';
import { formatBytes, formatCount } from '../../format';
import { formatDurationNs, formatMetric } from '../../formatting/explore-format';
import { useTimeDisplay } from '../../context/time-display-context';
import { formatFullInstant, formatSpan, TIME_FORMATS, timeAxis, type TimeFormat } from '../../formatting/time-display';
import { useQuery } from '../../hooks/use-query';
import { fractionOf, spanNs, timeAt, toNsWindow, toTimeRange, zoomOut, type NsWindow } from './time-scale';

const MAIN_HEIGHT = 64;
const PIN_HEIGHT = 30;
const AXIS_HEIGHT = 20;
const MARGIN = { left: 8, right: 8 };
/** Keyboard moves of the selection: this share of the window per key press. */
const KEY_STEP = 0.05;


interface TimelineProps {
  caseId: string;
  /** The capture's span: the outermost zoom. */
  span: TimeRange;
  filter: string;
  range: TimeRange | null;
  /** The zoomed window, or null for the whole capture. */
  window: TimeRange | null;
  mainMetric: MetricId;
  mainLabel: string;
  pinned: readonly { metric: MetricId; label: string }[];
  revision: number;
  onRangeChange(range: TimeRange | null): void;
  onWindowChange(window: TimeRange | null): void;
  onUnpin(metric: MetricId): void;
  /** The case's time base (Wireshark's Time Display Format), switched here for every view. */
  timeFormat: TimeFormat;
  onTimeFormat(format: TimeFormat): void;
}

function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(200, Math.floor(entry.contentRect.width))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * One time axis for the case: a histogram of the main metric over the visible window, a brush
 * whose selection narrows every view, zoom, and the pinned metrics' lines under it.
 */
export function Timeline(props: TimelineProps) {
  const { caseId, span, filter, range, window, mainMetric, mainLabel, pinned, revision, onRangeChange, onWindowChange, onUnpin, timeFormat, onTimeFormat } = props;
  const time = useTimeDisplay();
  const { api } = useApp();
  const [box, width] = useWidth<HTMLDivElement>();
  const inner = width - MARGIN.left - MARGIN.right;
  const buckets = Math.max(20, Math.min(400, Math.floor(inner / 4)));
  const bounds = useMemo(() => toNsWindow(span), [span.from, span.to]);
  const view = useMemo(() => toNsWindow(window ?? span), [window?.from, window?.to, span.from, span.to]);
  const metrics = [mainMetric, ...pinned.map((p) => p.metric)];
  const key = JSON.stringify([caseId, filter, toTimeRange(view), metrics, buckets, revision]);
  const { data, error } = useQuery(key, () =>
    api.call('timeline.series', { caseId, scope: { filter }, metrics, window: toTimeRange(view), buckets }),
  );
  const series = new Map<MetricId, MetricSeries>((data?.series ?? []).map((s) => [s.metric, s]));

  const brushLayer = useRef<SVGGElement>(null);
  const axisLayer = useRef<SVGGElement>(null);
  const brush = useRef<BrushBehavior<unknown> | null>(null);
  const moving = useRef(false);
  const chartHeight = MAIN_HEIGHT + pinned.length * PIN_HEIGHT;

  // The axis in the case's time base: clock times, or seconds since the capture's start.
  useEffect(() => {
    if (!axisLayer.current) return;
    drawTimeAxis(axisLayer.current, timeAxis(view, time), inner, Math.max(2, Math.floor(inner / 130)));
  }, [inner, view, time]);

  // The brush: d3 owns its layer; its end event reports the selection in capture time. It covers
  // the time axis too: a drag that starts on the axis's ticks brushes, as it does on the bars.
  useEffect(() => {
    if (!brushLayer.current) return;
    const b = brushX()
      .extent([
        [0, 0],
        [inner, chartHeight + AXIS_HEIGHT],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent: unknown }) => {
        if (moving.current || !event.sourceEvent) return;
        if (!event.selection) {
          onRangeChange(null);
          return;
        }
        const [a, c] = event.selection;
        onRangeChange(toTimeRange({ from: timeAt(view, a / inner), to: timeAt(view, c / inner) }));
      });
    brush.current = b as unknown as BrushBehavior<unknown>;
    select(brushLayer.current).call(b);
    return () => {
      if (brushLayer.current) select(brushLayer.current).on('.brush', null);
    };
  }, [inner, chartHeight, view, onRangeChange]);

  // The selection drawn where the range is, whoever set it (the brush, the keyboard, another view).
  useEffect(() => {
    if (!brushLayer.current || !brush.current) return;
    moving.current = true;
    const layer = select(brushLayer.current) as unknown as Parameters<BrushBehavior<unknown>['move']>[0];
    if (range) {
      const r = toNsWindow(range);
      const a = Math.max(0, Math.min(inner, fractionOf(view, r.from) * inner));
      const c = Math.max(0, Math.min(inner, fractionOf(view, r.to) * inner));
      brush.current.move(layer, c - a >= 1 ? [a, c] : [a, Math.min(inner, a + 1)]);
    } else {
      brush.current.move(layer, null);
    }
    moving.current = false;
  }, [range?.from, range?.to, inner, view, chartHeight]);

  function onKeyDown(event: KeyboardEvent) {
    const current = range ? toNsWindow(range) : null;
    const a = current ? fractionOf(view, current.from) : 0.45;
    const c = current ? fractionOf(view, current.to) : 0.55;
    const set = (x: number, y: number) => onRangeChange(toTimeRange({ from: timeAt(view, Math.min(x, y)), to: timeAt(view, Math.max(x, y)) }));
    const step = event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : 0;
    if (step !== 0) {
      event.preventDefault();
      if (!current) set(a, c);
      else if (event.shiftKey) set(a, Math.max(a + 0.001, c + step));
      else {
        const shift = Math.max(-a, Math.min(1 - c, step));
        set(a + shift, c + shift);
      }
    } else if (event.key === 'Escape' || event.key === 'Delete') {
      if (range) {
        event.preventDefault();
        onRangeChange(null);
      }
    } else if (event.key === '+' || event.key === '=') {
      if (range) onWindowChange(range);
    } else if (event.key === '-') {
      zoomOutOnce();
    }
  }

  function zoomOutOnce() {
    const next = zoomOut(view, bounds);
    onWindowChange(next.from <= bounds.from && next.to >= bounds.to ? null : toTimeRange(next));
  }

  const main = series.get(mainMetric);
  return (
    <section className="timeline" aria-label="Timeline">
      <div className="timeline-bar">
        <span className="timeline-title">{mainLabel}</span>
        <span className="muted small timeline-span" title={`${formatFullInstant(view.from.toString())} – ${formatFullInstant(view.to.toString())}`}>
          {`${formatSpan(view.from.toString(), view.to.toString(), time)} (${formatDurationNs(spanNs(view))})`}
        </span>
        <label className="time-format small">
          <span className="muted">Time</span>
          <select aria-label="Time display format" value={timeFormat} onChange={(e) => onTimeFormat(e.target.value as TimeFormat)}>
            {TIME_FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <span className="timeline-actions">
          {range && (
            <span className="timeline-range small" title={`${formatFullInstant(range.from)} – ${formatFullInstant(range.to)}`}>
              {`Selected ${formatSpan(range.from, range.to, time)} (${formatDurationNs(Number(BigInt(range.to) - BigInt(range.from)))})`}
            </span>
          )}
          <button type="button" disabled={!range} onClick={() => range && onWindowChange(range)}>
            Zoom to selection
          </button>
          <button type="button" disabled={window === null} onClick={zoomOutOnce}>
            Zoom out
          </button>
          <button type="button" disabled={window === null} onClick={() => onWindowChange(null)}>
            Whole capture
          </button>
          <button type="button" disabled={!range} onClick={() => onRangeChange(null)}>
            Clear selection
          </button>
        </span>
      </div>
      <ErrorLine error={error} />
      <div ref={box} className="timeline-box">
        <svg
          className="timeline-svg"
          width={width}
          height={chartHeight + AXIS_HEIGHT}
          tabIndex={0}
          role="slider"
          aria-label="Time range: arrow keys move the selection, Shift+arrows resize it, + zooms in, - zooms out, Escape clears"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={range ? Math.round(fractionOf(view, toNsWindow(range).from) * 100) : 0}
          aria-valuetext={range ? formatSpan(range.from, range.to, time) : 'no selection'}
          onKeyDown={onKeyDown}
        >
          <g transform={`translate(${MARGIN.left},0)`}>
            {main?.values && <Bars values={main.values} width={inner} height={MAIN_HEIGHT} unit={main.unit} />}
            {pinned.map((p, i) => {
              const s = series.get(p.metric);
              return (
                <g key={p.metric} transform={`translate(0,${MAIN_HEIGHT + i * PIN_HEIGHT})`} className="timeline-pin">
                  <line x1={0} x2={inner} y1={0.5} y2={0.5} className="timeline-sep" />
                  {s?.values && <Bars values={s.values} width={inner} height={PIN_HEIGHT - 4} unit={s.unit} top={3} />}
                  <text x={4} y={12} className="timeline-pin-label">
                    {`${p.label}${s?.values ? ` (peak ${formatMetric(max(s.values) ?? 0, s.unit)})` : s?.note ? ` — ${s.note}` : ''}`}
                  </text>
                </g>
              );
            })}
            <g ref={axisLayer} className="timeline-axis" transform={`translate(0,${chartHeight})`} />
            <g ref={brushLayer} className="timeline-brush" />
          </g>
        </svg>
      </div>
      {pinned.length > 0 && (
        <div className="timeline-pins">
          {pinned.map((p) => (
            <button key={p.metric} type="button" className="chip" onClick={() => onUnpin(p.metric)} title="Unpin">
              {`${p.label} ×`}
            </button>
          ))}
        </div>
      )}
      {main && !main.values && main.note && <p className="muted small">{main.note}</p>}
    </section>
  );
}

function Bars({ values, width, height, unit, top = 2 }: { values: number[]; width: number; height: number; unit: 'count' | 'bytes'; top?: number }) {
  const peak = max(values) ?? 0;
  const y = scaleLinear().domain([0, peak > 0 ? peak : 1]).range([0, height - top]);
  const w = width / values.length;
  return (
    <g className="timeline-bars">
      <title>{`peak ${unit === 'bytes' ? formatBytes(peak) : formatCount(peak)} per bar`}</title>
      {values.map((v, i) =>
        v > 0 ? <rect key={i} x={i * w} y={top + (height - top) - y(v)} width={Math.max(1, w - 0.5)} height={Math.max(1, y(v))} /> : null,
      )}
    </g>
  );
}

