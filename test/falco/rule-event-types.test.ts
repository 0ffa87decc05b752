// The Falco evaluator reads only the events a rule can match (rule-event-types.ts): each rule's
// `evt.type` values asked of the event store, each event tried against its type's group of rules.
// Held here three ways: what each default rule requires; the same alerts as one CASE over every
// event (the evaluator as it was) on every corpus capture, for the default rules and every rules
// set of Falco's regression suite, simple consumer and -A alike; and, on a capture of several
// blocks whose only events of the rules' types are in its first block, the store reading that block
// alone (`column_blocks_loaded()`), where one pass over every event read them all.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairedEnterEventTypes, skippedEventTypes } from '../../core/analysis/falco/considered-events';
import { DEFAULT_RULES_FILE, DEFAULT_RULES_YAML } from '../../core/analysis/falco/default-rules';
import { evaluateRules, selectRules } from '../../core/analysis/falco/evaluate';
import { ruleEventTypes, ruleGroups } from '../../core/analysis/falco/rule-event-types';
import { loadRules, type LoadedRule } from '../../core/analysis/falco/rules-compile';
import { compileTree, type SqlParam } from '../../core/filter/compile';
import { installFilterFunctions } from '../../core/filter/language';
import { parseFilter } from '../../core/filter/parser';
import { corpus, scratchDir } from '../helpers/paths';
import { seedIncidentScap, TID } from '../helpers/scap-incident';
import { indexCapture } from '../scap/oracle-helpers';

const DEFAULT_RULES = selectRules(loadRules([{ file: DEFAULT_RULES_FILE, text: DEFAULT_RULES_YAML }]).rules);

/** The evaluator before it read by event type: one CASE over every event Falco considers. */
function oneCaseOverEveryEvent(db: Database.Database, rules: readonly LoadedRule[], allEvents: boolean): [number, number, string][] {
  if (rules.length === 0) return [];
  const params: SqlParam[] = [];
  const enters = pairedEnterEventTypes().join(', ');
  const whens = rules.map((r, i) => {
    const c = compileTree(r.tree, 'events');
    params.push(...c.params);
    return `WHEN ${r.exitEventsOnly ? `e.event_type NOT IN (${enters}) AND ` : ''}(${c.where}) THEN ${i}`;
  });
  const rows = db
    .prepare(`SELECT source_id, num, r FROM (SELECT e.source_id, e.num, CASE ${whens.join(' ')} END AS r FROM events e WHERE e.event_type NOT IN (${skippedEventTypes(allEvents).join(', ')})) WHERE r IS NOT NULL ORDER BY source_id, num`)
    .raw()
    .all(...params) as [number, number, number][];
  return rows.map(([s, n, i]) => [s, n, rules[i]!.name]);
}

describe('the event types a rule can match', () => {
  const types = (condition: string) => ruleEventTypes(parseFilter(condition, { falco: true })!);

  it('are what its condition requires, and nothing when it requires none', () => {
    expect(types('evt.type = open')).toEqual(['open']);
    expect(types('evt.type in (open, openat) and proc.name = cat')).toEqual(['open', 'openat']);
    expect(types('evt.type in (open, openat) and evt.type in (openat, connect)')).toEqual(['openat']);
    expect(types('evt.type = container or (evt.type in (execve, execveat) and proc.vpid = 1)')).toEqual(['container', 'execve', 'execveat']);
    expect(types('type = open')).toEqual(['open']);
    expect(types('evt.type = open or proc.name = cat')).toBeNull();
    expect(types('not evt.type = open')).toBeNull();
    expect(types('evt.type != open')).toBeNull();
    expect(types('evt.type startswith open')).toBeNull();
    expect(types('proc.name = cat')).toBeNull();
  });

  it('of the default rules, each', () => {
    const spawned = ['execve', 'execveat'];
    const opens = ['open', 'openat', 'openat2'];
    expect(Object.fromEntries(DEFAULT_RULES.map((r) => [r.name, ruleEventTypes(r.tree)]))).toEqual({
      'Terminal shell in container': spawned,
      'Package management process launched in container': spawned,
      'Compiler launched in container': spawned,
      'Write below etc': opens,
      'Write below binary dir': opens,
      'Write below root': opens,
      'Read sensitive file untrusted': opens,
      'Launch privileged container': ['container', ...spawned],
      'Outbound connection from a serving-only process': ['connect'],
      'Container process running as root': spawned,
      'User switched in container': spawned,
      'Netcat remote code execution in container': spawned,
      'Reverse shell redirect': ['dup', 'dup2', 'dup3'],
      'Clear log activities': opens,
    });
  });

  it('make groups that put each type in one group with every rule that can match it, in order', () => {
    expect(ruleGroups([['open'], null, ['open', 'connect'], ['execve']])).toEqual([
      { types: ['open'], rules: [0, 1, 2] },
      { types: ['connect'], rules: [1, 2] },
      { types: ['execve'], rules: [1, 3] },
      { types: null, rules: [1] },
    ]);
    expect(ruleGroups([['a', 'b'], ['b', 'a'], []])).toEqual([{ types: ['a', 'b'], rules: [0, 1] }]);
  });
});

const SUITE = corpus('falco');
const SCAPS = fs.readdirSync(corpus('scap')).filter((f) => /\.scap(\.gz)?$/.test(f)).sort();

/** Every distinct rules set Falco's regression suite loads that loads clean here. */
function suiteRuleSets(): { name: string; rules: LoadedRule[] }[] {
  const text = fs.readFileSync(path.join(SUITE, 'falco_tests.yaml'), 'utf8').replace('!mux', '');
  const cases = (parse(text) as { trace_files: Record<string, { rules_file?: string | string[] }> }).trace_files;
  const seen = new Set<string>();
  const sets: { name: string; rules: LoadedRule[] }[] = [];
  for (const c of Object.values(cases)) {
    const names = c.rules_file === undefined ? [] : Array.isArray(c.rules_file) ? c.rules_file : [c.rules_file];
    const key = names.join(' ');
    if (names.length === 0 || seen.has(key)) continue;
    seen.add(key);
    const files = names.flatMap((n) => {
      const p = path.join(SUITE, n);
      const each = fs.statSync(p).isDirectory() ? fs.readdirSync(p).sort().map((f) => path.join(p, f)) : [p];
      return each.map((f) => ({ file: path.relative(SUITE, f), text: fs.readFileSync(f, 'utf8') }));
    });
    const set = loadRules(files);
    if (set.problems.length === 0) sets.push({ name: key, rules: selectRules(set.rules) });
  }
  return sets;
}

describe('the alerts, read by event type', () => {
  const dbs = new Map<string, Database.Database>();
  beforeAll(async () => {
    for (const f of SCAPS) {
      const { db, state, error } = await indexCapture(corpus('scap', f));
      expect(state, error ?? '').toBe('done');
      installFilterFunctions(db);
      dbs.set(f, db);
    }
  }, 300_000);
  afterAll(() => {
    for (const db of dbs.values()) db.close();
  });

  it('are those of one CASE over every event, on every corpus capture, for every rules set', () => {
    const sets = [{ name: 'default', rules: DEFAULT_RULES }, ...suiteRuleSets()];
    expect(sets.length).toBeGreaterThan(30);
    let alerts = 0;
    for (const [f, db] of dbs) {
      for (const { name, rules } of sets) {
        for (const allEvents of [false, true]) {
          const expected = oneCaseOverEveryEvent(db, rules, allEvents);
          const got = evaluateRules(db, rules, { allEvents }).map((a) => [a.sourceId, a.num, a.rule]);
          expect(got, `${f}, ${name}${allEvents ? ', -A' : ''}`).toEqual(expected);
          alerts += got.length;
        }
      }
    }
    // Not a vacuous agreement: the suite's rules raise alerts on its captures.
    expect(alerts).toBeGreaterThan(1000);
  });
});

describe('the blocks the default rules read', () => {
  let db: Database.Database;
  beforeAll(async () => {
    // The incident capture's start (its containers' metadata events), then 24,000 reads and writes (48,000 events)
    // of haproxy: six blocks of events, the rules' types in the first alone.
    const w = seedIncidentScap();
    for (let i = 0; i < 24_000; i++) w.io(i % 2 === 0 ? 'read' : 'write', TID.haproxy, 7, 'x');
    const file = path.join(scratchDir('falco-blocks'), 'reads.scap');
    fs.writeFileSync(file, w.bytes());
    const indexed = await indexCapture(file);
    expect(indexed.state, indexed.error ?? '').toBe('done');
    db = indexed.db;
    installFilterFunctions(db);
  }, 120_000);
  afterAll(() => db?.close());

  it('are the blocks that hold the event types the rules name', () => {
    const blocks = db.prepare('SELECT count(*) FROM event_store_blocks').pluck().get() as number;
    expect(blocks).toBeGreaterThanOrEqual(5);
    const named = [...new Set(DEFAULT_RULES.flatMap((r) => ruleEventTypes(r.tree) ?? []))];
    const holding = db
      .prepare(`SELECT count(*) FROM event_store_blocks b WHERE EXISTS (SELECT 1 FROM events e WHERE e.source_id = b.key AND e.num BETWEEN b.first AND b.last AND e.type IN (${named.map(() => '?').join(', ')}))`)
      .pluck()
      .get(...named) as number;
    expect(holding).toBe(1);
    const loaded = db.prepare('SELECT column_blocks_loaded()').pluck();
    const before = loaded.get() as number;
    const alerts = evaluateRules(db, DEFAULT_RULES);
    const read = (loaded.get() as number) - before;
    expect(alerts.map((a) => [a.num, a.rule])).toEqual(oneCaseOverEveryEvent(db, DEFAULT_RULES, false).map(([, n, r]) => [n, r]));
    // A CASE over every event read all the blocks; read by type, the one the rules' types are in.
    expect(read).toBe(holding);
  });
});
