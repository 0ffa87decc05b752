// The seed incident in the form current falcosecurity/libs writes it: exits that carry their
// enter's parameters (libs #2068 / #2427), with enter events off or converted away, and container
// metadata from the container plugin with Kubernetes labels, cut to kubectl capture's snaplen.
// Whether a call comes as an enter/exit pair, as one extended exit, or a mix of both, capscope
// must derive the same facts: streams and bytes each way, containers, HTTP exchanges, the 502
// finding. Only latency differs: known for a pair, unknown (null, never 0) for an exit alone.

import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BAD_GATEWAY, BAD_RESPONSE, EDGE_LB, GOOD_RESPONSE, PROXIED_OK, proxiedExchange, request, seedIncidentScap, TICKET_SERVER, type CallForm, type Container,
} from '../helpers/scap-incident';
import { scratchDir } from '../helpers/paths';
import { indexCapture } from './oracle-helpers';

const LABELS = { 'io.kubernetes.pod.name': 'tickets-7c9f5d-x2x4q', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': '5b0d6f3e-aaaa-bbbb-cccc-0123456789ab' };
const CONTAINERS: Container[] = [EDGE_LB, { ...TICKET_SERVER, labels: LABELS }];
const FORMS: CallForm[] = ['paired', 'exit-only', 'mixed'];

function incident(form: CallForm): Buffer {
  const w = seedIncidentScap({ form, metadata: form === 'paired' ? 'json-event' : 'plugin', containers: CONTAINERS });
  const exchange = (round: number, p: string, upstream: string, client: string) =>
    proxiedExchange(w, { round, request: request(p), upstreamRequest: request(p, { lowercase: true }), upstreamResponse: upstream, clientResponse: client });
  exchange(0, '/getticket', BAD_RESPONSE, BAD_GATEWAY);
  exchange(1, '/health', GOOD_RESPONSE, PROXIED_OK);
  exchange(2, '/getticket', BAD_RESPONSE, BAD_GATEWAY);
  return w.bytes();
}

const dir = scratchDir('current-libs-form');
const dbs = new Map<CallForm, Database.Database>();

beforeAll(async () => {
  for (const form of FORMS) {
    const file = path.join(dir, `incident-${form}.scap`);
    fs.writeFileSync(file, incident(form));
    const { db, state, error } = await indexCapture(file);
    expect(state, error ?? '').toBe('done');
    dbs.set(form, db);
  }
});
afterAll(() => {
  for (const db of dbs.values()) db.close();
});

function facts(form: CallForm) {
  const db = dbs.get(form)!;
  const all = (sql: string) => db.prepare(sql).all();
  return {
    containers: all('SELECT id, name, image, pod_name, namespace FROM containers ORDER BY id'),
    processes: all('SELECT pid, comm, container_id FROM threads WHERE tid = pid ORDER BY pid'),
    fds: all('SELECT pid, fd, type, name, l4proto, role, container_id FROM fds ORDER BY pid, fd, name'),
    streams: all('SELECT pid, fd, kind, role, tuple, container_id, bytes_in, bytes_out, captured_in, captured_out, chunk_count, state FROM streams ORDER BY pid, fd, first_ts'),
    chunks: all('SELECT s.pid, s.fd, c.dir, c.offset, c.length, c.captured, c.ts FROM chunks c JOIN streams s ON s.id = c.stream_id ORDER BY c.ts'),
    exchanges: all('SELECT method, target, status, client, server, container_id, proc, req_ts, resp_ts, req_bytes, resp_bytes, truncated FROM http_exchanges ORDER BY req_ts, id'),
    findings: all('SELECT kind, title FROM findings ORDER BY id'),
    // Each exit as the events table has it, but for its latency.
    exits: all("SELECT ts, tid, type, fd, fd_name, fd_flags, res, container_id FROM events WHERE (event_type & 1) = 1 AND type NOT IN ('container', 'asyncevent') ORDER BY ts"),
  };
}

describe('the seed incident as current libs write it', () => {
  it('gives the facts of the old form, call for call', () => {
    const paired = facts('paired');
    expect(paired.exchanges).toHaveLength(6);
    expect(paired.findings.length).toBeGreaterThan(0);
    expect(paired.containers.map((c) => (c as { name: string }).name)).toEqual(['edge-lb', 'ticket-server']);
    for (const form of ['exit-only', 'mixed'] as const) {
      const f = facts(form);
      for (const key of Object.keys(paired) as (keyof typeof paired)[]) expect(f[key], `${form}: ${key}`).toEqual(paired[key]);
    }
  });

  it('says a latency is unknown for an exit without its enter, and knows it for a pair', () => {
    const latencies = (form: CallForm) => dbs.get(form)!.prepare("SELECT latency FROM events WHERE (event_type & 1) = 1 AND type IN ('read', 'write', 'close', 'socket', 'connect') ORDER BY ts").pluck().all() as (number | null)[];
    expect(latencies('paired').every((l) => l !== null && l > 0)).toBe(true);
    expect(latencies('exit-only').every((l) => l === null)).toBe(true);
    const mixed = latencies('mixed');
    expect(mixed.some((l) => l === null)).toBe(true);
    expect(mixed.some((l) => l !== null && l > 0)).toBe(true);
  });
});
