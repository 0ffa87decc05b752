import { useCallback, useMemo, useState } from 'react';
import type { RowDrill, TableId } from '../../core/domain/tables/contract';
import type { DrillPath } from '../view-kit/case-view';
import type { StreamTarget } from '../view-kit/contract';
import type { DrillStep } from '../view-kit/drill-path';

interface DrillMoves {
  openTable(table: TableId): void;
  openStream(target: StreamTarget): void;
}

/** The path from the top of the tables down rows to where the user is, with the row to come back to. */
export function useDrillPath({ openTable, openStream }: DrillMoves): DrillPath & { clear(): void } {
  const [steps, setSteps] = useState<DrillStep[]>([]);
  const [restoreSelection, setRestoreSelection] = useState<number | null>(null);

  const up = useCallback(
    (depth: number) => {
      const step = steps[depth];
      if (!step) return;
      setSteps(steps.slice(0, depth));
      setRestoreSelection(step.selected);
      openTable(step.from);
    },
    [steps, openTable],
  );

  const down = useCallback(
    (drill: RowDrill, from: TableId, selected: number) => {
      setSteps((p) => [...p, { label: drill.label, from, selected, set: drill.kind === 'table' ? drill.set : {} }]);
      setRestoreSelection(null);
      if (drill.kind === 'table') openTable(drill.next);
      else openStream({ streamId: drill.streamId });
    },
    [openTable, openStream],
  );

  const retarget = useCallback((table: TableId) => {
    // The rows selected in the old table mean nothing in this one: back up lands on its first.
    setSteps((p) => (p.every((s) => s.from === table) ? p : p.map((s) => ({ ...s, from: table, selected: 0 }))));
    setRestoreSelection(null);
  }, []);

  const clear = useCallback(() => {
    setSteps([]);
    setRestoreSelection(null);
  }, []);

  return useMemo(() => ({ steps, restoreSelection, up, down, retarget, clear }), [steps, restoreSelection, up, down, retarget, clear]);
}
