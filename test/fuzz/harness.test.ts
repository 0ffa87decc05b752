// The fuzzing harness's own parts, each shown to do its job: the generator is deterministic, the
// mutations do what they say, the record layouts (the oracle) cover every corpus file exactly, the
// wrappers are read back by capscope, the probe stops an ingest that hangs or grows, and every
// promise check catches a planted breach of it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { checkCli, type CliObservation, type CommandRun } from './cli-probe';
import { buildInput, drawCase, type FuzzCase } from './fuzz-case';
import { probeIngest, type IngestObservation } from './ingest-probe';
import { applySteps, firstChange, isPureCut } from './mutators';
import { Prng } from './prng';
import { checkAgainstBaseline, checkHeapAgreement, checkIngest, hasStackTrace, type Baseline } from './promises';
import { layoutOf } from './layout';
import { entryName, innerBytes, SEEDS, seedLayout, seedNamed } from './seeds';
import { wrap, wrappedName, WRAPPERS } from './wrappers';

const dir = scratchDir('fuzz-harness');
const noDonor = (): Buffer => {
  throw new Error('no donor in this test');
};

describe('the generator', () => {
  it('draws the same numbers from the same seed, in range', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const xs = Array.from({ length: 1000 }, () => a.below(10));
    expect(Array.from({ length: 1000 }, () => b.below(10))).toEqual(xs);
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(9);
    expect(new Prng(43).next()).not.toBe(new Prng(42).next());
  });

  it('makes the same case, and the same bytes, from the same run seed and index', () => {
    for (let i = 0; i < 20; i++) {
      const c = drawCase(7, i, { quick: true });
      expect(drawCase(7, i, { quick: true })).toEqual(c);
      expect(buildInput(c).bytes.equals(buildInput(JSON.parse(JSON.stringify(c)) as FuzzCase).bytes)).toBe(true);
    }
    expect(drawCase(7, 1, { quick: true })).not.toEqual(drawCase(7, 2, { quick: true }));
  });
});

describe('the mutations', () => {
  const bytes = Buffer.from('00112233445566778899', 'hex');
  it('do what they say, offsets in the bytes the steps before them left', () => {
    expect(applySteps(bytes, [{ kind: 'flip', at: 1, bit: 0 }], noDonor).toString('hex')).toBe('00102233445566778899');
    expect(applySteps(bytes, [{ kind: 'set', at: 9, value: 0xff }], noDonor).toString('hex')).toBe('001122334455667788ff');
    expect(applySteps(bytes, [{ kind: 'huge', at: 2, littleEndian: true, value: 0x80000000 }], noDonor).toString('hex')).toBe('00110000008066778899');
    expect(applySteps(bytes, [{ kind: 'huge', at: 8, littleEndian: false, value: 0xffffffff }], noDonor).toString('hex')).toBe('0011223344556677ffff');
    expect(applySteps(bytes, [{ kind: 'cut', at: 3 }], noDonor).toString('hex')).toBe('001122');
    expect(applySteps(bytes, [{ kind: 'insert', at: 1, hex: 'abcd' }], noDonor).toString('hex')).toBe('00abcd112233445566778899');
    expect(applySteps(bytes, [{ kind: 'delete', at: 1, length: 8 }], noDonor).toString('hex')).toBe('0099');
    expect(applySteps(bytes, [{ kind: 'splice', at: 2, donor: 'd', from: 1 }], () => Buffer.from('aabbcc', 'hex')).toString('hex')).toBe('0011bbcc');
    expect(applySteps(bytes, [{ kind: 'insert', at: 0, hex: 'ee' }, { kind: 'cut', at: 2 }], noDonor).toString('hex')).toBe('ee00');
    expect(bytes.toString('hex')).toBe('00112233445566778899'); // the original is never touched
  });

  it('know the first byte they may change', () => {
    expect(firstChange([{ kind: 'flip', at: 7, bit: 1 }, { kind: 'delete', at: 3, length: 2 }])).toBe(3);
    expect(isPureCut([{ kind: 'cut', at: 5 }])).toBe(true);
    expect(isPureCut([{ kind: 'flip', at: 1, bit: 1 }, { kind: 'cut', at: 5 }])).toBe(false);
  });
});

describe('the record layouts (the oracle for what a mutation leaves untouched)', () => {
  it.each(SEEDS.filter((s) => !s.innerOf || s.name.endsWith('.gz')).map((s) => [s.name, s] as const))('%s: records follow each other to the end of the file', (_name, seed) => {
    const layout = seedLayout(seed);
    const bytes = innerBytes(seed);
    expect(layout.records.length).toBeGreaterThan(0);
    for (let i = 1; i < layout.records.length; i++) expect(layout.records[i]!.offset).toBe(layout.records[i - 1]!.end);
    expect(layout.records.at(-1)!.end).toBe(bytes.length);
    expect(layout.lengthFields.every((f) => f.at >= 0 && f.at + f.size <= bytes.length)).toBe(true);
  });

  it('sees a cut record as cut: a truncated pcap has one record fewer', () => {
    const seed = seedNamed('pcap/seladb_PcapPlusPlus__one_http_stream_rst.pcap');
    const full = seedLayout(seed);
    const cut = layoutOf('pcap', innerBytes(seed).subarray(0, full.records.at(-1)!.end - 1));
    expect(cut.records.length).toBe(full.records.length - 1);
  });
});

describe('the wrappers', () => {
  const seed = seedNamed('pcap/seladb_PcapPlusPlus__one_http_stream_rst.pcap');
  const inner = innerBytes(seed);
  const layersOf: Record<string, string[]> = { raw: [], gzip: ['gzip'], 'gzip-multi': ['gzip'], zstd: ['zstd'], tar: ['tar'], 'tar-pax': ['tar'], tgz: ['gzip', 'tar'] };
  it.each(WRAPPERS.map((w) => [w]))('%s: capscope reads the evidence back whole', (wrapper) => {
    const file = path.join(dir, wrappedName(entryName(seed), wrapper));
    fs.writeFileSync(file, wrap(inner, wrapper, entryName(seed)));
    const doc = onlyJson(capscope(['info', '--json', file])) as { entries: { name: string; format: string; bytes: number; compression: string[] }[]; error: unknown };
    expect(doc.error).toBeNull();
    expect(doc.entries).toHaveLength(1);
    expect(doc.entries[0]).toMatchObject({ format: 'pcap', bytes: inner.length, compression: layersOf[wrapper] });
    if (wrapper === 'tar-pax') expect(doc.entries[0]!.name).toBe(`evidence/${entryName(seed)}`);
  });

  it('zstd: the reference decoder reads the frame too (when `zstd` is installed)', () => {
    const which = spawnSync('zstd', ['--version']);
    if (which.status !== 0) return;
    const data = Buffer.concat([inner, Buffer.alloc(300_000, 7), inner]); // raw and RLE blocks, more than one block
    const out = spawnSync('zstd', ['-dc'], { input: wrap(data, 'zstd', 'x') });
    expect(out.status).toBe(0);
    expect(Buffer.from(out.stdout).equals(data)).toBe(true);
  });
});

describe('the probe', () => {
  const evidence = path.join(dir, 'evidence.pcap');
  fs.writeFileSync(evidence, innerBytes(seedNamed('pcap/seladb_PcapPlusPlus__one_http_stream_rst.pcap')));
  const standIn = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, body);
    return file;
  };

  it('reads back what the built ingest worker stored', async () => {
    const obs = await probeIngest(evidence, path.join(dir, 'ok.sqlite'));
    expect(obs.state).toBe('done');
    expect(obs.records).toBe(seedLayout(seedNamed('pcap/seladb_PcapPlusPlus__one_http_stream_rst.pcap')).records.length);
    expect(obs.sources).toEqual([expect.objectContaining({ format: 'pcap', status: 'indexed' })]);
  });

  it('stops a worker that never finishes', async () => {
    const spin = standIn('spin.mjs', 'for (;;) {}\n');
    const obs = await probeIngest(evidence, path.join(dir, 'spin.sqlite'), { timeoutMs: 500, memoryMb: 256 }, spin);
    expect(obs.state).toBe('timeout');
  });

  it('stops a worker whose heap or resident memory outgrows the limit', async () => {
    const heap = standIn('heap.mjs', 'const keep = []; for (;;) keep.push(new Array(1e5).fill({ x: keep.length }));\n');
    expect((await probeIngest(evidence, path.join(dir, 'heap.sqlite'), { timeoutMs: 20_000, memoryMb: 64 }, heap)).state).toBe('memory');
    const rss = standIn('rss.mjs', 'const keep = []; setInterval(() => keep.push(Buffer.alloc(16 << 20, 1)), 5);\n');
    expect((await probeIngest(evidence, path.join(dir, 'rss.sqlite'), { timeoutMs: 20_000, memoryMb: 64 }, rss)).state).toBe('memory');
  });

  it('reports a worker that dies as a crash', async () => {
    const die = standIn('die.mjs', "throw new TypeError('boom');\n");
    const obs = await probeIngest(evidence, path.join(dir, 'die.sqlite'), { timeoutMs: 5000, memoryMb: 256 }, die);
    expect(obs.state).toBe('crashed');
    expect(checkIngest(obs, evidence).map((v) => v.rule)).toEqual(['no-crash']);
  });
});

describe('the promise checks catch what they are about', () => {
  const file = '/evidence/x.pcap';
  const clean: IngestObservation = {
    state: 'failed',
    error: `${file} at byte 40: expected a packet record, found the end of the data`,
    sources: [{ id: 1, entry: 'x.pcap', format: 'pcap', status: 'failed', error: `${file} at byte 40: expected a packet record, found the end of the data` }],
    diagnostics: [],
    records: 1,
    recordOffsets: [24],
    heaps: new Map(),
    ms: 1,
    rssGrowthMb: 0,
  };
  const rules = (obs: IngestObservation) => checkIngest(obs, file).map((v) => v.rule);

  it('a clean failure breaks none', () => {
    expect(rules(clean)).toEqual([]);
  });

  it('errors: a stack trace, a second line, no file, no offset', () => {
    const stack = 'TypeError: x is undefined\n    at readRecord (file:///app/dist/ingest-worker.mjs:120:7)';
    expect(hasStackTrace(stack)).toBe(true);
    expect(hasStackTrace('at byte 12: expected a block')).toBe(false);
    expect(rules({ ...clean, error: stack })).toContain('no-stack-trace');
    expect(rules({ ...clean, diagnostics: [{ sourceId: 1, offset: 3, code: 'tar.x', severity: 'error', message: "found '1 path=a\nb'" }] })).toEqual(['one-line-message']);
    expect(rules({ ...clean, error: 'Invalid time value' })).toEqual(['error-names-file']);
    expect(rules({ ...clean, error: `${file}: cannot store REAL value in INTEGER column fds.fd` })).toEqual(['error-names-offset']);
  });

  it('the ingest did not end by itself', () => {
    expect(rules({ ...clean, state: 'timeout' })).toEqual(['bounded-time']);
    expect(rules({ ...clean, state: 'memory' })).toEqual(['bounded-memory']);
    expect(rules({ ...clean, state: 'cancelled' })).toContain('not-cancelled');
  });

  it('records before the first changed byte lost; a cut that keeps more than it had; a cut not reported', () => {
    // Three 20-byte records after a 24-byte header, all stored by the unmutated file.
    const layout = { format: 'pcap' as const, records: [{ offset: 24, end: 44 }, { offset: 44, end: 64 }, { offset: 64, end: 84 }], endAt: new Map([[24, 44], [44, 64], [64, 84]]), lengthFields: [] };
    const baseline: Baseline = { layout, storedEnds: new Map([[24, 44], [44, 64], [64, 84]]) };
    const cutAt = (at: number): FuzzCase => ({ id: 't:0', seed: 'pcap/x', wrapper: 'raw', target: 'inner', steps: [{ kind: 'cut', at }] });
    const flipAt = (at: number): FuzzCase => ({ id: 't:0', seed: 'pcap/x', wrapper: 'raw', target: 'inner', steps: [{ kind: 'flip', at, bit: 0 }] });
    const r = (c: FuzzCase, obs: IngestObservation) => checkAgainstBaseline(c, obs, baseline).map((v) => v.rule);
    const failedAt = (offset: number, stored: number[]): IngestObservation => ({ ...clean, error: `${file} at byte ${offset}: cut`, sources: [{ ...clean.sources[0]!, error: `${file} at byte ${offset}: cut` }], recordOffsets: stored, records: stored.length });
    expect(r(cutAt(70), failedAt(64, [24, 44]))).toEqual([]);
    expect(r(cutAt(70), failedAt(64, [24]))).toEqual(['prefix-kept']);
    expect(r(cutAt(70), failedAt(64, [24, 44, 64]))).toEqual(['cut-exact']);
    expect(r(cutAt(70), { ...failedAt(64, [24, 44]), state: 'done', error: null, sources: [{ ...clean.sources[0]!, status: 'indexed', error: null }] })).toEqual(['cut-reported']);
    expect(r(cutAt(70), failedAt(12, [24, 44]))).toEqual(['cut-reported']); // names no offset in the cut record
    expect(r(cutAt(64), { ...failedAt(64, [24, 44]) })).toEqual(['clean-prefix-accepted']);
    // In an archive, a member cut inside the file's header may be skipped, named, as not evidence.
    const skipped: IngestObservation = { ...clean, state: 'done', error: null, sources: [], records: 0, recordOffsets: [], diagnostics: [{ sourceId: null, offset: null, code: 'ingest.entry-skipped', severity: 'warning', message: 'skipped x.pcap: a pcap header cut short (6 of 24 bytes)' }] };
    expect(checkAgainstBaseline({ ...cutAt(6), wrapper: 'tar' }, skipped, baseline).map((v) => v.rule)).toEqual([]);
    expect(checkAgainstBaseline({ ...cutAt(6), wrapper: 'gzip' }, skipped, baseline).map((v) => v.rule)).toEqual(['cut-reported']);
    expect(r(flipAt(50), failedAt(44, [24]))).toEqual([]);
    expect(r(flipAt(70), failedAt(64, [24]))).toEqual(['prefix-kept']);
  });

  it('a heap dump the index calls indexed but whose results say otherwise', () => {
    const heap = (objects: number, complete: boolean): IngestObservation => ({
      ...clean,
      state: 'done',
      error: null,
      sources: [{ id: 1, entry: 'x.hprof', format: 'hprof', status: 'indexed', error: null }],
      heaps: new Map([[1, { objects, complete }]]),
    });
    expect(checkHeapAgreement(heap(10, true))).toEqual([]);
    expect(checkHeapAgreement(heap(10, false)).map((v) => v.detail)).toEqual([expect.stringContaining('cut short')]);
    expect(checkHeapAgreement({ ...heap(10, true), heaps: new Map() }).map((v) => v.detail)).toEqual([expect.stringContaining('no heap results')]);
    // A fault the reading went on past is a diagnostic: it changes neither command's exit status.
    const readPast = { ...heap(10, true), diagnostics: [{ sourceId: 1, offset: 9, code: 'hprof.unknown-sub-record', severity: 'error', message: 'unknown heap dump sub-record tag 0x00' }] };
    expect(checkHeapAgreement(readPast)).toEqual([]);
  });

  it('the command line: its exit statuses, stdout, stderr, and the two commands agreeing', () => {
    const run = (args: string[], status: number, stdout: string, stderr: string): CommandRun => ({ args, status, signal: null, stdout, stderr, ms: 1, peakRssMb: 1, stopped: null });
    const line = `capscope: ${file} at byte 40: expected a packet record`;
    const indexFailed = run(['index'], 1, `${JSON.stringify({ state: 'failed', sources: [{ status: 'failed', error: line.slice(10) }], error: line.slice(10) })}\n`, `${line}\n`);
    const streamsFailed = run(['streams'], 1, `${JSON.stringify({ streams: [], error: { message: line.slice(10) } })}\n`, `${line}\n`);
    const info = run(['info'], 1, `${JSON.stringify({ entries: [], error: { message: line.slice(10), offset: 40 } })}\n`, `${line}\n`);
    const cli = (index: CommandRun, query: CommandRun): string[] => checkCli({ info, index, query, format: 'pcap' } satisfies CliObservation, file).map((v) => v.rule);
    expect(cli(indexFailed, streamsFailed)).toEqual([]);
    expect(cli(indexFailed, { ...streamsFailed, status: 0, stderr: '' })).toEqual(expect.arrayContaining(['json-agrees-with-exit', 'commands-agree']));
    expect(cli(indexFailed, { ...streamsFailed, stdout: `${streamsFailed.stdout}{}\n` })).toContain('one-json-document');
    expect(cli(indexFailed, { ...streamsFailed, stderr: `${line}\n    at main (file:///app/dist/cli.mjs:1:2)\n` })).toContain('no-stack-trace');
    expect(cli(indexFailed, { ...streamsFailed, status: 134 })).toContain('exit-status');
    expect(cli(indexFailed, { ...streamsFailed, stderr: `capscope: ${file}: ${line.slice(10)}\n` })).toContain('file-named-once');
    expect(cli(indexFailed, { ...streamsFailed, stdout: '', stderr: 'capscope: boom\n' })).toEqual(expect.arrayContaining(['one-json-document', 'error-names-file']));
  });
});
