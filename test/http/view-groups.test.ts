// The HTTP analysis reads its groups of views a page at a time (core/analysis/http/view-groups.ts):
// they must be exactly the groups, in exactly the order, that groupViews gives for the whole list
// of views, on network captures (one view per connection, ports reused) and syscall captures (two
// views of one connection, unix sockets, views without endpoints), whatever the page size; and
// the same less the groups of one view written already, when asked to skip those.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupViews } from '../../core/analysis/http/exchanges';
import { viewGroupPages } from '../../core/analysis/http/view-groups';
import { STREAM_VIEW_COLUMNS, STREAM_VIEW_WHERE, toStreamView } from '../../core/analysis/http/views';
import { runIngest } from '../../core/ingest/pipeline';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';
import { BAD_GATEWAY, BAD_RESPONSE, GOOD_RESPONSE, proxiedExchange, request, seedIncidentScap } from '../helpers/scap-incident';
import { openIndexDb } from '../helpers/index-db';

const dir = scratchDir('view-groups');

/** A syscall capture of a proxy and its backend, both ends of each connection captured, three rounds. */
function incidentScap(): string {
  let w = seedIncidentScap();
  for (const round of [0, 1, 2]) {
    const bad = round !== 1;
    w = proxiedExchange(w, { round, request: request('/getticket'), upstreamRequest: request('/getticket'), upstreamResponse: bad ? BAD_RESPONSE : GOOD_RESPONSE, clientResponse: bad ? BAD_GATEWAY : GOOD_RESPONSE });
  }
  const file = path.join(dir, 'incident.scap');
  fs.writeFileSync(file, w.bytes());
  return file;
}

const CAPTURES = [
  path.join(REPO_ROOT, 'test', 'fixtures', 'pcap', 'port-reuse.pcap'),
  path.join(REPO_ROOT, 'test', 'fixtures', 'pcap', 'wrk-close.pcap'),
  corpus('pcap', 'haproxy-502.pcap'),
  incidentScap(),
];

describe('the HTTP analysis groups views a page at a time', () => {
  it.each(CAPTURES.map((f) => [path.basename(f), f]))('%s: the same groups in the same order as groupViews on every view', async (name, file) => {
    const dbPath = path.join(dir, `${name}.sqlite`);
    const outcome = await runIngest({ file, dbPath });
    expect(outcome.error).toBeNull();
    const db = openIndexDb(dbPath);
    try {
      const all = (db.prepare(`SELECT ${STREAM_VIEW_COLUMNS} FROM streams WHERE ${STREAM_VIEW_WHERE} ORDER BY id`).safeIntegers(true).all() as Record<string, bigint | string | null>[]).map(toStreamView);
      expect(all.length).toBeGreaterThan(1);
      const expected = groupViews(all).map((g) => g.map((v) => v.id));
      for (const perPage of [1, 3, 500]) {
        const pages = [...viewGroupPages(db, perPage)];
        expect(pages.every((p) => p.length <= perPage)).toBe(true);
        expect(pages.flat().map((g) => g.map((v) => v.id))).toEqual(expected);
      }
      // Leaving out the views written already (a protocol of them stored: staged while a network
      // capture was read) leaves out exactly the groups of one such view: a view sharing its group
      // stays, for the analysis parses every view of such a group itself.
      db.exec('DELETE FROM stream_protocols');
      const insert = db.prepare("INSERT INTO stream_protocols (stream_id, protocol) VALUES (?, 'http1')");
      let seed = 7;
      const written = new Set(all.filter(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3 !== 0).map((v) => v.id));
      for (const id of written) insert.run(id);
      const left = groupViews(all).filter((g) => !(g.length === 1 && written.has(g[0]!.id))).map((g) => g.map((v) => v.id));
      // The syscall capture holds both ends of each connection: groups of two views, which stay.
      if (name.endsWith('.scap')) expect(left.some((g) => g.length > 1 && g.some((v) => written.has(v)))).toBe(true);
      else expect(left.length).toBeLessThan(expected.length);
      // (In another order: what is written after staging takes the ids after the staged ones anyway.)
      const sorted = (groups: number[][]) => groups.map((g) => g.join(',')).sort();
      for (const perPage of [1, 500]) expect(sorted([...viewGroupPages(db, perPage, { skipWritten: true })].flat().map((g) => g.map((v) => v.id)))).toEqual(sorted(left));
      // The temporary table is gone, as after the analysis.
      expect(db.prepare("SELECT count(*) FROM temp.sqlite_master WHERE name = 'http_view_order'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
