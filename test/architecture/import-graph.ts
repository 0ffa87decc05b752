// The import graph of the sources, read from the files' text: every relative `import`, `export …
// from` and `import()` (type-only imports count: a type from above is a dependency on above).

import fs from 'node:fs';
import path from 'node:path';
import { roomOf, type Room } from './rooms';

export interface ImportEdge {
  from: string;
  to: string;
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
const SOURCE = /\.(ts|tsx|mts|mjs)$/;

export function sourceFiles(root: string, tops: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const top of tops) if (fs.existsSync(path.join(root, top))) walk(top);
  return out.sort();
}

function resolve(root: string, fromFile: string, spec: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, base.replace(/\.m?js$/, '.ts')];
  return candidates.find((c) => fs.existsSync(path.join(root, c)) && fs.statSync(path.join(root, c)).isFile()) ?? null;
}

export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = fs.readFileSync(path.join(root, from), 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec || !spec.startsWith('.')) continue;
      const to = resolve(root, from, spec);
      if (to) edges.push({ from, to });
    }
  }
  return edges;
}

export interface Violation {
  edge: ImportEdge;
  why: string;
}

/** Imports that go up a rank, or out of a room that may see only some others. */
export function upwardImports(edges: readonly ImportEdge[], roomOfFile: (f: string) => Room | null = roomOf): Violation[] {
  const out: Violation[] = [];
  for (const edge of edges) {
    const a = roomOfFile(edge.from);
    const b = roomOfFile(edge.to);
    if (!a || !b || a.name === b.name) continue;
    if (a.only) {
      if (!a.only.includes(b.name)) out.push({ edge, why: `${a.name} may import only ${a.only.join(', ')}, not ${b.name}` });
    } else if (b.rank > a.rank || (b.rank === a.rank && b.name !== a.name)) {
      out.push({ edge, why: `${a.name} (rank ${a.rank}) imports ${b.name} (rank ${b.rank})` });
    }
  }
  return out;
}

/**
 * A file's place for the cycle check: its folder, or its folder and room when the file is of
 * another room than the folder's own (an API domain's contract.ts is the contract inside a folder
 * of the read side: lower rooms may import it without importing the folder's queries).
 */
export function placeOf(file: string, roomOfFile: (f: string) => Room | null = roomOf): string {
  const folder = path.posix.dirname(file);
  const room = roomOfFile(file);
  return room && room !== roomOfFile(`${folder}/_`) ? `${folder} (${room.name})` : folder;
}

/** Places (folders, see placeOf) that reach each other through imports (strongly connected places of more than one). */
export function folderCycles(edges: readonly ImportEdge[], place: (file: string) => string = (f) => path.posix.dirname(f)): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = place(from);
    const b = place(to);
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)!.add(b);
  }
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}
