// Damaged heap dumps through the command line, as a user meets them: `capscope index` and
// `capscope heap` on the same damaged dump must say the same thing (status, exit code, the one
// line naming the file and the byte offset) and keep what can be analysed. The inputs are made
// here by cutting and mutating the corpus's dumps, never committed.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson, type CliResult } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = scratchDir('damaged-dumps');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

/** square/haha's JDK 6 dump: 21,309 records, the last one a HEAP_DUMP record at offset 916,167. */
const SQUARE = corpus('hprof', 'square_haha__sun_jdk6_18_x64.hprof');
const SQUARE_HEAP_DUMP_AT = 916_167;
/** Where the header's u8 timestamp starts: after "JAVA PROFILE 1.0.1", its NUL and the u4 identifier size. */
const SQUARE_TIMESTAMP_AT = 'JAVA PROFILE 1.0.1'.length + 1 + 4;

interface IndexJson {
  state: string;
  sources: { entry: string; status: string; error: string | null }[];
  error: string | null;
}

interface HeapJson {
  summary: { complete: boolean; objects: number; shallowBytes: number; classes: number; gcRoots: number; timestamp: string | null } | null;
  histogram: unknown[];
  diagnostics: { offset: number | null; code: string; severity: string; message: string }[];
  error: { message: string; offset: number | null } | null;
}

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

function stderrLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line !== '');
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** Runs `index` then `heap` on the file, each on an index of its own. */
function both(file: string, heapFlags: string[] = []): { index: CliResult; heap: CliResult; indexOut: IndexJson; heapOut: HeapJson } {
  const base = path.basename(file);
  const index = capscope(['index', '--json', '--db', path.join(dir, `${base}.index.sqlite`), file], env);
  const heap = capscope(['heap', '--json', '--top', '3', ...heapFlags, '--db', path.join(dir, `${base}.heap.sqlite`), file], env);
  return { index, heap, indexOut: onlyJson(index) as IndexJson, heapOut: onlyJson(heap) as HeapJson };
}

/**
 * The promise for a dump the reading could not finish: both commands exit 1 with the same one
 * line on stderr, naming the file once and the byte offset; the source is failed with that line as
 * its error; `heap` reports it with its offset and as the one error diagnostic, and keeps the
 * results of what came before.
 */
function expectAgreedFailure(file: string, code: string, stream = ''): { offset: number; heap: HeapJson } {
  const { index, heap, indexOut, heapOut } = both(file);
  expect(index.status).toBe(1);
  expect(heap.status).toBe(1);
  const line = stderrLines(index);
  expect(line).toHaveLength(1);
  expect(stderrLines(heap)).toEqual(line);
  const message = line[0]!.slice('capscope: '.length);
  expect(line[0]).toBe(`capscope: ${message}`);
  expect(occurrences(message, file)).toBe(1);
  const at = message.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte (\\d+)${stream}: `));
  expect(at, message).not.toBeNull();
  const offset = Number(at![1]);

  expect(indexOut.state).toBe('failed');
  expect(indexOut.sources).toHaveLength(1);
  expect(indexOut.sources[0]).toMatchObject({ status: 'failed', error: message });
  expect(indexOut.error).toBe(message);

  expect(heapOut.error).toEqual({ message, offset });
  const errors = heapOut.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([{ offset, code, severity: 'error', message }]);
  expect(heapOut.summary?.complete).toBe(false);
  return { offset, heap: heapOut };
}

describe('a dump cut short: index and heap agree', () => {
  const whole = () => fs.readFileSync(SQUARE);

  it('cut inside the HEAP_DUMP record: failed, the offset of the cut, the objects before it analysed', () => {
    const { heap } = expectAgreedFailure(write('cut-in-heap.hprof', whole().subarray(0, 2_000_000)), 'hprof.record-truncated');
    expect(heap.summary!.objects).toBeGreaterThan(10_000);
    expect(heap.histogram.length).toBeGreaterThan(0);
  });

  it('cut a few bytes before the end', () => {
    const bytes = whole();
    const { heap } = expectAgreedFailure(write('cut-near-end.hprof', bytes.subarray(0, bytes.length - 7)), 'hprof.record-truncated');
    expect(heap.summary!.objects).toBeGreaterThan(10_000);
  });

  it('cut inside an early STRING record, before any heap dump', () => {
    const { offset, heap } = expectAgreedFailure(write('cut-in-string.hprof', whole().subarray(0, 100)), 'hprof.record-truncated');
    expect(offset).toBeLessThanOrEqual(100);
    expect(heap.summary!.objects).toBe(0);
  });

  it('a gzip-compressed dump whose decompressed dump is cut (the gzip itself intact): the offset is in the decompressed data', () => {
    const dump = zlib.gunzipSync(fs.readFileSync(corpus('hprof', 'small-jcmd-live.hprof.gz')));
    const file = write('jcmd-cut.hprof.gz', zlib.gzipSync(dump.subarray(0, dump.length >> 1), { level: 1 }));
    const { offset, heap } = expectAgreedFailure(file, 'hprof.record-truncated', ' of the decompressed gzip data');
    expect(offset).toBeLessThanOrEqual(dump.length >> 1);
    expect(heap.summary!.objects).toBeGreaterThan(1000);
  });
});

describe('a dump with no heap dump record at all', () => {
  it('cut at the record boundary before its HEAP_DUMP: "holds no heap dump", exit 1 from both, with the offset where it ends', () => {
    const file = write('no-heap-dump.hprof', fs.readFileSync(SQUARE).subarray(0, SQUARE_HEAP_DUMP_AT));
    const { offset, heap } = expectAgreedFailure(file, 'hprof.no-heap-dump');
    expect(offset).toBe(SQUARE_HEAP_DUMP_AT);
    expect(heap.error!.message).toContain(`the dump ends at offset ${SQUARE_HEAP_DUMP_AT} after 21308 records and holds no heap dump`);
    expect(heap.summary!.objects).toBe(0);
  });
});

describe('a fault the reading goes on past', () => {
  it('an unknown heap sub-record: an error diagnostic, not a failure, for index and heap alike; the text report says what was left out', () => {
    // After the whole dump, one more HEAP_DUMP record holding a sub-record of unknown tag 0x77: its
    // length cannot be known, so the rest of that record (4 bytes) is skipped.
    const extra = Uint8Array.from([0x0c, 0, 0, 0, 0, 0, 0, 0, 4, 0x77, 1, 2, 3]);
    const whole = fs.readFileSync(SQUARE);
    const file = write('unknown-sub-record.hprof', Buffer.concat([whole, extra]));
    const { index, heap, indexOut, heapOut } = both(file, ['--size-model', 'visualvm']);
    expect([index.status, heap.status]).toEqual([0, 0]);
    expect([index.stderr, heap.stderr]).toEqual(['', '']);
    expect(indexOut.sources[0]).toMatchObject({ status: 'indexed', error: null });
    expect(heapOut.error).toBeNull();
    expect(heapOut.summary).toMatchObject({ complete: true, objects: 26_870 });
    expect(heapOut.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      { offset: whole.length + 9, code: 'hprof.unknown-sub-record', severity: 'error', message: expect.stringContaining(`unknown heap dump sub-record tag 0x77 at offset ${whole.length + 9}`) },
    ]);
    const text = capscope(['heap', '--top', '1', '--db', path.join(dir, 'unknown-sub-record.hprof.heap.sqlite'), file], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`  part of the dump could not be read and is left out (offset ${whole.length + 9}: unknown heap dump sub-record tag 0x77`);
  });
});

describe('a corrupt header timestamp', () => {
  it('is a diagnostic naming its offset and value; the dump is analysed whole by index and heap alike', () => {
    const bytes = Buffer.from(fs.readFileSync(SQUARE));
    bytes[SQUARE_TIMESTAMP_AT] = 0xff;
    const file = write('bad-timestamp.hprof', bytes);
    const { index, heap, indexOut, heapOut } = both(file, ['--size-model', 'visualvm']);
    expect(index.status).toBe(0);
    expect(heap.status).toBe(0);
    expect(index.stderr).toBe('');
    expect(heap.stderr).toBe('');
    expect(indexOut.state).toBe('done');
    expect(indexOut.sources[0]).toMatchObject({ status: 'indexed', error: null });
    expect(heapOut.error).toBeNull();
    // The whole heap, as VisualVM read the undamaged dump (its summary in the corpus's oracle/).
    const oracle = fs.readFileSync(corpus('hprof', 'oracle', 'square_haha__sun_jdk6_18_x64.hprof-summary.txt'), 'utf8');
    const value = (name: string) => Number(oracle.match(new RegExp(`^${name}: (\\d+)$`, 'm'))![1]);
    expect(heapOut.summary).toMatchObject({
      complete: true,
      timestamp: null,
      objects: value('totalLiveInstances'),
      shallowBytes: value('totalLiveBytes'),
      classes: value('classes'),
      gcRoots: value('gcRoots'),
    });
    const timestamp = heapOut.diagnostics.filter((d) => d.code === 'hprof.bad-timestamp');
    expect(timestamp).toEqual([{ offset: SQUARE_TIMESTAMP_AT, code: 'hprof.bad-timestamp', severity: 'warning', message: expect.stringContaining('0xff00') }]);

    const text = capscope(['heap', '--top', '1', '--db', path.join(dir, 'bad-timestamp.heap.sqlite'), file], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('taken at an unknown time');
  });
});

describe('heap names the file once', () => {
  it('in the one line for a file that is not a heap dump at all', () => {
    const file = write('not-a-dump.hprof', new TextEncoder().encode('this is not a heap dump\n'));
    const result = capscope(['heap', '--db', path.join(dir, 'not-a-dump.sqlite'), file], env);
    expect(result.status).toBe(1);
    const lines = stderrLines(result);
    expect(lines).toHaveLength(1);
    expect(occurrences(lines[0]!, file)).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^capscope: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at byte 0: `));
  });
});
