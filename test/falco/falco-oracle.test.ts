// Falco's own regression suite as the oracle (../shared/corpus/falco/falco_tests.yaml): every case
// that names a capture in the corpus runs here, with the rules files it names, and must give what
// Falco gave: the same rules firing (`detect`), at the same priorities (`detect_level`), as many
// times (`detect_counts`), and the same rules files refused (`validate_rules_file` and the cases
// that exit 1 on a rules error). Cases this cannot run are listed with the reason and counted.

import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRules, selectRules, type RuleSelection } from '../../core/analysis/falco/evaluate';
import { parsePriority } from '../../core/analysis/falco/priority';
import { loadRules, type RuleSet } from '../../core/analysis/falco/rules-compile';
import { problemLine } from '../../core/analysis/falco/rules-problem';
import { installFilterFunctions } from '../../core/filter/language';
import { corpus } from '../helpers/paths';
import { indexCapture } from '../scap/oracle-helpers';

const SUITE = corpus('falco');

interface FalcoCase {
  trace_file?: string;
  rules_file?: string | string[];
  validate_rules_file?: string[];
  detect?: boolean;
  detect_level?: string | string[];
  detect_counts?: Record<string, number>[];
  exit_status?: number;
  stdout_is?: string;
  stdout_contains?: string | string[];
  stderr_contains?: string | string[];
  disabled_rules?: string[];
  disable_tags?: string[];
  run_tags?: string[];
  priority?: string;
  conf_file?: string;
  json_output?: boolean;
  time_iso_8601?: boolean;
  all_events?: boolean;
}

const suiteText = fs.readFileSync(path.join(SUITE, 'falco_tests.yaml'), 'utf8').replace('!mux', '');
const CASES = Object.entries((parse(suiteText) as { trace_files: Record<string, FalcoCase> }).trace_files);

/** trace_files/cat_write.scap is the corpus's falco-cat_write.scap; null when it is not there. */
function captureOf(c: FalcoCase): string | null {
  const name = path.basename(c.trace_file ?? '');
  const file = corpus('scap', `falco-${name}`);
  return fs.existsSync(file) ? file : null;
}

/** Why a case cannot run here, or null. */
function cannotRun(c: FalcoCase): string | null {
  if (!captureOf(c)) return `its capture ${c.trace_file} is not in the corpus`;
  if (!c.rules_file && !c.validate_rules_file) return "it runs Falco's built-in falco_rules.yaml, which is not in the corpus";
  // Its other configurations send the alerts to files or programs: the alerts themselves are compared.
  if (c.conf_file?.includes('drops')) return `it tests Falco's actions on dropped syscall events (${c.conf_file}), not rules`;
  if (c.run_tags && (c.disable_tags || c.disabled_rules)) return "it tests Falco's refusal of -t with -D/-T, a command line, not rules";
  return null;
}

function rulesFiles(names: readonly string[]): { file: string; text: string }[] {
  return names.flatMap((n) => {
    const p = path.join(SUITE, n);
    const files = fs.statSync(p).isDirectory() ? fs.readdirSync(p).sort().map((f) => path.join(p, f)) : [p];
    return files.map((f) => ({ file: path.relative(SUITE, f), text: fs.readFileSync(f, 'utf8') }));
  });
}

const asList = <T,>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** What Falco said when it refused: the message capscope's problems must say too (a regex). */
function refusalOf(c: FalcoCase): RegExp | null {
  if (c.exit_status !== 1) return null;
  if (c.stdout_is ?? c.stdout_contains) {
    const text = asList(c.stdout_is ?? c.stdout_contains).join('\n');
    const line = text.split('\n').find((l) => l.trim() && !/: Ok$/.test(l))!.replace(/^\.\*[\w.]+: /, '');
    // libyaml's and eemeli/yaml's words for a YAML syntax error differ: the code says it.
    if (line === 'mapping values are not allowed in this context') return /^not valid YAML: /;
    // Falco's own parser names the token it stopped at; capscope's message after the prefix differs.
    const compiling = /^(Compilation error when compiling "[^"]*"): \d+: syntax error/.exec(line);
    return new RegExp(escape(compiling ? compiling[1]! : line));
  }
  const stderr = asList(c.stderr_contains)[0];
  if (!stderr || /You can not specify both/.test(stderr)) return null;
  return new RegExp(stderr.replace(/^Runtime error: (Error loading rules:\.\* )?/, '').replace(/\. Exiting\.$/, ''));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const dbs = new Map<string, Database.Database>();
const notRun: { name: string; reason: string }[] = [];

beforeAll(async () => {
  for (const [, c] of CASES) {
    const file = cannotRun(c) === null ? captureOf(c) : null;
    if (!file || dbs.has(file)) continue;
    const { db, state, error } = await indexCapture(file);
    expect(state, error ?? '').toBe('done');
    installFilterFunctions(db);
    dbs.set(file, db);
  }
});

afterAll(() => {
  for (const db of dbs.values()) db.close();
  // The cases not run, said where a person reading the test output sees them.
  console.log(`Falco oracle: ${notRun.length} case(s) not run:\n${notRun.map((n) => `  ${n.name}: ${n.reason}`).join('\n')}`);
});

describe("Falco's regression suite", () => {
  for (const [name, c] of CASES) {
    const reason = cannotRun(c);
    if (reason) {
      notRun.push({ name, reason });
      continue;
    }
    const refusal = refusalOf(c);
    if (c.exit_status === 1 && !refusal) throw new Error(`case ${name}: exits 1 but the test cannot tell why`);
    if (refusal) {
      it(`${name}: refused, as Falco refuses it`, () => {
        const set = loadRules(rulesFiles(c.validate_rules_file ?? asList(c.rules_file)));
        expect(set.problems.map((p) => p.message), `${refusal}`).toContainEqual(expect.stringMatching(refusal));
      });
      continue;
    }
    it(`${name}: ${c.detect ? 'detects' : 'raises nothing'}`, () => {
      const set: RuleSet = loadRules(rulesFiles(asList(c.rules_file)));
      expect(set.problems.map(problemLine)).toEqual([]);
      const selection: RuleSelection = {
        disabledRules: c.disabled_rules,
        disableTags: c.disable_tags,
        runTags: c.run_tags,
        minPriority: c.priority ? parsePriority(c.priority)! : undefined,
      };
      const alerts = evaluateRules(dbs.get(captureOf(c)!)!, selectRules(set.rules, selection), { allEvents: c.all_events === true });
      if (!c.detect) expect(alerts.map((a) => a.output)).toEqual([]);
      else expect(alerts.length).toBeGreaterThan(0);
      for (const level of asList(c.detect_level)) expect(alerts.map((a) => a.priority)).toContain(parsePriority(level));
      for (const counts of c.detect_counts ?? []) {
        for (const [rule, n] of Object.entries(counts)) expect(alerts.filter((a) => a.rule === rule).length, rule).toBe(n);
      }
      // Falco's words on stdout about the alerts (not its json or time options, which are output settings).
      if (!c.json_output && !c.time_iso_8601) {
        for (const pattern of asList(c.stdout_contains)) {
          const skippedLines = set.skipped.map((s) => `Skipping rule "${s.rule}" that ${s.reason.replace(/ \(skip-if-unknown-filter\)$/, '')}`);
          expect([...alerts.map((a) => a.output), ...skippedLines]).toContainEqual(expect.stringMatching(new RegExp(pattern)));
        }
      }
    });
  }

  it('runs every case it can, and counts the rest', () => {
    // 95 cases: the ones not run are listed after the run (the afterAll above), each with its reason.
    expect(CASES.length).toBe(95);
    expect(notRun.map((n) => n.name).sort()).toEqual(
      [
        'builtin_rules_no_warnings',
        'detect_counts',
        'disabled_and_enabled_rules_1',
        'disabled_and_enabled_rules_2',
        'monitor_syscall_drops_none',
        'monitor_syscall_drops_ignore',
        'monitor_syscall_drops_log',
        'monitor_syscall_drops_alert',
        'monitor_syscall_drops_exit',
      ].sort(),
    );
  });
});
