import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { OverviewView } from './OverviewView';

export const overviewView: CaseView<undefined> = {
  id: 'overview',
  label: 'Overview',
  appliesTo: () => true,
  route: WHOLE_VIEW,
  tab: { initial: () => undefined },
  filterTarget: (_, shape) => shape.overviewTarget,
  component: ({ context }) => (
    <OverviewView
      caseId={context.caseId}
      shape={context.shape}
      scope={context.scope}
      revision={context.revision}
      pinned={context.pinned}
      onTogglePin={context.togglePin}
      onDrill={context.openTile}
      onOpenStream={context.openStream}
      onOpenExchange={context.openExchange}
    />
  ),
};
