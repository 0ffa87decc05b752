// The headline on the seed incident, end to end through `capscope http` and `capscope findings`:
// every 502 HAProxy sent is explained by the malformed upstream response it got, HAProxy's own log
// (termination state PH-- on each 502) and the recorded stream map (client connection ↔ upstream
// connection, from tshark) are the oracles.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

interface Finding {
  kind: string;
  cause: string | null;
  title: string;
  explanation: string;
  evidence: { stream: number; offset: number; length: number; excerpt: string }[];
}
interface Exchange {
  client: string;
  server: string;
  method: string | null;
  target: string | null;
  status: number | null;
  stream: number;
  latencyNs: string | null;
  diagnostics: { code: string; side: string; offset: number; line: string }[];
}

const oracle = corpus('pcap', 'oracle', 'haproxy-502');
/** client port → HAProxy's termination state and status, from its log. */
const haproxyLog = new Map(
  fs
    .readFileSync(path.join(oracle, 'haproxy-log.txt'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^127\.0\.0\.1:(\d+) .* (\d{3}) \d+ - - (\S{4}) /.exec(line)!;
      return [Number(m[1]), { status: Number(m[2]), state: m[3]! }] as const;
    }),
);
/** client port → the tshark stream number of the upstream connection HAProxy made for it. */
const streamMap = new Map(
  fs
    .readFileSync(path.join(oracle, 'stream-map.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const f = line.split('\t');
      return [Number(f[2]), { backendStream: Number(f[7]), clientStatus: Number(f[4]) }] as const;
    }),
);

describe.each(['haproxy-502.pcap', 'haproxy-502.pcapng', 'haproxy-502.pcap.gz'])('%s', (name) => {
  let exchanges: Exchange[];
  let findings: Finding[];
  let connectionIndexOf: Map<number, number>;

  beforeAll(async () => {
    const env = { CAPSCOPE_CACHE_DIR: scratchDir('findings') };
    const file = corpus('pcap', name);
    const [http, found, streams] = [
      await capscopeAsync(['http', '--json', file], env),
      await capscopeAsync(['findings', '--json', file], env),
      await capscopeAsync(['streams', '--json', file], env),
    ];
    for (const r of [http, found, streams]) expect(r.status, r.stderr).toBe(0);
    exchanges = (onlyJson(http) as { exchanges: Exchange[] }).exchanges;
    findings = (onlyJson(found) as { findings: Finding[] }).findings;
    connectionIndexOf = new Map((onlyJson(streams) as { streams: { id: number; connectionIndex: number }[] }).streams.map((s) => [s.id, s.connectionIndex]));
  });

  it('pairs every request with its response, as HAProxy and curl saw them', () => {
    expect(exchanges).toHaveLength(170);
    const downstream = exchanges.filter((e) => e.server === '127.0.0.1:8080');
    expect(downstream).toHaveLength(85);
    for (const e of downstream) {
      const port = Number(e.client.split(':')[1]);
      expect(e.status, `client port ${port}`).toBe(haproxyLog.get(port)!.status);
      expect(BigInt(e.latencyNs!)).toBeGreaterThan(0n);
    }
  });

  it('explains every 502 by the upstream response that HAProxy logged as PH--', () => {
    const proxyErrors = findings.filter((f) => f.kind === 'proxy-error');
    expect(proxyErrors).toHaveLength([...haproxyLog.values()].filter((l) => l.status === 502).length);
    for (const f of proxyErrors) {
      const port = Number(/to 127\.0\.0\.1:(\d+) /.exec(f.explanation)![1]);
      expect(haproxyLog.get(port)).toEqual({ status: 502, state: 'PH--' });
      expect(f.cause).toBe('malformed-upstream-response');
      expect(f.explanation).toContain('HAProxy logs this as termination state PH--');
      expect(f.explanation).toContain("sent the header line `text/plain: Content-type` — the field name 'text/plain' is not a token");
      expect(f.explanation).toContain('at byte 21 of its response');
      // The evidence points at the offending line, in the very upstream connection HAProxy used.
      const [line] = f.evidence;
      expect(line!.excerpt).toBe('text/plain: Content-type');
      expect(connectionIndexOf.get(line!.stream)).toBe(streamMap.get(port)!.backendStream);
    }
  });

  it('finds nothing wrong with the requests or the /health responses', () => {
    for (const e of exchanges) {
      const bad = e.diagnostics.filter((d) => !(d.code === 'invalid-field-name' && d.side === 'response'));
      expect(bad).toEqual([]);
      if (e.target === '/health') expect(e.diagnostics).toEqual([]);
    }
    expect(findings.filter((f) => f.kind === 'request-rejected')).toEqual([]);
  });
});
