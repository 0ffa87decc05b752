import { useEffect, useState } from 'react';
import { useApp } from '../context/app-context';
import { useQuery } from '../hooks/use-query';
import { TabBar, panelId, tabId, type TabSpec } from '../components/TabBar';
import type { CasePage } from '../routing/route';
import type { CaseContext } from '../view-kit/case-view';
import { CASE_VIEWS, pageOf, viewNamed, type OpenView } from '../views/registry';

const TAB_PREFIX = 'case';

interface CaseTabsProps {
  context: CaseContext;
  open: OpenView;
  go(page: CasePage, options: { replace: boolean }): void;
}

/** A tab per registered view that applies to the case, and the open view's body under them. */
export function CaseTabs({ context, open, go }: CaseTabsProps) {
  const { shape, summary } = context;
  const { view, params } = open;
  // A page that is not a tab (a stream's bytes) keeps the tab it was opened from selected; reached by
  // its address alone, the tab it belongs under.
  const [lastTab, setLastTab] = useState(() => {
    const home = view.tab ? view.id : view.belongsTo;
    return home !== undefined && viewNamed(home)?.appliesTo(shape) ? home : CASE_VIEWS[0]!.id;
  });
  useEffect(() => {
    if (view.tab) setLastTab(view.id);
  }, [view]);
  const selected = view.tab ? view.id : lastTab;

  const inScope = useCountsInScope(context);
  const tabs: TabSpec<string>[] = CASE_VIEWS.flatMap((v) => {
    if (!v.tab || !v.appliesTo(shape)) return [];
    const count = v.id in inScope ? inScope[v.id] : v.tab.count?.(shape, summary);
    return [count === undefined ? { id: v.id, label: v.label } : { id: v.id, label: v.label, count }];
  });

  function selectTab(id: string) {
    const next = viewNamed(id);
    if (next?.tab) go(pageOf(next, next.tab.initial(shape)), { replace: true });
  }

  const Body = view.component;
  return (
    <>
      <TabBar label="Case views" idPrefix={TAB_PREFIX} tabs={tabs} selected={selected} onSelect={selectTab} />
      <section
        className="tab-panel"
        role="tabpanel"
        id={panelId(TAB_PREFIX, selected)}
        aria-labelledby={tabId(TAB_PREFIX, selected)}
        // Reachable by Tab even when the panel holds nothing focusable (a plain table).
        tabIndex={0}
      >
        <Body context={context} params={params} go={(next: typeof params) => go(pageOf(view, next), { replace: true })} />
      </section>
    </>
  );
}

/**
 * The counts of the tabs whose views the filter and the range narrow, under them (so the HTTP
 * badge says 49 once `http.status=502` is in force); undefined for a view the filter does not read for.
 */
function useCountsInScope({ caseId, scope, revision, shape }: CaseContext): Record<string, number | undefined> {
  const { api } = useApp();
  const views = CASE_VIEWS.filter((v) => v.tab?.countInScope && v.appliesTo(shape));
  const unscoped = !scope.filter && !scope.range;
  const { data } = useQuery(unscoped || views.length === 0 ? null : JSON.stringify([caseId, scope, revision]), async () =>
    Object.fromEntries(await Promise.all(views.map(async (v) => [v.id, await v.tab!.countInScope!(api, caseId, scope)] as const))),
  );
  return unscoped ? {} : (data ?? {});
}
