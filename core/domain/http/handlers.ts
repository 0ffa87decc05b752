// The HTTP domain's methods (./contract.ts): a page of exchanges, one exchange, the latency chart.
// Each handler checks its request and hands it to ./exchanges.ts.

import type { HandlersOf } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { oneOf, optionalWholeNumber, page, wholeNumber } from '../request-checks/request-checks';
import type { ExchangeSortColumn, HttpMethods } from './contract';
import { EXCHANGE_SORT_COLUMNS, exchangeDetail, exchangePage, latencySeries } from './exchanges';
import { exchangeExport } from './exchange-export';

const LATENCY_BUCKETS_DEFAULT = 120;
const LATENCY_BUCKETS_MAX = 2000;

export function createHttpHandlers(access: CaseAccess): HandlersOf<HttpMethods> {
  const db = (req: { caseId: string }) => access.db(String(req?.caseId));
  return {
    'http.exchanges': async (req) => {
      const column = oneOf<ExchangeSortColumn>(req.sort?.column, EXCHANGE_SORT_COLUMNS, 'sort.column', 'time');
      return exchangePage(db(req), req.scope, { column, desc: req.sort?.desc === true }, page(req, 200));
    },
    'http.exchange': async (req) => exchangeDetail(db(req), wholeNumber(req.id, 'id', 1)),
    'http.export': async (req) => {
      const column = oneOf<ExchangeSortColumn>(req.sort?.column, EXCHANGE_SORT_COLUMNS, 'sort.column', 'time');
      return exchangeExport(db(req), req.scope, { column, desc: req.sort?.desc === true }, req.format);
    },
    'http.latency': async (req) => latencySeries(db(req), req.scope, Math.min(optionalWholeNumber(req.buckets, 'buckets', 1) ?? LATENCY_BUCKETS_DEFAULT, LATENCY_BUCKETS_MAX)),
  };
}
