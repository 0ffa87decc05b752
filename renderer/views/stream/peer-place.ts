// Where a link to the other end's view of a connection leads, for a byte of this view: the same
// byte in the peer's matching direction, unless the peer's side moved fewer bytes than that offset
// (it read only part of what was sent, its capture began late): then its last byte, and why.

import type { StreamPeer } from '../../../core/domain/streams/contract';
import type { StreamTarget } from '../../view-kit/contract';

export interface PeerPlace {
  target: StreamTarget;
  /** Why the link does not open the same byte; null when it does (or no byte was asked for). */
  short: string | null;
}

export function peerPlace(peer: StreamPeer, at: StreamTarget): PeerPlace {
  const streamId = peer.stream.id;
  if (at.dir === undefined || at.offset === undefined) return { target: { streamId }, short: null };
  const dir = peer.outIs === 'out' ? at.dir : at.dir === 'out' ? 'in' : 'out';
  const moved = dir === 'in' ? peer.stream.bytesIn : peer.stream.bytesOut;
  if (at.offset < moved) return { target: { streamId, dir, offset: at.offset }, short: null };
  const verb = dir === 'in' ? 'received' : 'sent';
  if (moved === 0) return { target: { streamId }, short: `that side ${verb} no bytes, so byte ${at.offset} is not in its view` };
  return {
    target: { streamId, dir, offset: moved - 1 },
    short: `that side ${verb} only ${moved.toLocaleString('en-US')} bytes, so byte ${at.offset} is not in its view: the link opens its last`,
  };
}
