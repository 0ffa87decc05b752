// The report of a syscall capture (the seed incident seen from three containers, written by the
// test scap writer; sysdig reads it back): top containers and processes with their events and
// failed syscalls counted as sysdig counts them (the oracle), syscall errors by errno, and the
// sections a filter on container or process narrows.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scapIncident } from './helpers/scap-incident';
import { reportRunner, tableAfter } from './helpers/report-cli';

/** `sysdig -r file -p '*FORMAT' [filter]` lines, counted. */
function sysdigCounts(file: string, format: string, filter?: string): Map<string, number> {
  const r = spawnSync('sysdig', ['-r', file, '-p', `*${format}`, ...(filter ? [filter] : [])], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const counts = new Map<string, number>();
  for (const line of r.stdout.split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

const num = (cell: string | undefined) => Number((cell ?? '').replace(/,/g, ''));

describe('report of a syscall capture with containers', () => {
  const runner = reportRunner('scap');
  let file: string;
  let md: string;

  beforeAll(async () => {
    file = path.join(runner.dir, 'edge-lb-502.scap');
    fs.writeFileSync(file, scapIncident());
    const r = await runner.run([file, '--format', 'md', '--out', '-']);
    expect(r.status, r.stderr).toBe(0);
    md = r.stdout;
  });

  it('lists the top containers with events and failed syscalls as sysdig counts them', () => {
    const [head, ...rows] = tableAfter(md, 'Containers');
    expect(head).toEqual(['container', 'image', 'events', 'failed syscalls', 'processes', 'bytes in', 'bytes out']);
    const events = sysdigCounts(file, '%container.name');
    const failed = sysdigCounts(file, '%container.name', 'evt.failed=true');
    const byName = new Map(rows.map((r) => [r[0]!.split(' ')[0]!, r]));
    expect([...byName.keys()].sort()).toEqual(['edge-lb', 'host', 'ticket-server']);
    for (const [name, row] of byName) {
      expect({ name, events: num(row[2]), failed: num(row[3]) }).toEqual({ name, events: events.get(name), failed: failed.get(name) ?? 0 });
    }
    expect(byName.get('edge-lb')?.[1]).toBe('haproxy:2.6');
  });

  it('lists the top processes with their container and command line, credentials masked', () => {
    const [, ...rows] = tableAfter(md, 'Processes');
    const events = sysdigCounts(file, '%proc.name (%proc.pid)');
    expect(rows.map((r) => [r[0], num(r[3])])).toEqual([...events.entries()].filter(([k]) => !k.startsWith('<NA>')).sort((a, b) => b[1] - a[1]));
    const python = rows.find((r) => r[0] === 'python (200)');
    expect(python?.[1]).toBe('ticket-server');
    expect(python?.[2]).toBe('/usr/bin/python3 ticket_server.py --db-password=[redacted]');
  });

  it('groups failed syscalls by errno', () => {
    expect(tableAfter(md, 'Failed syscalls').slice(1)).toEqual([
      ['connect', '-111 (ECONNREFUSED)', '1', 'haproxy'],
      ['open', '-2 (ENOENT)', '1', 'python'],
    ]);
  });

  it('narrows containers, processes and connections to a container', async () => {
    const r = await runner.run([file, '--format', 'md', '--out', '-', '--filter', 'container.name=ticket-server']);
    expect(r.status, r.stderr).toBe(0);
    expect(tableAfter(r.stdout, 'Containers').slice(1).map((row) => row[0])).toEqual(['ticket-server f2f2f2f2f2f2']);
    expect(tableAfter(r.stdout, 'Processes').slice(1).map((row) => row[0])).toEqual(['python (200)']);
    const connections = tableAfter(r.stdout, 'Connections by bytes').slice(1);
    expect(connections.length).toBe(3);
    for (const c of connections) expect(c[2]).toMatch(/^python \(200\) in ticket-server, server$/);
  });
});
