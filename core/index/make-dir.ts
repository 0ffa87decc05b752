// A folder made with its missing parents, one level at a time. Node's own recursive mkdir loops
// for ever (at full CPU) under a file system that refuses mkdir with ENOENT though the parent
// exists, as /proc does: a cache folder pointed there must be an error, not a hang.

import fs from 'node:fs';
import path from 'node:path';

export function makeDir(dir: string): void {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let at = target; ; at = path.dirname(at)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`${at} is not a directory (making ${target})`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const dirPath of missing.reverse()) {
    try {
      fs.mkdirSync(dirPath);
    } catch (err) {
      // Another process made it meanwhile: fine. Anything else (ENOENT under /proc, EACCES) is said.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
