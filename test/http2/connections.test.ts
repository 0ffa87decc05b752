// The connection-level facts of HTTP/2 (http2_connections): each side's SETTINGS, its WINDOW_UPDATEs
// and the octets it granted on stream 0, held against tshark's http2 dissector on the staged
// nghttp2 capture (nghttp, curl --http2-prior-knowledge against nghttpd), connection by connection.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { REPO_ROOT } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

const FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'nghttp2-h2c.pcap');
const PORT = 8090;
const SETTING_FIELDS: [number, string, string][] = [
  [1, 'HEADER_TABLE_SIZE', 'http2.settings.header_table_size'],
  [2, 'ENABLE_PUSH', 'http2.settings.enable_push'],
  [3, 'MAX_CONCURRENT_STREAMS', 'http2.settings.max_concurrent_streams'],
  [4, 'INITIAL_WINDOW_SIZE', 'http2.settings.initial_window_size'],
  [5, 'MAX_FRAME_SIZE', 'http2.settings.max_frame_size'],
  [6, 'MAX_HEADER_LIST_SIZE', 'http2.settings.max_header_list_size'],
];

interface Side {
  settings: Record<string, number>;
  windowUpdates: number;
  granted: number;
}

let dir: string;
let db: Database.Database;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-h2-conn-'));
  const dbPath = path.join(dir, 'c.sqlite');
  expect((await runIngest({ file: FILE, dbPath })).state).toBe('done');
  db = openIndexDb(dbPath, { readonly: true });
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** tshark's SETTINGS and WINDOW_UPDATE frames, per "client port/side". */
function tsharkSides(): Map<string, Side> {
  const fields = ['tcp.srcport', 'tcp.dstport', 'http2.type', 'http2.flags', 'http2.streamid', 'http2.settings.id', ...SETTING_FIELDS.map((f) => f[2]), 'http2.window_update.window_size_increment'];
  const out = execFileSync('tshark', ['-r', FILE, '-d', `tcp.port==${PORT},http2`, '-Y', 'http2.type==4 || http2.type==8', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const sides = new Map<string, Side>();
  for (const line of out.split('\n').filter(Boolean)) {
    const cells = line.split('\t').map((c) => (c === '' ? [] : c.split(',')));
    const [src, dst, types, , streams, ids] = [cells[0]![0], cells[1]![0], cells[2]!, cells[3]!, cells[4]!, cells[5]!];
    const key = Number(src) === PORT ? `${dst}/server` : `${src}/client`;
    const side = sides.get(key) ?? { settings: {}, windowUpdates: 0, granted: 0 };
    sides.set(key, side);
    // Settings in the order tshark lists them, each value taken from its own field's list in turn.
    const next = new Map<number, number>();
    for (const id of ids.map(Number)) {
      const at = SETTING_FIELDS.findIndex(([n]) => n === id);
      const k = next.get(id) ?? 0;
      next.set(id, k + 1);
      side.settings[SETTING_FIELDS[at]![1]] = Number(cells[6 + at]![k]);
    }
    // WINDOW_UPDATE increments pair with the type-8 frames in order.
    const increments = cells[6 + SETTING_FIELDS.length]!.map(Number);
    let w = 0;
    types.forEach((t, i) => {
      if (t !== '8') return;
      side.windowUpdates++;
      if (streams[i] === '0') side.granted += increments[w]!;
      w++;
    });
  }
  return sides;
}

describe('HTTP/2 connections', () => {
  it("record each side's SETTINGS and flow control as tshark reads them", () => {
    const rows = db.prepare('SELECT * FROM http2_connections ORDER BY stream_id').all() as Record<string, string | number>[];
    const theirs = tsharkSides();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const ours = new Map<string, Side>();
    for (const r of rows) {
      const port = String(r.client).split(':')[1];
      for (const side of ['client', 'server'] as const) {
        const settings = JSON.parse(String(r[`${side}_settings`])) as Record<string, number>;
        const entry: Side = { settings, windowUpdates: Number(r[`${side}_window_updates`]), granted: Number(r[`${side}_window_granted`]) };
        if (Object.keys(settings).length || entry.windowUpdates) ours.set(`${port}/${side}`, entry);
      }
    }
    expect(Object.fromEntries([...ours].sort())).toEqual(Object.fromEntries([...theirs].sort()));
    expect([...ours.values()].some((s) => s.granted > 0)).toBe(true);
  });
});
