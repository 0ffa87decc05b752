import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { DiagnosticsTab } from './DiagnosticsTab';

export const diagnosticsView: CaseView<undefined> = {
  id: 'diagnostics',
  label: 'Diagnostics',
  appliesTo: () => true,
  route: WHOLE_VIEW,
  tab: { initial: () => undefined, count: (_, summary) => summary.diagnosticCount },
  component: ({ context: { caseId, summary } }) => <DiagnosticsTab caseId={caseId} sources={summary.sources} diagnosticCount={summary.diagnosticCount} />,
};
