// What the case shell hands the evidence views (findings, stream, HTTP, heap) and what they hand
// back: the one seam between the views that explore a case and the views that show evidence.

import type { TimeRange, ViewScope } from '../../core/api';

/** A place in a stream to open: the stream, and optionally a byte of one direction to scroll to. */
export interface StreamTarget {
  streamId: number;
  dir?: 'in' | 'out';
  offset?: number;
}

/** Props every evidence view narrowed by the filter bar and the timeline's brush takes. */
export interface ScopedViewProps {
  caseId: string;
  scope: ViewScope;
  /** Changes when the index has grown or its ingest has ended (the case shell's): ask again. */
  revision: number;
  /** Open one stream at a place (drill-down to the bytes). */
  onOpenStream: (target: StreamTarget) => void;
}

/** A view that links to one HTTP exchange (a finding's "exchange 5"). */
export interface ExchangeOpener {
  onOpenExchange: (exchangeId: number) => void;
}

/** A view that can narrow the case's time range (the HTTP latency chart's brush). */
export interface RangeSetter {
  onRangeChange: (range: TimeRange | null) => void;
}
