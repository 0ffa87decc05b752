// Captures made by the test writer: sysdig reads them (so the writer writes real scap), capscope
// agrees with it event by event, and the index holds the containers, the HTTP streams with their
// tuples and truncation, and what sysdig 0.29 cannot read at all.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iterateStreams } from '../../core/domain/streams/stream-rows';
import { scratchDir } from '../helpers/paths';
import { agreement, indexCapture, ourEvents, sysdigEvents } from './oracle-helpers';
import { HEX_A, HEX_B, httpBetweenContainers, newerLibsEvents, POD_UID, REQUEST, RESPONSE, SNAPLEN } from './scenarios';

const dir = scratchDir('scap-writer');

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('captures from the test writer', () => {
  it('sysdig reads the multi-container HTTP capture and capscope agrees with it on every event', async () => {
    const file = write('http.scap', httpBetweenContainers());
    const oracle = sysdigEvents(file);
    expect(oracle.status, oracle.stderr).toBe(0);
    expect(oracle.events.length).toBeGreaterThan(30);
    const { db, state, error } = await indexCapture(file);
    try {
      expect(state, error ?? '').toBe('done');
      const a = agreement(oracle.events, ourEvents(db));
      expect(a.disagreements).toEqual([]);
      // The writer's names reached sysdig: the proof that the containers and fds were read as meant.
      const names = new Set(oracle.events.map((e) => e.containerName));
      expect(names).toEqual(new Set(['proxy', 'backend', 'host']));
      expect(oracle.events.some((e) => e.fdName === '10.4.0.31:34560->10.4.0.12:80')).toBe(true);
      expect(oracle.events.some((e) => e.fdName === '/etc/hosts')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('indexes containers with their pod, and both ends of the HTTP connection as streams', async () => {
    const { db } = await indexCapture(write('http2.scap', httpBetweenContainers()));
    try {
      const containers = db.prepare('SELECT id, name, image, type, pod_uid, pod_name, namespace FROM containers ORDER BY id').all();
      expect(containers).toEqual([
        { id: HEX_A.slice(0, 12), name: 'proxy', image: 'nginx:1.25', type: 'docker', pod_uid: null, pod_name: null, namespace: null },
        { id: HEX_B.slice(0, 12), name: 'backend', image: 'python:3.12', type: 'docker', pod_uid: POD_UID, pod_name: 'orders-5d8f', namespace: 'shop' },
      ]);
      const tcp = db.prepare("SELECT * FROM streams WHERE kind = 'tcp' ORDER BY pid").all() as Record<string, unknown>[];
      expect(tcp.map((s) => [s.pid, s.fd, s.role, s.tuple, s.container_id, s.bytes_out, s.bytes_in, s.captured_out, s.captured_in, s.chunk_count, s.state])).toEqual([
        [100, 5, 'client', '10.4.0.31:34560->10.4.0.12:80', HEX_A.slice(0, 12), REQUEST.length, RESPONSE.length, REQUEST.length, SNAPLEN, 2, 'closed'],
        [200, 7, 'server', '10.4.0.31:34560->10.4.0.12:80', HEX_B.slice(0, 12), RESPONSE.length, REQUEST.length, SNAPLEN, REQUEST.length, 2, 'closed'],
      ]);
      for (const s of tcp) expect([s.client_addr, s.client_port, s.server_addr, s.server_port]).toEqual(['10.4.0.31', 34560, '10.4.0.12', 80]);
      const chunks = db.prepare('SELECT c.dir, c.offset, c.length, c.captured, c.data FROM chunks c JOIN streams s ON s.id = c.stream_id WHERE s.pid = 100 ORDER BY c.seq').all() as { dir: string; offset: number; length: number; captured: number; data: Buffer }[];
      expect(chunks.map((c) => [c.dir, c.offset, c.length, c.captured])).toEqual([
        ['out', 0, REQUEST.length, REQUEST.length],
        ['in', 0, RESPONSE.length, SNAPLEN],
      ]);
      expect(chunks[1]!.data.toString()).toBe(RESPONSE.slice(0, SNAPLEN));
      // What `capscope streams` shows: the endpoint's process and its container, named.
      const listed = [...iterateStreams(db, { kind: 'tcp' })].map((s) => s.endpoints[0]);
      expect(listed).toMatchObject([
        { container: { id: HEX_A.slice(0, 12), name: 'proxy' }, proc: 'nginx', pid: 100, fd: 5, role: 'client' },
        { container: { id: HEX_B.slice(0, 12), name: 'backend' }, proc: 'python3', pid: 200, fd: 7, role: 'server' },
      ]);
      const file = db.prepare("SELECT fd_name, bytes_in, state FROM streams WHERE kind = 'file'").get();
      expect(file).toEqual({ fd_name: '/etc/hosts', bytes_in: 12, state: 'closed' });
      // The thread that read the response is a thread of nginx's process: its stream is the process's fd 5.
      const latency = db.prepare("SELECT latency FROM events WHERE type = 'read' AND dir = '<' AND tid = 101").pluck().get();
      expect(latency).toBe(2000);
      const fds = db.prepare('SELECT pid, fd, type, name FROM fds WHERE pid = 200 ORDER BY fd').all();
      expect(fds).toEqual(expect.arrayContaining([
        { pid: 200, fd: 3, type: 'ipv4-server', name: '0.0.0.0:80' },
        { pid: 200, fd: 7, type: 'ipv4', name: '10.4.0.31:34560->10.4.0.12:80' },
        { pid: 200, fd: 8, type: 'file', name: '/etc/hosts' },
      ]));
    } finally {
      db.close();
    }
  });

  it('reads what sysdig 0.29 cannot: generic syscalls past its table, events added since, and skips unknown types with a diagnostic', async () => {
    const file = write('newer.scap', newerLibsEvents());
    // The oracle itself cannot: sysdig 0.29 crashes on the generic syscall numbered 380.
    expect(sysdigEvents(file).status).not.toBe(0);
    const { db, state } = await indexCapture(file);
    try {
      expect(state).toBe('done');
      const rows = db.prepare('SELECT type, dir, tid, proc, fd, fd_name, res FROM events ORDER BY num').all();
      expect(rows).toEqual([
        { type: 'rseq', dir: '>', tid: 300, proc: 'app', fd: null, fd_name: null, res: null },
        { type: 'rseq', dir: '<', tid: 300, proc: 'app', fd: null, fd_name: null, res: null },
        { type: 'useradded', dir: '>', tid: -1, proc: null, fd: null, fd_name: null, res: null },
        { type: 'open', dir: '>', tid: 300, proc: 'app', fd: null, fd_name: null, res: null },
        { type: 'open', dir: '<', tid: 300, proc: 'app', fd: 4, fd_name: '/data', res: 4 },
        { type: 'dup3', dir: '>', tid: 300, proc: 'app', fd: 4, fd_name: '/data', res: null },
        { type: 'dup3', dir: '<', tid: 300, proc: 'app', fd: 4, fd_name: '/data', res: 6 },
        { type: 'clone3', dir: '>', tid: 300, proc: 'app', fd: null, fd_name: null, res: null },
        { type: 'clone3', dir: '<', tid: 300, proc: 'app', fd: null, fd_name: null, res: 301 },
        { type: 'read', dir: '>', tid: 301, proc: 'app', fd: 6, fd_name: '/data', res: null },
        { type: 'read', dir: '<', tid: 301, proc: 'app', fd: 6, fd_name: '/data', res: 5 },
      ]);
      const diag = db.prepare("SELECT offset, severity, message FROM diagnostics WHERE severity != 'info'").all() as { offset: number; severity: string; message: string }[];
      expect(diag).toHaveLength(1);
      expect(diag[0]!.message).toContain(`${file} at byte ${diag[0]!.offset}: event of unknown type 900`);
    } finally {
      db.close();
    }
  });
});

export type { Database };
