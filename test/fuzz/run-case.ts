// Runs one fuzz case end to end: make its bytes, write them to a scratch file, ingest them (and,
// when asked, run them through the command line), hold the result to the promises, and sort what
// broke into the defects known-defects.ts lists and the rest.

import fs from 'node:fs';
import path from 'node:path';
import { buildInput, type FuzzCase, type FuzzInput } from './fuzz-case';
import type { Layout } from './layout';
import { probeIngest, type IngestObservation, type ProbeLimits } from './ingest-probe';
import { checkCli, probeCli, type CliObservation } from './cli-probe';
import { knownDefectOf, type KnownDefect } from './known-defects';
import { checkAgainstBaseline, checkHeapAgreement, checkIngest, type Baseline, type Violation } from './promises';
import { innerBytes, seedLayout, seedNamed } from './seeds';

export interface CaseResult {
  case: FuzzCase;
  file: string;
  bytes: number;
  ingest: IngestObservation;
  cli: CliObservation | null;
  /** Broken promises that match a listed known defect. */
  known: { violation: Violation; defect: KnownDefect }[];
  /** Broken promises nobody has listed: the failures. */
  failures: Violation[];
}

/** Which of its format's query commands a case's CLI sample runs: fixed by the case's id. */
export function queryPick(id: string): number {
  let h = 0;
  for (const ch of id) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

export class CaseRunner {
  private readonly baselines = new Map<string, Promise<Baseline>>();
  private n = 0;

  constructor(
    private readonly workDir: string,
    private readonly limits: ProbeLimits,
  ) {
    fs.mkdirSync(workDir, { recursive: true });
  }

  /** The unmutated evidence, ingested once per run: which records it stores, where they end. */
  baseline(seedName: string): Promise<Baseline> {
    let b = this.baselines.get(seedName);
    if (!b) {
      const seed = seedNamed(seedName);
      b = this.baselineOf(innerBytes(seed), seedLayout(seed), seedName);
      this.baselines.set(seedName, b);
    }
    return b;
  }

  /** Runs a case drawn by the generator (its bytes made from the corpus, its baseline the seed's). */
  async run(c: FuzzCase, options: { cli: boolean }): Promise<CaseResult> {
    const baseline = c.target === 'inner' ? await this.baseline(c.seed) : null;
    return this.runInput(c, buildInput(c), baseline, options);
  }

  /**
   * Runs given bytes as the case `c` (the minimizer's smaller inputs): ingest, the command line when
   * asked, and every promise, the baseline's too when there is one.
   */
  async runInput(c: FuzzCase, input: FuzzInput, baseline: Baseline | null, options: { cli: boolean }): Promise<CaseResult> {
    const dir = path.join(this.workDir, `case-${++this.n}`);
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, input.fileName), input.bytes);
      // A real path: capscope resolves links, and its messages name the real file.
      const file = fs.realpathSync(path.join(dir, input.fileName));
      const ingest = await probeIngest(file, path.join(dir, 'ingest.sqlite'), this.limits);
      const violations = [...checkIngest(ingest, file), ...checkHeapAgreement(ingest)];
      if (baseline) violations.push(...checkAgainstBaseline(c, ingest, baseline));
      let cli: CliObservation | null = null;
      if (options.cli) {
        cli = await probeCli(file, path.join(dir, 'cli.sqlite'), seedNamed(c.seed).format, this.limits, queryPick(c.id));
        violations.push(...checkCli(cli, file));
      }
      const known: CaseResult['known'] = [];
      const failures: Violation[] = [];
      for (const violation of violations) {
        const defect = knownDefectOf(violation, { case: c, ingest, cli });
        if (defect) known.push({ violation, defect });
        else failures.push(violation);
      }
      return { case: c, file, bytes: input.bytes.length, ingest, cli, known, failures };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Ingests a clean evidence file and matches its stored records to its layout. */
  async baselineOf(bytes: Buffer, layout: Layout, label: string): Promise<Baseline> {
    const dir = fs.mkdtempSync(path.join(this.workDir, 'baseline-'));
    try {
      const file = path.join(dir, 'evidence');
      fs.writeFileSync(file, bytes);
      const obs = await probeIngest(file, path.join(dir, 'index.sqlite'), this.limits);
      if (obs.state !== 'done') throw new Error(`the unmutated ${label} does not index cleanly (${obs.state}: ${obs.error})`);
      const ends = obs.recordOffsets.map((offset) => [offset, layout.endAt.get(offset)] as const);
      const storedEnds = ends.every(([, end]) => end !== undefined) ? new Map(ends as [number, number][]) : null;
      return { layout, storedEnds };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
