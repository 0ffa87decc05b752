import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient, ApiError, AppInfo, CaseSummary, DesktopBridge } from '../../core/api';
import { AppContext, type AppContextValue } from '../context/app-context';
import { ErrorLine } from '../components/ErrorLine';
import { caseRoute, landingRoute, useRoute } from '../routing/route';
import { toApiError } from '../transport/errors';
import { adoptTokenFromUrl } from '../transport/web-token';
import { CaseShell } from '../case-shell/CaseShell';
import { UnauthorisedView } from '../views/notice/UnauthorisedView';
import { UnreachableView } from '../views/notice/UnreachableView';
import { OpenView } from '../views/open/OpenView';
import { ThemeSwitch } from '../components/ThemeSwitch';
import { untilEvidence } from '../views/open/until-evidence';

interface AppProps {
  api: ApiClient;
  bridge: DesktopBridge | null;
}

export function App({ api, bridge }: AppProps) {
  const [route, navigate] = useRoute();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [chooserRequested, setChooserRequested] = useState(false);
  // Failures of opens that no view asked for (menu, second instance): shown above any view.
  const [shellError, setShellError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    setStartError(null);
    api.call('app.info', {}).then(
      (next) => live && setInfo(next),
      (reason: unknown) => live && setStartError(toApiError(reason)),
    );
    return () => {
      live = false;
    };
  }, [api, attempt]);

  // Web mode: a token pasted into this tab arrives as a fragment change, not a reload; take it
  // and start over with it.
  useEffect(() => {
    if (bridge) return;
    const onHashChange = () => {
      if (!adoptTokenFromUrl()) return;
      setInfo(null);
      setAttempt((n) => n + 1);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [bridge]);

  // A bare URL lands on the case given on the command line, if any, else on the Open view.
  // The address is read again here, not taken from this render: a link followed or an address
  // typed between the render and this effect must not be overwritten by the landing page.
  useEffect(() => {
    if (!info || route.name !== 'start') return;
    const landing = landingRoute(info, location.hash);
    if (landing) navigate(landing, { replace: true });
  }, [info, route.name, navigate]);

  // An error from an earlier open is stale once another page is showing.
  const page = route.name === 'case' ? `case/${route.caseId}` : route.name;
  useEffect(() => {
    if (!page.startsWith('case/')) document.title = 'capscope';
    setShellError(null);
  }, [page]);

  const showCase = useCallback(
    (summary: CaseSummary) => navigate(caseRoute(summary.caseId)),
    [navigate],
  );

  const openPath = useCallback(
    async (path: string) => {
      const summary = await untilEvidence(api, await api.call('case.open', { path }));
      showCase(summary);
      return summary;
    },
    [api, showCase],
  );

  // The desktop shell hands over paths from its menu, the command line and second instances.
  useEffect(() => {
    if (!bridge || !info) return;
    return bridge.onOpenPath((path) => {
      openPath(path).catch((reason: unknown) => setShellError(toApiError(reason)));
    });
  }, [bridge, info, openPath]);

  // In the browser Ctrl/Cmd+O would open the browser's own file dialog; the desktop shell has
  // the same accelerator on its File menu.
  useEffect(() => {
    if (bridge) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'o') {
        event.preventDefault();
        setChooserRequested(true);
        navigate({ name: 'open' });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [bridge, navigate]);

  const context = useMemo<AppContextValue | null>(
    () => (info ? { api, info, bridge, navigate, openPath, showCase } : null),
    [api, info, bridge, navigate, openPath, showCase],
  );

  let body;
  if (startError?.code === 'unauthorized') body = <UnauthorisedView detail={startError.message} />;
  else if (startError) body = <UnreachableView detail={startError.message} onRetry={() => setAttempt((n) => n + 1)} />;
  else if (!context) body = <p className="status-line muted">Starting…</p>;
  else if (route.name === 'case') body = <CaseShell key={route.caseId} caseId={route.caseId} page={route.page} />;
  else if (route.name === 'open')
    body = <OpenView chooserRequested={chooserRequested} onChooserShown={() => setChooserRequested(false)} />;

  return (
    <AppContext.Provider value={context}>
      <header className="app-bar">
        {context ? (
          <button type="button" className="brand" onClick={() => navigate({ name: 'open' })} title="Open another file">
            capscope
          </button>
        ) : (
          <span className="brand">capscope</span>
        )}
        {context && route.name === 'case' && (
          <button type="button" className="app-bar-action" onClick={() => navigate({ name: 'open' })}>
            Open another file…
          </button>
        )}
        {info && (
          <span className="app-mode">
            {info.transport === 'electron' ? 'desktop' : 'web'} · v{info.version}
          </span>
        )}
        <ThemeSwitch />
      </header>
      <main className="app-main">
        <ErrorLine error={shellError} />
        {body}
      </main>
    </AppContext.Provider>
  );
}
