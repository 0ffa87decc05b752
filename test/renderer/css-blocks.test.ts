// Every stylesheet of the renderer closes each block it opens. The bundler reads an unclosed block
// as CSS nesting: a `}` lost in a merge (stream.css's `.stream-find[open] > summary`) nested every
// later rule of the bundle under it, `:root`'s colours included, and the whole app showed unstyled.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';

function stylesheets(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return stylesheets(full);
    return e.name.endsWith('.css') ? [full] : [];
  });
}

/** The line of the first block left open at the end, or of a `}` that closes nothing; null when balanced. */
function unbalanced(css: string): number | null {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const open: number[] = [];
  let line = 1;
  for (const ch of text) {
    if (ch === '\n') line++;
    else if (ch === '{') open.push(line);
    else if (ch === '}' && open.pop() === undefined) return line;
  }
  return open.length > 0 ? open[open.length - 1]! : null;
}

describe('renderer stylesheets', () => {
  it('close every block they open', () => {
    const files = stylesheets(path.join(REPO_ROOT, 'renderer'));
    expect(files.length).toBeGreaterThan(5);
    const faults = files.flatMap((f) => {
      const line = unbalanced(fs.readFileSync(f, 'utf8'));
      return line === null ? [] : [`${path.relative(REPO_ROOT, f)}:${line}`];
    });
    expect(faults).toEqual([]);
  });
});
