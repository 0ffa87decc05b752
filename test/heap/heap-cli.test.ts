// `capscope heap`: the documented JSON document (docs/cli.md), read back from the index (and the
// index reused), VisualVM's numbers with --size-model visualvm, and bad input: one line on stderr
// naming the file and the offset, partial results, exit 1; usage errors exit 2.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';
import { tsv } from './oracles';

let dir: string;
let env: NodeJS.ProcessEnv;
const SMALL = corpus('hprof', 'small-jcmd-live.hprof.gz');

beforeAll(() => {
  dir = scratchDir('heap-cli');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

interface HeapJson {
  file: string;
  entry: string;
  summary: Record<string, unknown> & { complete: boolean; objects: number };
  histogram: { class: string; instances: number; shallowBytes: number; retainedBytes: number }[];
  dominators: { objectId: string; class: string; shallowBytes: number; retainedBytes: number; pathFromRoot: unknown[] }[];
  suspects: { title: string; objectId: string; class: string; retainedBytes: number; percent: number; accumulation: { class: string } }[];
  duplicateStrings: { value: string; count: number; wastedBytes: number }[];
  threads: { name: string; stack: { frame: string }[]; retainedBytes: number }[];
  diagnostics: { offset: number | null; code: string; severity: string; message: string }[];
  error: { message: string; offset: number | null } | null;
}

describe('capscope heap', () => {
  it('prints one JSON document of the documented shape, from the index, and reuses the index', () => {
    const db = path.join(dir, 'small.sqlite');
    const first = capscope(['heap', '--json', '--db', db, '--top', '5', SMALL], env);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    const out = onlyJson(first) as HeapJson;
    expect(out.file).toBe(SMALL);
    expect(out.entry).toBe('small-jcmd-live.hprof');
    expect(out.summary).toMatchObject({
      format: 'JAVA PROFILE 1.0.2',
      idSize: 8,
      vm: 'hotspot',
      sizeModel: 'jvm',
      objects: 175476,
      classes: 905,
      gcRoots: 822,
      unreachableObjects: expect.any(Number),
      unreachableShallowBytes: expect.any(Number),
      unreachablePolicy: expect.stringContaining('in no retained size'),
      shallowBytes: expect.any(Number),
      complete: true,
    });
    expect(out.histogram).toHaveLength(5);
    expect(out.histogram[0]).toEqual({ class: 'byte[]', classId: '0xffe005b0', instances: 57665, shallowBytes: 26023816, retainedBytes: 26019344 });
    expect(out.dominators).toHaveLength(5);
    expect(out.dominators[0]).toMatchObject({ objectId: '0xffe56098', class: 'jdk.internal.loader.ClassLoaders$AppClassLoader', gcRoot: true, pathFromRoot: [{ objectId: '0xffe56098', class: 'jdk.internal.loader.ClassLoaders$AppClassLoader' }] });
    expect(out.suspects[0]).toMatchObject({ class: 'jdk.internal.loader.ClassLoaders$AppClassLoader', accumulation: { class: 'java.util.HashMap$Node[]', objectId: '0xe17050d0' } });
    expect(out.suspects[0]!.percent).toBeGreaterThan(60);
    expect(out.duplicateStrings.length).toBeLessThanOrEqual(5);
    expect(out.threads.map((t) => t.name)).toContain('main');
    expect(out.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('578 references point to objects that are not in the dump') })]);
    expect(out.error).toBeNull();

    const tables = new Database(db, { readonly: true });
    try {
      const count = (table: string) => (tables.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count('heap_summary')).toBe(2);
      // 1,044 LOAD CLASS records name 905 distinct classes (HotSpot repeats some), all dumped.
      expect(count('heap_classes')).toBe(905);
      expect(count('heap_histogram')).toBe(2 * 361);
      expect(count('heap_dominators')).toBe(2 * 500);
      expect(count('heap_threads')).toBe(2 * 10);
    } finally {
      tables.close();
    }

    const again = capscope(['heap', '--json', '--db', db, '--top', '5', SMALL], env);
    expect(again.status).toBe(0);
    expect(onlyJson(again)).toEqual(out);
  });

  it('an index written before heap dumps were analysed (the dump\'s source, no results) is rebuilt', () => {
    const db = path.join(dir, 'old.sqlite');
    const target = corpus('hprof', 'square_haha__sun_jdk5_13_x32.hprof');
    expect(capscope(['index', '--db', db, target], env).status).toBe(0);
    const index = new Database(db);
    for (const table of ['heap_summary', 'heap_classes', 'heap_histogram', 'heap_dominators', 'heap_suspects', 'heap_duplicate_strings', 'heap_threads']) index.exec(`DELETE FROM ${table}`);
    index.close();
    const result = capscope(['heap', '--json', '--db', db, target], env);
    expect(result.status).toBe(0);
    expect((onlyJson(result) as HeapJson).summary).toMatchObject({ format: 'JAVA PROFILE 1.0.1', idSize: 4, complete: true });
  });

  it('--size-model visualvm gives VisualVM\'s numbers', () => {
    const result = capscope(['heap', '--json', '--size-model', 'visualvm', '--top', '25', '--db', path.join(dir, 'small.sqlite'), SMALL], env);
    expect(result.status).toBe(0);
    const out = onlyJson(result) as HeapJson;
    const oracle = (kind: string) => tsv(corpus('hprof', 'oracle', 'visualvm', `small-jcmd-live-${kind}`));
    expect(out.dominators.map((d) => [d.retainedBytes, d.shallowBytes, d.class, d.objectId])).toEqual(oracle('biggest-retained.tsv').map((r) => [Number(r.retained_bytes), Number(r.shallow_bytes), r.class, r.instance_id]));
    expect(out.histogram.map((h) => [h.class, h.instances, h.shallowBytes])).toEqual(oracle('histogram.tsv').slice(0, 25).map((r) => [r.class, Number(r.instances), Number(r.shallow_bytes)]));
    expect(out.summary).toMatchObject({ sizeModel: 'visualvm', objects: 174571, shallowBytes: 29686104 });
  });

  it('prints a readable report without --json', () => {
    const result = capscope(['heap', '--top', '3', '--db', path.join(dir, 'small.sqlite'), SMALL], env);
    expect(result.status).toBe(0);
    for (const heading of ['Class histogram (top 3 by shallow size)', 'Biggest objects by retained size', 'Leak suspects', 'Duplicate strings', 'Threads']) expect(result.stdout).toContain(heading);
    expect(result.stdout).toContain('accumulates in java.util.HashMap$Node[] 0xe17050d0');
    expect(result.stdout).toContain('at com.example.leak.LeakApp.main(LeakApp.java:73)');
  });

  it('a dump cut short: partial results, one line on stderr naming the file and the offset, exit 1', () => {
    const whole = fs.readFileSync(corpus('hprof', 'square_haha__sun_jdk6_18_x64.hprof'));
    const cut = path.join(dir, 'cut.hprof');
    fs.writeFileSync(cut, whole.subarray(0, 2_000_000));
    const result = capscope(['heap', '--json', '--db', path.join(dir, 'cut.sqlite'), cut], env);
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^capscope: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte \\d+: the dump ends inside a HEAP_DUMP record that starts at offset 916167`));
    const out = onlyJson(result) as HeapJson;
    expect(out.summary.complete).toBe(false);
    expect(out.summary.objects).toBeGreaterThan(10_000);
    expect(out.histogram.length).toBeGreaterThan(0);
    expect(out.error).toEqual({ message: lines[0]!.slice('capscope: '.length), offset: expect.any(Number) });
    expect(out.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'hprof.record-truncated', offset: out.error!.offset });
  });

  it('a truncated gzip: the source fails, what came before is analysed, exit 1', () => {
    const gz = zlib.gzipSync(fs.readFileSync(corpus('hprof', 'square_haha__sun_jdk6_18_x64.hprof')));
    const cut = path.join(dir, 'cut.hprof.gz');
    fs.writeFileSync(cut, gz.subarray(0, gz.length >> 1));
    const result = capscope(['heap', '--json', '--db', path.join(dir, 'cutgz.sqlite'), cut], env);
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('truncated');
    const out = onlyJson(result) as HeapJson;
    expect(out.summary.complete).toBe(false);
    expect(out.summary.objects).toBeGreaterThan(1000);
  });

  it('a file with no heap dump, and usage errors', () => {
    const pcap = capscope(['heap', '--db', path.join(dir, 'pcap.sqlite'), corpus('pcap', 'haproxy-502.pcap')], env);
    expect(pcap.status).toBe(1);
    expect(pcap.stderr).toBe(`capscope: ${corpus('pcap', 'haproxy-502.pcap')}: holds no Java heap dump (HPROF)\n`);
    for (const args of [['heap'], ['heap', '--top', 'x', SMALL], ['heap', '--top', '0', SMALL], ['heap', '--size-model', 'mat', SMALL]]) {
      const result = capscope(args, env);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
    }
  });
});
