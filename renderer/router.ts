import { useCallback, useSyncExternalStore } from 'react';

// Routes live in the URL fragment so that a reload keeps the view, with no server routing and
// no history entries outside the page (base './' works from capscope://app/ and from http).
export type CaseTab = 'sources' | 'diagnostics';
export const CASE_TABS: readonly CaseTab[] = ['sources', 'diagnostics'];

export type Route =
  | { name: 'start' }
  | { name: 'open' }
  | { name: 'case'; caseId: string; tab: CaseTab };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  if (parts[0] === 'open') return { name: 'open' };
  if (parts[0] === 'case' && parts[1]) {
    const tab = CASE_TABS.find((t) => t === parts[2]) ?? 'sources';
    return { name: 'case', caseId: decodeURIComponent(parts[1]), tab };
  }
  return { name: 'start' };
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case 'start':
      return '#/';
    case 'open':
      return '#/open';
    case 'case':
      return `#/case/${encodeURIComponent(route.caseId)}${route.tab === 'sources' ? '' : `/${route.tab}`}`;
  }
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
