// A /debug/pprof/all bundle's text files (shards.txt, stats.txt, diagnostics.txt beside the
// profiles) are kept as documents of the case, as they are, byte for byte; the profile API lists
// them and hands their text back. A member that is not text (a stray binary) is not a document.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileDocument, profileDocuments } from '../../core/domain/profile/profile-documents';
import { capscope } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { fixture } from './helpers/oracle';
import { openIndexDb } from '../helpers/index-db';

const BUNDLE = fixture('all.tar');
const OLD_BUNDLE = fixture('all-old.tar.gz');
let dir: string;

function indexed(file: string, name: string): Database.Database {
  const db = path.join(dir, `${name}.sqlite`);
  const result = capscope(['index', '--json', '--db', db, file], { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') });
  expect(result.status, result.stderr).toBe(0);
  return openIndexDb(db, { readonly: true });
}

beforeAll(() => {
  dir = scratchDir('pprof-documents');
});

describe("a bundle's text documents", () => {
  it('/debug/pprof/all: shards.txt, stats.txt and diagnostics.txt, each as the tar holds it', () => {
    const db = indexed(BUNDLE, 'all');
    const docs = profileDocuments(db);
    expect(docs.map((d) => d.entry)).toEqual(['shards.txt', 'stats.txt', 'diagnostics.txt']);
    for (const d of docs) {
      const member = execFileSync('tar', ['-xOf', BUNDLE, d.entry]);
      expect(d).toMatchObject({ bytes: member.length, truncated: false, compression: ['tar'] });
      expect(profileDocument(db, d.id).text).toBe(member.toString('utf8'));
    }
    db.close();
  });

  it('the older tar.gz bundle: its text files, not its debug=1 profiles, are documents', () => {
    const db = indexed(OLD_BUNDLE, 'all-old');
    const entries = profileDocuments(db).map((d) => d.entry);
    expect(entries).toEqual(['shards.txt', 'stats.txt', 'diagnostics.txt']);
    expect(profileDocuments(db)[0]!.compression).toEqual(['gzip', 'tar']);
    db.close();
  });

  it('a binary member is skipped, not kept', () => {
    const work = path.join(dir, 'binary');
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, 'blob.bin'), Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x00, 0x10, 0x80, 0x81, 0x00, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x00]));
    fs.writeFileSync(path.join(work, 'notes.txt'), 'taken during the incident\n');
    fs.copyFileSync(fixture('heap-2.pb.gz'), path.join(work, 'heap.pb.gz'));
    const tar = path.join(dir, 'mixed.tar');
    execFileSync('tar', ['-cf', tar, '-C', work, 'blob.bin', 'notes.txt', 'heap.pb.gz']);
    const db = indexed(tar, 'mixed');
    expect(profileDocuments(db).map((d) => d.entry)).toEqual(['notes.txt']);
    db.close();
  });
});
