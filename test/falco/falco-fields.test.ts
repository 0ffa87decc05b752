// Falco fields sysdig 0.29 does not have, so test/filter/sysdig-oracle.test.ts cannot check them:
// proc.pexe and proc.aexe[N], read over cat_write.scap where cat's parent is bash (/bin/bash),
// started from emacs (the process tree of Falco's own trace).

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

it("reads the parent's and the ancestors' argv[0]", () => {
  const set = loadRules([
    {
      file: 'r.yaml',
      text: `- rule: r\n  desc: d\n  condition: evt.type=open and evt.dir=< and proc.name=cat and proc.pexe=/bin/bash and proc.aexe=emacs\n  output: "%proc.pexe %proc.aexe[0] %proc.aexe[1] %proc.aexe[2] %proc.aname[2]"\n  priority: INFO\n`,
    },
  ]);
  expect(set.problems).toEqual([]);
  const alerts = evaluateRules(db, set.rules);
  expect(alerts.length).toBe(4);
  expect(alerts[0]!.outputFields).toEqual({ 'proc.pexe': '/bin/bash', 'proc.aexe[0]': 'cat', 'proc.aexe[1]': '/bin/bash', 'proc.aexe[2]': 'emacs', 'proc.aname[2]': 'emacs' });
});
