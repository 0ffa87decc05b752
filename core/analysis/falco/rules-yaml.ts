// Reads a Falco rules file's YAML into its items (rule, macro, list, required_engine_version, ...),
// each with its place in the file. Pure: text in, items and problems out. Every YAML document of
// the file is read in order (a rules file may hold several, separated by ---).

import { createRequire } from 'node:module';
import type { Node, YAMLMap } from 'yaml';
import type { RulesProblem } from './rules-problem';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | null = null;

/**
 * The yaml package, loaded the first time a rules file is read: loading it costs ~35 ms on every
 * thread that imports this module (the CLI's, the ingest worker's), and an index of anything but a
 * syscall capture reads no rules. A synchronous require keeps every caller synchronous.
 */
export function yaml(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
}

export interface Place {
  file: string;
  line: number;
  column: number;
}

/** A YAML value with the place it starts, as the loader reads properties. */
export interface Field {
  value: unknown;
  place: Place;
  /** Where the value's text starts inside the file, for conditions: their columns count from here. */
  node: Node | null;
}

export type ItemKind = 'rule' | 'macro' | 'list' | 'required_engine_version' | 'required_plugin_versions';
const ITEM_KINDS: readonly ItemKind[] = ['rule', 'macro', 'list', 'required_engine_version', 'required_plugin_versions'];

export interface RulesItem {
  kind: ItemKind;
  place: Place;
  /** Its properties by key (the kind's own key among them: `rule`, `macro`, ...). */
  props: ReadonlyMap<string, Field>;
}

export interface ReadRules {
  items: RulesItem[];
  problems: RulesProblem[];
}

export function readRulesYaml(file: string, text: string): ReadRules {
  const { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } = yaml();
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const placeAt = (offset: number): Place => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const fileProblem = (code: RulesProblem['code'], message: string, offset: number): RulesProblem => ({ code, ...placeAt(offset), item: null, message });
  const items: RulesItem[] = [];
  const problems: RulesProblem[] = [];
  // A document list, not one document: an empty result (only comments) is an empty rules file.
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const syntax = doc.errors[0];
    if (syntax) {
      problems.push(fileProblem('yaml-syntax', `not valid YAML: ${syntax.message.split('\n')[0]}`, syntax.pos[0]));
      return { items: [], problems };
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    if (isScalar(root)) {
      problems.push(fileProblem('not-yaml', 'Rules content is not yaml: a rules file is a list of rule, macro and list items, not a line of text', root.range?.[0] ?? 0));
      return { items: [], problems };
    }
    if (!isSeq(root)) {
      problems.push(fileProblem('not-array', 'Rules content is not yaml array of objects: expected a list of items (- rule: ..., - macro: ..., - list: ...)', root.range?.[0] ?? 0));
      return { items: [], problems };
    }
    for (const entry of root.items) {
      const node = entry as Node;
      const offset = node.range?.[0] ?? 0;
      if (!isMap(node)) {
        const type = isSeq(node) ? 'sequence' : isScalar(node) ? (typeof node.value === 'number' ? 'number' : 'string') : 'null';
        problems.push(fileProblem('item-not-object', `Unexpected element of type ${type}. Each element should be a yaml associative array.`, offset));
        continue;
      }
      const props = readProps(node as YAMLMap, placeAt);
      const kind = ITEM_KINDS.find((k) => props.has(k));
      if (!kind) {
        const shown = [...props.entries()].map(([k, f]) => `${k}="${String(f.value)}"`).join(', ');
        problems.push(fileProblem('unknown-object', `Unknown rule object: {${shown}} (expected one of ${ITEM_KINDS.join(', ')})`, offset));
        continue;
      }
      items.push({ kind, place: placeAt(offset), props });
    }
  }
  return { items, problems };
}

function readProps(map: YAMLMap, placeAt: (offset: number) => Place): Map<string, Field> {
  const { isScalar } = yaml();
  const props = new Map<string, Field>();
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const valueNode = (pair.value ?? null) as Node | null;
    const offset = valueNode?.range?.[0] ?? (pair.key as Node | null)?.range?.[0] ?? 0;
    props.set(key, { value: valueNode ? valueNode.toJSON() : null, place: placeAt(offset), node: valueNode });
  }
  return props;
}
