// Routes live in the URL fragment so that a reload keeps the view, with no server routing and
// no history entries outside the page (base './' works from capscope://app/ and from http).
//
//   #/open                                   the open screen
//   #/case/<id>                              the case's landing view
//   #/case/<id>/<view>[/<the view's own part>]   a view of the case (views/registry.ts)
//
// This module reads and writes the fragment only; which views exist and what their part of the
// fragment means is the view registry's business, so a new view never edits this file.

/** A case page as the fragment names it: a view's id ('' for the landing view) and the rest of the path, which that view reads. */
export interface CasePage {
  view: string;
  rest: readonly string[];
}

export type Route = { name: 'start' } | { name: 'open' } | { name: 'case'; caseId: string; page: CasePage };

/** The bare case address: the views registry decides which view lands there. */
export const LANDING_PAGE: CasePage = { view: '', rest: [] };

/** A part of the address that names an id or an offset: decimal digits, at most 15 (exact as a number). */
export function isCountSegment(s: string | undefined): s is string {
  return s !== undefined && /^\d{1,15}$/.test(s);
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'open') return { name: 'open' };
  if (parts[0] === 'case' && parts[1]) {
    const [view = '', ...rest] = parts.slice(2);
    return { name: 'case', caseId: decodeURIComponent(parts[1]), page: { view, rest } };
  }
  return { name: 'start' };
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'start':
      return '#/';
    case 'open':
      return '#/open';
    case 'case': {
      const { view, rest } = route.page;
      return `#/case/${encodeURIComponent(route.caseId)}${view === '' ? '' : ['', view, ...rest].join('/')}`;
    }
  }
}

export function caseRoute(caseId: string, page: CasePage = LANDING_PAGE): Route {
  return { name: 'case', caseId, page };
}

/**
 * Where a bare address lands once the app knows what it was started with: the case given on the
 * command line, else the Open view; null when the address (as it is now) already names a page.
 */
export function landingRoute(info: { initialCaseId?: string | null }, currentHash: string): Route | null {
  if (parseRoute(currentHash).name !== 'start') return null;
  return info.initialCaseId ? caseRoute(info.initialCaseId) : { name: 'open' };
}
