// A rule's condition made ready to compile: its macros replaced by their conditions, its lists by
// their items, and every field it names sorted into what capscope evaluates, what Falco has but
// capscope lacks, and what no Falco knows. Pure.

import type { FilterNode, Value } from '../../filter/parser';
import { fieldSupport } from './field-support';

/** A condition that cannot be expanded: the message, and the column in the text it came from. */
export class ConditionFault extends Error {
  constructor(
    readonly code: 'undefined-macro' | 'cyclic-macro' | 'broken-macro',
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

export interface ExpandContext {
  /** A macro's parsed condition, or a fault message when it could not be read; undefined when none is defined. */
  macro(name: string): FilterNode | { fault: string } | undefined;
  /** A list's items (nested lists expanded), or undefined when none is defined by that name. */
  list(name: string): readonly string[] | undefined;
}

/** Replaces macro references by their trees (recursively) and list names by their items. */
export function expandCondition(tree: FilterNode, ctx: ExpandContext, within: readonly string[] = []): FilterNode {
  switch (tree.kind) {
    case 'and':
    case 'or':
      return { kind: tree.kind, children: tree.children.map((c) => expandCondition(c, ctx, within)) };
    case 'not':
      return { kind: 'not', child: expandCondition(tree.child, ctx, within) };
    case 'macro': {
      const body = ctx.macro(tree.name);
      if (body === undefined) throw new ConditionFault('undefined-macro', `Undefined macro '${tree.name}' used in filter.`, tree.column);
      if ('fault' in body) throw new ConditionFault('broken-macro', `macro '${tree.name}' cannot be used: ${body.fault}`, tree.column);
      if (within.includes(tree.name)) {
        throw new ConditionFault('cyclic-macro', `macro '${tree.name}' refers to itself (${[...within, tree.name].join(' → ')})`, tree.column);
      }
      return expandCondition(body, ctx, [...within, tree.name]);
    }
    case 'list':
      return { ...tree, values: tree.values.flatMap((v) => listItems(v, ctx) ?? [v]) };
    case 'compare': {
      // Falco put a list's items where its name stood: `proc.name=cat_binaries` is proc.name=cat
      // for a list of one, and reads as `in` for a longer one.
      const items = listItems(tree.value, ctx);
      if (!items) return tree;
      if (items.length === 1) return { ...tree, value: items[0]! };
      if (tree.op === '=' || tree.op === '!=') {
        const inList: FilterNode = { kind: 'list', field: tree.field, column: tree.column, op: 'in', values: items };
        return tree.op === '=' ? inList : { kind: 'not', child: inList };
      }
      return tree;
    }
    case 'exists':
      return tree;
  }
}

function listItems(v: Value, ctx: ExpandContext): Value[] | null {
  if (v.quoted) return null;
  const items = ctx.list(v.text);
  return items ? items.map((text) => ({ text, quoted: true, column: v.column })) : null;
}

/** Every field a tree names, each once, in order. */
export function fieldsOf(tree: FilterNode, into: string[] = []): string[] {
  switch (tree.kind) {
    case 'and':
    case 'or':
      for (const c of tree.children) fieldsOf(c, into);
      break;
    case 'not':
      fieldsOf(tree.child, into);
      break;
    case 'macro':
      break;
    default:
      if (!into.includes(tree.field)) into.push(tree.field);
  }
  return into;
}

/** The first field capscope cannot evaluate, and whether it is Falco's at all; null when all are fine. */
export function firstUnevaluable(tree: FilterNode): { field: string; falcos: boolean } | null {
  for (const field of fieldsOf(tree)) {
    const support = fieldSupport(field);
    if (support !== 'supported') return { field, falcos: support === 'not-supported' };
  }
  return null;
}

/** A list's item as Falco read it: text, with the quotes of a quoted item taken off. */
export function listItemText(item: unknown): string {
  const text = typeof item === 'string' ? item : String(item);
  const quoted = /^"(.*)"$/s.exec(text) ?? /^'(.*)'$/s.exec(text);
  return quoted ? quoted[1]! : text;
}
