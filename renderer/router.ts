import { useCallback, useSyncExternalStore } from 'react';
import { TABLE_IDS, type TableId } from '../core/domain/tables/contract';

// Routes live in the URL fragment so that a reload keeps the view, with no server routing and
// no history entries outside the page (base './' works from capscope://app/ and from http).
//
//   #/case/<id>                              overview (findings on top)
//   #/case/<id>/tables/<table>               one of the tables (containers, processes, ...)
//   #/case/<id>/http                         HTTP exchanges
//   #/case/<id>/stream/<stream>[/<in|out>/<offset>]   one stream's bytes
//   #/case/<id>/heap[/<sourceId>]            a heap dump (default: the case's first)
//   #/case/<id>/sources, #/case/<id>/diagnostics

export type CaseTab = 'overview' | 'tables' | 'http' | 'heap' | 'sources' | 'diagnostics';
export const CASE_TABS: readonly CaseTab[] = ['overview', 'tables', 'http', 'heap', 'sources', 'diagnostics'];

export type CasePage =
  | { tab: 'overview' }
  | { tab: 'tables'; table: TableId }
  | { tab: 'http' }
  | { tab: 'heap'; sourceId: number | null }
  | { tab: 'sources' }
  | { tab: 'diagnostics' }
  | { tab: 'stream'; streamId: number; dir?: 'in' | 'out'; offset?: number };

export type Route = { name: 'start' } | { name: 'open' } | { name: 'case'; caseId: string; page: CasePage };

const isCount = (s: string | undefined): s is string => s !== undefined && /^\d{1,15}$/.test(s);

function parseCasePage(parts: string[]): CasePage {
  const [tab, a, b, c] = parts;
  switch (tab) {
    case undefined:
    case '':
    case 'overview':
      return { tab: 'overview' };
    case 'tables':
      return { tab: 'tables', table: TABLE_IDS.find((t) => t === a) ?? 'processes' };
    case 'http':
      return { tab: 'http' };
    case 'heap':
      return { tab: 'heap', sourceId: isCount(a) ? Number(a) : null };
    case 'sources':
      return { tab: 'sources' };
    case 'diagnostics':
      return { tab: 'diagnostics' };
    case 'stream':
      if (!isCount(a)) return { tab: 'overview' };
      if ((b === 'in' || b === 'out') && isCount(c)) return { tab: 'stream', streamId: Number(a), dir: b, offset: Number(c) };
      return { tab: 'stream', streamId: Number(a) };
    default:
      return { tab: 'overview' };
  }
}

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'open') return { name: 'open' };
  if (parts[0] === 'case' && parts[1]) return { name: 'case', caseId: decodeURIComponent(parts[1]), page: parseCasePage(parts.slice(2)) };
  return { name: 'start' };
}

function casePagePath(page: CasePage): string {
  switch (page.tab) {
    case 'overview':
      return '';
    case 'tables':
      return `/tables/${page.table}`;
    case 'heap':
      return page.sourceId === null ? '/heap' : `/heap/${page.sourceId}`;
    case 'stream':
      return `/stream/${page.streamId}${page.dir !== undefined && page.offset !== undefined ? `/${page.dir}/${page.offset}` : ''}`;
    default:
      return `/${page.tab}`;
  }
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'start':
      return '#/';
    case 'open':
      return '#/open';
    case 'case':
      return `#/case/${encodeURIComponent(route.caseId)}${casePagePath(route.page)}`;
  }
}

/** The case's landing page. */
export function caseRoute(caseId: string, page: CasePage = { tab: 'overview' }): Route {
  return { name: 'case', caseId, page };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export type Navigate = (route: Route, options?: { replace?: boolean }) => void;

export function useRoute(): [Route, Navigate] {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  const navigate = useCallback<Navigate>((route, options) => {
    const target = routeHash(route);
    if (target === location.hash) return;
    if (options?.replace) {
      history.replaceState(history.state, '', target);
      // replaceState fires no hashchange; tell the subscribers ourselves.
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } else {
      location.hash = target;
    }
  }, []);
  return [parseRoute(hash), navigate];
}
