// The corpus files the fuzzer mutates (../shared/corpus, read in place, never copied), per format;
// Go profiles, which the shared corpus has none of, are the test program's (test/pprof/fixtures).
// `quick` marks the small ones the fixed-seed round in `npm test` draws from; the long run draws
// from all. A seed's "inner" bytes are the evidence itself: the corpus's gzip-compressed scap and
// HPROF files are decompressed here so mutations hit the format, not the compression, and the
// wrappers (wrappers.ts) put a compression or archive layer back around them.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { CORPUS, REPO_ROOT } from '../helpers/paths';
import type { FuzzFormat } from './layout';
import { layoutOf, type Layout } from './layout';

export interface Seed {
  /** The corpus path, relative to the corpus root: how failures name it. */
  name: string;
  format: FuzzFormat;
  quick: boolean;
  /** The uncompressed file, when the corpus file is a compressed copy of another corpus file. */
  innerOf?: string;
}

/** Seeds named from the repository's root rather than the corpus's. */
const PPROF = 'test/pprof/fixtures/profiles';

export const SEEDS: readonly Seed[] = [
  { name: 'scap/curl_google.scap', format: 'scap', quick: true },
  { name: 'scap/test_ipv6_client.scap', format: 'scap', quick: true },
  { name: 'scap/falco-cat_write.scap', format: 'scap', quick: true },
  { name: 'scap/libs-sample.scap', format: 'scap', quick: true },
  { name: 'scap/falco-connect_localhost.scap', format: 'scap', quick: false },
  { name: 'scap/falco-privileged.scap', format: 'scap', quick: false },
  { name: 'scap/single_ipv6_conn.scap', format: 'scap', quick: false },
  { name: 'scap/falco-empty.scap', format: 'scap', quick: false },
  { name: 'pcap/haproxy-502.pcap', format: 'pcap', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__one_http_stream_rst.pcap', format: 'pcap', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__nanosecs_big_endian.pcap', format: 'pcap', quick: true },
  { name: 'pcap/google_gopacket__test_vlan.pcap', format: 'pcap', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__null_loopback.pcap', format: 'pcap', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__three_http_streams.pcap', format: 'pcap', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__tcp-reassembly.pcap', format: 'pcap', quick: false },
  { name: 'pcap/seladb_PcapPlusPlus__four_ipv6_http_streams.pcap', format: 'pcap', quick: false },
  { name: 'pcap/seladb_PcapPlusPlus__raw_ip.pcap', format: 'pcap', quick: false },
  { name: 'pcap/seladb_PcapPlusPlus__sll.pcap', format: 'pcap', quick: false },
  { name: 'pcap/seladb_PcapPlusPlus__unidirectional_tcp_stream_with_missing_packet.pcap', format: 'pcap', quick: false },
  { name: 'pcap/haproxy-502.pcap.gz', format: 'pcap', quick: false, innerOf: 'pcap/haproxy-502.pcap' },
  { name: 'pcap/google_gopacket__test101.pcapng', format: 'pcapng', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__HttpMalformedResponse.pcapng', format: 'pcapng', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__many_interfaces-1.pcapng', format: 'pcapng', quick: true },
  { name: 'pcap/seladb_PcapPlusPlus__pcapng-example.pcapng', format: 'pcapng', quick: true },
  { name: 'pcap/haproxy-502.pcapng', format: 'pcapng', quick: false },
  { name: 'pcap/seladb_PcapPlusPlus__pcapng-example.pcapng.zst', format: 'pcapng', quick: true, innerOf: 'pcap/seladb_PcapPlusPlus__pcapng-example.pcapng' },
  { name: 'hprof/square_haha__sun_jdk5_13_x32.hprof', format: 'hprof', quick: true },
  { name: 'hprof/agourlay_hprof-slurp__hprof-64.bin', format: 'hprof', quick: false },
  { name: 'hprof/square_haha__sun_jdk6_18_x64.hprof', format: 'hprof', quick: false },
  { name: 'hprof/JetBrains_adt-tools-base__dialer.android-hprof', format: 'hprof', quick: false },
  { name: 'hprof/small-jcmd-live.hprof.gz', format: 'hprof', quick: false },
  { name: `${PPROF}/heap-2.pb.gz`, format: 'pprof', quick: true },
  { name: `${PPROF}/cpu.pb.gz`, format: 'pprof', quick: true },
  { name: `${PPROF}/goroutine-2.pb.gz`, format: 'pprof', quick: true },
  { name: `${PPROF}/allocs.pb.gz`, format: 'pprof', quick: false },
  { name: `${PPROF}/block.pb.gz`, format: 'pprof', quick: false },
  { name: `${PPROF}/mutex.pb.gz`, format: 'pprof', quick: false },
];

export function seedNamed(name: string): Seed {
  const seed = SEEDS.find((s) => s.name === name);
  if (!seed) throw new Error(`no fuzz seed named ${name} (test/fuzz/seeds.ts lists them)`);
  return seed;
}

export function corpusPath(name: string): string {
  return name.startsWith(`${PPROF}/`) ? path.join(REPO_ROOT, name) : path.join(CORPUS, name);
}

const stored = new Map<string, Buffer>();
const inner = new Map<string, Buffer>();
const layouts = new Map<string, Layout>();

/** The corpus file's bytes as they are stored. */
export function storedBytes(name: string): Buffer {
  let b = stored.get(name);
  if (!b) stored.set(name, (b = fs.readFileSync(corpusPath(name))));
  return b;
}

/** The evidence itself: the corpus file without its own compression. */
export function innerBytes(seed: Seed): Buffer {
  let b = inner.get(seed.name);
  if (!b) {
    const raw = storedBytes(seed.innerOf ?? seed.name);
    b = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
    inner.set(seed.name, b);
  }
  return b;
}

export function seedLayout(seed: Seed): Layout {
  let l = layouts.get(seed.name);
  if (!l) layouts.set(seed.name, (l = layoutOf(seed.format, innerBytes(seed))));
  return l;
}

/** The entry name the evidence gets inside an input: the seed's base name, less its compression. */
export function entryName(seed: Seed): string {
  return path.basename(seed.innerOf ?? seed.name).replace(/\.(gz|zst)$/, '');
}

/** Whether the corpus stores this seed compressed (so its own compression can be mutated too). */
export function storedCompressed(seed: Seed): boolean {
  const raw = storedBytes(seed.name);
  return (raw[0] === 0x1f && raw[1] === 0x8b) || raw.readUInt32LE(0) === 0xfd2fb528;
}
