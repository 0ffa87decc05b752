// The findings pass: runs after the HTTP analysis, over its tables and the heap dumps' suspects.

import type Database from 'better-sqlite3';
import { findErrorRates } from './error-rates';
import { findLeakSuspects } from './leak-suspects';
import { storeFindings } from './finding';
import { findProxyErrors } from './proxy-errors';
import { findGrpcErrors } from './grpc-errors';
import { findHttp2Storms } from './http2-storms';
import { findRejectedRequests } from './rejected-requests';
import { findServiceErrors } from './service-errors';

export function analyseFindings(db: Database.Database): number {
  const findings = [...findProxyErrors(db), ...findServiceErrors(db), ...findGrpcErrors(db), ...findHttp2Storms(db), ...findRejectedRequests(db), ...findErrorRates(db), ...findLeakSuspects(db)];
  storeFindings(db, findings);
  return findings.length;
}
