// One scratch root per test run. Tests make their scratch directories under os.tmpdir(), and a
// forked vitest worker is ended before its 'exit' handlers run, so per-directory cleanup leaked
// dozens of directories into /tmp on every run. The workers inherit TMPDIR from this process, so
// everything they make lands under one root, removed when the run ends.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-test-run-'));
  process.env.TMPDIR = root;
  return () => fs.rmSync(root, { recursive: true, force: true });
}
