// A connection upgraded to HTTP/2 over cleartext (RFC 7540 §3.2): an HTTP/1.1 request carrying
// `Upgrade: h2c` answered `101 Switching Protocols`. Past the 101 the server's bytes are HTTP/2
// frames (its SETTINGS first); past the request, the client's are the connection preface and
// frames. The upgrade request is stream 1 and its response comes on stream 1 as HTTP/2, so the
// exchange is one: its request read as HTTP/1, the 101 as an interim response, its final response
// read as HTTP/2. The rest of the connection's streams are HTTP/2 exchanges like any other.

import type { HttpMessage } from '../../../parsers/http/message-parser';
import { pairView, type Exchange } from './exchanges';
import { http2Exchanges, type Http2View } from './http2-views';
import type { ParsedView } from './views';

export interface H2cUpgrade {
  /** The request that asked for the upgrade (stream 1). */
  request: HttpMessage;
  /** The 101 that granted it. */
  switched: HttpMessage;
  /** Where HTTP/2 begins in the request direction (the preface) and in the response direction. */
  clientFrom: number;
  serverFrom: number;
}

const fieldValue = (m: HttpMessage, name: string) => m.headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
const asksForH2c = (m: HttpMessage) => fieldValue(m, 'upgrade').split(',').some((v) => v.trim().toLowerCase() === 'h2c');

/** The h2c upgrade of an HTTP/1 view, or null when it has none (a 101 to another protocol included). */
export function findH2cUpgrade(p: ParsedView): H2cUpgrade | null {
  const switched = p.responses.find((r) => r.status === 101 && r.end !== null && fieldValue(r, 'upgrade').trim().toLowerCase() === 'h2c');
  if (!switched) return null;
  // The request it answers: the last one that asked for h2c before the 101 was sent.
  const request = [...p.requests].reverse().find((r) => r.startTs <= switched.startTs && r.end !== null && asksForH2c(r));
  if (!request) return null;
  return { request, switched, clientFrom: request.end!, serverFrom: switched.end! };
}

/** The view's HTTP/1 messages up to the upgrade (what follows it is HTTP/2, not HTTP/1 gone wrong). */
export function beforeUpgrade(p: ParsedView, up: H2cUpgrade): ParsedView {
  return { ...p, requests: p.requests.filter((r) => r.start < up.clientFrom), responses: p.responses.filter((r) => r.start <= up.switched.start) };
}

/** The exchanges of an upgraded view: HTTP/1 up to the upgrade, the upgrade request answered on stream 1, then HTTP/2. */
export function upgradedExchanges(p: ParsedView & { http2: Http2View }, up: H2cUpgrade): Exchange[] {
  const http1 = pairView(p);
  const http2 = http2Exchanges(p);
  const stream1 = http2.findIndex((e) => e.http2!.exchange.streamId === 1 && e.request === null);
  const owner = http1.find((e) => e.request?.message === up.request);
  if (stream1 >= 0 && owner) {
    const [answer] = http2.splice(stream1, 1);
    owner.response = answer!.response;
    owner.http2 = answer!.http2;
  }
  return [...http1, ...http2];
}
