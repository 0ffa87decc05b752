import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { AlertsPanel } from './AlertsPanel';

/** Security alerts from Falco rules: a syscall capture's (the rules read its events). */
export const alertsView: CaseView<undefined> = {
  id: 'alerts',
  label: 'Alerts',
  appliesTo: (shape) => shape.capabilities.includes('syscalls'),
  route: WHOLE_VIEW,
  tab: { initial: () => undefined },
  component: ({ context }) => <AlertsPanel caseId={context.caseId} revision={context.revision} onDrill={context.openTile} onOpenStream={context.openStream} />,
};
