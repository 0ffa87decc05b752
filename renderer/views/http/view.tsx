import { isCountSegment } from '../../routing/route';
import type { CaseView, ViewRoute } from '../../view-kit/case-view';
import { HttpView } from './HttpView';

/** The exchange selected, when the address names one (a finding's "exchange 5"). */
export interface HttpPlace {
  exchangeId?: number;
}

/** #/case/<id>/http[/<exchange>]. */
const httpRoute: ViewRoute<HttpPlace> = {
  parse: ([exchangeId]) => (isCountSegment(exchangeId) ? { exchangeId: Number(exchangeId) } : {}),
  write: ({ exchangeId }) => (exchangeId === undefined ? [] : [String(exchangeId)]),
};

export const httpView: CaseView<HttpPlace> = {
  id: 'http',
  label: 'HTTP',
  appliesTo: (shape) => shape.streams > 0 || shape.httpExchanges > 0,
  route: httpRoute,
  tab: {
    initial: () => ({}),
    count: (shape) => shape.httpExchanges,
    countInScope: async (api, caseId, scope) => {
      // Asked first, so that a filter over other rows is not a failed request.
      if (scope.filter && !(await api.call('filter.check', { expr: scope.filter, target: 'http' })).ok) return undefined;
      return (await api.call('http.exchanges', { caseId, scope, limit: 1, offset: 0 })).total;
    },
  },
  filterTarget: () => 'http',
  component: ({ context, params }) => (
    <HttpView
      caseId={context.caseId}
      scope={context.scope}
      revision={context.revision}
      onOpenStream={context.openStream}
      onRangeChange={context.setRange}
      onFilter={context.setFilter}
      initialExchange={params.exchangeId ?? null}
    />
  ),
};
