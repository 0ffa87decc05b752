// The I/O of every corpus capture, as capscope's streams and chunks hold it, against sysdig:
// byte totals per process, fd and direction against sysdig's own I/O filter, and the captured
// bytes, record by record, against `sysdig -A -c echo_fds` (rebuilt from the index in the chisel's
// layout, so the comparison is of the whole text).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../helpers/paths';
import { indexCapture } from './oracle-helpers';

const FILES = fs.readdirSync(corpus('scap')).filter((f) => f.endsWith('.scap') && f !== 'curl_google_comments.scap').sort();

function sysdig(args: string[]): string {
  const r = spawnSync('sysdig', args, { encoding: 'latin1', maxBuffer: 1 << 30, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`sysdig ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** common.lua's format_bytes. */
function formatBytes(v: number): string {
  const units: [number, string][] = [[1024 ** 5, 'P'], [1024 ** 4, 'T'], [1024 ** 3, 'G'], [1024 ** 2, 'M'], [1024, 'KB']];
  for (const [size, unit] of units) if (v > size) return `${(v / size).toFixed(2)}${unit}`;
  return `${v}B`;
}

/** libsinsp's ASCII rendering of a buffer (-A): a leading newline, printable bytes, line ends (CRLF, CR, LF) as LF. */
function asciiOnly(data: Buffer): string {
  let s = '\n';
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else if (b === 0x0a || (b === 0x0d && data[i + 1] !== 0x0a)) s += '\n';
  }
  return s;
}

describe('scap streams against sysdig', () => {
  for (const name of FILES) {
    it(`${name}: bytes per process, fd and direction, and the captured bytes of every chunk`, async () => {
      const file = corpus('scap', name);
      const { db } = await indexCapture(file);
      try {
        // Totals: sysdig's is_io events that moved bytes, summed per (pid, fd, direction).
        const totals = new Map<string, { bytes: number; calls: number }>();
        const out = sysdig(['-r', file, '-p', '%proc.pid\t%fd.num\t%evt.is_io_read\t%evt.rawres', 'evt.is_io=true and evt.dir=< and evt.rawres>0']);
        for (const line of out.split('\n')) {
          if (!line) continue;
          const [pid, fd, isRead, res] = line.split('\t');
          const key = `${pid} ${fd} ${isRead === 'true' ? 'in' : 'out'}`;
          const t = totals.get(key) ?? { bytes: 0, calls: 0 };
          t.bytes += Number(res);
          t.calls++;
          totals.set(key, t);
        }
        const ours = new Map<string, { bytes: number; calls: number }>();
        for (const r of db.prepare('SELECT s.pid, s.fd, c.dir, sum(c.length) AS bytes, count(*) AS calls FROM chunks c JOIN streams s ON s.id = c.stream_id GROUP BY s.pid, s.fd, c.dir').all() as { pid: number; fd: number; dir: string; bytes: number; calls: number }[]) {
          ours.set(`${r.pid} ${r.fd} ${r.dir}`, { bytes: r.bytes, calls: r.calls });
        }
        expect(ours).toEqual(totals);

        // Records: the chisel's text, rebuilt from chunks joined with their events.
        const expected = sysdig(['-r', file, '-A', '-c', 'echo_fds', 'disable_color']);
        const records = db
          .prepare(`SELECT c.dir, c.length, c.data, e.fd_name, e.proc FROM chunks c JOIN events e ON e.num = c.frame ORDER BY c.frame`)
          .all() as { dir: string; length: number; data: Buffer; fd_name: string | null; proc: string | null }[];
        let text = '';
        for (const r of records) {
          const what = r.dir === 'in' ? `Read ${formatBytes(r.length)} from` : `Write ${formatBytes(r.length)} to`;
          text += `------ ${what}   ${r.fd_name ?? '<NA>'} (${r.proc ?? '<NA>'})\n${asciiOnly(r.data)}\n`;
        }
        text += '\n';
        expect(text).toBe(expected);
      } finally {
        db.close();
      }
    });
  }
});
