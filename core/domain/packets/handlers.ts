// The packets domain's methods (./contract.ts).

import { ApiError, type HandlersOf, type ViewScope } from '../../api/wire';
import type { CaseAccess } from '../case-access/case-access';
import { hasSourceWith } from '../case-access/sources-with';
import { readRange, scopeFilter } from '../scope/view-scope';
import type { PacketMethods } from './contract';
import { listPackets, packetDetail } from './packet-list';
import { packetByFrame, packetIndex, type PacketSelection } from './packet-rows';

/** Rows a page holds at most: the list asks for a screenful or so at a time. */
export const PACKET_PAGE_MAX = 500;

function selection(scope: ViewScope | undefined, streamId: number | undefined): PacketSelection {
  return { filter: scopeFilter(scope), range: readRange(scope?.range, 'scope.range'), ...(streamId === undefined ? {} : { streamId }) };
}

export function createPacketHandlers(access: CaseAccess): HandlersOf<PacketMethods> {
  const db = (caseId: string) => {
    const handle = access.db(caseId);
    if (!hasSourceWith(handle, 'packets')) throw new ApiError('bad-request', 'this case holds no network capture: packets come from a .pcap or .pcapng');
    return handle;
  };
  return {
    'packets.page': async (req) => listPackets(db(req.caseId), selection(req.scope, req.streamId), req.offset ?? 0, Math.min(req.limit ?? 100, PACKET_PAGE_MAX)),
    'packets.detail': async (req) => packetDetail(db(req.caseId), req.sourceId, req.frame),
    'packets.locate': async (req) => {
      const handle = db(req.caseId);
      const packet = packetByFrame(handle, req.sourceId, req.frame);
      if (!packet) return { index: null, reason: `the case holds no packet ${req.frame} in source ${req.sourceId}` };
      const index = packetIndex(handle, selection(req.scope, req.streamId), packet);
      return index === null ? { index: null, reason: `packet ${req.frame} is outside the ${req.streamId === undefined ? 'filter and range' : 'connection, filter and range'} in force` } : { index, reason: null };
    },
  };
}
