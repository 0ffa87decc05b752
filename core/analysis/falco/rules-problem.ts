// What goes wrong in a rules file, said the way a person fixes it: the file, the line and column
// of the YAML node at fault, the rule (or macro, or list) it belongs to, and what was expected.
// Falco refuses a whole load for most of these; capscope refuses the item at fault and runs the
// rest, and the `code` says which of Falco's refusals it is (the oracle test compares them).

export type ProblemCode =
  | 'yaml-syntax'
  | 'not-yaml'
  | 'not-array'
  | 'item-not-object'
  | 'unknown-object'
  | 'engine-version-not-number'
  | 'engine-version'
  | 'empty-name'
  | 'missing-property'
  | 'bad-property'
  | 'append-dangling'
  | 'condition-syntax'
  | 'undefined-macro'
  | 'cyclic-macro'
  | 'broken-macro'
  | 'unknown-field'
  | 'invalid-output'
  | 'invalid-priority'
  | 'bad-exception'
  | 'bad-field-use';

export interface RulesProblem {
  code: ProblemCode;
  file: string;
  /** 1-based, of the YAML node at fault (0 when the file as a whole is). */
  line: number;
  column: number;
  /** The rule, macro or list at fault, with its kind ("rule 'Write below etc'"); null for the file. */
  item: string | null;
  message: string;
}

/** One line: `file:line:column: rule 'X': what was expected`. */
export function problemLine(p: RulesProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.item ? `${p.item}: ` : ''}${p.message}`;
}

/** A rule capscope will not run, and why ("field k8s.deployment.name not supported"). */
export interface SkippedRule {
  rule: string;
  reason: string;
}
