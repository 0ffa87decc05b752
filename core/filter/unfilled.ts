// The fields of an expression that the case's evidence never fills: `proc.name=haproxy` reads for
// a pcap's connections (the same filter serves syscall captures), but no packet says which process
// sent it, so it matches nothing there. The filter bar says so instead of showing an empty view.

import type { Capability } from '../../common/evidence';
import { ALIASES, FIELDS } from './fields';
import { parseFilter, type FilterNode } from './parser';
import type { FilterTarget } from './targets';

const WHAT: Readonly<Record<Capability, string>> = {
  syscalls: 'syscall captures',
  packets: 'network captures',
  heap: 'heap dumps',
  profile: 'Go profiles',
};

/**
 * One note per field of `expr` (which must read for `target`) that only evidence the case lacks
 * fills, naming the field, its column and the evidence that would fill it.
 */
export function unfilledFieldNotes(expr: string, target: FilterTarget, capabilities: readonly Capability[]): string[] {
  const tree = parseFilter(expr);
  if (tree === null) return [];
  const notes: string[] = [];
  for (const { field, column } of leaves(tree)) {
    const name = field.split('[')[0]!;
    const filledBy = FIELDS[target][ALIASES[name] ?? name]?.filledBy;
    if (filledBy && !capabilities.includes(filledBy)) {
      notes.push(`${name} at column ${column} is only known from ${WHAT[filledBy]}; this case has none, so it is never set here`);
    }
  }
  return notes;
}

function leaves(node: FilterNode): { field: string; column: number }[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.flatMap(leaves);
    case 'not':
      return leaves(node.child);
    // A Falco macro is expanded before it is compiled: no field of its own here.
    case 'macro':
      return [];
    default:
      return [{ field: node.field, column: node.column }];
  }
}
