// Every kind of proxy error HAProxy 2.6 logs, staged for real on loopback
// (test/fixtures/http/stage-haproxy-incidents.sh: HAProxy in front of bad-backends.py, curl,
// tcpdump): each error HAProxy logged must get the finding whose cause matches its termination state.

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

/** client port → what HAProxy logged for that connection. */
const log = fs
  .readFileSync(path.join(FIXTURES, 'haproxy-incidents.log'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => {
    const m = /^127\.0\.0\.1:(\d+) .* (\d{3}) -?\d+ - - (\S{4}) .* "(.*)"$/.exec(line);
    if (!m) throw new Error(`unreadable HAProxy log line: ${line}`);
    return { port: Number(m[1]), status: Number(m[2]), state: m[3]!, request: m[4]! };
  });

describe('staged HAProxy incidents', () => {
  let findings: Finding[];

  beforeAll(async () => {
    const result = await capscopeAsync(['findings', '--json', path.join(FIXTURES, 'haproxy-incidents.pcap')], { CAPSCOPE_CACHE_DIR: scratchDir('incidents') });
    expect(result.status, result.stderr).toBe(0);
    findings = (onlyJson(result) as { findings: Finding[] }).findings;
  });

  it('staged every termination state it means to test', () => {
    expect(new Set(log.map((l) => l.state))).toEqual(new Set(['----', 'PH--', 'SH--', 'SD--', 'sH--', 'SC--', 'PR--']));
  });

  it.each(log.filter((l) => l.state !== '----').map((l) => [l.state, l.request, l]))('%s on %s gets the finding that names its cause', (_state, _request, entry) => {
    const about = findings.filter((f) => f.explanation.includes(` to 127.0.0.1:${entry.port} `));
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
      expect(findings.filter((f) => f.explanation.includes(` to 127.0.0.1:${entry.port} `))).toEqual([]);
    }
  });
});
