import { caseRoute, isCountSegment, routeHash } from '../../routing/route';
import type { ViewRoute } from '../../view-kit/case-view';
import type { StreamTarget } from '../../view-kit/contract';

export const STREAM_VIEW_ID = 'stream';

/** #/case/<id>/stream/<stream>[/<in|out>/<offset>]: one stream's bytes, optionally at a byte of one direction. */
export const streamRoute: ViewRoute<StreamTarget> = {
  parse([streamId, dir, offset]) {
    if (!isCountSegment(streamId)) return null;
    if ((dir === 'in' || dir === 'out') && isCountSegment(offset)) return { streamId: Number(streamId), dir, offset: Number(offset) };
    return { streamId: Number(streamId) };
  },
  write: ({ streamId, dir, offset }) => (dir !== undefined && offset !== undefined ? [String(streamId), dir, String(offset)] : [String(streamId)]),
};

/** The address of a place in a stream, for links between streams. */
export function streamHash(caseId: string, target: StreamTarget): string {
  return routeHash(caseRoute(caseId, { view: STREAM_VIEW_ID, rest: streamRoute.write(target) }));
}
