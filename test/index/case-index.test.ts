import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseIndex } from '../../core/index/case-index';
import { runIngest } from '../../core/ingest/pipeline';
import { INDEXER_VERSION } from '../../core/index/indexer-version';
import { INDEX_SCHEMA } from '../../core/registry/schema';
import { corpus, scratchDir } from '../helpers/paths';

let dir: string;
beforeAll(() => {
  dir = scratchDir('index');
});

describe('schema', () => {
  it('creates a database at the current schema version with the foundation tables', () => {
    const index = CaseIndex.open(path.join(dir, 'new.sqlite'), INDEX_SCHEMA);
    expect(index.db.pragma('user_version', { simple: true })).toBe(INDEXER_VERSION);
    expect(index.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = index.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['diagnostics', 'ingests', 'meta', 'sources']));
    index.close();
  });

  it('refuses an index written by a newer capscope instead of misreading it', () => {
    const file = path.join(dir, 'future.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${INDEXER_VERSION + 5}`);
    raw.close();
    expect(() => CaseIndex.open(file, INDEX_SCHEMA)).toThrow(/schema version \d+ is newer than this capscope understands/);
  });

  it('rebuilds an index an older capscope wrote instead of migrating it: the evidence is read again', () => {
    const file = path.join(dir, 'older.sqlite');
    const raw = new Database(file);
    // What the last schema migration of capscopes before version 13 left, in part: an events table
    // without the generated direction, and a case that was reused on its fingerprint alone.
    raw.exec("CREATE TABLE ingests (id INTEGER PRIMARY KEY, state TEXT); INSERT INTO ingests VALUES (1, 'done')");
    raw.exec('CREATE TABLE events (source_id INTEGER, num INTEGER, dir TEXT); CREATE INDEX events_by_time ON events (num)');
    raw.exec('CREATE VIEW processes AS SELECT * FROM events');
    raw.pragma('user_version = 12');
    raw.close();
    const index = CaseIndex.open(file, INDEX_SCHEMA);
    expect(index.db.pragma('user_version', { simple: true })).toBe(INDEXER_VERSION);
    expect(index.lastIngest()).toBeNull();
    // The old events table and its index are gone; the events are a view over the event store.
    expect(index.db.prepare("SELECT type FROM sqlite_master WHERE name = 'events'").pluck().get()).toBe('view');
    expect(index.db.prepare("SELECT count(*) FROM pragma_table_info('events') WHERE name = 'dir'").pluck().get()).toBe(1);
    expect(index.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'event_store'").pluck().get()).toMatch(/^CREATE VIRTUAL TABLE event_store USING column_blocks\(/);
    expect(index.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events_by_time'").pluck().get()).toBe(0);
    index.close();
  });

  it('clears every derived table, including ones added later, but keeps the ingest history', () => {
    const index = CaseIndex.open(path.join(dir, 'clear.sqlite'), INDEX_SCHEMA);
    index.db.exec('CREATE TABLE later_feature (x INTEGER); INSERT INTO later_feature VALUES (1)');
    const id = index.addSource({ file: 'f', entry: 'e', format: 'pcap', compression: [], detail: 'd' });
    index.addDiagnostic({ sourceId: id, offset: 3, code: 'pcap.block-skipped', severity: 'warning', message: 'm' });
    index.beginIngest('f', { path: 'f', size: 1, mtimeMs: 1, head: 'h', tail: 't' });
    index.clearDerived();
    expect(index.listSources()).toEqual([]);
    expect(index.countDiagnostics()).toBe(0);
    expect(index.db.prepare('SELECT count(*) FROM later_feature').pluck().get()).toBe(0);
    expect(index.lastIngest()?.file).toBe('f');
    index.close();
  });
});

describe('runIngest (in-thread)', () => {
  it('records each member of a bundle, and a broken member as a failed source with its offset', async () => {
    const work = path.join(dir, 'bundle');
    fs.mkdirSync(work);
    const gz = fs.readFileSync(corpus('scap', 'falco-syscall.scap'));
    fs.writeFileSync(path.join(work, 'cut.scap.gz'), gz.subarray(0, gz.length - 64));
    fs.copyFileSync(corpus('pcap', 'seladb_PcapPlusPlus__sll.pcap'), path.join(work, 'sll.pcap'));
    fs.writeFileSync(path.join(work, 'notes.md'), '# what we did\n');
    const bundle = path.join(dir, 'bundle.tgz');
    execFileSync('tar', ['-czf', bundle, '-C', work, 'cut.scap.gz', 'sll.pcap', 'notes.md']);
    const progress: number[] = [];
    const db = path.join(dir, 'bundle.sqlite');
    const outcome = await runIngest({ file: bundle, dbPath: db, onProgress: (p) => progress.push(p.bytesDone) });
    expect(outcome).toEqual({ state: 'done', bytesDone: fs.statSync(bundle).size, error: null });
    expect(progress.at(-1)).toBe(fs.statSync(bundle).size);

    const index = CaseIndex.open(db, INDEX_SCHEMA);
    const sources = index.listSources();
    expect(sources.map((s) => [s.entry, s.format, s.compression.join('+'), s.status])).toEqual([
      ['cut.scap', 'scap', 'gzip+tar+gzip', 'failed'],
      ['sll.pcap', 'pcap', 'gzip+tar', 'indexed'],
    ]);
    expect(sources[1]!.bytes).toBe(fs.statSync(corpus('pcap', 'seladb_PcapPlusPlus__sll.pcap')).size);
    const diagnostics = index.listDiagnostics({ limit: 100, offset: 0 });
    const failure = diagnostics.find((d) => d.sourceId === sources[0]!.id && d.severity === 'error');
    expect(failure?.message).toMatch(/bundle\.tgz › cut\.scap\.gz at byte \d+ of the decompressed gzip data: expected more compressed data/);
    expect(failure?.offset).toBeGreaterThan(0);
    expect(diagnostics).toContainEqual(expect.objectContaining({ sourceId: null, severity: 'warning', message: expect.stringContaining('skipped notes.md: text, not a capture') }));
    expect(index.lastIngest()).toMatchObject({ state: 'done', bytesDone: fs.statSync(bundle).size });
    index.close();
  });

  it('fails cleanly on a file that is not evidence, naming it', async () => {
    const file = path.join(dir, 'slides.pdf');
    fs.writeFileSync(file, '%PDF-1.7\n');
    const outcome = await runIngest({ file, dbPath: path.join(dir, 'pdf.sqlite') });
    expect(outcome.state).toBe('failed');
    expect(outcome.error).toBe(`${file} at byte 0: expected a capture (scap, pcap, pcapng), a heap dump (HPROF), a Go profile (pprof, goroutine dump) or a gzip/zstd/tar of them, found a PDF document`);
  });
});
