// `capscope alerts`: the default rules' alerts the ingest stored, or the rules files given with
// --rules (repeatable, loaded in order, replacing the default set), each alert shaped like Falco's
// json_output; a bad rules file is said in one line naming the file, line, column and rule, and
// the other rules still run.

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

let dir: string;
beforeAll(() => {
  dir = scratchDir('alerts-cli');
});

const rules = (name: string) => corpus('falco', 'rules', name);
const run = (file: string, ...args: string[]) => capscope(['alerts', '--db', path.join(dir, `${path.basename(file)}.sqlite`), file, ...args]);

interface AlertsJson {
  alerts: { time: string; rule: string; priority: string; output: string; output_fields: Record<string, string | null>; tags: string[]; evt: { num: number; type: string } }[];
  skipped: { rule: string; reason: string }[];
  rules_errors: { file: string; line: number; column: number; item: string | null; message: string }[];
}

describe('capscope alerts', () => {
  it("prints the default rules' alerts, Falco's way, and the rule it could not run", () => {
    const r = run(corpus('scap', 'falco-privileged.scap'), '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = onlyJson(r) as AlertsJson;
    expect(out.alerts).toEqual([
      expect.objectContaining({
        time: '2019-07-08T21:35:33.350505660Z',
        rule: 'Launch privileged container',
        priority: 'Warning',
        output: '21:35:33.350505660: Warning Privileged container started (container_id=9dbcbd0c435f container_name=epic_cray image=nginx:latest)',
        output_fields: { 'container.id': '9dbcbd0c435f', 'container.name': 'epic_cray', 'container.image': 'nginx:latest' },
        tags: expect.arrayContaining(['container', 'T1610']),
        evt: expect.objectContaining({ num: 1405, type: 'container' }),
      }),
    ]);
    expect(out.skipped).toEqual([{ rule: 'Launch sensitive mount container', reason: 'field container.mount.dest not supported' }]);
    const text = run(corpus('scap', 'falco-privileged.scap'));
    // Which rules did not run is part of the answer: on stdout, after the count; stderr holds faults only.
    expect(text.stdout).toBe(`${out.alerts[0]!.output}\n1 alert\nrule Launch sensitive mount container skipped: field container.mount.dest not supported\n`);
    expect(text.stderr).toBe('');
  });

  it('runs the rules files given, in order, instead of the default set', () => {
    const out = onlyJson(run(corpus('scap', 'falco-cat_write.scap'), '--json', '--rules', rules('single_rule.yaml'), '--rules', rules('double_rule.yaml'))) as AlertsJson;
    const count = (rule: string) => out.alerts.filter((a) => a.rule === rule).length;
    // double_rule.yaml redefines open_from_cat and is_cat after single_rule.yaml, and adds exec_from_cat.
    expect({ open: count('open_from_cat'), exec: count('exec_from_cat') }).toEqual({ open: 8, exec: 1 });
    expect(out.alerts.some((a) => a.rule === 'Launch privileged container' || a.rule.startsWith('Terminal shell'))).toBe(false);
    // The order matters as in Falco: an event raises the first rule it matches, in load order.
    const counts = (...files: string[]) => {
      const o = onlyJson(run(corpus('scap', 'falco-cat_write.scap'), '--json', ...files.flatMap((f) => ['--rules', rules(f)]))) as AlertsJson;
      expect(o.rules_errors).toEqual([]);
      return Object.fromEntries(['open_from_cat', 'my_rule'].map((r) => [r, o.alerts.filter((a) => a.rule === r).length]));
    };
    expect(counts('single_rule.yaml', 'rule_append.yaml')).toEqual({ open_from_cat: 8, my_rule: 0 });
    expect(counts('rule_append.yaml', 'single_rule.yaml')).toEqual({ open_from_cat: 7, my_rule: 1 });
  });

  it('says a bad rule in one line naming file, line, column and rule, and runs the others', () => {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(
      bad,
      '- rule: broken\n  desc: d\n  condition: evt.type=open and nosuch_macro\n  output: o\n  priority: INFO\n- rule: opens\n  desc: d\n  condition: evt.type=open and proc.name=cat\n  output: "open (%proc.cmdline)"\n  priority: INFO\n',
    );
    const r = run(corpus('scap', 'falco-cat_write.scap'), '--rules', bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`capscope: ${bad}:3:32: rule 'broken': Compilation error when compiling "evt.type=open and nosuch_macro": Undefined macro 'nosuch_macro' used in filter.\n`);
    expect(r.stdout).toMatch(/Informational open \(cat \/dev\/null\)\n[\s\S]*8 alerts\n$/);
  });

  it('refuses a rules file that is not there before reading the capture', () => {
    const r = run(corpus('scap', 'falco-cat_write.scap'), '--rules', path.join(dir, 'missing.yaml'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`capscope: --rules ${path.join(dir, 'missing.yaml')}: no such file`);
  });
});
