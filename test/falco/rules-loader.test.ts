// The rules loader on the faults the issue lists: each a clear error naming the file, the rule and
// the line and column, while the file's other rules still load.

import { describe, expect, it } from 'vitest';
import { loadRules } from '../../core/analysis/falco/rules-compile';
import { problemLine } from '../../core/analysis/falco/rules-problem';

const GOOD = `
- rule: fine
  desc: d
  condition: evt.type=open
  output: open of %fd.name
  priority: WARNING
`;

function load(text: string) {
  return loadRules([{ file: 'my.yaml', text }]);
}

describe('a bad rule among good ones', () => {
  it.each([
    [
      'a syntax error in a condition',
      `- rule: broken\n  desc: d\n  condition: evt.type=open and and proc.name=cat\n  output: o\n  priority: INFO\n`,
      /^my\.yaml:3:32: rule 'broken': Compilation error when compiling .*expected a condition, found 'and' at column 19/,
    ],
    ['an unknown macro', `- rule: broken\n  desc: d\n  condition: evt.type=open and no_such_macro\n  output: o\n  priority: INFO\n`, /^my\.yaml:3:32: rule 'broken': .*Undefined macro 'no_such_macro' used in filter/],
    [
      'a cyclic macro',
      `- macro: a\n  condition: b\n- macro: b\n  condition: a\n- rule: broken\n  desc: d\n  condition: a\n  output: o\n  priority: INFO\n`,
      [/^my\.yaml:2:14: macro 'a': .*refers to itself \(a → b → a\)/, /^my\.yaml:7:14: rule 'broken': .*macro 'a' cannot be used/],
    ],
    ['a field no Falco has', `- rule: broken\n  desc: d\n  condition: proc.nobody=cat\n  output: o\n  priority: INFO\n`, /^my\.yaml:3:14: rule 'broken': Rule "broken" contains unknown filter proc.nobody/],
    ['an output token no Falco has', `- rule: broken\n  desc: d\n  condition: evt.type=open\n  output: "seen %not_a_field"\n  priority: INFO\n`, /^my\.yaml:4:11: rule 'broken': Invalid output format .*not_a_field/],
    ['a priority no Falco has', `- rule: broken\n  desc: d\n  condition: evt.type=open\n  output: o\n  priority: LOUD\n`, /^my\.yaml:5:13: rule 'broken': Invalid priority 'LOUD'/],
  ])('%s', (_what, bad, messages) => {
    const set = load(bad + GOOD);
    expect(set.problems.map(problemLine)).toEqual((Array.isArray(messages) ? messages : [messages]).map((m) => expect.stringMatching(m)));
    expect(set.rules.map((r) => r.name)).toEqual(['fine']);
  });

  it('YAML that is not a rules file is refused whole, naming the place', () => {
    expect(load('this: is\nnot: rules\n').problems.map(problemLine)).toEqual([expect.stringMatching(/^my\.yaml:1:1: Rules content is not yaml array of objects/)]);
    expect(load('just a line\n').problems.map(problemLine)).toEqual([expect.stringMatching(/^my\.yaml:1:1: Rules content is not yaml/)]);
  });

  it('skips, by name and reason, a rule needing a field capscope lacks', () => {
    const set = load(`${GOOD}- rule: k8s\n  desc: d\n  condition: k8s.deployment.name=web\n  output: o\n  priority: INFO\n`);
    expect(set.problems).toEqual([]);
    expect(set.skipped).toEqual([{ rule: 'k8s', reason: 'field k8s.deployment.name not supported' }]);
  });
});

describe('definitions', () => {
  it('expand lists, nested and late-bound, and macros', () => {
    const set = load(`- list: a\n  items: [cat]\n- list: b\n  items: [a, '"ls x"']\n- macro: m\n  condition: proc.name in (b)\n- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n- list: a\n  items: [dog]\n`);
    expect(set.problems).toEqual([]);
    expect(set.rules[0]!.tree).toMatchObject({ kind: 'list', values: [{ text: 'dog' }, { text: 'ls x' }] });
  });
  it('append conditions as text, and add exceptions', () => {
    const set = load(
      `${GOOD}- rule: fine\n  append: true\n  condition: or evt.type=close\n- rule: fine\n  override: {exceptions: append}\n  exceptions:\n    - name: cats\n      fields: [proc.name, fd.name]\n      values: [[cat, /dev/null]]\n`,
    );
    expect(set.problems).toEqual([]);
    expect(set.rules[0]!.tree).toMatchObject({
      kind: 'and',
      children: [{ kind: 'or' }, { kind: 'not', child: { kind: 'and', children: [{ field: 'proc.name' }, { field: 'fd.name' }] } }],
    });
  });
});
