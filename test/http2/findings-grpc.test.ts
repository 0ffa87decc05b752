// The gRPC findings end to end through `capscope findings --json` on the staged captures
// (test/fixtures/http2/stage-grpc-incidents.sh):
//   - emojivoto: web's 500s explained by the VotingService call each made, which failed with
//     UNKNOWN 'ERROR' (the proxy-error engine extended to any service that accepts and makes calls),
//     and the gRPC errors per service and method;
//   - HAProxy proxying gRPC: RST_STREAM and GOAWAY storms, counted against tshark's frames.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'http2');

interface Finding {
  kind: string;
  cause: string | null;
  title: string;
  explanation: string;
  exchange: number | null;
  evidence: { stream: number; offset: number; length: number; excerpt: string }[];
}
interface Exchange {
  id: number;
  stream: number;
  server: string;
  target: string | null;
  status: number | null;
  reqTs: string | null;
  grpc: { service: string | null; method: string | null; status: number | null } | null;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-findings-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(name: string): { findings: Finding[]; exchanges: Exchange[] } {
  const file = path.join(FIXTURES, name);
  const db = path.join(dir, `${name}.db`);
  const f = capscope(['findings', file, '--json', '--db', db]);
  expect(f.status, f.stderr).toBe(0);
  const h = capscope(['http', file, '--json', '--db', db]);
  expect(h.status, h.stderr).toBe(0);
  return { findings: (onlyJson(f) as { findings: Finding[] }).findings, exchanges: (onlyJson(h) as { exchanges: Exchange[] }).exchanges };
}

/** tshark's frames of one type sent from `port`, as "port/stream error" lines. */
function tsharkFrames(name: string, ports: number[], type: 3 | 7, fromPort: number): string[] {
  const out = execFileSync(
    'tshark',
    ['-r', path.join(FIXTURES, name), ...ports.flatMap((p) => ['-d', `tcp.port==${p},http2`]), '-Y', `http2.type==${type} && tcp.srcport==${fromPort}`, '-T', 'fields', '-e', 'http2.type', '-e', type === 3 ? 'http2.rst_stream.error' : 'http2.goaway.error'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  // One packet can hold several frames: count those of this type.
  return out
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const [types, errors] = line.split('\t');
      const t = types!.split(',');
      const e = errors!.split(',');
      return e.filter((_, i) => i < t.filter((x) => Number(x) === type).length);
    });
}

describe('emojivoto-incident.pcap: the frontend 500 explained by its backend gRPC error', () => {
  it('each 500 web answered names the VotePoop call it made and how that call failed', () => {
    const { findings, exchanges } = run('emojivoto-incident.pcap');
    const explained = findings.filter((f) => f.kind === 'upstream-error');
    const fiveHundreds = exchanges.filter((e) => e.server.endsWith(':8080') && e.status === 500);
    expect(fiveHundreds).toHaveLength(3);
    expect(explained.map((f) => f.exchange).sort()).toEqual(fiveHundreds.map((e) => e.id).sort());
    for (const f of explained) {
      expect(f.explanation).toBe(
        "127.0.0.1:8080 answered 500 Internal Server Error to GET /api/vote?choice=:poop: because its call to emojivoto.v1.VotingService/VotePoop on 127.0.0.1:8081 failed with grpc-status 2 UNKNOWN 'ERROR'.",
      );
      expect(f.cause).toBe('grpc-unknown');
      expect(f.evidence[0]!.excerpt).toBe('grpc-status: 2, grpc-message: ERROR');
    }
    // Each 500 is paired with a call of its own: three failing calls, one each (distinct responses on the one h2c connection).
    const calls = exchanges.filter((e) => e.grpc?.method === 'VotePoop');
    expect(new Set(explained.map((f) => `${f.evidence[0]!.stream}@${f.evidence[0]!.offset}`)).size).toBe(calls.length);
  });

  it('the gRPC errors per service and method: status, message, count, first and last time', () => {
    const { findings } = run('emojivoto-incident.pcap');
    const grpc = findings.filter((f) => f.kind === 'grpc-errors');
    expect(grpc.map((f) => f.title)).toEqual(['gRPC UNKNOWN: emojivoto.v1.VotingService/VotePoop (3×)']);
    expect(grpc[0]!.explanation).toMatch(/^3 of 3 calls to emojivoto\.v1\.VotingService\/VotePoop on 127\.0\.0\.1:8081 failed with grpc-status 2 UNKNOWN 'ERROR' from \d{4}-\d\d-\d\d [\d:.]+ UTC to [\d-]+ [\d:.]+ UTC\.$/);
  });

  it('a capture cut after the connection began still explains the 500s it holds', () => {
    const { findings, exchanges } = run('emojivoto-midstream.pcap');
    const fiveHundreds = exchanges.filter((e) => e.server.endsWith(':8080') && e.status === 500);
    expect(fiveHundreds.length).toBeGreaterThan(0);
    const explained = findings.filter((f) => f.kind === 'upstream-error');
    expect(explained.map((f) => f.exchange).sort()).toEqual(fiveHundreds.map((e) => e.id).sort());
    // Its calls' :path and grpc-status were dynamic-table entries the capture never saw (tshark: <unknown>):
    // not named, never guessed; the grpc-message it could read is said.
    for (const f of explained) {
      expect(f.explanation).toBe(
        "127.0.0.1:8080 answered 500 Internal Server Error to GET /api/vote?choice=:poop: because its call to POST whose :path the capture could not decode on 127.0.0.1:8081 ended with grpc-message 'ERROR' (its grpc-status is in a header field the capture could not decode).",
      );
      expect(f.cause).toBe('grpc-status-undecoded');
    }
  });
});

describe('haproxy-grpc.pcap: RST_STREAM and GOAWAY storms', () => {
  const PORTS = [8280, 9201, 9202];

  it('a storm of REFUSED_STREAM resets from the backend, and from HAProxy passing them on, as many as tshark counts', () => {
    const { findings } = run('haproxy-grpc.pcap');
    const storms = findings.filter((f) => f.kind === 'http2-reset-storm');
    const backend = tsharkFrames('haproxy-grpc.pcap', PORTS, 3, 9201);
    const proxy = tsharkFrames('haproxy-grpc.pcap', PORTS, 3, 8280);
    expect(backend.length).toBeGreaterThanOrEqual(10);
    expect(new Set([...backend, ...proxy])).toEqual(new Set(['7'])); // REFUSED_STREAM
    expect(storms.map((f) => f.title).sort()).toEqual([
      `RST_STREAM storm: ${proxy.length} streams to 127.0.0.1:8280 reset (REFUSED_STREAM) within a second`,
      `RST_STREAM storm: ${backend.length} streams to 127.0.0.1:9201 reset (REFUSED_STREAM) within a second`,
    ]);
    expect(storms.every((f) => f.cause === 'REFUSED_STREAM' && f.explanation.endsWith('the server refused work.'))).toBe(true);
  });

  it('a storm of GOAWAYs from the backend that sheds its connections, as many as tshark counts', () => {
    const { findings } = run('haproxy-grpc.pcap');
    const goaways = tsharkFrames('haproxy-grpc.pcap', PORTS, 7, 9202);
    expect(new Set(goaways)).toEqual(new Set(['11'])); // ENHANCE_YOUR_CALM
    const storms = findings.filter((f) => f.kind === 'http2-goaway-storm');
    expect(storms.map((f) => f.title)).toEqual([`GOAWAY storm: ${goaways.length} HTTP/2 connections closed by 127.0.0.1:9202 within 10 s`]);
    expect(storms[0]!.evidence[0]!.excerpt).toBe("GOAWAY ENHANCE_YOUR_CALM 'calm down'");
  });

  it('each call HAProxy failed is explained by the reset its own call to the backend got', () => {
    const { findings, exchanges } = run('haproxy-grpc.pcap');
    const failed = exchanges.filter((e) => e.server.endsWith(':8280') && e.grpc?.status === 14);
    const explained = findings.filter((f) => f.kind === 'upstream-error');
    expect(explained.map((f) => f.exchange).sort()).toEqual(failed.map((e) => e.id).sort());
    for (const f of explained) expect(f.explanation).toMatch(/because its call to refuse\.v1\.Work\/Do on 127\.0\.0\.1:9201 failed with grpc-status 14 UNAVAILABLE \(its stream reset by the server with RST_STREAM REFUSED_STREAM\)\.$/);
  });
});
