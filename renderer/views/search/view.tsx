import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { SearchView } from './SearchView';

/** Find bytes in every stream of the case (Wireshark's Find Packet, Sysdig Inspect's search). */
export const searchView: CaseView<undefined> = {
  id: 'search',
  label: 'Search',
  appliesTo: (shape) => shape.streams > 0,
  route: WHOLE_VIEW,
  tab: { initial: () => undefined },
  component: ({ context }) => <SearchView caseId={context.caseId} network={!context.shape.capabilities.includes('syscalls')} onOpenStream={context.openStream} />,
};
