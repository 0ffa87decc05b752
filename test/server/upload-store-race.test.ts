// Two servers starting at once on one cache: one's sweep of dead runs can hold, for a moment, the
// lock the other has just made for its new uploads folder. The newcomer must take another name,
// not fail to start ("another process holds this new uploads folder's lock").

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexLock } from '../../core/index/index-lock';
import { UploadStore } from '../../core/server/upload-store';
import { scratchDir } from '../helpers/paths';

describe('the uploads folder of a starting server', () => {
  it('takes another name when the lock of the one it made is held by someone else', () => {
    const cacheDir = scratchDir('upload-race');
    const root = path.join(cacheDir, 'uploads');
    fs.mkdirSync(root, { recursive: true });
    // The other server's sweep, holding the first name's lock at the moment this one tries it.
    const held = IndexLock.tryAcquire(path.join(root, 'run-first'));
    expect(held).not.toBeNull();
    const names = ['run-first', 'run-second'];
    const store = UploadStore.open(cacheDir, () => names.shift()!);
    expect(names).toEqual([]);
    expect(store.runDir).toBe(path.join(root, 'run-second'));
    expect(fs.existsSync(store.runDir)).toBe(true);
    held!.release();
    store.close();
    expect(fs.existsSync(store.runDir)).toBe(false);
  });
});
