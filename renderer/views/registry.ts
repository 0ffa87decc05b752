// The views of a case, one line each, in tab order; the first is the case's landing view. The case
// shell builds its tab bar and its panel from this list, and reads and writes the URL through it.

import { LANDING_PAGE, type CasePage } from '../routing/route';
import type { AnyCaseView, CaseView, Place } from '../view-kit/case-view';
import { alertsView } from './alerts/view';
import { bookmarksView } from './bookmarks/view';
import { diagnosticsView } from './diagnostics/view';
import { heapView } from './heap/view';
import { httpView } from './http/view';
import { overviewView } from './overview/view';
import { packetsView } from './packets/view';
import { profileView } from './profile/view';
import { searchView } from './search/view';
import { sourcesView } from './sources/view';
import { streamView } from './stream/view';
import { tablesView } from './tables/view';

export const CASE_VIEWS: readonly AnyCaseView[] = [
  overviewView,
  tablesView,
  packetsView,
  httpView,
  searchView,
  alertsView,
  heapView,
  profileView,
  sourcesView,
  diagnosticsView,
  bookmarksView,
  streamView,
];

// The drills the API describes lead to these two by name (a row's table or stream); a finding's
// exchange leads to the HTTP view.
export { httpView, streamView, tablesView };

const LANDING = CASE_VIEWS[0]!;

/** A view and the place in it that a case page names. */
export interface OpenView<P extends Place = Place> {
  view: CaseView<P>;
  params: P;
}

/** The view a page of the URL names; an unknown view, or a place it cannot read, is the landing view. */
export function openViewAt(page: CasePage): OpenView {
  const view = CASE_VIEWS.find((v) => v.id === page.view) ?? LANDING;
  const params: Place | null = view.route.parse(page.rest);
  return params === null ? { view: LANDING, params: LANDING.route.parse([]) } : { view, params };
}

/** The page of the URL for a place in a view (the landing view's own address is the bare case). */
export function pageOf<P extends Place>(view: CaseView<P>, params: P): CasePage {
  const rest = view.route.write(params);
  return view.id === LANDING.id && rest.length === 0 ? LANDING_PAGE : { view: view.id, rest };
}

export function viewNamed(id: string): AnyCaseView | undefined {
  return CASE_VIEWS.find((v) => v.id === id);
}
