// Which upstream exchange did a proxy make for a client's request? The request the proxy forwarded
// began while the client's request waited, went to another server, and was made by the proxy.
//
// "Made by the proxy" is known outright in a syscall capture (the process or container that opened
// the upstream connection). A network capture only has addresses: the upstream connection leaves
// from one of the proxy's addresses, but not necessarily the one the client spoke to. A proxy that
// listens on IPv6 and forwards over IPv4 (a dual-stack Service in front of IPv4 pods, HAProxy's
// `bind :::8080 v4v6`) has one address on each side. So besides the proxy's listening address, an
// upstream is recognised as forwarded by what identifies a forwarded request — the same method,
// target and Host header (HAProxy and nginx pass them through unchanged), or an X-Forwarded-For
// naming the client — and the address it left from is learned as one of the proxy's own, which
// then also identifies the connections it opened that were refused before any request.

/** An exchange as far as pairing looks at it. */
export interface PairingExchange {
  id: number;
  client: string | null;
  server: string | null;
  pid: number | null;
  container_id: string | null;
  method: string | null;
  target: string | null;
  host: string | null;
  req_headers: string | null;
}

/** Who made a connection, from its client-side stream (a syscall capture knows; a network one does not). */
export type ConnectionMaker = (
  clientAddr: string | null,
  clientPort: number | null,
  serverAddr: string | null,
  serverPort: number | null,
) => { pid: number | null; container_id: string | null } | undefined;

export class UpstreamPairing<X extends PairingExchange> {
  /** Proxy listening endpoint → hosts its upstream connections were seen leaving from. */
  private readonly outbound = new Map<string, Set<string>>();

  constructor(private readonly makerOf: ConnectionMaker) {}

  /**
   * Learns the addresses the proxies of `subjects` connect from, before any pairing, so that the
   * first error of a capture is paired as well as the last: each subject's forwarded requests
   * (`startedWhileWaiting` gives the exchanges that began while it waited).
   */
  learn(subjects: readonly X[], startedWhileWaiting: (e: X) => readonly X[]): void {
    for (const e of subjects) {
      if (!networkOnly(e)) continue;
      for (const u of startedWhileWaiting(e)) {
        if (u.id !== e.id && u.server !== e.server && forwards(e, u)) this.addOutbound(e.server, hostOf(u.client));
      }
    }
  }

  /**
   * The upstream exchange for `e` among `window` (the exchanges that began while it waited), or
   * null; `used` are upstreams already given to another request.
   */
  choose(e: X, window: readonly X[], used: ReadonlySet<number>): X | null {
    const others = window.filter((u) => u.id !== e.id && !used.has(u.id) && u.server !== e.server);
    const made = others.filter((u) => this.madeByProxy(e, u));
    const pool = made.length > 0 ? made : networkOnly(e) ? others.filter((u) => forwards(e, u)) : [];
    const upstream = pool.find((u) => u.method === e.method && u.target === e.target) ?? pool.find((u) => u.method === e.method) ?? pool[0] ?? null;
    if (upstream && networkOnly(e)) this.addOutbound(e.server, hostOf(upstream.client));
    return upstream;
  }

  /** Whether a connection from `clientHost` can be one the proxy listening at `proxyServer` opened. */
  connectsFrom(proxyServer: string | null, clientHost: string | null): boolean {
    if (clientHost === null) return false;
    return hostOf(proxyServer) === clientHost || (proxyServer !== null && (this.outbound.get(proxyServer)?.has(clientHost) ?? false));
  }

  /** Whether `u` is a call the service that answered `e` made (its process, container, or address). */
  madeBy(e: PairingExchange, u: PairingExchange): boolean {
    return this.madeByProxy(e, u);
  }

  private madeByProxy(e: PairingExchange, u: PairingExchange): boolean {
    const [addr, port] = splitAddress(u.client);
    const [saddr, sport] = splitAddress(u.server);
    const maker = this.makerOf(addr, port, saddr, sport);
    if (e.pid !== null && maker?.pid != null) return maker.pid === e.pid;
    if (e.container_id !== null && maker?.container_id != null) return maker.container_id === e.container_id;
    return this.connectsFrom(e.server, hostOf(u.client));
  }

  private addOutbound(proxyServer: string | null, host: string | null): void {
    if (proxyServer === null || host === null) return;
    let hosts = this.outbound.get(proxyServer);
    if (!hosts) this.outbound.set(proxyServer, (hosts = new Set()));
    hosts.add(host);
  }
}

/** A proxy seen only on the network: no process or container to tell its connections by. */
function networkOnly(e: PairingExchange): boolean {
  return e.pid === null && e.container_id === null;
}

/** Whether `u` carries `e`'s request onward: the same request line and Host, or an X-Forwarded-For naming e's client. */
function forwards(e: PairingExchange, u: PairingExchange): boolean {
  if (e.method !== null && u.method === e.method && u.target === e.target && u.host === e.host) return true;
  const client = hostOf(e.client);
  return client !== null && forwardedFor(u.req_headers).includes(client);
}

/** The addresses X-Forwarded-For lists, from a req_headers JSON array of [name, value]. */
function forwardedFor(headersJson: string | null): string[] {
  if (headersJson === null || !/x-forwarded-for/i.test(headersJson)) return [];
  let headers: unknown;
  try {
    headers = JSON.parse(headersJson);
  } catch {
    return [];
  }
  if (!Array.isArray(headers)) return [];
  return headers
    .filter((h): h is [string, string] => Array.isArray(h) && typeof h[0] === 'string' && typeof h[1] === 'string' && h[0].toLowerCase() === 'x-forwarded-for')
    .flatMap(([, v]) => v.split(',').map((a) => a.trim().replace(/^\[|\]$/g, '')));
}

export function hostOf(address: string | null): string | null {
  return splitAddress(address)[0];
}

export function splitAddress(address: string | null): [string | null, number | null] {
  if (address === null) return [null, null];
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(address);
  return m ? [m[1]!, Number(m[2])] : [address, null];
}
