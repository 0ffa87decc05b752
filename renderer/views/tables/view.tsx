import { TABLE_IDS, type TableId } from '../../../core/domain/tables/contract';
import type { CaseView } from '../../view-kit/case-view';
import { TablesView } from './TablesView';

/** #/case/<id>/tables/<table>: one of the tables; an unknown table reads as the processes. */
export const tablesView: CaseView<TableId> = {
  id: 'tables',
  label: 'Tables',
  appliesTo: (shape) => shape.tables.length > 0,
  route: {
    parse: ([table]) => TABLE_IDS.find((t) => t === table) ?? 'processes',
    write: (table) => [table],
  },
  tab: { initial: (shape) => (shape.tables.some((t) => t.id === 'processes') ? 'processes' : (shape.tables[0]?.id ?? 'connections')) },
  filterTarget: (table, shape) => shape.tables.find((t) => t.id === table)?.filterTarget ?? null,
  onDrillPath: true,
  component: ({ context, params, go }) => (
    <TablesView
      caseId={context.caseId}
      shape={context.shape}
      table={params}
      scope={context.scope}
      onFilter={context.setFilter}
      revision={context.revision}
      path={context.drillPath.steps}
      onTable={(next) => {
        context.drillPath.retarget(next);
        go(next);
      }}
      onDrill={context.drillPath.down}
      onUp={context.drillPath.up}
      restoreSelection={context.drillPath.restoreSelection}
    />
  ),
};
