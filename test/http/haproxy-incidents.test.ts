// Every kind of proxy error HAProxy 2.6 logs, staged for real on loopback
// (test/fixtures/http/stage-haproxy-incidents.sh: HAProxy in front of bad-backends.py, curl,
// tcpdump): each error HAProxy logged must get the finding whose cause matches its termination state.
// Twice: with everything on 127.0.0.1, and with HAProxy listening on [::1] and forwarding over IPv4
// (haproxy-dualstack), where the proxy's address differs between its two sides.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAPROXY_STATE } from '../../core/analysis/findings/proxy-errors';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { REPO_ROOT, scratchDir } from '../helpers/paths';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'http');

interface Finding {
  kind: string;
  cause: string | null;
  explanation: string;
  evidence: { stream: number; excerpt: string }[];
}

/** client address → what HAProxy logged for that connection ("[::1]:46558" as capscope writes it). */
function haproxyLog(name: string) {
  return fs
    .readFileSync(path.join(FIXTURES, `${name}.log`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(\S+):(\d+) .* (\d{3}) -?\d+ - - (\S{4}) .* "(.*)"$/.exec(line);
      if (!m) throw new Error(`unreadable HAProxy log line: ${line}`);
      const client = m[1]!.includes(':') ? `[${m[1]}]:${m[2]}` : `${m[1]}:${m[2]}`;
      return { client, status: Number(m[3]), state: m[4]!, request: m[5]! };
    });
}

describe.each(['haproxy-incidents', 'haproxy-dualstack'])('staged HAProxy incidents (%s)', (name) => {
  const log = haproxyLog(name);
  let findings: Finding[];

  beforeAll(async () => {
    const result = await capscopeAsync(['findings', '--json', path.join(FIXTURES, `${name}.pcap`)], { CAPSCOPE_CACHE_DIR: scratchDir('incidents') });
    expect(result.status, result.stderr).toBe(0);
    findings = (onlyJson(result) as { findings: Finding[] }).findings;
  });

  it('staged every termination state it means to test', () => {
    expect(new Set(log.map((l) => l.state))).toEqual(new Set(['----', 'PH--', 'SH--', 'SD--', 'sH--', 'SC--', 'PR--']));
  });

  it.each(log.filter((l) => l.state !== '----').map((l) => [l.state, l.request, l]))('%s on %s gets the finding that names its cause', (_state, _request, entry) => {
    const about = findings.filter((f) => f.explanation.includes(` to ${entry.client} `));
    expect(about, JSON.stringify(findings.map((f) => f.explanation), null, 1)).toHaveLength(1);
    const [finding] = about;
    if (entry.state === 'PR--') {
      expect(finding).toMatchObject({ kind: 'request-rejected', cause: 'malformed-request' });
      expect(finding!.evidence[0]!.excerpt).toBe('Bad Header: x');
    } else {
      expect(finding!.kind).toBe('proxy-error');
      expect(HAPROXY_STATE[finding!.cause as keyof typeof HAPROXY_STATE]).toBe(entry.state);
    }
    expect(finding!.explanation).toContain(`HAProxy logs this as termination state ${entry.state}`);
  });

  it('raises nothing about the connections HAProxy logged as clean', () => {
    for (const entry of log.filter((l) => l.state === '----')) {
      expect(findings.filter((f) => f.explanation.includes(` to ${entry.client} `))).toEqual([]);
    }
  });
});
