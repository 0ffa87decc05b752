import { isCountSegment } from '../../routing/route';
import type { CaseView } from '../../view-kit/case-view';
import { ProfileView, type ProfileTab } from './ProfileView';

/** Which profile (a source's id, or null for the case's first) and which of its views. */
export interface ProfilePlace {
  sourceId: number | null;
  tab: ProfileTab;
}

const TABS: readonly ProfileTab[] = ['flame', 'top', 'goroutines', 'compare', 'documents'];

/** #/case/<id>/profile[/<sourceId>[/<tab>]]. */
export const profileView: CaseView<ProfilePlace> = {
  id: 'profile',
  label: 'Profiles',
  appliesTo: (shape) => shape.capabilities.includes('profile'),
  route: {
    parse: ([sourceId, tab]) => ({ sourceId: isCountSegment(sourceId) ? Number(sourceId) : null, tab: TABS.includes(tab as ProfileTab) ? (tab as ProfileTab) : 'flame' }),
    write: ({ sourceId, tab }) => (sourceId === null ? [] : tab === 'flame' ? [String(sourceId)] : [String(sourceId), tab]),
  },
  tab: { initial: () => ({ sourceId: null, tab: 'flame' }) },
  component: ({ context, params, go }) => <ProfileView caseId={context.caseId} sourceId={params.sourceId} tab={params.tab} onPlace={(sourceId, tab) => go({ sourceId, tab })} />,
};
