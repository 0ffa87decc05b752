// The layering is enforced, not hoped for (docs/architecture.md, "Rooms"): no room imports a room
// above it, the renderer sees only the contract, parsers import nothing from core, and no two
// folders import each other, directly or round a loop.

import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { folderCycles, importEdges, placeOf, sourceFiles, upwardImports, type ImportEdge } from './import-graph';
import { roomOf } from './rooms';

const TOPS = ['common', 'parsers', 'core', 'electron', 'renderer'];
const files = sourceFiles(REPO_ROOT, TOPS);
const edges = importEdges(REPO_ROOT, files);
const show = (v: { edge: ImportEdge; why: string }) => `${v.edge.from} → ${v.edge.to}: ${v.why}`;

describe('the layering', () => {
  it('puts every source file in a room', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files.filter((f) => roomOf(f) === null)).toEqual([]);
  });

  it('has no import from a room to a room above it', () => {
    expect(upwardImports(edges).map(show)).toEqual([]);
  });

  it("keeps the parsers pure (parsers/ and each format's parser/): nothing but other parsers and common/", () => {
    const pure = (f: string) => roomOf(f)?.name === 'parsers';
    const out = edges.filter((e) => pure(e.from) && !pure(e.to) && !e.to.startsWith('common/'));
    expect(out.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('has no folder cycle', () => {
    expect(folderCycles(edges, (f) => placeOf(f))).toEqual([]);
  });

  it('would catch a deliberate upward import and a cycle', () => {
    const planted: ImportEdge[] = [
      { from: 'core/formats/scap/parser/scap-reader.ts', to: 'core/registry/formats.ts' },
      { from: 'core/index/case-index.ts', to: 'core/app/create-core.ts' },
      { from: 'renderer/App.tsx', to: 'core/index/case-index.ts' },
    ];
    expect(upwardImports(planted).map((v) => v.edge.from)).toEqual(['core/formats/scap/parser/scap-reader.ts', 'core/index/case-index.ts', 'renderer/App.tsx']);
    expect(folderCycles([{ from: 'a/x.ts', to: 'b/y.ts' }, { from: 'b/y.ts', to: 'c/z.ts' }, { from: 'c/z.ts', to: 'a/w.ts' }])).toEqual([['a', 'b', 'c']]);
  });
});
