// capscope profile <file>: the Go profiles (pprof) in a file or bundle, each as `pprof -top` shows
// it — flat and cum per function for one sample type — with exact values in the sample type's own
// unit; with --diff-base, each profile minus the base file's profile of the same kind.

import type Database from 'better-sqlite3';
import type { CaseSummary } from '../../api';
import type { ProfileInfo, TopRow } from '../../domain/profile/contract';
import { profileFindings } from '../../domain/profile/profile-findings';
import { functionRows, profileDiagnostics, profileList, sortTop } from '../../domain/profile/profile-queries';
import { formatCount } from '../../../common/format';
import { ingestProblems, stopQuietlyOnClosedPipe, withIndexedCase } from './open-case';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';

const DEFAULT_TOP = 20;

export const profileCommand: Command = {
  synopsis: 'profile <file> [--sample-type T] [--top N] [--diff-base FILE] [--db PATH] [--json]',
  summary: 'Go profiles (pprof, goroutine dumps, /debug/pprof/all bundles): flat and cum per function',
  options: { json: { type: 'boolean' }, 'sample-type': { type: 'string' }, top: { type: 'string' }, 'diff-base': { type: 'string' }, db: { type: 'string' } },
  positionals: [1, 1],
  run: (args, flags) =>
    profile(args[0]!, {
      json: flags.json === true,
      sampleType: flags['sample-type'] as string | undefined,
      top: parseTop(flags.top),
      diffBase: flags['diff-base'] as string | undefined,
      db: flags.db as string | undefined,
    }),
};

function parseTop(value: unknown): number {
  if (value === undefined) return DEFAULT_TOP;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--top takes a whole number of functions (1 or more), got '${String(value)}'`);
  return Number(value);
}

interface ProfileOptions {
  json: boolean;
  sampleType?: string;
  top: number;
  diffBase?: string;
  db?: string;
}

interface ProfileOutput {
  entry: string;
  kind: string;
  sampleType: string;
  unit: string;
  total: number;
  top: TopRow[];
  diagnostics: ReturnType<typeof profileDiagnostics>;
}

class ProfileInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError'; // an expected failure: reportFailure prints it as one line
  }
}

async function profile(file: string, options: ProfileOptions): Promise<number> {
  try {
    return await withIndexedCase(file, options.db, async ({ summary, db }) => {
      const problems = ingestProblems(summary);
      const profiles = readable(summary, db);
      if (profiles.length === 0) throw new ProfileInputError(problems[0] ?? `${summary.file}: holds no Go profile (pprof, debug=1 text or a goroutine dump)`);
      const chosen = options.sampleType === undefined ? profiles : profiles.filter((p) => p.sampleTypes.some((t) => t.type === options.sampleType));
      if (chosen.length === 0) {
        const types = [...new Set(profiles.flatMap((p) => p.sampleTypes.map((t) => t.type)))].join(', ');
        throw new UsageError(`--sample-type: no profile in ${summary.file} has a sample type '${options.sampleType}' (they have ${types})`);
      }
      const out = options.diffBase === undefined ? chosen.map((p) => topOf(db, p, options)) : await withBase(options.diffBase, chosen, db, options);
      const findings = profileFindings(db);
      stopQuietlyOnClosedPipe();
      if (options.json) printJson({ file: summary.file, profiles: out, findings, error: problems[0] ? { message: problems[0] } : null });
      else process.stdout.write(renderText(summary.file, out, options) + renderFindings(findings));
      for (const p of problems) process.stderr.write(`capscope: ${p}\n`);
      return problems.length ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportFailure(err, options.json, file);
  }
}

/** The case's profiles that hold samples (an execution trace is named in the index, not read). */
function readable(summary: CaseSummary, db: Database.Database): ProfileInfo[] {
  void summary;
  return profileList(db).filter((p) => p.form !== 'trace' && p.sampleTypes.length > 0);
}

function topOf(db: Database.Database, p: ProfileInfo, options: ProfileOptions, base?: { db: Database.Database; profile: ProfileInfo }): ProfileOutput {
  const { rows, total, type, unit } = functionRows(db, p.sourceId, options.sampleType, base?.db, base?.profile.sourceId);
  return { entry: p.entry, kind: p.kind, sampleType: type, unit, total, top: sortTop(rows).slice(0, options.top), diagnostics: profileDiagnostics(db, p.sourceId) };
}

/** Each profile minus the base file's profile of its kind (the same entry name first, as in two bundles). */
async function withBase(baseFile: string, chosen: ProfileInfo[], db: Database.Database, options: ProfileOptions): Promise<ProfileOutput[]> {
  return withIndexedCase(baseFile, undefined, ({ summary, db: baseDb }) => {
    const problems = ingestProblems(summary);
    const bases = readable(summary, baseDb);
    return chosen.map((p) => {
      const base = bases.find((b) => b.kind === p.kind && b.entry === p.entry) ?? bases.find((b) => b.kind === p.kind);
      if (!base) throw new ProfileInputError(problems[0] ?? `${summary.file}: holds no ${p.kind} profile to compare ${p.entry} with (it holds: ${bases.map((b) => `${b.entry} (${b.kind})`).join(', ') || 'none'})`);
      return topOf(db, p, options, { db: baseDb, profile: base });
    });
  });
}

function renderFindings(findings: ReturnType<typeof profileFindings>): string {
  if (findings.length === 0) return '';
  const out = ['', 'Findings'];
  for (const f of findings) {
    out.push(`  [${f.severity}] ${f.title}`, `    ${f.explanation}`);
    if (f.evidence.frames.length > 0) out.push(`    stack: ${f.evidence.frames.join(' → ')}`);
  }
  return `${out.join('\n')}\n`;
}

function renderText(file: string, profiles: ProfileOutput[], options: ProfileOptions): string {
  const out: string[] = [];
  for (const p of profiles) {
    const pct = (v: number) => (p.total === 0 ? '' : `${((100 * v) / p.total).toFixed(2)}%`);
    out.push(`${file} › ${p.entry}: ${p.kind} profile, ${p.sampleType} (${p.unit})${options.diffBase ? `, minus ${options.diffBase}` : ''}, total ${formatCount(p.total)}`);
    out.push(`  ${'flat'.padStart(16)} ${'flat%'.padStart(8)} ${'cum'.padStart(16)} ${'cum%'.padStart(8)}  function`);
    for (const r of p.top) out.push(`  ${formatCount(r.flat).padStart(16)} ${pct(r.flat).padStart(8)} ${formatCount(r.cum).padStart(16)} ${pct(r.cum).padStart(8)}  ${r.function}`);
    const warnings = p.diagnostics.filter((d) => d.severity !== 'info');
    if (warnings.length > 0) out.push(`  ${warnings.length} ${warnings.length === 1 ? 'problem' : 'problems'} reading it (first: ${warnings[0]!.message}); --json lists them`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
