// Every capture in the shared corpus (../shared/corpus/pcap) and every capture recorded for these
// tests (test/fixtures/pcap), indexed by capscope and held against capinfos and tshark: packet
// count, TCP conversations with frames and bytes each way, and each connection's bytes.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, REPO_ROOT } from '../helpers/paths';
import { checkAgainstOracles } from './helpers/compare';

function capturesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.statSync(path.join(dir, name)).isFile() && !name.endsWith('.md'))
    .map((name) => path.join(dir, name));
}

const files = [...capturesIn(corpus('pcap')), ...capturesIn(path.join(REPO_ROOT, 'test', 'fixtures', 'pcap'))];

describe('captures against capinfos and tshark', () => {
  it('has captures to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(17);
  });

  it.each(files.map((f) => [path.relative(path.dirname(REPO_ROOT), f), f]))('%s', (_name, file) => {
    const r = checkAgainstOracles(file);
    expect(r.indexed.stderr).toBe('');
    expect(r.indexed.status).toBe(0);
    expect(r.packets.ours).toBe(r.packets.capinfos);
    expect(r.conversations).toEqual([]);
    expect(r.follow.mismatches).toEqual([]);
    expect(r.follow.checked).toBe(r.indexed.streams.filter((s) => s.kind === 'tcp').length);
    // A plain capture's payload is read from the file where it lies; a compressed one's is held in
    // the index (its bytes are not in the file as they are). Either way the bytes above matched.
    if (/\.(gz|zst)$/.test(file)) expect(r.follow.byReference).toBe(0);
    else if (r.follow.held + r.follow.byReference > 0) expect(r.follow.byReference).toBeGreaterThan(0);
  });
});
