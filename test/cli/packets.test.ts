// capscope packets: the packet list on the command line, held against tshark's own list of the
// same capture (frame numbers, times, lengths, TCP sequence numbers), paged and filtered.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

const dir = scratchDir('cli-packets');
const capture = corpus('pcap', 'haproxy-502.pcap');

interface PacketJson {
  frame: number;
  ts: string;
  source: string | null;
  destination: string | null;
  protocol: string;
  length: number;
  info: string;
  streamId: number | null;
  dir: 'in' | 'out' | null;
}

function tsharkFields(file: string, filter: string | null, fields: string[]): string[][] {
  const args = ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f]), '-E', 'separator=\t'];
  if (filter) args.push('-Y', filter);
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 26 })
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
}

describe('capscope packets', () => {
  it('lists a page as tshark does: number, time, length, ports and relative Seq/Ack/Len', () => {
    const db = path.join(dir, 'page.sqlite');
    const out = onlyJson(capscope(['packets', capture, '--db', db, '--offset', '40', '--limit', '60', '--json'])) as { total: number; packets: PacketJson[]; error: unknown };
    // The Info column before a last field, so that its trailing space survives the split.
    const oracle = tsharkFields(capture, null, ['frame.number', 'frame.time_epoch', 'frame.len', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.len', '_ws.col.Protocol', '_ws.col.Info', 'frame.cap_len']);
    expect(out.error).toBeNull();
    expect(out.total).toBe(oracle.length);
    expect(out.packets).toHaveLength(60);
    let http = 0;
    out.packets.forEach((p, i) => {
      const [frame, epoch, len, sport, dport, seq, ack, tcpLen, protocol, info] = oracle[40 + i]!;
      expect(p.frame).toBe(Number(frame));
      // tshark prints the epoch with 9 digits: the capture's microseconds followed by zeros.
      expect(p.ts).toBe(epoch!.replace('.', '').replace(/^0+/, ''));
      expect(p.length).toBe(Number(len));
      expect(p.protocol).toBe(protocol);
      // A segment that completes an HTTP message says its first line, as tshark's Info does.
      if (protocol === 'HTTP') {
        http++;
        expect(p.info).toBe(info);
        return;
      }
      expect(p.info.startsWith(`${sport} → ${dport} `)).toBe(true);
      expect(p.info).toContain(`Seq=${seq}`);
      if (p.info.includes('Ack=')) expect(p.info).toContain(`Ack=${ack}`);
      expect(p.info).toContain(`Len=${tcpLen}`);
    });
    expect(http).toBeGreaterThan(0);
  });

  it('follows the streams filter: the packets of the connections to port 9001, as tshark selects them', () => {
    const db = path.join(dir, 'filtered.sqlite');
    const out = onlyJson(capscope(['packets', capture, '--db', db, '--filter', 'fd.sport=9001', '--limit', '2000', '--json'])) as { total: number; packets: PacketJson[] };
    const oracle = tsharkFields(capture, 'tcp.port==9001', ['frame.number']).map((r) => Number(r[0]));
    expect(out.total).toBe(oracle.length);
    expect(out.packets.map((p) => p.frame)).toEqual(oracle);
  });

  it('prints one line a packet and says which slice it printed', () => {
    const db = path.join(dir, 'text.sqlite');
    const r = capscope(['packets', capture, '--db', db, '--limit', '3']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\s+1 2026-11-22 06:51:56\.421009\s+127\.0\.0\.1 → 127\.0\.0\.1\s+TCP\s+74 38552 → 8080 \[SYN\] Seq=0/);
    expect(lines[3]).toBe('packets 1–3 of 1445 (--offset and --limit page on)');
  });

  it('refuses a syscall capture and a bad page size in one line', () => {
    const scap = capscope(['packets', corpus('scap', 'falco-cat_write.scap'), '--db', path.join(dir, 'scap.sqlite')]);
    expect(scap.status).not.toBe(0);
    expect(scap.stderr.trim().split('\n').at(-1)).toMatch(/holds no network capture/);
    const bad = capscope(['packets', capture, '--limit', 'ten']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--limit takes a whole number from 1, got 'ten'");
  });
});
