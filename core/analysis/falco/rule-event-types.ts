// Which events a rule can match, read off its condition: the `evt.type` values it requires, so that
// the evaluator asks the event store for those types only (the store skips the blocks that hold
// none of them, and SQLite evaluates the condition on the rows of those types alone) instead of
// evaluating every rule on every event. Pure.
//
// What a condition requires is sound, never a guess: `evt.type = x` and `evt.type in (...)` name
// their types; an `and` requires what any of its terms requires (the intersection where several
// do); an `or` requires the union, when each of its terms requires something; anything else (a
// `not`, another field, another operator) requires nothing of the type. The compiler turns those
// two forms into `e.type = ?` and `e.type IN (...)` over the same text, so an event of another
// type makes the condition false, and leaving it out changes no answer.

import { ALIASES } from '../../filter/fields';
import type { FilterNode } from '../../filter/parser';

/** The event types a condition can match (null: any), in the order first named. */
export function ruleEventTypes(tree: FilterNode): readonly string[] | null {
  const types = required(tree);
  return types === null ? null : [...types];
}

function required(tree: FilterNode): Set<string> | null {
  switch (tree.kind) {
    case 'compare':
      return isEventType(tree.field) && tree.op === '=' ? new Set([tree.value.text]) : null;
    case 'list':
      return isEventType(tree.field) && tree.op === 'in' ? new Set(tree.values.map((v) => v.text)) : null;
    case 'and': {
      const sets = tree.children.map(required).filter((s): s is Set<string> => s !== null);
      if (sets.length === 0) return null;
      return new Set([...sets[0]!].filter((t) => sets.every((s) => s.has(t))));
    }
    case 'or': {
      const out = new Set<string>();
      for (const c of tree.children) {
        const s = required(c);
        if (s === null) return null;
        for (const t of s) out.add(t);
      }
      return out;
    }
    default:
      return null;
  }
}

function isEventType(field: string): boolean {
  return (ALIASES[field] ?? field) === 'evt.type';
}

export interface RuleGroup {
  /** The event types of this group; null: every type no rule names (the rules that name none). */
  types: readonly string[] | null;
  /** The rules it evaluates, as indexes into the rule list, in its order. */
  rules: readonly number[];
}

/**
 * The rules grouped by the event types they can match (each rule's types, null for any): every
 * event type lands in exactly one group, whose rules are all those that can match it, in their
 * order, so the first rule an event matches in its group is the first it matches of all. Types
 * with the same rules share a group; the rules that name no type make a last group, for the types
 * no rule names.
 */
export function ruleGroups(ruleTypes: readonly (readonly string[] | null)[]): RuleGroup[] {
  const named: string[] = [];
  for (const types of ruleTypes) for (const t of types ?? []) if (!named.includes(t)) named.push(t);
  const groups = new Map<string, { types: string[]; rules: number[] }>();
  for (const t of named) {
    const rules = ruleTypes.flatMap((types, i) => (types === null || types.includes(t) ? [i] : []));
    const key = rules.join(',');
    const group = groups.get(key);
    if (group) group.types.push(t);
    else groups.set(key, { types: [t], rules });
  }
  const out: RuleGroup[] = [...groups.values()];
  const anyType = ruleTypes.flatMap((types, i) => (types === null ? [i] : []));
  if (anyType.length > 0) out.push({ types: null, rules: anyType });
  return out;
}
