// Evidence written back out, held against the trusted tools re-reading it: a connection's packets
// and a filtered set as pcap and pcapng are the packets tshark shows for them in the original
// (frame bytes and times), whether the original was pcap, pcapng or gzip'd; a filtered slice of a
// syscall capture is read by sysdig as the same events; a stream's raw bytes each way are what
// tshark's Follow TCP Stream (raw) shows.

import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { corpus, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';
import { openIndexDb } from '../helpers/index-db';

const FILES = {
  pcap: corpus('pcap', 'haproxy-502.pcap'),
  pcapng: corpus('pcap', 'haproxy-502.pcapng'),
  gz: corpus('pcap', 'haproxy-502.pcap.gz'),
  curl: corpus('scap', 'curl_google.scap'),
};
const dir = scratchDir('export');
const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);

beforeAll(async () => {
  for (const [id, file] of Object.entries(FILES)) {
    const dbPath = path.join(dir, `${id}.sqlite`);
    expect((await runIngest({ file, dbPath })).state).toBe('done');
    dbs.set(id, openIndexDb(dbPath, { readonly: true }));
  }
}, 120_000);

function save(name: string, base64: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}

function tshark(args: string[]): string[] {
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .filter((l) => l !== '');
}

/** Each frame's time, wire length and bytes, as tshark reads them. */
function frames(file: string, filter?: string): string[] {
  const out = execFileSync('tshark', ['-r', file, ...(filter ? ['-Y', filter] : []), '-T', 'json', '-x'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  const packets = JSON.parse(out) as { _source: { layers: { frame: Record<string, string>; frame_raw: string[] } } }[];
  return packets.map(({ _source: { layers } }) => `${layers.frame['frame.time_epoch']} ${layers.frame['frame.len']} ${layers.frame_raw[0]}`);
}

/** The stream id of tshark's tcp.stream N in a case. */
function streamOf(caseId: string, connection: number): number {
  return dbs.get(caseId)!.prepare("SELECT id FROM streams WHERE l4proto = 'tcp' AND connection_index = ?").pluck().get(connection) as number;
}

describe('packets as capture files', () => {
  for (const source of ['pcap', 'pcapng', 'gz'] as const) {
    for (const format of ['pcap', 'pcapng'] as const) {
      it(`one connection of the ${source} as ${format}: tshark reads the same frames`, async () => {
        const out = await api['export.packets']({ caseId: source, format, streamId: streamOf(source, 3) });
        expect(out.fileName).toMatch(new RegExp(`\\.stream-\\d+\\.${format}$`));
        const file = save(`${source}-3.${format}`, out.base64);
        const ours = frames(file);
        const theirs = frames(FILES[source], 'tcp.stream == 3');
        expect(ours.length).toBeGreaterThan(3);
        expect(out.items).toBe(theirs.length);
        expect(ours).toEqual(theirs);
      });
    }
  }

  it('the connections in a filter: the packets tshark shows for them', async () => {
    const db = dbs.get('pcap')!;
    const ports = db.prepare("SELECT client_port FROM streams WHERE l4proto = 'tcp' AND server_port = 8080 ORDER BY connection_index LIMIT 2").pluck().all() as number[];
    const filter = `fd.cport in (${ports.join(', ')})`;
    const out = await api['export.packets']({ caseId: 'pcap', format: 'pcapng', scope: { filter } });
    expect(out.fileName).toMatch(/\.filtered\.pcapng$/);
    const ours = frames(save('filtered.pcapng', out.base64));
    const theirs = frames(FILES.pcap, `tcp.port in {${ports.join(', ')}}`);
    expect(ours).toEqual(theirs);
    expect(ours.length).toBeGreaterThan(10);
  });

  it('says what is wrong with a selection it cannot write', async () => {
    await expect(api['export.packets']({ caseId: 'curl', format: 'pcap', streamId: 1 })).rejects.toThrow(/no network capture/);
    await expect(api['export.packets']({ caseId: 'pcap', format: 'pcap', scope: { filter: 'fd.cport = 1' } })).rejects.toThrow(/no packet/);
  });
});

describe('a slice of a syscall capture', () => {
  const FORMAT = '*%evt.rawtime %evt.type %evt.dir %thread.tid %proc.name %fd.name %evt.rawres %evt.info';
  const sysdig = (file: string, filter: string[]) =>
    execFileSync('sysdig', ['-r', file, '-p', FORMAT, ...filter], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l !== '');

  it('holds the filtered events and sysdig reads them as in the original', async () => {
    const filter = 'evt.type in (open, connect, read)';
    const out = await api['export.events']({ caseId: 'curl', scope: { filter } });
    expect(out.fileName).toBe('curl_google.slice.scap');
    const file = save(out.fileName, out.base64);
    const theirs = sysdig(FILES.curl, [filter]);
    expect(theirs.length).toBeGreaterThan(100);
    // Filtered alike, sysdig prints of the slice what it prints of the original: processes named,
    // fds named, as the events that made them are kept.
    expect(sysdig(file, [filter])).toEqual(theirs);
    expect(theirs.some((l) => l.includes(' curl /etc/ld.so.cache '))).toBe(true);
    // And the slice holds those, and the state events, not the rest.
    const all = sysdig(FILES.curl, []);
    const slice = sysdig(file, []);
    expect(slice.length).toBeLessThan(all.length);
    expect(slice.filter((l) => / (mmap|mprotect|clock_gettime|fstat) /.test(l))).toEqual([]);
  });

  it('in a time range', async () => {
    const times = sysdig(FILES.curl, []).map((l) => BigInt(l.split(' ')[0]!));
    const from = times[Math.floor(times.length / 3)]!;
    const to = times[Math.floor((2 * times.length) / 3)]!;
    const out = await api['export.events']({ caseId: 'curl', scope: { range: { from: String(from), to: String(to) } } });
    const inRange = [`evt.rawtime >= ${from} and evt.rawtime <= ${to}`];
    expect(sysdig(save('range.scap', out.base64), inRange)).toEqual(sysdig(FILES.curl, inRange));
  });
});

describe("a stream's raw bytes", () => {
  it("are tshark's Follow TCP Stream (raw), each way", async () => {
    const follow = tshark(['-r', FILES.pcap, '-q', '-z', 'follow,tcp,raw,5']).filter((l) => /^\t?[0-9a-f]+$/.test(l));
    const clientHex = follow.filter((l) => !l.startsWith('\t')).join('');
    const serverHex = follow.filter((l) => l.startsWith('\t')).map((l) => l.slice(1)).join('');
    expect(clientHex.length).toBeGreaterThan(0);
    const streamId = streamOf('pcap', 5);
    const out = await api['export.streamBytes']({ caseId: 'pcap', streamId, dir: 'out' });
    const back = await api['export.streamBytes']({ caseId: 'pcap', streamId, dir: 'in' });
    expect(Buffer.from(out.base64, 'base64').toString('hex')).toBe(clientHex);
    expect(Buffer.from(back.base64, 'base64').toString('hex')).toBe(serverHex);
    expect(out.fileName).toBe(`haproxy-502.stream-${streamId}.out.bin`);
    expect(out.note).toBeNull();
  });
});
