import { area, line, max, scaleLinear } from 'd3';

interface SparklineProps {
  values: readonly number[];
  width?: number;
  height?: number;
  /** Accessible summary, e.g. "System calls over the capture". */
  label: string;
}

/** A small filled line over evenly spaced buckets (SVG attributes only: no inline styles). */
export function Sparkline({ values, width = 160, height = 32, label }: SparklineProps) {
  const top = max(values) ?? 0;
  const x = scaleLinear().domain([0, Math.max(1, values.length - 1)]).range([1, width - 1]);
  const y = scaleLinear().domain([0, top > 0 ? top : 1]).range([height - 1, 2]);
  const points = values.map((v, i) => [x(i), y(v)] as [number, number]);
  const fill = area<[number, number]>()
    .x((p) => p[0])
    .y0(height - 1)
    .y1((p) => p[1])(points);
  const stroke = line()(points);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {fill && <path className="sparkline-area" d={fill} />}
      {stroke && <path className="sparkline-line" d={stroke} />}
    </svg>
  );
}
