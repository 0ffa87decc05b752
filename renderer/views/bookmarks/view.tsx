import { WHOLE_VIEW, type CaseView } from '../../view-kit/case-view';
import { BookmarksView } from './BookmarksView';

/** The case's bookmarks with their notes, each opening its place. */
export const bookmarksView: CaseView<undefined> = {
  id: 'bookmarks',
  label: 'Bookmarks',
  appliesTo: () => true,
  route: WHOLE_VIEW,
  tab: { initial: () => undefined },
  component: ({ context }) => <BookmarksView context={context} />,
};
