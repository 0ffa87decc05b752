// A cache folder the file system refuses to make (/proc says ENOENT to mkdir though the parent
// exists, where Node's recursive mkdir loops for ever): one line naming the folder and exit 1, at
// once; and the ordinary cases of making a folder with its parents.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDir } from '../../core/index/make-dir';
import { capscope } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

describe('making the folders of a case', () => {
  it('makes missing parents, accepts what exists, refuses a file in the way', () => {
    const dir = scratchDir('make-dir');
    const deep = path.join(dir, 'a', 'b', 'c');
    makeDir(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    makeDir(deep);
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect(() => makeDir(path.join(dir, 'file', 'sub'))).toThrow(/not a directory/);
  });

  it('says at once that a folder under /proc cannot be made', () => {
    expect(() => makeDir('/proc/capscope-nope/cases')).toThrow(/ENOENT/);
  });

  it('capscope index with its cache pointed at /proc fails in one line instead of hanging', () => {
    // A hang would end in the helper's own timeout, with no exit status.
    const r = capscope(['index', corpus('pcap', 'haproxy-502.pcap')], { CAPSCOPE_CACHE_DIR: '/proc/capscope-nope' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\/proc\/capscope-nope/);
  });
});
