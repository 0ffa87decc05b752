import { Breadcrumb } from '../../components/Breadcrumb';
import type { CaseView, CaseViewProps } from '../../view-kit/case-view';
import type { StreamTarget } from '../../view-kit/contract';
import { STREAM_VIEW_ID, streamRoute } from './stream-route';
import { StreamView } from './StreamView';

/** A stream's bytes: opened from a row, a finding or an HTTP exchange, not a tab of its own. */
export const streamView: CaseView<StreamTarget> = {
  id: STREAM_VIEW_ID,
  label: 'I/O',
  appliesTo: (shape) => shape.streams > 0,
  route: streamRoute,
  tab: null,
  // Its connection or file is a row of the tables; opened from another tab, it stays under that one.
  belongsTo: 'tables',
  onDrillPath: true,
  component: StreamPage,
};

/** The bytes, under the drill path that led to them when they were reached from the tables. */
function StreamPage({ context, params }: CaseViewProps<StreamTarget>) {
  const { steps, up } = context.drillPath;
  const from = steps[steps.length - 1]?.from;
  return (
    <>
      {from !== undefined && (
        <div className="toolbar">
          <Breadcrumb path={steps} current={streamView.label} onUp={up} />
          <span className="muted small">Backspace: back to {(context.shape.tables.find((t) => t.id === from)?.label ?? from).toLowerCase()}</span>
        </div>
      )}
      <StreamView caseId={context.caseId} target={params} />
    </>
  );
}
