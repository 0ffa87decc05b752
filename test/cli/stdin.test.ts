// `capscope index -`: a capture read from standard input is copied into the case cache as it
// arrives and indexed from that copy, which then holds the same rows as the file itself would.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CAPSCOPE_BIN, capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

interface IndexJson {
  file: string;
  db: string;
  state: string;
  reused: boolean;
  sources: { format: string; status: string; bytes: number | null; compression: string[] }[];
  diagnostics: number;
  error: string | null;
}

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = scratchDir('stdin');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

/** `capscope <args>` with standard input redirected from `file` (`< file`), or fed `bytes` through a pipe. */
function withStdin(args: string[], input: { file: string } | { bytes: Uint8Array }) {
  const fd = 'file' in input ? fs.openSync(input.file, 'r') : null;
  try {
    const result = spawnSync(process.execPath, [CAPSCOPE_BIN, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 120_000,
      ...(fd !== null ? { stdio: [fd, 'pipe', 'pipe'] } : { input: 'bytes' in input ? input.bytes : undefined }),
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** Rows in every table of an index, by table. */
function tableCounts(dbPath: string): Record<string, number> {
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return Object.fromEntries(tables.map((t) => [t, Number(db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get())]));
  } finally {
    db.close();
  }
}

function diagnosticCodes(dbPath: string): string[] {
  const db = openIndexDb(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT code FROM diagnostics ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('capscope index -', () => {
  it.each([
    ['a pcap', corpus('pcap', 'haproxy-502.pcap'), /^stdin-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?\.pcap$/],
    ['a gzip-compressed scap', corpus('scap', 'falco-connect_localhost.scap'), /^stdin-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?\.gz$/],
  ])('indexes %s redirected to standard input into the same rows as the file, from a copy in the cache', (_what, file, copyName) => {
    const fromFile = capscope(['index', '--json', '--db', path.join(dir, `${path.basename(file)}.sqlite`), file], env);
    expect(fromFile.status).toBe(0);
    const piped = withStdin(['index', '-', '--json'], { file });
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    const a = onlyJson(fromFile) as IndexJson;
    const b = onlyJson(piped) as IndexJson;
    expect(b.state).toBe('done');
    // The case's evidence is the copy: under the cache's stdin/, named by time and by what it is, byte for byte what came in.
    expect(path.dirname(b.file)).toBe(path.join(dir, 'cache', 'stdin'));
    expect(path.basename(b.file)).toMatch(copyName);
    expect(fs.readFileSync(b.file).equals(fs.readFileSync(file))).toBe(true);
    const strip = (s: IndexJson['sources'][number]) => ({ format: s.format, status: s.status, bytes: s.bytes, compression: s.compression });
    expect(b.sources.map(strip)).toEqual(a.sources.map(strip));
    expect(b.diagnostics).toBe(a.diagnostics);
    expect(tableCounts(b.db)).toEqual(tableCounts(a.db));
    // Reopened later (Recent files, or by its path), the copy's index is up to date.
    const again = capscope(['index', '--json', b.file], env);
    expect(onlyJson(again)).toMatchObject({ file: b.file, db: b.db, state: 'done', reused: true });
  });

  it('indexes a stream cut inside its last packet with a warning, keeping every whole packet; the copy indexes again the same', () => {
    const whole = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'));
    const cut = whole.subarray(0, 5000); // the packet record at byte 4974 loses its last 16 bytes
    const piped = withStdin(['index', '-', '--json'], { bytes: cut });
    expect(piped.status).toBe(0);
    const out = onlyJson(piped) as IndexJson;
    expect(out).toMatchObject({ state: 'done', error: null, sources: [{ format: 'pcap', status: 'indexed' }] });
    expect(diagnosticCodes(out.db)).toContain('ingest.stream-cut');
    // The copy holds the whole packets only, so indexing it again reads the same evidence.
    expect(fs.statSync(out.file).size).toBe(4974);
    const packets = tableCounts(out.db).packets;
    const reindexed = capscope(['index', '--json', '--reindex', out.file], env);
    expect(reindexed.status).toBe(0);
    expect(onlyJson(reindexed)).toMatchObject({ state: 'done', reused: false });
    expect(tableCounts(out.db).packets).toBe(packets);
    expect(packets).toBeGreaterThan(0);
    // The same bytes as a file are a file cut short: that stays a failure naming the byte.
    const cutFile = path.join(dir, 'cut.pcap');
    fs.writeFileSync(cutFile, cut);
    const asFile = capscope(['index', '--json', cutFile], env);
    expect(asFile.status).toBe(1);
    expect(asFile.stderr).toContain(`${cutFile} at byte 4974: expected 66 bytes of packet data after the record header`);
  });

  it('ends the stream at Ctrl+C and indexes whole what arrived; the stream left open is not waited for', { timeout: 60_000 }, async () => {
    const whole = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'));
    const cache = path.join(dir, 'ctrl-c-cache');
    const child = spawn(process.execPath, [CAPSCOPE_BIN, 'index', '-', '--json'], { env: { ...process.env, CAPSCOPE_CACHE_DIR: cache }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write(whole.subarray(0, 80_000)); // and the pipe stays open
    const copies = path.join(cache, 'stdin');
    const copied = () => (fs.existsSync(copies) ? fs.readdirSync(copies).reduce((n, f) => n + fs.statSync(path.join(copies, f)).size, 0) : 0);
    while (copied() < 80_000) await new Promise((done) => setTimeout(done, 100));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    child.stdin.destroy();
    expect(err).toBe('');
    const result = JSON.parse(out) as IndexJson;
    expect(result).toMatchObject({ state: 'done', error: null, sources: [{ format: 'pcap', status: 'indexed' }] });
    expect(diagnosticCodes(result.db)).toContain('ingest.stream-cut');
    expect(tableCounts(result.db).packets).toBeGreaterThan(0);
  });

  it('fails an empty stream as an empty file, naming the copy and byte 0', () => {
    const piped = withStdin(['index', '-', '--json'], { bytes: new Uint8Array(0) });
    expect(piped.status).toBe(1);
    const out = onlyJson(piped) as IndexJson;
    expect(out.error).toMatch(/stdin-[^ ]* at byte 0: expected a capture .* found an empty file \(0 bytes\)/);
    expect(out.error).toContain(out.file);
  });
});
