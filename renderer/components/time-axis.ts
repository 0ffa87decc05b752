// The time axes of the timeline and the HTTP latency chart, drawn the one way (the case's time base).
import { axisBottom, scaleLinear, select } from 'd3';
import type { timeAxis } from '../formatting/time-display';

/**
 * Draws a time axis with d3: ticks at nice values of the axis's base, labelled in the time base;
 * the first and last labels are anchored inside the chart so that neither is clipped at its edge.
 */
export function drawTimeAxis(layer: SVGGElement, axis: ReturnType<typeof timeAxis>, width: number, count: number) {
  const x = scaleLinear().domain(axis.domain).range([0, width]);
  const ticks = x.ticks(count);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : axis.domain[1] - axis.domain[0];
  select(layer).call(
    axisBottom(x)
      .tickValues(ticks)
      .tickFormat((d, i) => axis.label(Number(d), step, i === 0)),
  );
  select(layer)
    .selectAll<SVGTextElement, number>('.tick text')
    .attr('text-anchor', function (d) {
      const at = x(d);
      const half = this.getComputedTextLength() / 2;
      return at + half > width ? 'end' : at - half < 0 ? 'start' : 'middle';
    });
}
