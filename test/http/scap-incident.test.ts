// The seed incident as a syscall capture sees it (written with the test scap writer, read back by
// sysdig elsewhere): curl → haproxy in container edge-lb → python in container ticket-server, the
// backend's response carrying `text/plain: Content-type`, every I/O cut to kubectl capture's default
// snaplen of 80 bytes. capscope must name the containers and processes, stitch the proxy↔backend
// connection seen from both ends into one exchange, and explain the 502.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_GATEWAY, BAD_RESPONSE, proxiedExchange, request, seedIncidentScap } from '../helpers/scap-incident';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';

function incident(): Buffer {
  return proxiedExchange(seedIncidentScap(), { round: 0, request: request('/getticket'), upstreamRequest: request('/getticket', { lowercase: true }), upstreamResponse: BAD_RESPONSE, clientResponse: BAD_GATEWAY }).bytes();
}

interface Finding {
  kind: string;
  cause: string;
  explanation: string;
  evidence: { stream: number; offset: number; excerpt: string }[];
}
interface Exchange {
  client: string;
  server: string;
  status: number;
  container: { id: string; name: string | null } | null;
  proc: string | null;
  truncated: boolean;
  diagnostics: { code: string; offset: number; line: string }[];
}

describe('the seed incident in a syscall capture, snaplen 80', () => {
  let findings: Finding[];
  let exchanges: Exchange[];
  let file: string;

  beforeAll(async () => {
    const dir = scratchDir('scap-incident');
    file = path.join(dir, 'edge-lb-502.scap');
    fs.writeFileSync(file, incident());
    const env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
    const http = await capscopeAsync(['http', '--json', file], env);
    const found = await capscopeAsync(['findings', '--json', file], env);
    expect(http.status, http.stderr).toBe(0);
    expect(found.status, found.stderr).toBe(0);
    exchanges = (onlyJson(http) as { exchanges: Exchange[] }).exchanges;
    findings = (onlyJson(found) as { findings: Finding[] }).findings;
  });

  it('is a capture sysdig reads as the same story', () => {
    const sysdig = spawnSync('sysdig', ['-r', file, '-p', '%container.name %proc.name %evt.type %fd.name %evt.rawres', 'evt.dir=< and evt.type in (read, write)'], { encoding: 'utf8', timeout: 30_000 });
    expect(sysdig.status, sysdig.stderr).toBe(0);
    const lines = sysdig.stdout.trim().split('\n');
    expect(lines).toContain(`ticket-server python write 10.4.0.31:34560->10.4.0.12:80 ${BAD_RESPONSE.length}`);
    expect(lines).toContain(`edge-lb haproxy write 10.4.0.50:51000->10.4.0.31:80 ${BAD_GATEWAY.length}`);
  });

  it('sees two exchanges, each connection once although both of its ends were captured', () => {
    expect(exchanges.map((e) => [e.client, e.server, e.status, e.container?.name, e.proc])).toEqual([
      ['10.4.0.50:51000', '10.4.0.31:80', 502, 'edge-lb', 'haproxy'],
      ['10.4.0.31:34560', '10.4.0.12:80', 200, 'ticket-server', 'python'],
    ]);
    expect(exchanges.every((e) => e.truncated)).toBe(true);
  });

  it('diagnoses the header inside the 80 captured bytes, and nothing in the bytes that were cut', () => {
    expect(exchanges[0]!.diagnostics).toEqual([]);
    expect(exchanges[1]!.diagnostics).toEqual([expect.objectContaining({ code: 'invalid-field-name', offset: 21, line: 'text/plain: Content-type' })]);
  });

  it('explains the 502 with the containers and processes involved', () => {
    const proxyErrors = findings.filter((f) => f.kind === 'proxy-error');
    expect(proxyErrors).toHaveLength(1);
    const [f] = proxyErrors;
    expect(f!.cause).toBe('malformed-upstream-response');
    expect(f!.explanation).toBe(
      "haproxy (container edge-lb, 10.4.0.31:80) answered 502 Bad Gateway to 10.4.0.50:51000 for GET /getticket because its upstream, python (container ticket-server, 10.4.0.12:80), sent the header line `text/plain: Content-type` — the field name 'text/plain' is not a token: it contains '/' at position 5, which a token may not (RFC 9110 §5.1) — at byte 21 of its response. HAProxy logs this as termination state PH--.",
    );
    expect(f!.evidence[0]).toMatchObject({ offset: 21, excerpt: 'text/plain: Content-type' });
  });
});
