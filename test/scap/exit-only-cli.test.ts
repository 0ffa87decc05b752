// An exit without its enter has no known latency: `capscope events --json` says null (a paired
// exit gives its ns), and the filter's evt.latency has no value for it, so neither `= 0` nor `>= 0`
// matches it (enter events keep sysdig's 0).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capscopeAsync, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { calls, capture, CLIENT } from './helpers/tcp-conversation';

const dir = scratchDir('scap-exit-only-cli');
const env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };

interface EventsDoc {
  total: number;
  events: { num: number; tid: number; dir: string; type: string; fd: number | null; latencyNs: string | null }[];
}

describe('the latency of an exit without its enter is unknown, never 0', () => {
  // The client's calls come as exits alone, the server's as pairs.
  const file = path.join(dir, 'client-exit-only.scap');
  fs.writeFileSync(file, capture((c) => (c.tid === CLIENT ? 'exit' : 'pair')));
  const clientCalls = calls().filter((c) => c.tid === CLIENT).length;
  const serverCalls = calls().length - clientCalls;

  it('events --json: latencyNs null for an exit alone, the ns for a paired exit, null for an enter', async () => {
    const r = await capscopeAsync(['events', file, '--json', '--limit', '1000'], env);
    expect(r.status, r.stderr).toBe(0);
    const doc = onlyJson(r) as EventsDoc;
    const exits = doc.events.filter((e) => e.dir === '<');
    expect(exits.filter((e) => e.tid === CLIENT).map((e) => e.latencyNs)).toEqual(Array(clientCalls).fill(null));
    expect(exits.filter((e) => e.tid !== CLIENT).map((e) => e.latencyNs)).toEqual(Array(serverCalls).fill('1000'));
    expect(doc.events.filter((e) => e.dir === '>').every((e) => e.latencyNs === null)).toBe(true);
    // The exit-only client still knows its fds.
    expect(exits.filter((e) => e.tid === CLIENT && e.type !== 'socket').map((e) => e.fd)).toEqual(Array(clientCalls - 1).fill(5));
  });

  it('evt.latency has no value for an exit alone: = 0 and >= 0 leave it out', async () => {
    const total = async (filter: string) => {
      const r = await capscopeAsync(['events', file, '--json', '--filter', filter], env);
      expect(r.status, r.stderr).toBe(0);
      return (onlyJson(r) as EventsDoc).total;
    };
    expect(await total('evt.latency = 0 and evt.dir = <')).toBe(0);
    expect(await total('evt.latency >= 0 and evt.dir = <')).toBe(serverCalls);
    expect(await total('evt.latency = 0 and evt.dir = >')).toBe(serverCalls);
  });
});
