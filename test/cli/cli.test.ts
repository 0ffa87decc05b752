// The `capscope` command's contract: one JSON document with --json, errors on stderr as one line
// naming the file, exit 0 / 1 / 2.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = scratchDir('cli');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

function file(name: string, data: Uint8Array | string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

describe('capscope info', () => {
  const badInputs: [string, () => string, RegExp][] = [
    ['an empty file', () => file('empty.pcap', ''), /found an empty file \(0 bytes\)/],
    ['random bytes', () => file('random.scap', crypto.randomBytes(5000)), /found unrecognised content \(first bytes: [0-9a-f ]+…\)/],
    ['a truncated gzip', () => file('cut.pcap.gz', zlib.gzipSync(fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'))).subarray(0, 9000)), /gzip data: expected more compressed data and the gzip trailer, found the end of the compressed data after 9000 bytes \(the gzip stream is truncated\)/],
    ['a snoop file', () => file('capture.snoop', Buffer.concat([Buffer.from('snoop\0\0\0'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 4]), crypto.randomBytes(64)])), /found a Solaris snoop capture, which capscope does not read/],
    ['a PDF', () => file('report.pcap', '%PDF-1.5\n%\xb5\xb5\n1 0 obj\n'), /found a PDF document/],
  ];

  it.each(badInputs)('gives a one-line error naming the file for %s', (_what, make, pattern) => {
    const target = make();
    for (const args of [['info', target], ['info', '--json', target]]) {
      const result = capscope(args, env);
      expect(result.status).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(target);
      expect(lines[0]).toMatch(pattern);
      if (args.includes('--json')) expect(onlyJson(result)).toMatchObject({ file: target, error: { message: expect.stringMatching(pattern) } });
      else expect(result.stdout.includes('Error') || result.stdout.includes('at ')).toBe(false);
    }
  });

  it('prints the documented JSON shape for a tar.gz bundle of a scap, a pcap and an hprof', () => {
    const work = path.join(dir, 'bundle');
    fs.mkdirSync(work);
    fs.copyFileSync(corpus('scap', 'falco-connect_localhost.scap'), path.join(work, 'node.scap'));
    fs.copyFileSync(corpus('pcap', 'haproxy-502.pcap'), path.join(work, 'edge.pcap'));
    fs.copyFileSync(corpus('hprof', 'small-jcmd-live.hprof.gz'), path.join(work, 'app.hprof.gz'));
    const bundle = path.join(dir, 'incident-4711.tar.gz');
    execFileSync('tar', ['-czf', bundle, '-C', work, 'node.scap', 'edge.pcap', 'app.hprof.gz']);
    const result = capscope(['info', '--json', bundle], env);
    expect(result.status).toBe(0);
    const out = onlyJson(result) as { file: string; entries: unknown[] };
    expect(out.file).toBe(bundle);
    expect(out.entries).toEqual([
      { name: 'node.scap', format: 'scap', compression: ['gzip', 'tar', 'gzip'], bytes: expect.any(Number), detail: expect.stringContaining('scap') },
      { name: 'edge.pcap', format: 'pcap', compression: ['gzip', 'tar'], bytes: 155528, detail: expect.stringContaining('pcap 2.4') },
      { name: 'app.hprof', format: 'hprof', compression: ['gzip', 'tar', 'gzip'], bytes: 33749323, detail: 'HPROF 1.0.2, 8-byte identifiers' },
    ]);
  });

  it('prints a readable listing without --json', () => {
    const result = capscope(['info', corpus('pcap', 'haproxy-502.pcap.gz')], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('haproxy-502.pcap\n      pcap, gzip, 155,528 bytes: pcap 2.4, little-endian, microsecond timestamps, link type 1');
  });

  it('says a missing file is missing', () => {
    const result = capscope(['info', path.join(dir, 'nope.pcap')], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`capscope: ${path.join(dir, 'nope.pcap')}: no such file\n`);
  });
});

describe('usage errors exit 2', () => {
  it.each([[[]], [['info']], [['info', 'a', 'b']], [['info', '--nope', 'x']], [['frobnicate']], [['serve', '--port', 'http']]])('%j', (args) => {
    const result = capscope(args as string[], env);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage:');
  });

  it('--help and --version go to stdout with status 0', () => {
    expect(capscope(['--help'], env)).toMatchObject({ status: 0, stdout: expect.stringContaining('capscope info <file>') });
    expect(capscope(['--version'], env)).toMatchObject({ status: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });
});

describe('capscope index', () => {
  it('indexes, then reuses the index of an unchanged file, and reindexes on request', () => {
    const db = path.join(dir, 'idx', 'case.sqlite');
    const target = corpus('pcap', 'haproxy-502.pcapng');
    const first = onlyJson(capscope(['index', '--json', '--db', db, target], env)) as Record<string, unknown>;
    expect(first).toMatchObject({ file: target, db, state: 'done', reused: false, diagnostics: expect.any(Number), error: null });
    expect(first.sources).toEqual([expect.objectContaining({ entry: 'haproxy-502.pcapng', format: 'pcapng', status: 'indexed', bytes: 181892 })]);
    expect(onlyJson(capscope(['index', '--json', '--db', db, target], env))).toMatchObject({ state: 'done', reused: true });
    expect(onlyJson(capscope(['index', '--json', '--db', db, '--reindex', target], env))).toMatchObject({ state: 'done', reused: false });
  });

  it('uses a per-user cache directory when no --db is given', () => {
    const result = capscope(['index', corpus('pcap', 'google_gopacket__test101.pcapng')], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`index: ${path.join(dir, 'cache', 'cases')}/google_gopacket__test101\\.pcapng-[0-9a-f]{16}\\.sqlite`));
    expect(result.stderr).toBe(''); // not a TTY: no progress bar
  });

  it('exits 1 on a broken file, keeping in the index what came before the fault', () => {
    const whole = zlib.gzipSync(fs.readFileSync(corpus('hprof', 'square_haha__sun_jdk6_18_x64.hprof')));
    const target = file('cut.hprof.gz', whole.subarray(0, whole.length >> 1));
    const result = capscope(['index', '--json', '--db', path.join(dir, 'cut.sqlite'), target], env);
    expect(result.status).toBe(1);
    const out = onlyJson(result) as { state: string; sources: { status: string; error: string }[]; error: string };
    expect(out.state).toBe('failed');
    expect(out.sources).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringContaining('truncated') })]);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
