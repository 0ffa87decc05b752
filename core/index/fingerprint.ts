// What an evidence file looked like when it was indexed: enough to tell, without re-reading it,
// that a reopened case still matches its file (same path, size, mtime, first and last 64 KiB).

import crypto from 'node:crypto';
import fs from 'node:fs';

const SAMPLE_BYTES = 64 * 1024;

export interface Fingerprint {
  path: string;
  size: number;
  mtimeMs: number;
  head: string;
  tail: string;
}

export async function fingerprintFile(file: string): Promise<Fingerprint> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const stat = await handle.stat();
    const sample = async (position: number) => {
      const length = Math.min(SAMPLE_BYTES, Math.max(0, stat.size - position));
      const buffer = Buffer.alloc(length);
      if (length > 0) await handle.read(buffer, 0, length, position);
      return crypto.createHash('sha256').update(buffer).digest('hex');
    };
    return {
      path: file,
      size: stat.size,
      mtimeMs: Math.trunc(stat.mtimeMs),
      head: await sample(0),
      tail: await sample(Math.max(0, stat.size - SAMPLE_BYTES)),
    };
  } finally {
    await handle.close();
  }
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.head === b.head && a.tail === b.tail;
}
