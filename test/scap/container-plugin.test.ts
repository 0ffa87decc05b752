// Container metadata from the container plugin (libs #2207, Falco 0.41 and later): captures carry
// PPME_ASYNCEVENT_E events named "container" whose data is the container's JSON, instead of the
// container JSON events of older captures. The seed incident written both ways must name the same
// containers, with their images, labels and Kubernetes pod and namespace, and explain the 502 the
// same way.

import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_GATEWAY, BAD_RESPONSE, EDGE, EDGE_LB, proxiedExchange, request, seedIncidentScap, TICKET_SERVER, TICKETS, type Container, type ContainerMetadataForm } from '../helpers/scap-incident';
import { scratchDir } from '../helpers/paths';
import { indexCapture } from './oracle-helpers';
import { containerFromPluginEvent } from '../../core/formats/scap/containers';

const POD_LABELS = { 'io.kubernetes.pod.name': 'tickets-7c9f5d-x2x4q', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': '5b0d6f3e-aaaa-bbbb-cccc-0123456789ab', app: 'tickets' };
const CONTAINERS: Container[] = [EDGE_LB, { ...TICKET_SERVER, labels: POD_LABELS }];

function incident(metadata: ContainerMetadataForm): Buffer {
  const w = seedIncidentScap({ metadata, containers: CONTAINERS });
  // Another plugin's async event, and one that is not JSON: neither is a container.
  w.asyncEvent(7, 'k8smeta', Buffer.from('{"pod":"x"}\0'));
  w.asyncEvent(999, 'container', Buffer.from('not json\0'));
  proxiedExchange(w, { round: 0, request: request('/getticket'), upstreamRequest: request('/getticket', { lowercase: true }), upstreamResponse: BAD_RESPONSE, clientResponse: BAD_GATEWAY });
  // The plugin's listening engines say when a container goes: it stays as it was known.
  if (metadata === 'plugin') w.containerEvent({ id: TICKETS, name: '', image: '' }, 'plugin', undefined, 'container_removed');
  return w.bytes();
}

const dir = scratchDir('container-plugin');
const dbs = new Map<ContainerMetadataForm, Database.Database>();

beforeAll(async () => {
  for (const form of ['json-event', 'plugin'] as const) {
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

const containers = (form: ContainerMetadataForm) =>
  dbs.get(form)!.prepare('SELECT id, name, image, type, labels, pod_uid, pod_name, namespace, origin FROM containers ORDER BY id').all();

describe('container metadata from the container plugin', () => {
  it('names the containers, their images, labels and pods as the container JSON events do', () => {
    const plugin = containers('plugin');
    expect(plugin).toEqual([
      { id: EDGE.slice(0, 12), name: 'edge-lb', image: 'haproxy:2.6', type: 'docker', labels: '{}', pod_uid: null, pod_name: null, namespace: null, origin: 'metadata' },
      {
        id: TICKETS.slice(0, 12), name: 'ticket-server', image: 'python:3.11', type: 'docker', labels: JSON.stringify(POD_LABELS),
        pod_uid: POD_LABELS['io.kubernetes.pod.uid'], pod_name: 'tickets-7c9f5d-x2x4q', namespace: 'shop', origin: 'metadata',
      },
    ]);
    expect(plugin).toEqual(containers('json-event'));
  });

  it('gives the processes, streams and the 502 finding the same containers', () => {
    const facts = (form: ContainerMetadataForm) => {
      const db = dbs.get(form)!;
      return {
        streams: db.prepare("SELECT pid, fd, role, tuple, container_id, bytes_in, bytes_out FROM streams WHERE kind = 'tcp' ORDER BY pid, fd").all(),
        findings: db.prepare('SELECT kind, title FROM findings ORDER BY id').all(),
        rows: db.prepare("SELECT e.container_id, c.name, count(*) AS n FROM events e LEFT JOIN containers c ON c.id = e.container_id WHERE e.type NOT IN ('container', 'asyncevent') GROUP BY 1, 2 ORDER BY 1").all(),
      };
    };
    const plugin = facts('plugin');
    expect(plugin.findings.length).toBeGreaterThan(0);
    expect(plugin.rows.map((r) => (r as { name: string | null }).name)).toEqual(expect.arrayContaining(['edge-lb', 'ticket-server']));
    expect(plugin).toEqual(facts('json-event'));
  });

  it('keeps every async event as an event, the container ones attributed to their container', () => {
    const db = dbs.get('plugin')!;
    const rows = db.prepare("SELECT proc, container_id FROM events WHERE type = 'asyncevent' ORDER BY num").all() as { proc: string; container_id: string }[];
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.proc === `container:${TICKETS.slice(0, 12)}`)).toHaveLength(2);
  });

  it('reads the fields where a plugin release wrote them beside the "container" key', () => {
    const flat = JSON.stringify({ container: null, id: 'abcdef012345', name: 'web', image: 'nginx:1.27', type: 7, labels: { 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'default' } });
    expect(containerFromPluginEvent('container', `${flat}\0`)?.container).toMatchObject({ id: 'abcdef012345', name: 'web', image: 'nginx:1.27', type: 'containerd', podName: 'web-0', namespace: 'default' });
    expect(containerFromPluginEvent('container_removed', flat)?.kind).toBe('removed');
    expect(containerFromPluginEvent('k8s_pod', flat)).toBeNull();
  });
});
