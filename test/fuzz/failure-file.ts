// A failing input saved for people: the input itself, its case (case.json, which makes it again
// from the corpus), and FAILURE.txt saying what failed and the commands that reproduce it. Written by
// the long run and by the fixed-seed round in npm test alike, under fuzz-failures/ (gitignored).

import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/paths';
import { queryArgs } from './cli-probe';
import { buildInput } from './fuzz-case';
import { describeSteps } from './mutators';
import type { CaseResult } from './run-case';

export const FAILURES_DIR = path.join(REPO_ROOT, 'fuzz-failures');

/** Saves a failing input, its case, and a text file saying what failed and how to see it again. */
export function saveFailure(out: string, r: CaseResult): string {
  const dir = path.join(out, r.case.id.replace(':', '-'));
  fs.mkdirSync(dir, { recursive: true });
  const input = buildInput(r.case);
  const inputPath = path.join(dir, input.fileName);
  fs.writeFileSync(inputPath, input.bytes);
  fs.writeFileSync(path.join(dir, 'case.json'), `${JSON.stringify(r.case, null, 2)}\n`);
  const rel = (p: string) => path.relative(REPO_ROOT, p);
  const format = r.ingest.sources[0]?.format ?? null;
  const text = [
    `capscope fuzz failure ${r.case.id}`,
    `run seed:   ${r.case.id.split(':')[0]} (case ${r.case.id.split(':')[1]})`,
    `corpus:     ${r.case.seed}`,
    `wrapper:    ${r.case.wrapper}; mutated: ${r.case.target === 'inner' ? 'the evidence, before wrapping' : r.case.target === 'wrapper' ? "the wrapper's bytes" : 'the corpus file as stored'}`,
    `mutation:   ${describeSteps(r.case.steps)}`,
    `input:      ${input.fileName} (${input.bytes.length} bytes)`,
    `ingest:     ${r.ingest.state} in ${Math.round(r.ingest.ms)} ms${r.ingest.error ? `: ${r.ingest.error.split('\n')[0]}` : ''}`,
    '',
    'failed:',
    ...r.failures.map((v) => `  ${v.rule}: ${v.detail}`),
    ...(r.known.length ? ['defects listed in known-defects.ts it also shows:', ...r.known.map((k) => `  #${k.defect.defect} ${k.violation.rule}: ${k.violation.detail}`)] : []),
    '',
    'reproduce:',
    `  npm run fuzz -- --replay ${rel(path.join(dir, 'case.json'))} --cli`,
    `  node bin/capscope.js index --json --db /tmp/fuzz-repro.sqlite --reindex ${rel(inputPath)}`,
    `  node bin/capscope.js ${(r.cli ? r.cli.query.args.slice(0, r.cli.query.args.indexOf('--json')) : queryArgs(format)).join(' ')} --json --db /tmp/fuzz-repro.sqlite ${rel(inputPath)}`,
    'make it a regression test (docs/fuzzing.md):',
    `  npm run fuzz -- --minimize ${rel(path.join(dir, 'case.json'))} --name <what-it-is>`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'FAILURE.txt'), text);
  return dir;
}
