// Where tests find things: the repository, the shared corpus beside it, scratch directories.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fs.realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'));
// Real paths: capscope resolves symlinks (one index per real file), so tests compare real paths.
export const CORPUS = fs.realpathSync(path.resolve(REPO_ROOT, '..', 'shared', 'corpus'));

export function corpus(...parts: string[]): string {
  return path.join(CORPUS, ...parts);
}

/** A fresh scratch directory, removed when the process exits. */
export function scratchDir(label: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `capscope-${label}-`)));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
