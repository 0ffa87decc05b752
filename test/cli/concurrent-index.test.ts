// Two capscope processes on one case index: one writes it at a time, the other waits for it and then
// reads what it wrote (or indexes again after it, with --reindex). Never an internal error, never a
// stack trace, and with --json exactly one JSON document on stdout from each.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexLock } from '../../core/index/index-lock';
import { pcapHeader } from '../helpers/bytes';
import { CAPSCOPE_BIN, capscopeAsync, onlyJson, type CliResult } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = scratchDir('concurrent-index');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

interface IndexJson {
  state: string;
  reused: boolean;
  sources: { status: string }[];
  error: string | null;
}

/** The promises of the --json contract and of a clean exit, for one process's result. */
function expectClean(result: CliResult, label: string): IndexJson {
  expect(result.stderr, label).not.toMatch(/internal error|\n\s+at |SqliteError|UNIQUE|already exists/);
  expect(result.status, `${label}: ${result.stderr}`).toBe(0);
  return onlyJson(result) as IndexJson;
}

describe('two processes indexing one --db', () => {
  it('the second waits for the first and reads the index it wrote (several trials)', async () => {
    const file = corpus('scap', 'curl_google.scap');
    for (let trial = 0; trial < 4; trial++) {
      const db = path.join(dir, `trial-${trial}.sqlite`);
      const results = await Promise.all([0, 1].map(() => capscopeAsync(['index', '--json', '--db', db, file], env)));
      const outputs = results.map((r, i) => expectClean(r, `trial ${trial}, process ${i}`));
      for (const out of outputs) expect(out).toMatchObject({ state: 'done', error: null, sources: [expect.objectContaining({ status: 'indexed' })] });
      // One of them indexed the file; the other found the index it wrote up to date.
      expect(outputs.map((o) => o.reused).sort()).toEqual([false, true]);
    }
  });

  it('with --reindex both index, one after the other, into one intact index', async () => {
    const file = corpus('pcap', 'haproxy-502.pcapng');
    const db = path.join(dir, 'reindex.sqlite');
    for (let trial = 0; trial < 2; trial++) {
      const results = await Promise.all([0, 1, 2].map(() => capscopeAsync(['index', '--json', '--reindex', '--db', db, file], env)));
      for (const [i, r] of results.entries()) expect(expectClean(r, `trial ${trial}, process ${i}`)).toMatchObject({ state: 'done', reused: false });
    }
    const streams = await capscopeAsync(['streams', '--json', '--db', db, file], env);
    expect((expectClean(streams, 'streams') as unknown as { streams: unknown[] }).streams).toHaveLength(170);
  });

  it('a reader started while another process indexes waits for the index and reads all of it', async () => {
    const file = corpus('pcap', 'haproxy-502.pcap');
    const db = path.join(dir, 'reader.sqlite');
    const [indexed, streams] = await Promise.all([capscopeAsync(['index', '--json', '--reindex', '--db', db, file], env), capscopeAsync(['streams', '--json', '--db', db, file], env)]);
    expectClean(indexed, 'index');
    expect((expectClean(streams, 'streams') as unknown as { streams: unknown[] }).streams).toHaveLength(170);
    expect(fs.existsSync(db)).toBe(true);
  });

  it('says on a terminal that it waits, and goes on when the writer is killed (kill -9 leaves no stale lock)', async () => {
    // The writer: a 16 GiB sparse capture, minutes to read, so that it holds the lock while the test looks.
    const big = path.join(dir, 'big.pcap');
    fs.writeFileSync(big, pcapHeader({ littleEndian: true, nanoseconds: false }));
    fs.truncateSync(big, 16 * 1024 ** 3);
    const db = path.join(dir, 'killed.sqlite');
    const writer = spawn(process.execPath, [CAPSCOPE_BIN, 'index', '--db', db, big], { env: { ...process.env, ...env }, stdio: 'ignore' });
    try {
      await until(() => fs.existsSync(IndexLock.pathFor(db)) && heldElsewhere(db), 'the writer to hold the lock');
      // The waiting process on a terminal (script(1) gives it one): it says why it waits.
      const command = [process.execPath, CAPSCOPE_BIN, 'index', '--db', db, corpus('pcap', 'haproxy-502.pcap')].map((a) => `'${a}'`).join(' ');
      const waiter = spawn('script', ['-qefc', command, '/dev/null'], { env: { ...process.env, ...env } });
      let seen = '';
      waiter.stdout.setEncoding('utf8').on('data', (d: string) => (seen += d));
      const exited = new Promise<number | null>((resolve) => waiter.on('close', resolve));
      await until(() => seen.includes('waiting'), 'the waiting notice');
      expect(seen).toContain(`capscope: waiting: another capscope process is writing the index ${db}`);
      writer.kill('SIGKILL');
      expect(await exited).toBe(0);
      expect(seen).toMatch(/haproxy-502\.pcap: pcap, 155,528 bytes: indexed/);
    } finally {
      writer.kill('SIGKILL');
    }
  });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** True when another process holds the index's lock (a lock this process got is let go at once). */
function heldElsewhere(db: string): boolean {
  const lock = IndexLock.tryAcquire(db, 'read');
  lock?.release();
  return lock === null;
}
