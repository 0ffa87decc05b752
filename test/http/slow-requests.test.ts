// The slow-request findings, computed in SQL, held against the rule written out plainly: per server,
// the median first-byte latency (the element at floor(n / 2) of the latencies in order), and a
// request is slow above max(500 ms, 10 × that median), for servers with at least 5 exchanges.

import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findErrorRates } from '../../core/analysis/findings/error-rates';
import { prepareSchema } from '../../core/index/prepare-schema';
import { INDEX_SCHEMA } from '../../core/registry/schema';

interface Exchange {
  server: string | null;
  latencyMs: number | null;
}

function indexWith(exchanges: Exchange[]): Database.Database {
  const db = new Database(':memory:');
  prepareSchema(db, INDEX_SCHEMA);
  db.prepare("INSERT INTO sources (id, file, entry, format, compression, detail, status) VALUES (1, 'x.pcap', 'x.pcap', 'pcap', '[]', '', 'indexed')").run();
  db.prepare("INSERT INTO streams (id, source_id, kind) VALUES (1, 1, 'tcp')").run();
  const insert = db.prepare(
    `INSERT INTO http_exchanges (stream_id, views, seq, server, method, target, status, req_ts, resp_ts, resp_start, req_bytes, resp_bytes, req_complete, resp_complete, truncated, req_headers, resp_headers)
     VALUES (1, 1, ?, ?, 'GET', ?, 200, ?, ?, 0, 0, 0, 1, 1, 0, '[]', '[]')`,
  );
  exchanges.forEach((e, i) => {
    const req = 1_000_000_000_000n + BigInt(i) * 1_000_000n;
    insert.run(i, e.server, `/r${i}`, req, e.latencyMs === null ? null : req + BigInt(e.latencyMs) * 1_000_000n);
  });
  return db;
}

/** The slow requests' targets, per the rule, in server then latency order. */
function expectedSlow(exchanges: Exchange[]): string[] {
  const byServer = new Map<string, { target: string; latency: number }[]>();
  exchanges.forEach((e, i) => {
    if (e.latencyMs === null) return;
    const key = e.server ?? '';
    byServer.set(key, [...(byServer.get(key) ?? []), { target: `/r${i}`, latency: e.latencyMs * 1_000_000 }]);
  });
  const out: { server: string; target: string; latency: number }[] = [];
  for (const [server, list] of byServer) {
    if (list.length < 5) continue;
    const sorted = [...list].sort((a, b) => a.latency - b.latency);
    const median = sorted[Math.floor(sorted.length / 2)]!.latency;
    const threshold = Math.max(500_000_000, median * 10);
    for (const r of sorted) if (r.latency > threshold) out.push({ server, ...r });
  }
  out.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : a.latency - b.latency || Number(a.target.slice(2)) - Number(b.target.slice(2))));
  return out.map((r) => r.target);
}

const slowTargets = (db: Database.Database) =>
  findErrorRates(db)
    .filter((f) => f.kind === 'slow-requests')
    .map((f) => / (\/r\d+) took /.exec(f.explanation)![1]!);

describe('slow requests', () => {
  it('names the requests over ten times their server’s median, with the median in the explanation', () => {
    const fast = Array.from({ length: 9 }, () => ({ server: '10.0.0.1:80', latencyMs: 20 }));
    const db = indexWith([...fast, { server: '10.0.0.1:80', latencyMs: 900 }, { server: '10.0.0.2:80', latencyMs: 5000 }]);
    const findings = findErrorRates(db).filter((f) => f.kind === 'slow-requests');
    expect(findings).toHaveLength(1); // 10.0.0.2 has one exchange only: no median to speak of
    expect(findings[0]!.title).toBe('slow response from 10.0.0.1:80: 900 ms');
    expect(findings[0]!.explanation).toContain('over 10× the median of 20.0 ms for 10.0.0.1:80');
  });

  it('agrees with the rule written out plainly on any mix of servers and latencies', () => {
    const exchange = fc.record({
      server: fc.constantFrom('10.0.0.1:80', '10.0.0.2:8080', '[fd00::1]:80', null),
      latencyMs: fc.option(fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 400, max: 3000 })), { freq: 8 }),
    });
    fc.assert(
      fc.property(fc.array(exchange, { maxLength: 60 }), (exchanges) => {
        expect(slowTargets(indexWith(exchanges))).toEqual(expectedSlow(exchanges));
      }),
      { numRuns: 150 },
    );
  });
});
