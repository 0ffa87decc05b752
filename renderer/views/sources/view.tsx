import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { SourcesTab } from './SourcesTab';

export const sourcesView: CaseView<undefined> = {
  id: 'sources',
  label: 'Sources',
  appliesTo: () => true,
  route: WHOLE_VIEW,
  tab: { initial: () => undefined, count: (_, summary) => summary.sources.length },
  component: ({ context: { summary } }) => (
    <SourcesTab sources={summary.sources} indexing={summary.progress.state === 'running' || summary.progress.state === 'idle'} />
  ),
};
