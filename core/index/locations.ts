// Where capscope keeps its indexes and state: a per-user cache directory, one database per case.

import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** The per-user cache directory (CAPSCOPE_CACHE_DIR overrides the platform's convention). */
export function cacheDir(): string {
  const override = process.env.CAPSCOPE_CACHE_DIR;
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'capscope');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'capscope', 'Cache');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'capscope');
}

/** The index of the case opened from `evidencePath` (an absolute, resolved path). */
export function defaultDbPath(evidencePath: string, dir = cacheDir()): string {
  const digest = crypto.createHash('sha256').update(evidencePath).digest('hex').slice(0, 16);
  const stem = path.basename(evidencePath).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  return path.join(dir, 'cases', `${stem}-${digest}.sqlite`);
}
