// `capscope events` and `capscope streams` / `follow` on syscall captures, through the built command
// (the --json shapes are a public contract: docs/cli.md).

import { describe, expect, it } from 'vitest';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

const cache = scratchDir('scap-cli');
const env = { CAPSCOPE_CACHE_DIR: cache };

interface EventsDoc {
  total: number;
  events: { num: number; ts: string; cpu: number; tid: number; proc: string | null; dir: string; type: string; fd: number | null; fdName: string | null; res: number | null; latencyNs: string | null; container: { id: string; name: string | null } | null; info: string }[];
  error: unknown;
}

describe('capscope events', () => {
  it('lists filtered events as one JSON document', async () => {
    const r = await capscopeAsync(['events', corpus('scap', 'curl_google.scap'), '--filter', 'type=connect and dir=<', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const doc = onlyJson(r) as EventsDoc;
    expect(doc.total).toBe(4);
    expect(doc.events[2]).toEqual({
      num: 1189, ts: '1534527348519206167', cpu: 0, tid: 17498, proc: 'curl', dir: '<', type: 'connect', fd: 4,
      fdName: '2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53', res: 0, latencyNs: '12333', container: { id: 'host', name: 'host' },
      info: 'res=0 tuple=2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53',
    });
  });

  it('pages with --limit and names containers from the capture metadata', async () => {
    const r = await capscopeAsync(['events', corpus('scap', 'falco-write_tmp_test.scap'), '--filter', 'container.name=hopeful_taussig', '--limit', '1', '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const doc = onlyJson(r) as EventsDoc;
    expect(doc.total).toBe(5);
    expect(doc.events).toHaveLength(1);
    expect(doc.events[0]!.container).toEqual({ id: '697956520d89', name: 'hopeful_taussig' });
  });

  it('refuses a filter it cannot read, as a usage error', async () => {
    const r = await capscopeAsync(['events', corpus('scap', 'curl_google.scap'), '--filter', 'nosuchfield=1'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown field 'nosuchfield'");
  });

  it('streams and follow work on a syscall capture', async () => {
    const s = await capscopeAsync(['streams', corpus('scap', 'curl_google.scap'), '--kind', 'tcp', '--json'], env);
    expect(s.status, s.stderr).toBe(0);
    const doc = onlyJson(s) as { streams: { id: number; tuple: string; bytesIn: number; bytesOut: number; endpoints: { proc: string; pid: number; fd: number }[] }[] };
    expect(doc.streams).toHaveLength(1);
    const tcp = doc.streams[0]!;
    expect(tcp.tuple).toBe('[2600:1f18:262c:6542:9aa6:df7a:9a47:d29e]:37140->[2607:f8b0:4004:802::2004]:80');
    expect([tcp.bytesOut, tcp.bytesIn]).toEqual([78, 11502]);
    expect(tcp.endpoints[0]).toMatchObject({ proc: 'curl', pid: 17497 });
    const f = await capscopeAsync(['follow', corpus('scap', 'curl_google.scap'), String(tcp.id), '--ascii'], env);
    expect(f.status, f.stderr).toBe(0);
    expect(f.stdout).toContain('GET / HTTP/1.1');
  });
});
