// The long fuzzing run behind `npm run fuzz` (scripts/fuzz.mjs bundles this file and calls main):
// draws cases from a seed until the time is up, prints progress, and saves every failing input
// with what it takes to reproduce it. Also replays a saved case and minimizes one into a
// regression input (docs/fuzzing.md says how they are used).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { drawCase, type DrawOptions, type FuzzCase } from './fuzz-case';
import { DEFAULT_LIMITS, type ProbeLimits } from './ingest-probe';
import { describeSteps, type MutationKind } from './mutators';
import { randomSeed } from './prng';
import { CaseRunner } from './run-case';
import { FAILURES_DIR, saveFailure } from './failure-file';
import { seedNamed } from './seeds';
import { minimize } from './minimize';
import { WRAPPERS, type Wrapper } from './wrappers';
import type { FuzzFormat } from './layout';
import { violationKind } from './promises';

const USAGE = `usage: npm run fuzz -- [--minutes N | --count N] [--seed S] [--format scap|pcap|pcapng|hprof|pprof]
                      [--wrapper ${WRAPPERS.join('|')}] [--mutator flip,set,huge,cut,splice,insert,delete]
                      [--cli-every K] [--quick] [--out DIR] [--timeout-ms MS] [--memory-mb MB]
       npm run fuzz -- --replay fuzz-failures/<case>/case.json [--cli]
       npm run fuzz -- --minimize fuzz-failures/<case>/case.json [--name NAME]`;

/** At most this many inputs are saved per kind of failure (the rest are counted). */
const SAVED_PER_SIGNATURE = 3;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      count: { type: 'string' },
      seed: { type: 'string' },
      format: { type: 'string' },
      wrapper: { type: 'string' },
      mutator: { type: 'string' },
      'cli-every': { type: 'string' },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'memory-mb': { type: 'string' },
      replay: { type: 'string' },
      minimize: { type: 'string' },
      name: { type: 'string' },
      cli: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const limits: ProbeLimits = {
    timeoutMs: values['timeout-ms'] ? Number(values['timeout-ms']) : DEFAULT_LIMITS.timeoutMs,
    memoryMb: values['memory-mb'] ? Number(values['memory-mb']) : DEFAULT_LIMITS.memoryMb,
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'capscope-fuzz-'));
  try {
    if (values.replay) return await replay(values.replay, values.cli === true, work, limits);
    if (values.minimize) return await minimizeSaved(values.minimize, values.name, work, limits);
    const options: DrawOptions = {
      quick: values.quick === true,
      format: values.format as FuzzFormat | undefined,
      wrapper: values.wrapper as Wrapper | undefined,
      kinds: values.mutator ? (values.mutator.split(',') as MutationKind[]) : undefined,
    };
    if (options.format && !['scap', 'pcap', 'pcapng', 'hprof', 'pprof'].includes(options.format)) throw new Error(`--format takes scap, pcap, pcapng, hprof or pprof\n${USAGE}`);
    if (options.wrapper && !(WRAPPERS as readonly string[]).includes(options.wrapper)) throw new Error(`--wrapper takes ${WRAPPERS.join(', ')}\n${USAGE}`);
    const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : randomSeed();
    const minutes = values.minutes !== undefined ? Number(values.minutes) : values.count !== undefined ? Infinity : 10;
    const count = values.count !== undefined ? Number(values.count) : Infinity;
    const cliEvery = values['cli-every'] !== undefined ? Number(values['cli-every']) : 10;
    const out = path.resolve(values.out ?? FAILURES_DIR);
    return await run({ seed, minutes, count, cliEvery, out, options, limits, work });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface RunOptions {
  seed: number;
  minutes: number;
  count: number;
  cliEvery: number;
  out: string;
  options: DrawOptions;
  limits: ProbeLimits;
  work: string;
}

async function run(o: RunOptions): Promise<number> {
  const runner = new CaseRunner(o.work, o.limits);
  const deadline = Date.now() + o.minutes * 60_000;
  const started = Date.now();
  const seen = new Map<string, number>();
  const knownSeen = new Map<number, number>();
  const timeByFormat = new Map<string, { n: number; ms: number }>();
  let tried = 0;
  let failed = 0;
  let lastProgress = Date.now();
  console.log(`capscope fuzz: seed ${o.seed}, ${Number.isFinite(o.minutes) ? `${o.minutes} min` : `${o.count} inputs`}; failures go to ${path.relative(process.cwd(), o.out) || '.'}/`);
  for (let i = 0; i < o.count && Date.now() < deadline; i++) {
    const c = drawCase(o.seed, i, o.options);
    const result = await runner.run(c, { cli: o.cliEvery > 0 && i % o.cliEvery === 0 });
    tried++;
    const t = timeByFormat.get(seedNamed(c.seed).format) ?? { n: 0, ms: 0 };
    timeByFormat.set(seedNamed(c.seed).format, { n: t.n + 1, ms: t.ms + result.ingest.ms });
    for (const k of result.known) knownSeen.set(k.defect.defect, (knownSeen.get(k.defect.defect) ?? 0) + 1);
    if (result.failures.length > 0) {
      failed++;
      const fresh = result.failures.filter((v) => {
        const s = violationKind(v).slice(0, 200);
        seen.set(s, (seen.get(s) ?? 0) + 1);
        return seen.get(s)! <= SAVED_PER_SIGNATURE;
      });
      if (fresh.length > 0) {
        const dir = saveFailure(o.out, result);
        console.log(`  FAIL ${c.id} ${c.seed} (${c.wrapper}, ${c.target}: ${describeSteps(c.steps)})\n       ${fresh.map((v) => `${v.rule}: ${v.detail}`).join('\n       ')}\n       saved in ${path.relative(process.cwd(), dir)}`);
      }
    }
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now();
      console.log(`  ${tried} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s, ${failed} failing, ${seen.size} kinds of failure${knownSeen.size ? `; listed defects seen: ${[...knownSeen].map(([d, n]) => `#${d} ×${n}`).join(', ')}` : ''}`);
    }
  }
  console.log(`capscope fuzz: ${tried} inputs in ${((Date.now() - started) / 1000).toFixed(0)} s (seed ${o.seed}), ${failed} failing, ${seen.size} kinds of failure`);
  console.log(`  mean ingest time: ${[...timeByFormat].map(([f, t]) => `${f} ${Math.round(t.ms / t.n)} ms (${t.n})`).join(', ')}`);
  for (const [s, n] of [...seen].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)} × ${s}`);
  if (knownSeen.size) console.log(`  defects listed in test/fuzz/known-defects.ts, tolerated: ${[...knownSeen].map(([d, n]) => `#${d} ×${n}`).join(', ')}`);
  return failed > 0 ? 1 : 0;
}

async function replay(casePath: string, cli: boolean, work: string, limits: ProbeLimits): Promise<number> {
  const c = JSON.parse(fs.readFileSync(casePath, 'utf8')) as FuzzCase;
  const r = await new CaseRunner(work, limits).run(c, { cli });
  console.log(`${c.id} ${c.seed} (${c.wrapper}, ${c.target}: ${describeSteps(c.steps)})`);
  console.log(`  ingest: ${r.ingest.state} in ${Math.round(r.ingest.ms)} ms, ${r.ingest.records} records, sources: ${r.ingest.sources.map((s) => `${s.entry} ${s.format} ${s.status}`).join('; ') || 'none'}`);
  if (r.ingest.error) console.log(`  error: ${r.ingest.error}`);
  if (r.cli) for (const run of [r.cli.index, r.cli.query]) console.log(`  capscope ${run.args[0]}: exit ${run.status}${run.stderr ? `, stderr: ${run.stderr.trim()}` : ''}`);
  for (const k of r.known) console.log(`  known defect #${k.defect.defect}: ${k.violation.rule}: ${k.violation.detail}`);
  for (const v of r.failures) console.log(`  FAIL ${v.rule}: ${v.detail}`);
  if (r.failures.length === 0) console.log('  no failure');
  return r.failures.length > 0 ? 1 : 0;
}

async function minimizeSaved(casePath: string, name: string | undefined, work: string, limits: ProbeLimits): Promise<number> {
  const c = JSON.parse(fs.readFileSync(casePath, 'utf8')) as FuzzCase;
  const written = await minimize(c, { work, limits, name: name ?? `case-${c.id.replace(':', '-')}`, log: (line) => console.log(line) });
  if (!written) return 1;
  console.log(`wrote ${[written.json, written.input].filter((p) => p !== null).map((p) => path.relative(process.cwd(), p)).join(' and ')}; fill in its "about" and run npx vitest run test/fuzz/regressions.test.ts`);
  return 0;
}
