// Faults of the index itself: one line naming the index and the evidence file (SQLite alone says
// `database or disk is full`, `file is not a database`), exit status 1, no stack trace, and with
// --json one JSON document. A full disk:
// The disk is a small tmpfs mounted in a user and mount namespace of its own (unshare(1)), so that
// the test needs no privileges; where namespaces are not allowed the test says so and is skipped.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPSCOPE_BIN, capscope, onlyJson, type CliResult } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

const canMountTmpfs = (() => {
  if (process.platform !== 'linux') return false;
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /tmp'], { encoding: 'utf8' });
  return probe.status === 0;
})();

/** `capscope index --json` with the index on a tmpfs of `size`. */
function indexOnSmallDisk(size: string, evidence: string): CliResult & { db: string } {
  const mnt = scratchDir('full-disk');
  const db = path.join(mnt, 'case.sqlite');
  const script = `mount -t tmpfs -o size=${size} tmpfs "$1" && shift && exec "$@"`;
  const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', mnt, process.execPath, CAPSCOPE_BIN, 'index', '--json', '--db', db, evidence], {
    encoding: 'utf8',
    env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(mnt, 'cache') },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, db };
}

describe.skipIf(!canMountTmpfs)('a full disk', () => {
  const evidence = corpus('pcap', 'haproxy-502.pcapng');

  it.each([
    ['when the index is made', '400k'],
    ['while the capture is written into it', '2m'],
  ])('is one line naming the index and the evidence %s', (_when, size) => {
    const result = indexOnSmallDisk(size, evidence);
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(`capscope: ${result.db}: the disk holding this index is full (database or disk is full) while indexing ${evidence}; free space there, or put the index on another disk (--db PATH, CAPSCOPE_CACHE_DIR), and index again`);
    const json = onlyJson(result) as { error: unknown };
    expect(JSON.stringify(json.error)).toContain(`${result.db}: the disk holding this index is full`);
  });
});

if (!canMountTmpfs) console.warn('full-disk tests skipped: unshare(1) cannot mount a tmpfs on this machine');

describe('an index that is not one', () => {
  it('is one line naming it and the evidence', () => {
    const dir = scratchDir('not-an-index');
    const db = path.join(dir, 'notes.txt');
    fs.writeFileSync(db, 'shopping list: milk, eggs, a bigger disk\n'.repeat(200));
    const evidence = corpus('pcap', 'haproxy-502.pcap');
    const result = capscope(['index', '--json', '--db', db, evidence], { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`capscope: ${db}: the index of ${evidence} could not be opened: file is not a database\n`);
    expect(onlyJson(result)).toMatchObject({ error: { message: `${db}: the index of ${evidence} could not be opened: file is not a database` } });
    expect(fs.readFileSync(db, 'utf8')).toContain('shopping list');
  });
});
