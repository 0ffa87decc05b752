// The folded definitions made into rules capscope runs: each macro and rule condition read as
// Falco reads it, macros and lists expanded, exceptions added, every field checked, the SQL
// compiled once to prove it compiles, the output string read. A fault stops its own rule (or macro)
// only; a rule needing what capscope lacks is skipped with the reason. Pure but for the compiler.

import { compileTree } from '../../filter/compile';
import { FilterError } from '../../filter/filter-error';
import { parseFilter, type FilterNode, type Value } from '../../filter/parser';
import { ConditionFault, expandCondition, firstUnevaluable, listItemText, type ExpandContext } from './condition';
import { fieldSupport } from './field-support';
import { outputFields, parseOutput, type OutputPart } from './output-format';
import type { Priority } from './priority';
import type { RulesProblem, SkippedRule } from './rules-problem';
import { EXIT_EVENTS_ONLY_FROM_MINOR, foldRulesFiles, type ConditionText, type ExceptionDef, type Folded, type RuleDraft, type RulesFileText } from './rules-fold';
import { yaml, type Place } from './rules-yaml';

export interface LoadedRule {
  name: string;
  desc: string;
  priority: Priority;
  tags: readonly string[];
  enabled: boolean;
  /** The condition with its macros, lists and exceptions expanded, ready for the filter compiler. */
  tree: FilterNode;
  output: string;
  outputParts: readonly OutputPart[];
  /** The fields its output prints, in order. */
  outputFields: readonly string[];
  /** Written for Falco 0.42 or later (engine 0.55.0): evaluated on exit events only, as that Falco does. */
  exitEventsOnly: boolean;
  place: Place;
}

export interface RuleSet {
  /** In Falco's order: an event raises the first rule it matches. */
  rules: LoadedRule[];
  problems: RulesProblem[];
  skipped: SkippedRule[];
}

export function loadRules(files: readonly RulesFileText[]): RuleSet {
  const folded = foldRulesFiles(files);
  const problems = [...folded.problems];
  const ctx = expandContext(folded, problems);
  const rules: LoadedRule[] = [];
  const skipped: SkippedRule[] = [];
  for (const draft of folded.rules.values()) {
    const r = compileRule(draft, ctx);
    if ('rule' in r) rules.push(r.rule);
    else if ('skipped' in r) skipped.push(r.skipped);
    else problems.push(r.problem);
  }
  return { rules, problems, skipped };
}

/** Macros read once each (their faults reported on them, once), lists expanded on demand. */
function expandContext(folded: Folded, problems: RulesProblem[]): ExpandContext {
  const parsed = new Map<string, FilterNode | { fault: string }>();
  const listItems = (name: string, within: readonly string[]): string[] | undefined => {
    const list = folded.lists.get(name);
    if (!list) return undefined;
    return list.items.flatMap((raw) => {
      const text = listItemText(raw);
      // An item naming a list defined anywhere (earlier or in a later file) stands for its items.
      if (typeof raw === 'string' && text === raw && !within.includes(text) && folded.lists.has(text)) return listItems(text, [...within, name]) ?? [];
      return [text];
    });
  };
  const ctx: ExpandContext = { macro: (name) => parsed.get(name), list: (name) => listItems(name, [name]) };
  for (const m of folded.macros.values()) {
    try {
      parsed.set(m.name, parseCondition(m.condition));
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      parsed.set(m.name, { fault: err.message });
      problems.push(conditionProblem('condition-syntax', m.condition, err, `macro '${m.name}'`, `Compilation error when compiling "${m.condition.text}": `));
    }
  }
  // Each macro expanded once now, so that an undefined or cyclic reference is said on the macro.
  for (const m of folded.macros.values()) {
    const tree = parsed.get(m.name)!;
    if ('fault' in tree) continue;
    try {
      expandCondition(tree, ctx, [m.name]);
    } catch (err) {
      if (!(err instanceof ConditionFault)) throw err;
      if (err.code !== 'broken-macro') problems.push(conditionProblem(err.code, m.condition, err, `macro '${m.name}'`, `Compilation error when compiling "${m.condition.text}": `));
      parsed.set(m.name, { fault: err.message });
    }
  }
  return ctx;
}

type Compiled = { rule: LoadedRule } | { skipped: SkippedRule } | { problem: RulesProblem };

function compileRule(d: RuleDraft, ctx: ExpandContext): Compiled {
  const who = `rule '${d.name}'`;
  if (d.source !== 'syscall') return { skipped: { rule: d.name, reason: `source ${d.source} not supported (capscope reads syscall captures)` } };
  let tree: FilterNode;
  try {
    tree = expandCondition(withExceptions(parseCondition(d.condition), d.exceptions), ctx);
  } catch (err) {
    if (err instanceof FilterError || err instanceof ConditionFault) {
      const code = err instanceof ConditionFault ? err.code : 'condition-syntax';
      return { problem: conditionProblem(code, d.condition, err, who, `Compilation error when compiling "${d.condition.text}": `) };
    }
    throw err;
  }
  const lacking = firstUnevaluable(tree);
  if (lacking) {
    if (lacking.falcos) return { skipped: { rule: d.name, reason: `field ${lacking.field} not supported` } };
    if (d.skipIfUnknownFilter) return { skipped: { rule: d.name, reason: `contains unknown filter ${lacking.field} (skip-if-unknown-filter)` } };
    return { problem: { code: 'unknown-field', ...d.condition.pieces[0]!.place, item: who, message: `Rule "${d.name}" contains unknown filter ${lacking.field}` } };
  }
  try {
    compileTree(tree, 'events');
  } catch (err) {
    if (!(err instanceof FilterError)) throw err;
    return { problem: conditionProblem('bad-field-use', d.condition, err, who, '') };
  }
  const out = parseOutput(d.output);
  const invalid = (token: string): Compiled => ({
    problem: { code: 'invalid-output', ...d.outputPlace, item: who, message: `Invalid output format '${d.output}': 'invalid formatting token ${token}'` },
  });
  if ('badToken' in out) return invalid(out.badToken);
  const printed = outputFields(out.parts);
  const unknown = printed.find((f) => fieldSupport(f) === 'unknown' && !OUTPUT_ONLY_FIELDS.has(f));
  if (unknown) return invalid(unknown);
  return {
    rule: {
      name: d.name,
      desc: d.desc,
      priority: d.priority,
      tags: d.tags,
      enabled: d.enabled,
      tree,
      output: d.output,
      outputParts: out.parts,
      outputFields: printed,
      exitEventsOnly: d.engineMinor !== null && d.engineMinor >= EXIT_EVENTS_ONLY_FROM_MINOR,
      place: d.place,
    },
  };
}

/** Names Falco's outputs print that are no filter fields (its formatter adds them). */
const OUTPUT_ONLY_FIELDS: ReadonlySet<string> = new Set(['container.info', 'evt.time.iso8601']);

function parseCondition(c: ConditionText): FilterNode {
  const tree = parseFilter(c.text, { falco: true });
  if (tree === null) throw new FilterError('the condition is empty', 1);
  return tree;
}

/**
 * A fault in a condition said where it is: the file's line and column where the condition is one
 * plain line in the YAML, else the condition's place and the column inside its text.
 */
function conditionProblem(code: RulesProblem['code'], c: ConditionText, err: FilterError | ConditionFault, who: string, prefix: string): RulesProblem {
  const at = err.column - 1;
  const piece = [...c.pieces].reverse().find((p) => p.from <= at) ?? c.pieces[0]!;
  const inPiece = at - piece.from + 1;
  const oneLine = piece.node && yaml().isScalar(piece.node) && piece.node.type === 'PLAIN' && !c.text.includes('\n');
  const place = oneLine ? { ...piece.place, column: piece.place.column + inPiece - 1 } : piece.place;
  const where = oneLine ? '' : ` (column ${err.column} of the condition)`;
  return { code, ...place, item: who, message: `${prefix}${err.message}${where}` };
}

/** `condition and not (exception or ...)`, each exception a set of field comparisons per value. */
function withExceptions(tree: FilterNode, exceptions: readonly ExceptionDef[]): FilterNode {
  const terms: FilterNode[] = [];
  for (const e of exceptions) {
    const fields = Array.isArray(e.fields) ? e.fields : [e.fields];
    const single = !Array.isArray(e.fields);
    const comps = e.comps === null ? fields.map(() => (single ? 'in' : '=')) : Array.isArray(e.comps) ? e.comps : [e.comps];
    if (single) {
      if (e.values.length > 0) terms.push(exceptionTerm(fields[0]!, comps[0]!, e.values, e.name));
      continue;
    }
    for (const tuple of e.values) {
      const parts = Array.isArray(tuple) ? tuple : [tuple];
      if (parts.length !== fields.length) throw new FilterError(`exception ${e.name}: each value has as many parts as fields (${fields.length})`, 1);
      terms.push({ kind: 'and', children: fields.map((f, i) => exceptionTerm(f, comps[i] ?? '=', parts[i], e.name)) });
    }
  }
  if (terms.length === 0) return tree;
  return { kind: 'and', children: [tree, { kind: 'not', child: terms.length === 1 ? terms[0]! : { kind: 'or', children: terms } }] };
}

const LIST_COMPS = new Set(['in', 'pmatch', 'intersects']);
const COMPARE_COMPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob']);

function exceptionTerm(field: string, comp: string, value: unknown, exception: string): FilterNode {
  const asValue = (v: unknown): Value => ({ text: listItemText(v), quoted: false, column: 1 });
  if (LIST_COMPS.has(comp)) {
    const values = (Array.isArray(value) ? value : [value]).map(asValue);
    return { kind: 'list', field, column: 1, op: comp as 'in' | 'pmatch' | 'intersects', values };
  }
  if (!COMPARE_COMPS.has(comp)) throw new FilterError(`exception ${exception}: '${comp}' is not an operator`, 1);
  const op = (comp === '==' ? '=' : comp) as Extract<FilterNode, { kind: 'compare' }>['op'];
  return { kind: 'compare', field, column: 1, op, value: asValue(value) };
}
