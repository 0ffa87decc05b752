// A profile's flame graph as inline SVG for the report, drawn in Node like the timeline charts: the
// root on top and callees below it (the icicle form), each frame as wide as its share of the
// profile's total, its name written in when it fits, its name and value in a <title> tooltip. No
// script: the report is a static page, so no zoom (the Profiles view has it).

import { formatBytes, formatCount } from '../../../common/format';
import { html, type SafeHtml } from './html-template';
import type { ProfileFlameFrame, ProfileReport } from './model';

const WIDTH = 1060;
const ROW = 17;
/** Deeper frames are left out (a note says so): recursion can go hundreds deep. */
const MAX_DEPTH = 48;
/** A frame narrower than this share of the total is under a pixel: gather-profiles.ts drops it. */
export const FLAME_MIN_SHARE = 1 / WIDTH;
const CHAR_WIDTH = 6.7;

export function flameSvg(p: ProfileReport): SafeHtml {
  const total = p.flame.value;
  const rects: SafeHtml[] = [];
  let depth = 0;
  let cut = false;
  const draw = (frame: ProfileFlameFrame, x: number, level: number) => {
    if (level >= MAX_DEPTH) {
      cut = true;
      return;
    }
    depth = Math.max(depth, level + 1);
    const w = total > 0 ? (frame.value / total) * WIDTH : 0;
    const label = fitted(frame.name === 'root' && level === 0 ? `all (${p.entry})` : frame.name, w);
    rects.push(
      html`<g><rect x="${round(x)}" y="${level * ROW}" width="${round(w)}" height="${ROW - 1}" fill="${colourOf(frame.name, level)}"><title>${frame.name}: ${valueText(frame.value, p.unit)} (${percent(frame.value, total)})</title></rect>${label ? html`<text x="${round(x + 3)}" y="${level * ROW + 12}">${label}</text>` : ''}</g>`,
    );
    let at = x;
    for (const c of frame.children) {
      draw(c, at, level + 1);
      at += total > 0 ? (c.value / total) * WIDTH : 0;
    }
  };
  draw(p.flame, 0, 0);
  const height = depth * ROW;
  const name = `Flame graph of ${p.entry} (${p.sampleType}, ${valueText(p.total, p.unit)} in all)`;
  return html`<svg class="flame" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${name}" data-total="${total}" xmlns="http://www.w3.org/2000/svg">
<title>${name}</title>
${rects}
</svg>${cut ? html`<p class="muted small">Frames deeper than ${MAX_DEPTH} calls are left out here; the Profiles view shows them.</p>` : ''}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The name cut to the frame's width (package path first, as pprof's own flame graph does), or nothing. */
function fitted(name: string, width: number): string {
  const fits = Math.floor((width - 6) / CHAR_WIDTH);
  if (fits < 3) return '';
  if (name.length <= fits) return name;
  const short = name.slice(name.lastIndexOf('/') + 1);
  return short.length <= fits ? short : `${short.slice(0, fits - 1)}…`;
}

/** Warm colours, stable per package, so the frames of one package read as one. */
function colourOf(name: string, level: number): string {
  if (level === 0) return '#c9ced6';
  const pkg = name.slice(0, name.lastIndexOf('.', name.indexOf('(') > 0 ? name.indexOf('(') : name.length) + 1) || name;
  let h = 0;
  for (let i = 0; i < pkg.length; i++) h = (h * 31 + pkg.charCodeAt(i)) >>> 0;
  if (name.startsWith('runtime.')) return `hsl(200, 35%, ${72 + (h % 10)}%)`;
  return `hsl(${15 + (h % 35)}, ${70 + (h % 20)}%, ${62 + (h % 12)}%)`;
}

export function valueText(v: number, unit: string): string {
  if (unit === 'bytes') return formatBytes(v);
  if (unit === 'nanoseconds') return v >= 1e9 ? `${(v / 1e9).toFixed(2)} s` : `${(v / 1e6).toFixed(2)} ms`;
  return `${formatCount(v)}${unit === 'count' ? '' : ` ${unit}`}`;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '' : `${((part / whole) * 100).toFixed(1)} %`;
}
