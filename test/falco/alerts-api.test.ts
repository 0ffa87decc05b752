// alerts.list: the default rules' alerts grouped by rule, or the rules files the person opened,
// run now over the case; faults and skipped rules said beside them.

import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFilterFunctions } from '../../core/filter/language';
import { exploreApiOver } from '../helpers/explore-api';
import { corpus } from '../helpers/paths';
import { indexCapture } from '../scap/oracle-helpers';

let db: Database.Database;
beforeAll(async () => {
  db = (await indexCapture(corpus('scap', 'falco-cat_write.scap'))).db;
  installFilterFunctions(db);
});
afterAll(() => db.close());

const api = () => exploreApiOver(new Map([['c', db]]));
const rules = (name: string) => ({ name, text: fs.readFileSync(corpus('falco', 'rules', name), 'utf8') });

describe('alerts.list', () => {
  it("gives the stored default rules' alerts (none here) and the rule not run", async () => {
    const r = await api()['alerts.list']({ caseId: 'c' });
    expect(r).toEqual({ groups: [], total: 0, skipped: [{ rule: 'Launch sensitive mount container', reason: 'field container.mount.dest not supported' }], faults: [] });
  });

  it('runs the rules files given, grouped by rule, most severe first, the first few of each', async () => {
    const r = await api()['alerts.list']({ caseId: 'c', rules: [rules('single_rule.yaml'), rules('double_rule.yaml')], perRule: 2 });
    expect(r.faults).toEqual([]);
    expect(r.groups.map((g) => [g.rule, g.priority, g.count, g.alerts.length])).toEqual([
      ['exec_from_cat', 'Error', 1, 1],
      ['open_from_cat', 'Warning', 8, 2],
    ]);
    expect(r.total).toBe(9);
    expect(r.groups[1]!.alerts[0]).toMatchObject({ output: expect.stringMatching(/Warning An open was seen \(command=cat \/dev\/null\)$/), pid: expect.any(Number) });
  });

  it("links an alert to the stream of the fd it names at its time, not a later fd of the same number", async () => {
    const r = await api()['alerts.list']({ caseId: 'c', rules: [rules('single_rule.yaml')] });
    const opens = r.groups.find((g) => g.rule === 'open_from_cat')!.alerts;
    // cat opens ld.so.cache, libc, locale-archive and /dev/null, each as fd 3: only libc is read.
    expect(opens.filter((a) => a.streamId !== null).map((a) => a.evtNum)).toEqual([151]);
  });

  it('says the faults of a bad file and runs the rest', async () => {
    const r = await api()['alerts.list']({ caseId: 'c', rules: [{ name: 'bad.yaml', text: '- rule: x\n  desc: d\n  condition: evt.type=open and\n  output: o\n  priority: INFO\n' }, rules('single_rule.yaml')] });
    expect(r.faults).toEqual([expect.objectContaining({ file: 'bad.yaml', line: 3, item: "rule 'x'", message: expect.stringContaining('expected a condition') })]);
    expect(r.groups.map((g) => g.rule)).toEqual(['open_from_cat']);
  });
});
