// Folds the items of several rules files, in the order given, into one set of definitions, as Falco
// does: a later definition replaces an earlier one of the same name (keeping its place in the rule
// order), `append: true` adds to it (conditions as text, joined by a blank; list items; exceptions),
// `override:` appends or replaces property by property, an item with only `enabled` switches a rule.
// Checks what Falco checks while loading (names, required properties, engine version); conditions
// are read later (rules-compile.ts), once every file is in. Pure.

import type { Node } from 'yaml';
import { parsePriority, type Priority } from './priority';
import type { RulesProblem } from './rules-problem';
import { readRulesYaml, type Field, type Place, type RulesItem } from './rules-yaml';

/**
 * The Falco engine version capscope reads rules for. It evaluates what it has and skips, by name,
 * a rule that needs a field it lacks, so it accepts the rules files current Falco releases ship.
 */
export const ENGINE_VERSION = { major: 0, minor: 57, patch: 0 } as const;

/** From engine 0.55.0 (Falco 0.42) Falco no longer evaluates syscall enter events. */
export const EXIT_EVENTS_ONLY_FROM_MINOR = 55;

/** A condition as text with where each appended piece came from, to place its faults in the file. */
export interface ConditionText {
  text: string;
  pieces: { from: number; place: Place; node: Node | null }[];
}

export interface ExceptionDef {
  name: string;
  fields: string[] | string;
  comps: string[] | string | null;
  values: unknown[];
  place: Place;
}

export interface RuleDraft {
  name: string;
  place: Place;
  desc: string;
  condition: ConditionText;
  output: string;
  outputPlace: Place;
  priority: Priority;
  tags: string[];
  enabled: boolean;
  source: string;
  exceptions: ExceptionDef[];
  skipIfUnknownFilter: boolean;
  /** The engine its file requires (the 0.x minor), null when it says none: which events it sees. */
  engineMinor: number | null;
}

export interface MacroDraft {
  name: string;
  place: Place;
  condition: ConditionText;
}

export interface ListDraft {
  name: string;
  place: Place;
  items: unknown[];
}

export interface Folded {
  rules: Map<string, RuleDraft>;
  macros: Map<string, MacroDraft>;
  lists: Map<string, ListDraft>;
  problems: RulesProblem[];
}

export interface RulesFileText {
  /** As the person named it: errors say this name. */
  file: string;
  text: string;
}

export function foldRulesFiles(files: readonly RulesFileText[]): Folded {
  const folded: Folded = { rules: new Map(), macros: new Map(), lists: new Map(), problems: [] };
  for (const f of files) foldFile(folded, f);
  return folded;
}

function foldFile(into: Folded, { file, text }: RulesFileText): void {
  const read = readRulesYaml(file, text);
  into.problems.push(...read.problems);
  // Falco refuses a file whose engine requirement it does not meet, whole.
  const engine = read.items.find((i) => i.kind === 'required_engine_version');
  let engineMinor: number | null = null;
  if (engine) {
    const checked = engineFault(engine);
    if ('code' in checked) {
      into.problems.push(checked);
      return;
    }
    engineMinor = checked.minor;
  }
  for (const item of read.items) {
    const problem = foldItem(into, item, engineMinor);
    if (problem) into.problems.push(problem);
  }
}

/** The engine a file requires, or why it cannot be loaded. */
function engineFault(item: RulesItem): RulesProblem | { minor: number } {
  const f = item.props.get('required_engine_version')!;
  const v = f.value;
  const problem = (code: RulesProblem['code'], message: string): RulesProblem => ({ code, ...f.place, item: null, message });
  let needed: { minor: number; text: string };
  if (typeof v === 'number' && Number.isInteger(v)) needed = { minor: v, text: String(v) };
  else if (typeof v === 'string' && /^0\.\d+\.\d+$/.test(v.trim())) needed = { minor: Number(v.trim().split('.')[1]), text: v.trim() };
  else return problem('engine-version-not-number', `Value of required_engine_version must be a number (or a version such as 0.31.0), found '${String(v)}'`);
  // Integer versions are the minor of today's 0.x.y versions (Falco numbered them so).
  if (needed.minor > ENGINE_VERSION.minor) {
    const ours = `${ENGINE_VERSION.major}.${ENGINE_VERSION.minor}.${ENGINE_VERSION.patch}`;
    return problem('engine-version', `Rules require engine version ${needed.text}, but engine version is ${ours}: the file is not loaded`);
  }
  return { minor: needed.minor };
}

type Kinded = 'rule' | 'macro' | 'list';

function foldItem(into: Folded, item: RulesItem, engineMinor: number | null): RulesProblem | null {
  if (item.kind === 'required_engine_version' || item.kind === 'required_plugin_versions') return null;
  const kind: Kinded = item.kind;
  const Kind = kind[0]!.toUpperCase() + kind.slice(1);
  const nameField = item.props.get(kind)!;
  const problemAt = (code: RulesProblem['code'], message: string, place: Place = item.place, who: string | null = null): RulesProblem => ({
    code,
    ...place,
    item: who,
    message,
  });
  const name = typeof nameField.value === 'string' || typeof nameField.value === 'number' ? String(nameField.value).trim() : '';
  if (!name) return problemAt('empty-name', `${Kind} name is empty`);
  const who = `${kind} '${name}'`;
  const prop = (key: string) => item.props.get(key);
  const missing = (key: string) => problemAt('missing-property', `${Kind} must have property ${key}`, item.place, who);
  const bad = (key: string, expected: string) => problemAt('bad-property', `${key}: expected ${expected}`, prop(key)!.place, who);

  const appendField = prop('append');
  if (appendField && typeof appendField.value !== 'boolean') return bad('append', 'true or false');
  const append = appendField?.value === true;
  const overrideField = prop('override');
  if (overrideField && (typeof overrideField.value !== 'object' || overrideField.value === null || Array.isArray(overrideField.value))) {
    return bad('override', "a map of property: append or replace (override: {condition: append})");
  }
  const override = (overrideField?.value ?? null) as Record<string, unknown> | null;
  if (override) {
    for (const [k, how] of Object.entries(override)) if (how !== 'append' && how !== 'replace') return bad('override', `append or replace for ${k}, found '${String(how)}'`);
  }
  if (kind === 'rule' && append && !prop('condition') && !prop('exceptions')) return missing('condition');
  const existing = kind === 'rule' ? into.rules.get(name) : kind === 'macro' ? into.macros.get(name) : into.lists.get(name);
  if ((append || override) && !existing) {
    return problemAt('append-dangling', `${Kind} ${name} has '${append ? 'append' : 'override'}' key but no ${kind} by that name already exists`, item.place, who);
  }
  const how = (key: string): 'append' | 'replace' | null => (append ? 'append' : ((override?.[key] as 'append' | 'replace' | undefined) ?? null));

  if (kind === 'list') {
    const items = prop('items');
    if (!items) return missing('items');
    if (!Array.isArray(items.value)) return bad('items', 'a list of items');
    const list = existing as ListDraft | undefined;
    if (list && how('items') === 'append') list.items = [...list.items, ...items.value];
    else into.lists.set(name, { name, place: item.place, items: items.value });
    return null;
  }

  if (kind === 'macro') {
    const cond = prop('condition');
    if (!cond) return missing('condition');
    const text = conditionText(cond);
    if (text === null) return bad('condition', 'a condition (text)');
    const macro = existing as MacroDraft | undefined;
    if (macro && how('condition') === 'append') macro.condition = joinConditions(macro.condition, text);
    else into.macros.set(name, { name, place: item.place, condition: text });
    return null;
  }

  const rule = existing as RuleDraft | undefined;
  const keys = [...item.props.keys()].filter((k) => k !== 'rule');
  if (rule && !append && !override && keys.length === 1 && keys[0] === 'enabled') {
    // `- rule: X \n enabled: false` switches a rule defined before, nothing else.
    const enabled = prop('enabled')!;
    if (typeof enabled.value !== 'boolean') return bad('enabled', 'true or false');
    rule.enabled = enabled.value;
    return null;
  }
  const tagsField = prop('tags');
  if (tagsField && !(Array.isArray(tagsField.value) && tagsField.value.every((t) => typeof t === 'string' || typeof t === 'number'))) return bad('tags', 'a list of tags');
  const enabledField = prop('enabled');
  if (enabledField && typeof enabledField.value !== 'boolean') return bad('enabled', 'true or false');
  const exceptions = readExceptions(prop('exceptions'));
  if (typeof exceptions === 'string') return bad('exceptions', exceptions);

  if (rule && (append || override)) {
    const cond = prop('condition');
    if (append && !cond && !prop('exceptions')) return missing('condition');
    if (cond) {
      const text = conditionText(cond);
      if (text === null) return bad('condition', 'a condition (text)');
      rule.condition = how('condition') === 'append' ? joinConditions(rule.condition, text) : text;
    }
    for (const key of ['output', 'desc'] as const) {
      const f = prop(key);
      if (!f || how(key) === null) continue;
      if (typeof f.value !== 'string') return bad(key, 'text');
      rule[key] = how(key) === 'append' ? `${rule[key]} ${f.value}` : f.value;
      if (key === 'output') rule.outputPlace = f.place;
    }
    const priority = prop('priority');
    if (priority && how('priority') === 'replace') {
      const p = parsePriority(priority.value);
      if (!p) return problemAt('invalid-priority', `Invalid priority '${String(priority.value)}' (Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug)`, priority.place, who);
      rule.priority = p;
    }
    if (tagsField && how('tags')) rule.tags = how('tags') === 'append' ? [...rule.tags, ...(tagsField.value as unknown[]).map(String)] : (tagsField.value as unknown[]).map(String);
    if (enabledField && how('enabled') === 'replace') rule.enabled = enabledField.value as boolean;
    if (exceptions.length > 0) rule.exceptions = how('exceptions') === 'replace' ? exceptions : [...rule.exceptions, ...exceptions];
    return null;
  }

  for (const key of ['condition', 'output', 'desc', 'priority']) if (!prop(key)) return missing(key);
  const cond = conditionText(prop('condition')!);
  if (cond === null) return bad('condition', 'a condition (text)');
  const output = prop('output')!;
  if (typeof output.value !== 'string') return bad('output', 'text');
  const priority = parsePriority(prop('priority')!.value);
  if (!priority) {
    return problemAt('invalid-priority', `Invalid priority '${String(prop('priority')!.value)}' (Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug)`, prop('priority')!.place, who);
  }
  const source = prop('source')?.value;
  const skip = prop('skip-if-unknown-filter')?.value;
  const draft: RuleDraft = {
    name,
    place: item.place,
    desc: String(prop('desc')!.value ?? ''),
    condition: cond,
    output: output.value.trim(),
    outputPlace: output.place,
    priority,
    tags: ((tagsField?.value as unknown[] | undefined) ?? []).map(String),
    enabled: (enabledField?.value as boolean | undefined) ?? true,
    source: typeof source === 'string' ? source : 'syscall',
    exceptions,
    skipIfUnknownFilter: skip === true,
    engineMinor,
  };
  // A rule defined again replaces the first, in the first's place in the order.
  into.rules.set(name, draft);
  return null;
}

function conditionText(f: Field): ConditionText | null {
  if (typeof f.value !== 'string' && typeof f.value !== 'number' && typeof f.value !== 'boolean') return null;
  return { text: String(f.value), pieces: [{ from: 0, place: f.place, node: f.node }] };
}

function joinConditions(a: ConditionText, b: ConditionText): ConditionText {
  const from = a.text.length + 1;
  return { text: `${a.text} ${b.text}`, pieces: [...a.pieces, ...b.pieces.map((p) => ({ ...p, from: p.from + from }))] };
}

/** A rule's `exceptions:`, or what is wrong with them. */
function readExceptions(f: Field | undefined): ExceptionDef[] | string {
  if (!f || f.value === null) return [];
  if (!Array.isArray(f.value)) return 'a list of exceptions (- name: ..., fields: ..., values: ...)';
  const out: ExceptionDef[] = [];
  for (const e of f.value as unknown[]) {
    if (typeof e !== 'object' || e === null) return 'each exception a map with name, fields, comps and values';
    const { name, fields, comps, values } = e as Record<string, unknown>;
    if (typeof name !== 'string' || !name) return 'each exception to have a name';
    const fieldsOk = typeof fields === 'string' || (Array.isArray(fields) && fields.every((x) => typeof x === 'string'));
    if (!fieldsOk) return `exception ${name}: fields as a field or a list of fields`;
    const compsOk = comps === undefined || comps === null || typeof comps === 'string' || (Array.isArray(comps) && comps.every((x) => typeof x === 'string'));
    if (!compsOk) return `exception ${name}: comps as an operator or a list of operators`;
    if (Array.isArray(fields) && Array.isArray(comps) && comps.length !== fields.length) return `exception ${name}: as many comps as fields`;
    if (values !== undefined && values !== null && !Array.isArray(values)) return `exception ${name}: values as a list`;
    out.push({ name, fields: fields as string[] | string, comps: (comps ?? null) as string[] | string | null, values: (values ?? []) as unknown[], place: f.place });
  }
  return out;
}
