import type { CaseView } from '../../view-kit/case-view';
import { PacketsView } from './PacketsView';

/** Where in the packet list: one connection's packets, and a packet to select. */
export interface PacketPlace {
  streamId?: number;
  frame?: { sourceId: number; frame: number };
}

const wholeNumber = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : null);

/**
 * #/case/<id>/packets[/stream/<streamId>][/frame/<sourceId>/<frame>]: the capture's packets (or a
 * connection's, Wireshark's conversation filter), with a packet selected.
 */
export const packetsView: CaseView<PacketPlace> = {
  id: 'packets',
  label: 'Packets',
  appliesTo: (shape) => shape.capabilities.includes('packets'),
  route: {
    parse: (rest) => {
      const place: PacketPlace = {};
      for (let i = 0; i < rest.length; ) {
        if (rest[i] === 'stream' && wholeNumber(rest[i + 1]) !== null) {
          place.streamId = wholeNumber(rest[i + 1])!;
          i += 2;
        } else if (rest[i] === 'frame' && wholeNumber(rest[i + 1]) !== null && wholeNumber(rest[i + 2]) !== null) {
          place.frame = { sourceId: wholeNumber(rest[i + 1])!, frame: wholeNumber(rest[i + 2])! };
          i += 3;
        } else return null;
      }
      return place;
    },
    write: (place) => [...(place.streamId === undefined ? [] : ['stream', String(place.streamId)]), ...(place.frame ? ['frame', String(place.frame.sourceId), String(place.frame.frame)] : [])],
  },
  tab: {
    initial: () => ({}),
    count: (shape) => shape.packets,
    countInScope: async (api, caseId, scope) => {
      // Asked first, so that a filter over other rows is not a failed request.
      if (scope.filter && !(await api.call('filter.check', { expr: scope.filter, target: 'streams' })).ok) return undefined;
      return (await api.call('packets.page', { caseId, scope, limit: 1, offset: 0 })).total;
    },
  },
  filterTarget: () => 'streams',
  component: ({ context, params, go }) => (
    <PacketsView caseId={context.caseId} scope={context.scope} revision={context.revision} place={params} go={go} onFilter={context.setFilter} onOpenStream={context.openStream} />
  ),
};
