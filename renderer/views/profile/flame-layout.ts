// Lays out a flame graph: each node a rectangle as wide as its value, its children side by side
// below it (icicle) or above it (flame). Zooming to a node makes it the whole width; its ancestors
// stay as full-width bars above it, so the way back is a click. With a base profile (compare), a
// node is as wide as the larger of its two values and coloured by the difference.

import type { FlameNode } from '../../../core/domain/profile/contract';

export interface FlameRect {
  node: FlameNode;
  /** Its path from the root, for keys and zooming: indexes of children. */
  path: string;
  depth: number;
  x0: number;
  x1: number;
  /** Ancestor of the zoomed node (drawn full width, dimmed). */
  ancestor: boolean;
}

export function weight(node: FlameNode): number {
  return Math.max(Math.abs(node.value), Math.abs(node.base ?? 0));
}

/** The node a path names ("" is the root, "0/2" the root's first child's third child). */
export function nodeAt(root: FlameNode, path: string): FlameNode[] {
  const chain = [root];
  if (path === '') return chain;
  let node = root;
  for (const step of path.split('/')) {
    const next = node.children[Number(step)];
    if (!next) break;
    chain.push(next);
    node = next;
  }
  return chain;
}

/**
 * Rectangles in [0, width], only those at least `minWidth` wide (a narrower one is not drawn, nor its
 * children, which are narrower still).
 */
export function layoutFlame(root: FlameNode, zoomPath: string, width: number, minWidth = 0.5): FlameRect[] {
  const chain = nodeAt(root, zoomPath);
  const rects: FlameRect[] = [];
  const zoomed = chain[chain.length - 1]!;
  // The steps that led somewhere (a stale path, from before the graph changed, stops early).
  const steps = zoomPath === '' ? [] : zoomPath.split('/').slice(0, chain.length - 1);
  const zoomedPath = steps.join('/');
  chain.slice(0, -1).forEach((node, depth) => {
    rects.push({ node, path: steps.slice(0, depth).join('/'), depth, x0: 0, x1: width, ancestor: true });
  });
  const total = weight(zoomed) || 1;
  const visit = (node: FlameNode, path: string, depth: number, x0: number) => {
    const w = (weight(node) / total) * width;
    if (w < minWidth) return;
    rects.push({ node, path, depth, x0, x1: x0 + w, ancestor: false });
    let x = x0;
    node.children.forEach((child, i) => {
      visit(child, path === '' ? String(i) : `${path}/${i}`, depth + 1, x);
      x += (weight(child) / total) * width;
    });
  };
  visit(zoomed, zoomedPath, chain.length - 1, 0);
  return rects;
}

/** The sum of the frames matching a search, a nested match not counted again under a matching one. */
export function searchSum(root: FlameNode, match: (name: string) => boolean): { value: number; frames: number } {
  let value = 0;
  let frames = 0;
  const visit = (node: FlameNode, counted: boolean) => {
    const hit = node !== root && match(node.name);
    if (hit) frames++;
    if (hit && !counted) value += node.value;
    for (const c of node.children) visit(c, counted || hit);
  };
  visit(root, false);
  return { value, frames };
}

/** The deepest level drawn, for the SVG's height. */
export function depthOf(rects: readonly FlameRect[]): number {
  return rects.reduce((d, r) => Math.max(d, r.depth), 0) + 1;
}
