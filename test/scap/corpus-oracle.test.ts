// Every capture of the shared corpus, indexed by capscope and read by sysdig 0.29.3 (the oracle):
// the per-event fields agree on at least 99.9 % of the events sysdig prints. Each file's agreement
// is listed below; a disagreement that is not explained here fails the test.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../helpers/paths';
import { agreement, FIELDS, indexCapture, ourEvents, sysdigEvents } from './oracle-helpers';

const FILES = fs.readdirSync(corpus('scap')).filter((f) => f.endsWith('.scap')).sort();

/**
 * Known, explained disagreements: none at present. (Entries take the form
 * { file, num, field, why } and are matched exactly.)
 */
const EXPLAINED: { file: string; num: number; field: string; why: string }[] = [];

describe('scap corpus against sysdig', () => {
  it('has the captures the README lists', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(14);
  });

  for (const name of FILES.filter((f) => f !== 'curl_google_comments.scap')) {
    it(`${name}: events agree with sysdig -r on every field`, async () => {
      const file = corpus('scap', name);
      const oracle = sysdigEvents(file);
      expect(oracle.status, oracle.stderr).toBe(0);
      const { db, state, error } = await indexCapture(file);
      try {
        expect(state, error ?? '').toBe('done');
        const ours = ourEvents(db);
        const a = agreement(oracle.events, ours);
        const unexplained = a.disagreements.filter((d) => !EXPLAINED.some((e) => e.file === name && e.num === d.num && e.field === d.field));
        expect(unexplained.slice(0, 10)).toEqual([]);
        for (const f of FIELDS) expect(a.perField[f]).toBeGreaterThanOrEqual(Math.ceil(a.compared * 0.999));
        // sysdig hides only the libraries' internal events; capscope keeps them, so it has at least as many.
        expect(ours.size).toBeGreaterThanOrEqual(oracle.events.length);
        const diagnostics = db.prepare("SELECT message FROM diagnostics WHERE severity != 'info'").pluck().all();
        expect(diagnostics).toEqual([]);
      } finally {
        db.close();
      }
    });
  }

  it('curl_google.scap and curl_google_comments.scap (a gzip FNAME header and SHB options) give identical indexes', async () => {
    const a = await indexCapture(corpus('scap', 'curl_google.scap'));
    const b = await indexCapture(corpus('scap', 'curl_google_comments.scap'));
    try {
      expect(b.state, b.error ?? '').toBe('done');
      const dump = (db: typeof a.db) => ({
        events: db.prepare('SELECT num, ts, cpu, tid, pid, proc, dir, type, event_type, fd, fd_name, res, latency, container_id, info FROM events ORDER BY num').raw().all(),
        threads: db.prepare('SELECT tid, pid, ptid, comm, exe, args, cwd, container_id, exited FROM threads ORDER BY tid, id').raw().all(),
        fds: db.prepare('SELECT pid, fd, type, name, l4proto, role, closed_ts FROM fds ORDER BY id').raw().all(),
        streams: db.prepare('SELECT kind, tuple, pid, fd, fd_name, bytes_in, bytes_out, captured_in, captured_out, chunk_count FROM streams ORDER BY id').raw().all(),
        chunks: db.prepare('SELECT seq, ts, dir, offset, length, captured, data, frame FROM chunks ORDER BY id').raw().all(),
        machine: db.prepare('SELECT hostname, num_cpus, memory_bytes, first_ts, last_ts, event_count FROM machine').raw().all(),
      });
      const da = dump(a.db);
      expect(da.events.length).toBe(1536);
      expect(dump(b.db)).toEqual(da);
    } finally {
      a.db.close();
      b.db.close();
    }
  });
});
