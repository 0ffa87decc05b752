// Falco 0.42 (engine 0.55.0) stopped evaluating syscall enter events: rules written for it (the
// current falcosecurity/rules dropped `evt.dir=<` then) must not fire on both halves of a call,
// while rules for older engines (Falco's regression suite) still see both, as their Falco did.

import type Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evaluateRules } from '../../core/analysis/falco/evaluate';
import { loadRules } from '../../core/analysis/falco/rules-compile';
import { installFilterFunctions } from '../../core/filter/language';
import { corpus } from '../helpers/paths';
import { indexCapture } from '../scap/oracle-helpers';

let db: Database.Database;
beforeAll(async () => {
  db = (await indexCapture(corpus('scap', 'falco-cat_write.scap'))).db;
  installFilterFunctions(db);
});
afterAll(() => db.close());

const RULE = `
- rule: opens by cat
  desc: d
  condition: evt.type=open and proc.name=cat
  output: "open (%evt.dir %fd.name)"
  priority: INFO
`;

function count(engine: string | null): { all: number; enter: number } {
  const text = (engine === null ? '' : `- required_engine_version: ${engine}\n`) + RULE;
  const set = loadRules([{ file: 'r.yaml', text }]);
  expect(set.problems).toEqual([]);
  const alerts = evaluateRules(db, set.rules);
  return { all: alerts.length, enter: alerts.filter((a) => a.evt.dir === '>').length };
}

it('rules for engines before 0.55.0 see enter and exit events, later ones exit events only', () => {
  expect(count(null)).toEqual({ all: 8, enter: 4 });
  expect(count('0.54.0')).toEqual({ all: 8, enter: 4 });
  expect(count('0.55.0')).toEqual({ all: 4, enter: 0 });
  expect(count('0.57.0')).toEqual({ all: 4, enter: 0 });
});
