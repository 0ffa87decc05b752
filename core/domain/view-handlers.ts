// Every method that reads an open case's index, gathered from the API domains: all of the contract
// but the case manager's own methods (app.*, case.*). The core serves them over its opened cases;
// tests and benchmarks serve them over indexes they opened themselves.

import type { HandlersOf } from '../api/wire';
import type { CaseAccess } from './case-access/case-access';
import { createAlertsHandlers } from './alerts/handlers';
import type { AlertsMethods } from './alerts/contract';
import { createShapeHandlers } from './case/handlers';
import type { CaseMethods } from './case/contract';
import { createFindingsHandlers } from './findings/handlers';
import type { FindingsMethods } from './findings/contract';
import { createHeapHandlers } from './heap/handlers';
import type { HeapMethods } from './heap/contract';
import { createHttpHandlers } from './http/handlers';
import type { HttpMethods } from './http/contract';
import { createOverviewHandlers } from './overview/handlers';
import { createProfileHandlers } from './profile/handlers';
import type { ProfileMethods } from './profile/contract';
import type { OverviewMethods } from './overview/contract';
import { createReportHandlers } from './report/handlers';
import type { ReportMethods } from './report/contract';
import { createStreamHandlers } from './streams/handlers';
import type { StreamMethods } from './streams/contract';
import { createTableHandlers } from './tables/handlers';
import { createExportHandlers } from './export/handlers';
import type { ExportMethods } from './export/contract';
import { createSearchHandlers } from './search/handlers';
import type { SearchMethods } from './search/contract';
import { createBookmarksHandlers } from './bookmarks/handlers';
import type { BookmarksMethods } from './bookmarks/contract';
import type { TableMethods } from './tables/contract';
import { createPacketHandlers } from './packets/handlers';
import type { PacketMethods } from './packets/contract';

export type ViewMethods = Pick<CaseMethods, 'explore.shape'> & OverviewMethods & TableMethods & StreamMethods & HttpMethods & HeapMethods & ProfileMethods & FindingsMethods & AlertsMethods & ReportMethods & ExportMethods & SearchMethods & BookmarksMethods & PacketMethods;

export function createViewHandlers(access: CaseAccess): HandlersOf<ViewMethods> {
  return {
    ...createShapeHandlers(access),
    ...createOverviewHandlers(access),
    ...createTableHandlers(access),
    ...createStreamHandlers(access),
    ...createHttpHandlers(access),
    ...createHeapHandlers(access),
    ...createProfileHandlers(access),
    ...createFindingsHandlers(access),
    ...createAlertsHandlers(access),
    ...createReportHandlers(access),
    ...createExportHandlers(access),
    ...createSearchHandlers(access),
    ...createBookmarksHandlers(access),
    ...createPacketHandlers(access),
  };
}
