// The seed incident as a syscall capture, for the report's container and process sections: curl on
// the host → haproxy in container edge-lb → python in container ticket-server, whose /getticket
// responses carry the invalid header line `text/plain: Content-type` (so haproxy answers 502),
// while /health is fine. python also fails to open a file (ENOENT) and haproxy's first connect to
// a second backend is refused (ECONNREFUSED). I/O is cut to kubectl capture's 80-byte snaplen.

import { P } from '../../helpers/scap-writer';
import { BAD_GATEWAY, BAD_RESPONSE, GOOD_RESPONSE, PROXIED_OK, PROXY_IP, proxiedExchange, request, seedIncidentScap, TID } from '../../helpers/scap-incident';

export { EDGE, START_NS, TICKETS } from '../../helpers/scap-incident';

/** `metadataAt`: stamp the container metadata events with this time (a 2017 kubectl capture stamps them 0). */
export function scapIncident({ metadataAt }: { metadataAt?: bigint } = {}): Buffer {
  // 1 ms between calls, 100 ms before each request: exchanges far enough apart to tell in a report.
  const w = seedIncidentScap({ step: 1_000_000n, pythonArgs: ['ticket_server.py', '--db-password=hunter2'], metadataAt });

  // A second backend that refuses haproxy's connection.
  w.ev('socket', '>', TID.haproxy, [P.u32(2), P.u32(1), P.u32(0)]);
  w.ev('socket', '<', TID.haproxy, [P.i64(9)]);
  w.ev('connect', '>', TID.haproxy, [P.i64(9), P.sockaddr4('10.4.0.13', 80)]);
  w.ev('connect', '<', TID.haproxy, [P.i64(-111), P.tuple4(PROXY_IP, 34000, '10.4.0.13', 80)]);
  w.close(TID.haproxy, 9);
  w.ev('open', '>', TID.python, [P.str('/srv/tickets.db'), P.u32(1), P.u32(0)]);
  w.ev('open', '<', TID.python, [P.i64(-2), P.str('/srv/tickets.db'), P.u32(1), P.u32(0), P.u32(0)]);

  const exchange = (round: number, path: string, upstreamResponse: string, clientResponse: string) =>
    proxiedExchange(w, { round, request: request(path), upstreamRequest: request(path, { lowercase: true }), upstreamResponse, clientResponse, firstStep: 100_000_000n });
  exchange(0, '/getticket', BAD_RESPONSE, BAD_GATEWAY);
  exchange(1, '/health', GOOD_RESPONSE, PROXIED_OK);
  exchange(2, '/getticket', BAD_RESPONSE, BAD_GATEWAY);
  return w.bytes();
}
