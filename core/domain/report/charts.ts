// Timeline charts as inline SVG, drawn in Node: d3's scales and shape generators compute the
// geometry (no DOM, no browser), html-template.ts writes the markup. Buckets are bars, stacked
// per layer; latency is lines with gaps where a bucket had no request.

import { createRequire } from 'node:module';
import type * as D3 from 'd3';
import { formatBytes, formatCount } from '../../../common/format';
import { formatClock, formatMs } from './format';
import { html, type SafeHtml } from './html-template';
import type { TimelineSection, TimelineSeries } from './model';

let d3Module: typeof D3 | null = null;

/**
 * d3, loaded the first time a chart is drawn: its ~30 packages cost ~80 ms of module loading on
 * every start of the CLI and the app, which draw charts only for a report. d3 is ES modules, which
 * Node (>= 20.19, package.json's engines) requires synchronously, so the report stays synchronous.
 */
function d3(): typeof D3 {
  return (d3Module ??= createRequire(import.meta.url)('d3') as typeof D3);
}

const WIDTH = 1060;
const HEIGHT = 190;
const MARGIN = { top: 26, right: 12, bottom: 24, left: 64 };
const X_TICKS = 6;
const Y_TICKS = 4;

const COLORS: Record<string, string> = {
  '2xx': '#4c9a6a',
  '3xx': '#5b8dd6',
  '4xx': '#e0a030',
  '5xx': '#d0453c',
  '1xx': '#9aa5b1',
  'no response': '#5f6b7a',
  median: '#3f6fb5',
  max: '#d0453c',
  'succeeded or no result': '#8a9bb0',
  'failed (res < 0)': '#d0453c',
};
const FALLBACK = ['#5b8dd6', '#9b6bd0', '#8a9bb0', '#d0453c'];

function colorOf(name: string, index: number): string {
  return COLORS[name] ?? FALLBACK[index % FALLBACK.length]!;
}

function valueLabel(unit: string, v: number): string {
  if (unit === 'bytes') return formatBytes(v);
  if (unit === 'ms') return `${formatMs(v)} ms`;
  return formatCount(v);
}

export function timelineChart(timeline: TimelineSection, series: TimelineSeries): SafeHtml {
  const { max, scaleLinear } = d3();
  const n = timeline.buckets;
  const x = scaleLinear().domain([0, n]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const top = series.kind === 'stacked' ? stackedMax(series) : (max(series.layers.flatMap((l) => l.values.filter((v): v is number => v !== null))) ?? 0);
  const y = scaleLinear().domain([0, top > 0 ? top : 1]).nice(Y_TICKS).range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const from = BigInt(timeline.from);
  const width = BigInt(timeline.bucketNs);
  const clockDigits = width < 1_000_000n ? 6 : width < 1_000_000_000n ? 3 : 0;
  const every = Math.max(1, Math.ceil(n / X_TICKS));
  const xTicks = Array.from({ length: Math.floor(n / every) + 1 }, (_, i) => i * every).filter((b) => b <= n);
  const label = `${series.title} per ${bucketLabel(width)}, ${formatClock(from, clockDigits)} to ${formatClock(from + width * BigInt(n), clockDigits)} UTC`;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">
<title>${label}</title>
${legend(series)}
<g class="grid">${y.ticks(Y_TICKS).filter((t) => series.unit === 'ms' || Number.isInteger(t)).map((t) => html`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}"/><text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${valueLabel(series.unit, t)}</text>`)}</g>
<g class="axis">${xTicks.map((b) => html`<line x1="${x(b)}" x2="${x(b)}" y1="${HEIGHT - MARGIN.bottom}" y2="${HEIGHT - MARGIN.bottom + 4}"/><text x="${x(b)}" y="${HEIGHT - 6}" text-anchor="${x(b) > WIDTH - MARGIN.right - 30 ? 'end' : 'middle'}">${formatClock(from + width * BigInt(b), clockDigits)}</text>`)}</g>
${series.kind === 'stacked' ? bars(series, x, y) : lines(series, x, y)}
</svg>`;
}

function bucketLabel(width: bigint): string {
  const ns = Number(width);
  if (ns >= 3_600_000_000_000) return `${ns / 3_600_000_000_000} h`;
  if (ns >= 60_000_000_000) return `${ns / 60_000_000_000} min`;
  if (ns >= 1_000_000_000) return `${ns / 1_000_000_000} s`;
  if (ns >= 1_000_000) return `${ns / 1_000_000} ms`;
  if (ns >= 1_000) return `${ns / 1_000} µs`;
  return `${ns} ns`;
}

function stackedMax(series: TimelineSeries): number {
  const n = series.layers[0]?.values.length ?? 0;
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, series.layers.reduce((sum, l) => sum + (l.values[i] ?? 0), 0));
  return top;
}

type Scale = ReturnType<typeof D3.scaleLinear<number, number>>;

function bars(series: TimelineSeries, x: Scale, y: Scale): SafeHtml {
  const n = series.layers[0]?.values.length ?? 0;
  const rows = Array.from({ length: n }, (_, i) => Object.fromEntries(series.layers.map((l) => [l.name, l.values[i] ?? 0])) as Record<string, number>);
  const stacked = d3().stack<Record<string, number>>().keys(series.layers.map((l) => l.name))(rows);
  const barWidth = Math.max(1, x(1) - x(0) - 1);
  return html`<g class="bars">${stacked.map(
    (layer, li) =>
      html`<g fill="${colorOf(layer.key, li)}">${layer.map(([low, high], i) =>
        high > low ? html`<rect x="${x(i) + 0.5}" y="${y(high)}" width="${barWidth}" height="${Math.max(0.5, y(low) - y(high))}"><title>${layer.key}: ${valueLabel(series.unit, high - low)}</title></rect>` : null,
      )}</g>`,
  )}</g>`;
}

function lines(series: TimelineSeries, x: Scale, y: Scale): SafeHtml {
  return html`<g class="lines">${series.layers.map((layer, li) => {
    const path = d3()
      .line<number | null>()
      .defined((v) => v !== null)
      .x((_, i) => x(i + 0.5))
      .y((v) => y(v ?? 0))(layer.values);
    const dots = layer.values.map((v, i) => (v === null ? null : html`<circle cx="${x(i + 0.5)}" cy="${y(v)}" r="2"><title>${layer.name}: ${valueLabel(series.unit, v)}</title></circle>`));
    return html`<g stroke="${colorOf(layer.name, li)}" fill="${colorOf(layer.name, li)}"><path d="${path ?? ''}" fill="none" stroke-width="1.5"/>${dots}</g>`;
  })}</g>`;
}

function legend(series: TimelineSeries): SafeHtml {
  let offset = MARGIN.left;
  const items = series.layers.map((layer, i) => {
    const item = html`<rect x="${offset}" y="6" width="10" height="10" fill="${colorOf(layer.name, i)}"/><text x="${offset + 14}" y="15">${layer.name}</text>`;
    offset += 24 + layer.name.length * 6.5;
    return item;
  });
  return html`<g class="legend">${items}<text x="${WIDTH - MARGIN.right}" y="15" text-anchor="end" class="unit">${series.unit}</text></g>`;
}
