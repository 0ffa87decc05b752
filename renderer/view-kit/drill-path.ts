import type { DrillContext, TableId } from '../../core/domain/tables/contract';

/** One step down: where it was taken (table, selected row) and what it narrows. */
export interface DrillStep {
  label: string;
  /** The table the step was taken from, and the row that was selected there. */
  from: TableId;
  selected: number;
  set: DrillContext;
}

export function drillContext(path: readonly DrillStep[]): DrillContext {
  return Object.assign({}, ...path.map((s) => s.set)) as DrillContext;
}
