import { useCallback, useSyncExternalStore } from 'react';
import { parseRoute, routeHash, type Route } from './address';

// The address as React state: the fragment, read and written through the browser's history. What
// the fragment means is address.ts's business (pure, so tests and the root type-check read it).
export * from './address';

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
