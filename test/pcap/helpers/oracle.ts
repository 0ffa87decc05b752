// The oracles: capinfos (packet counts), `tshark -q -z conv,tcp` (connections with frames and bytes
// each way) and `tshark -q -z follow,tcp,raw,N` (each connection's reassembled bytes), run on the
// same file capscope reads, and their text parsed back into data.

import { execFileSync } from 'node:child_process';

const TSHARK_ENV = { ...process.env, LC_ALL: 'C' };

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', env: TSHARK_ENV, maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/** capinfos' packet count (-M: exact numbers, no k/M suffixes). */
export function capinfosPackets(file: string): number {
  const out = run('capinfos', ['-c', '-M', file]);
  const m = out.match(/Number of packets:\s+(\d+)/);
  if (!m) throw new Error(`capinfos gave no packet count for ${file}:\n${out}`);
  return Number(m[1]);
}

export interface Conversation {
  a: string;
  b: string;
  /** Frames and bytes from B to A ("<-") and from A to B ("->"); bytes as tshark prints them. */
  framesBA: number;
  bytesBA: string;
  framesAB: number;
  bytesAB: string;
}

export function tsharkConversations(file: string): Conversation[] {
  const out = run('tshark', ['-r', file, '-q', '-z', 'conv,tcp']);
  const rows: Conversation[] = [];
  const line = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ (?:bytes|kB|MB|GB))\s+(\d+)\s+(\d+ (?:bytes|kB|MB|GB))\s+/;
  for (const text of out.split('\n')) {
    const m = text.match(line);
    if (m) rows.push({ a: m[1]!, b: m[2]!, framesBA: Number(m[3]), bytesBA: m[4]!, framesAB: Number(m[5]), bytesAB: m[6]! });
  }
  return rows;
}

/** How tshark 4.0 prints a byte count in its statistics (format_size: SI units, truncated). */
export function tsharkSize(n: number): string {
  if (n >= 10 * 1000 ** 3) return `${Math.floor(n / 1000 ** 3)} GB`;
  if (n >= 10 * 1000 ** 2) return `${Math.floor(n / 1000 ** 2)} MB`;
  if (n >= 10 * 1000) return `${Math.floor(n / 1000)} kB`;
  return `${n} bytes`;
}

export interface FollowRecord {
  /** 0: from node 0 (the first packet's sender), 1: from node 1. */
  node: 0 | 1;
  data: Buffer;
}

export interface FollowedStream {
  index: number;
  node0: string;
  node1: string;
  records: FollowRecord[];
}

/** One tshark pass following many TCP streams (tshark accepts any number of -z follow taps). */
export function tsharkFollowRaw(file: string, indices: number[]): Map<number, FollowedStream> {
  const result = new Map<number, FollowedStream>();
  // Bounded batches keep the command line and tshark's per-packet filter work reasonable.
  for (let i = 0; i < indices.length; i += 400) {
    const batch = indices.slice(i, i + 400);
    const out = run('tshark', ['-r', file, '-q', ...batch.flatMap((n) => ['-z', `follow,tcp,raw,${n}`])]);
    for (const block of out.split('===================================================================\nFollow: tcp,raw\n').slice(1)) {
      const lines = block.split('\n');
      const index = Number(lines[0]!.match(/^Filter: tcp\.stream eq (\d+)/)?.[1]);
      const node0 = lines[1]!.replace(/^Node 0: /, '');
      const node1 = lines[2]!.replace(/^Node 1: /, '');
      const records: FollowRecord[] = [];
      for (const l of lines.slice(3)) {
        if (l.startsWith('=====')) break;
        if (l === '') continue;
        const node = l.startsWith('\t') ? 1 : 0;
        records.push({ node, data: Buffer.from(l.trim(), 'hex') });
      }
      result.set(index, { index, node0, node1, records });
    }
  }
  return result;
}

/** "[fe80::1]:80" / "fe80::1:80" / "10.0.0.1:80" → { addr, port } (tshark prints IPv6 nodes bare). */
export function splitEndpoint(text: string): { addr: string; port: number } {
  const at = text.lastIndexOf(':');
  return { addr: text.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(text.slice(at + 1)) };
}
