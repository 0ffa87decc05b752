import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { HttpView } from './HttpView';

export const httpView: CaseView<undefined> = {
  id: 'http',
  label: 'HTTP',
  appliesTo: (shape) => shape.streams > 0 || shape.httpExchanges > 0,
  route: WHOLE_VIEW,
  tab: { initial: () => undefined, count: (shape) => shape.httpExchanges },
  filterTarget: () => 'http',
  component: ({ context }) => (
    <HttpView caseId={context.caseId} scope={context.scope} revision={context.revision} onOpenStream={context.openStream} onRangeChange={context.setRange} />
  ),
};
