// What the scap oracle tests share: index a capture in-process into a scratch index, read its
// events back, run sysdig (Debian's 0.29.3) on the same file, and compare them field by field.

import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runIngest } from '../../core/ingest/pipeline';
import { scratchDir } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

const scratch = scratchDir('scap');
let dbCount = 0;

/** Indexes `file` into a fresh database and opens it for reading. */
export async function indexCapture(file: string): Promise<{ db: Database.Database; state: string; error: string | null }> {
  const dbPath = path.join(scratch, `case-${++dbCount}.sqlite`);
  const outcome = await runIngest({ file, dbPath });
  const db = openIndexDb(dbPath, { readonly: true });
  return { db, state: outcome.state, error: outcome.error };
}

/** The fields compared with sysdig, in its -p order. */
export const FIELDS = ['type', 'dir', 'tid', 'pid', 'proc', 'fdName', 'res', 'containerId', 'containerName'] as const;
export type Field = (typeof FIELDS)[number];
export type EventFields = Record<Field, string> & { num: number };

const SYSDIG_FORMAT = '*%evt.num\t%evt.type\t%evt.dir\t%thread.tid\t%proc.pid\t%proc.name\t%fd.name\t%evt.rawres\t%container.id\t%container.name';

/** sysdig's view of every event it prints ("*": events with empty fields too). */
export function sysdigEvents(file: string): { status: number | null; events: EventFields[]; stderr: string } {
  const r = spawnSync('sysdig', ['-r', file, '-p', SYSDIG_FORMAT], { encoding: 'utf8', maxBuffer: 1 << 30, timeout: 60_000 });
  const events: EventFields[] = [];
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const [num, type, dir, tid, pid, proc, fdName, res, containerId, containerName] = line.split('\t');
    events.push({ num: Number(num), type: type!, dir: dir!, tid: tid!, pid: pid!, proc: proc!, fdName: fdName!, res: res!, containerId: containerId!, containerName: containerName! });
  }
  return { status: r.status, events, stderr: r.stderr };
}

/**
 * capscope's events in sysdig's rendering, numbered as sysdig numbers them: sysdig 0.29 knows
 * event types below 336 only and skips the rest without giving them a number.
 */
export function ourEvents(db: Database.Database, sysdigEventTypes = 336): Map<number, EventFields> {
  const rows = db
    .prepare(
      `SELECT e.num, e.event_type, e.type, e.dir, e.tid, e.pid, e.proc, e.fd_name, e.res, e.container_id, c.name AS cname
       FROM events e LEFT JOIN containers c ON c.source_id = e.source_id AND c.id = e.container_id ORDER BY e.source_id, e.num`,
    )
    .all() as { num: number; event_type: number; type: string; dir: string; tid: number; pid: number | null; proc: string | null; fd_name: string | null; res: number | null; container_id: string | null; cname: string | null }[];
  const out = new Map<number, EventFields>();
  let num = 0;
  for (const r of rows) {
    if (r.event_type >= sysdigEventTypes) continue;
    num++;
    out.set(num, {
      num,
      type: r.type,
      dir: r.dir,
      tid: String(r.tid),
      pid: r.pid === null ? '<NA>' : String(r.pid),
      proc: r.proc ?? '<NA>',
      fdName: r.fd_name ?? '<NA>',
      res: r.res === null ? '<NA>' : String(r.res),
      containerId: r.container_id ?? '<NA>',
      containerName: r.container_id === null ? '<NA>' : r.container_id === 'host' ? 'host' : (r.cname ?? '<NA>'),
    });
  }
  return out;
}

export interface Agreement {
  compared: number;
  perField: Record<Field, number>;
  disagreements: { num: number; field: Field | 'missing'; sysdig: string; ours: string }[];
}

export function agreement(sysdig: EventFields[], ours: Map<number, EventFields>): Agreement {
  const perField = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const disagreements: Agreement['disagreements'] = [];
  for (const s of sysdig) {
    const o = ours.get(s.num);
    if (!o) {
      disagreements.push({ num: s.num, field: 'missing', sysdig: s.type, ours: '' });
      continue;
    }
    for (const f of FIELDS) {
      if (s[f] === o[f]) perField[f]++;
      else disagreements.push({ num: s.num, field: f, sysdig: s[f], ours: o[f] });
    }
  }
  return { compared: sysdig.length, perField, disagreements };
}
