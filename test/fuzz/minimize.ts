// Shrinks a failing case into a regression input: the smallest file found that still breaks the
// same promise the same way (its rule, and its detail with the numbers masked).
//
// A mutation of the evidence is shrunk structurally, so the file around the mutation stays a real
// file of its format: whole records after the last byte the mutation touches are dropped, then runs
// of whole records before the first byte it changes (the mutation's offsets move with them). Every
// candidate is checked against its own baseline (the candidate before mutation), as the run checks
// a case against its corpus file. Bytes of a wrapper or of a stored file are shrunk by cutting
// their tail.

import { applySteps, describeSteps, firstChange, isPureCut, type MutationStep } from './mutators';
import { buildInput, type FuzzCase, type FuzzInput } from './fuzz-case';
import { layoutOf, recordCutAt, type Layout } from './layout';
import { CaseRunner, type CaseResult } from './run-case';
import { entryName, innerBytes, seedNamed } from './seeds';
import { wrap, wrappedName } from './wrappers';
import type { ProbeLimits } from './ingest-probe';
import { violationKind } from './promises';
import { MAX_REGRESSION_BYTES, writeRegression, type Regression } from './regression-file';

/** How many candidates a minimization may try (each is one or two ingests). */
const MAX_ATTEMPTS = 200;

const BASELINE_RULES = new Set(['prefix-kept', 'cut-exact', 'cut-reported', 'clean-prefix-accepted']);

/** The failures a result shows, known defects included: what minimizing must keep. */
function signatures(r: CaseResult): Set<string> {
  return new Set([...r.failures, ...r.known.map((k) => k.violation)].map(violationKind));
}

interface Candidate {
  inner: Buffer;
  steps: MutationStep[];
}

/** How far past its offset a step reaches into the bytes that were there. */
function reach(s: MutationStep): number {
  switch (s.kind) {
    case 'huge':
      return s.at + 4;
    case 'delete':
      return s.at + s.length;
    default:
      return s.at + 1;
  }
}

export async function minimize(
  c: FuzzCase,
  o: { work: string; limits: ProbeLimits; name: string; log: (line: string) => void },
): Promise<{ json: string; input: string | null } | null> {
  const runner = new CaseRunner(o.work, o.limits);
  const seed = seedNamed(c.seed);
  const entry = entryName(seed);
  const cli = true;
  const first = await runner.run(c, { cli });
  const target = signatures(first);
  if (target.size === 0) {
    o.log(`${c.id} breaks no promise now: nothing to minimize`);
    return null;
  }
  o.log(`${c.id}: minimizing while it still shows: ${[...target].join('; ')}`);
  const usesBaseline = [...first.failures, ...first.known.map((k) => k.violation)].some((v) => BASELINE_RULES.has(v.rule));
  let attempts = 0;
  const stillFails = (r: CaseResult) => [...signatures(r)].some((s) => target.has(s));

  let bytes: Buffer;
  let final: Candidate | null = null;
  let finalLayout: Layout | null = null;
  if (c.target === 'inner') {
    let best: Candidate = { inner: innerBytes(seed), steps: c.steps };
    const inputOf = (k: Candidate): FuzzInput => ({
      bytes: wrap(applySteps(k.inner, k.steps, (d) => innerBytes(seedNamed(d))), c.wrapper, entry),
      fileName: wrappedName(entry, c.wrapper),
    });
    const tryCandidate = async (k: Candidate): Promise<boolean> => {
      if (++attempts > MAX_ATTEMPTS) return false;
      const layout = layoutOf(seed.format, k.inner);
      let baseline = null;
      if (usesBaseline) {
        try {
          baseline = await runner.baselineOf(k.inner, layout, 'candidate');
        } catch {
          return false; // the candidate before mutation is not a clean file of its format
        }
      }
      return stillFails(await runner.runInput(c, inputOf(k), baseline, { cli }));
    };
    // 1. Drop the records after the last byte the mutation reaches (for a splice, everything after it).
    const layout0 = layoutOf(seed.format, best.inner);
    const last = Math.max(...best.steps.map((s) => (s.kind === 'splice' ? s.at : reach(s))));
    const after = layout0.records.filter((r) => r.offset >= last);
    let lo = 0;
    let hi = after.length; // keep the first `keep` records after it
    while (lo < hi && attempts < MAX_ATTEMPTS) {
      const keep = (lo + hi) >> 1;
      const end = keep === 0 ? (after[0]?.offset ?? best.inner.length) : after[keep - 1]!.end;
      const k = { inner: best.inner.subarray(0, end), steps: best.steps };
      if (await tryCandidate(k)) {
        hi = keep;
        best = k;
      } else lo = keep + 1;
    }
    // 2. Drop runs of whole records before the first changed byte, halving the run each round.
    for (let run = 1 << 12; run >= 1 && attempts < MAX_ATTEMPTS; run >>= 1) {
      let i = 1; // the first record stays: it is the file's own header in pcapng and scap
      for (;;) {
        const layout = layoutOf(seed.format, best.inner);
        const m = firstChange(best.steps);
        const before = layout.records.filter((r) => r.end <= m);
        if (i >= before.length || attempts >= MAX_ATTEMPTS) break;
        const from = before[i]!;
        const to = before[Math.min(before.length, i + run) - 1]!;
        const dropped = to.end - from.offset;
        const k: Candidate = {
          inner: Buffer.concat([best.inner.subarray(0, from.offset), best.inner.subarray(to.end)]),
          steps: best.steps.map((s) => ({ ...s, at: s.at - dropped })),
        };
        if (await tryCandidate(k)) best = k;
        else i += run;
      }
    }
    final = best;
    finalLayout = layoutOf(seed.format, best.inner);
    bytes = inputOf(best).bytes;
  } else {
    // A wrapper's or a stored file's bytes: the shortest prefix that still fails.
    const whole = buildInput(c);
    let lo = 1;
    let hi = whole.bytes.length;
    let best = whole.bytes;
    while (lo < hi && attempts < MAX_ATTEMPTS) {
      const n = (lo + hi) >> 1;
      attempts++;
      const r = await runner.runInput(c, { ...whole, bytes: whole.bytes.subarray(0, n) }, null, { cli });
      if (stillFails(r)) {
        hi = n;
        best = whole.bytes.subarray(0, n);
      } else lo = n + 1;
    }
    bytes = best;
  }
  o.log(`${attempts} candidates tried; ${bytes.length} bytes left (from ${buildInput(c).bytes.length})`);
  const known = first.known[0]?.defect.defect;
  const common = {
    format: seed.format,
    ...(first.cli ? { query: first.cli.query.args.slice(0, first.cli.query.args.indexOf('--json')) } : {}),
    ...(known !== undefined ? { knownDefect: known } : {}),
  };
  const how = `${c.seed}, ${c.wrapper}, ${c.target === 'inner' ? 'the evidence' : c.target === 'wrapper' ? "the wrapper's bytes" : 'the stored file'} mutated (${describeSteps(c.steps)})`;
  const about = `TODO: what this input found (${[...target].join('; ')})`;
  if (bytes.length > MAX_REGRESSION_BYTES) {
    // Too big to commit: keep the case, which the test makes again from the corpus.
    o.log(`${bytes.length} bytes is over the ${MAX_REGRESSION_BYTES} a committed input may take: writing the case instead`);
    return writeRegression(o.name, { about, found: `npm run fuzz, case ${c.id}: ${how}`, case: c, ...common, expect: {} }, null);
  }

  const expect: Regression['expect'] = {};
  if (final && finalLayout) {
    const m = firstChange(final.steps);
    const baseline = await runner.baselineOf(final.inner, finalLayout, 'minimized');
    if (baseline.storedEnds) {
      const before = [...baseline.storedEnds.values()].filter((end) => end <= m).length;
      if (isPureCut(final.steps) && seed.format !== 'hprof') expect.records = { exactly: before };
      else if (before > 0) expect.records = { atLeast: before };
    }
    const cutInside = isPureCut(final.steps) ? recordCutAt(finalLayout, m) : null;
    if (cutInside) {
      expect.failed = true;
      expect.errorOffset = [cutInside.offset, m];
    } else if (isPureCut(final.steps) && (seed.format === 'pcap' || seed.format === 'pcapng') && m >= (finalLayout.records[0]?.offset ?? 0)) {
      expect.failed = false; // cut at a record boundary: a shorter clean capture
    }
  }
  const fileName = buildInput(c).fileName;
  const suffix = fileName.startsWith(entry) ? fileName.slice(entry.length) : '';
  return writeRegression(o.name, { about, found: `npm run fuzz, case ${c.id}: ${how}; minimized to ${bytes.length} bytes`, input: `${o.name}.${seed.format}${suffix}`, ...common, expect }, bytes);
}
