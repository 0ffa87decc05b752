// What a view of a case is: one descriptor per view folder (views/<name>/view.ts), listed once in
// views/registry.ts. The case shell builds its tab bar, its panel and the fragment of the URL from
// the list, so a new view is its folder and one line there.

import type { ComponentType } from 'react';
import type { ApiClient, CaseSummary, TimeRange, ViewScope } from '../../core/api';
import type { CaseShape } from '../../core/domain/case/contract';
import type { FilterTargetName, RowDrill, TableId } from '../../core/domain/tables/contract';
import type { MetricId, TileDrill } from '../../core/domain/overview/contract';
import type { StreamTarget } from './contract';
import type { DrillStep } from './drill-path';

/**
 * A place in a view, as its part of the URL names it: anything but null, which a route's parse
 * keeps for "no place in this view" (a view with no places inside it has undefined).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- {} is "any value but null or undefined"
export type Place = {} | undefined;

/** How a view's part of the URL fragment (after #/case/<id>/<view id>/) is read and written. */
export interface ViewRoute<P extends Place> {
  /** The place in the view the segments name; null when they name none (the case's landing view shows instead). */
  parse(rest: readonly string[]): P | null;
  write(params: P): string[];
}

/** The drill path through the tables down to a stream's bytes, and how to walk it. */
export interface DrillPath {
  steps: readonly DrillStep[];
  /** The row to select when coming back up to a table. */
  restoreSelection: number | null;
  /** Back up to a depth (0: the top), to the table the step was taken from. */
  up(depth: number): void;
  /** Enter on a row: a step down into another table or into a stream's bytes. */
  down(drill: RowDrill, from: TableId, selected: number): void;
  /**
   * Another table picked from the tab bar while drilled in: the narrowing stays (a process's
   * errors), and each step now leads back up within the table picked, not the one it was taken from.
   */
  retarget(table: TableId): void;
}

/** What the case shell hands every view: the case, the scope it is narrowed by, and the ways out. */
export interface CaseContext {
  caseId: string;
  summary: CaseSummary;
  shape: CaseShape;
  scope: ViewScope;
  /** Changes when the index has grown or its ingest has ended: ask again. */
  revision: number;
  pinned: readonly MetricId[];
  togglePin(metric: MetricId): void;
  drillPath: DrillPath;
  /** A tile's drill: a table narrowed by a filter, or another view. */
  openTile(drill: TileDrill): void;
  openTable(table: TableId): void;
  openStream(target: StreamTarget): void;
  /** The HTTP view with one exchange selected. */
  openExchange(exchangeId: number): void;
  /** Narrows the case's time range (the HTTP latency chart's brush). */
  setRange(range: TimeRange | null): void;
  /** Puts a filter in force (a table cell applied as a filter, or excluded from it). */
  setFilter(filter: string): void;
}

export interface CaseViewProps<P extends Place> {
  context: CaseContext;
  params: P;
  /** Another place in this view, in place of the current one in the history. */
  go(params: P): void;
}

export interface ViewTab<P extends Place> {
  /** Where the view opens when its tab is picked. */
  initial(shape: CaseShape): P;
  /** The number the tab shows beside its label. */
  count?(shape: CaseShape, summary: CaseSummary): number;
  /**
   * For a view the filter and the range narrow, the number under them, asked again whenever they
   * change (in place of `count`, which shows until it answers); undefined when the filter does not
   * read for the view (a filter over system calls on the HTTP tab), and the tab then shows no number.
   */
  countInScope?(api: ApiClient, caseId: string, scope: ViewScope): Promise<number | undefined>;
}

export interface CaseView<P extends Place> {
  /** Its segment of the URL and its tab's id. */
  id: string;
  label: string;
  /** Whether the case's evidence gives the view something to show (its tab is offered). */
  appliesTo(shape: CaseShape): boolean;
  route: ViewRoute<P>;
  component: ComponentType<CaseViewProps<P>>;
  /**
   * Its tab in the case's tab bar, with the count it shows; null for a page opened from another
   * view (a stream's bytes): while it shows, the tab bar keeps the tab it was opened from selected.
   */
  tab: ViewTab<P> | null;
  /**
   * For a page that is not a tab: the tab it sits under when reached by its address alone (a
   * reload, a link pasted), when no tab opened it (a stream's bytes: Tables, whose rows lead there).
   */
  belongsTo?: string;
  /** For a view the filter bar and the timeline narrow: the filter target of the place shown (null: the filter does not apply there). */
  filterTarget?(params: P, shape: CaseShape): FilterTargetName | null;
  /** Backspace walks back up the drill path from this view. */
  onDrillPath?: true;
}

/** A registered view, whatever its params: each descriptor is checked against its own P where it is defined. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list of views forgets each view's params
export type AnyCaseView = CaseView<any>;

/** The route of a view with no place inside it: every address of it is the view itself. */
export const WHOLE_VIEW: ViewRoute<undefined> = {
  parse: () => undefined,
  write: () => [],
};
