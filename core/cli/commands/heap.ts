// capscope heap <file>: a Java heap dump's class histogram, biggest objects by retained size with
// their path from a GC root, leak suspects, duplicate strings and threads — read back from the
// case's index (the file is indexed first when needed, and an up-to-date index is reused).

import Database from 'better-sqlite3';
import path from 'node:path';
import type { CaseSummary, DiagnosticRow, SourceRow } from '../../api';
import type { HeapReport } from '../../analysis/heap/analyse';
import type { PathStep } from '../../analysis/heap/paths';
import { SIZE_MODELS, type SizeModelName } from '../../analysis/heap/sizes';
import { readHeapReport } from '../../formats/hprof/store';
import { createCore } from '../../app/create-core';
import { capabilitiesOf } from '../../registry/formats';
import { CaseIndex } from '../../index/case-index';
import { INDEX_SCHEMA } from '../../registry/schema';
import { STORED_TOP } from '../../formats/hprof/ingest';
import { formatCount } from '../../../common/format';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';
import { answerHeapQuestion, heapQuestion, type HeapQuestion } from './heap-questions';

const DEFAULT_TOP = 20;

export const heapCommand: Command = {
  synopsis:
    'heap <file> [--top N] [--size-model M] [--entry NAME] [--path|--refs|--instances|--merge-paths X|--by-class] [--db PATH] [--json]',
  summary: 'Java heap dump: histogram, biggest objects, leak suspects, duplicate strings, threads; or one object or class: path from a GC root, references, instances, merged paths',
  options: {
    json: { type: 'boolean' },
    top: { type: 'string' },
    'size-model': { type: 'string' },
    entry: { type: 'string' },
    db: { type: 'string' },
    reindex: { type: 'boolean' },
    path: { type: 'string' },
    refs: { type: 'string' },
    incoming: { type: 'boolean' },
    instances: { type: 'string' },
    'merge-paths': { type: 'string' },
    'by-class': { type: 'boolean' },
    offset: { type: 'string' },
  },
  positionals: [1, 1],
  run: (args, flags) =>
    heap(args[0]!, {
      json: flags.json === true,
      question: heapQuestion(flags),
      offset: parseOffset(flags.offset),
      top: parseTop(flags.top, heapQuestion(flags) !== null),
      model: parseModel(flags['size-model']),
      entry: flags.entry as string | undefined,
      db: flags.db as string | undefined,
      reindex: flags.reindex === true,
    }),
};

function parseTop(value: unknown, question: boolean): number {
  if (value === undefined) return DEFAULT_TOP;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n < 1) throw new UsageError(`--top takes a whole number of rows (1 to ${STORED_TOP}), got '${String(value)}'`);
  // A question's page comes from the graph, at most 500 rows like the API's; the report's lists hold STORED_TOP.
  return Math.min(n, question ? 500 : STORED_TOP);
}

function parseOffset(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`--offset takes a whole number of rows to skip, got '${String(value)}'`);
  return Number(value);
}

function parseModel(value: unknown): SizeModelName {
  if (value === undefined) return 'jvm';
  if (!(SIZE_MODELS as readonly unknown[]).includes(value)) throw new UsageError(`--size-model takes ${SIZE_MODELS.join(' or ')}, got '${String(value)}'`);
  return value as SizeModelName;
}

interface HeapOptions {
  json: boolean;
  /** One question about an object or a class, in place of the report. */
  question: HeapQuestion | null;
  offset: number;
  top: number;
  model: SizeModelName;
  entry?: string;
  db?: string;
  reindex: boolean;
}

class HeapInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError'; // an expected failure: reportFailure prints it as one line
  }
}

async function heap(file: string, options: HeapOptions): Promise<number> {
  const core = createCore({ transport: 'web', samplePath: null });
  try {
    let found = await indexedHeap(core, file, options, options.reindex);
    // An index written before heap dumps were analysed has the dump's source but no results:
    // index it again, once.
    if (!found.report && !options.reindex && found.source.status === 'indexed' && !found.diagnostics.some((d) => d.severity === 'error')) {
      found = await indexedHeap(core, file, options, true);
    }
    const { done, heaps, source, diagnostics, report } = found;
    const where = `${done.file}${source.entry && source.entry !== path.basename(done.file) ? ` › ${source.entry}` : ''}`;
    const problem = firstProblem(where, done, source, diagnostics, report);
    if (options.question && report) {
      const answer = await answerHeapQuestion(options.question, { core, caseId: done.caseId, sourceId: source.id, model: options.model, top: options.top, offset: options.offset });
      if (options.json) printJson({ file: done.file, entry: source.entry, ...answer.json, error: problem ? { message: problem.message, offset: problem.offset } : null });
      else process.stdout.write(`${where}\n${answer.text}\n`);
      if (problem) process.stderr.write(`capscope: ${problem.message}\n`);
      return problem ? EXIT_FAILED : EXIT_OK;
    }
    if (options.json) {
      printJson({
        file: done.file,
        entry: source.entry,
        otherEntries: heaps.filter((s) => s !== source).map((s) => s.entry),
        ...(report ? withoutAnalysisMs(report) : { summary: null, histogram: [], dominators: [], suspects: [], duplicateStrings: [], threads: [] }),
        diagnostics: diagnostics.map((d) => ({ offset: d.offset, code: d.code, severity: d.severity, message: d.message })),
        error: problem ? { message: problem.message, offset: problem.offset } : null,
      });
    } else if (report) {
      // Errors the reading went on past (a record skipped), as against the one that failed the source.
      const readPast = diagnostics.filter((d) => d.severity === 'error' && d.message !== source.error);
      process.stdout.write(renderText(where, report, readPast, options));
    }
    if (problem) process.stderr.write(`capscope: ${problem.message}\n`);
    return problem ? EXIT_FAILED : EXIT_OK;
  } catch (err) {
    return reportFailure(err, options.json, file);
  } finally {
    await core.close();
  }
}

/** Opens (indexing as needed) the case and reads the chosen heap dump's stored results. */
async function indexedHeap(core: ReturnType<typeof createCore>, file: string, options: HeapOptions, reindex: boolean) {
  const opened = await core.open(file, { dbPath: options.db ? path.resolve(options.db) : undefined, reindex });
  const done = await core.waitForIngest(opened.caseId);
  const heaps = done.sources.filter((s) => capabilitiesOf([s.format]).includes('heap'));
  const source = options.entry === undefined ? heaps[0] : heaps.find((s) => s.entry === options.entry);
  if (!source) {
    if (options.entry !== undefined) throw new HeapInputError(`${done.file}: no heap dump named '${options.entry}' (heap dumps: ${heaps.map((s) => s.entry).join(', ') || 'none'})`);
    // The ingest's error is the line `capscope index` prints, which names the file itself.
    throw new HeapInputError(done.progress.error ?? `${done.file}: holds no Java heap dump (HPROF)`);
  }
  const index = CaseIndex.open(done.dbPath, INDEX_SCHEMA);
  let diagnostics: DiagnosticRow[];
  try {
    diagnostics = index.listDiagnostics({ sourceId: source.id, limit: 1000, offset: 0 });
  } finally {
    index.close();
  }
  const db = new Database(done.dbPath, { readonly: true, fileMustExist: true });
  try {
    return { done, heaps, source, diagnostics, report: readHeapReport(db, source.id, { model: options.model, top: options.top }) };
  } finally {
    db.close();
  }
}

function withoutAnalysisMs(report: HeapReport & { analysisMs: number }): HeapReport {
  const { analysisMs: _ignored, ...rest } = report;
  void _ignored;
  return rest;
}

/**
 * The one line that says why the result is not the whole dump, if it is not. It is decided by what
 * `capscope index` decides its exit status by — the source's status and the ingest's state — and
 * is the same line: the source's error (a dump cut short, a header that cannot be read, no heap
 * dump record), which names the file and the byte offset. Faults the reading went on past (a
 * record skipped) are diagnostics, not a failure.
 */
function firstProblem(where: string, done: CaseSummary, source: SourceRow, diagnostics: DiagnosticRow[], report: HeapReport | null): { message: string; offset: number | null } | null {
  if (source.status !== 'indexed') {
    if (!source.error) return { message: `${where}: the heap dump was not read to its end (${source.status})`, offset: null };
    const recorded = diagnostics.find((d) => d.severity === 'error' && d.message === source.error);
    return { message: source.error, offset: recorded?.offset ?? null };
  }
  if (done.progress.state !== 'done') return { message: done.progress.error ?? `${done.file}: the ingest ended ${done.progress.state}`, offset: null };
  if (!report) return { message: `${where}: the heap dump could not be analysed`, offset: null };
  return null;
}

// ----- text output -----

function renderText(where: string, r: HeapReport, readPast: DiagnosticRow[], options: HeapOptions): string {
  const s = r.summary;
  const out: string[] = [];
  const n = formatCount;
  out.push(`${where}: ${s.format}, ${s.idSize}-byte identifiers, taken ${s.timestamp ?? 'at an unknown time (the header holds no date)'}`);
  out.push(`  ${n(s.objects)} objects, ${n(s.classes)} classes, ${n(s.shallowBytes)} bytes; ${n(s.gcRoots)} GC roots (${n(s.gcRootObjects)} objects)`);
  out.push(`  unreachable: ${n(s.unreachableObjects)} objects, ${n(s.unreachableShallowBytes)} bytes (${s.unreachablePolicy})`);
  out.push(`  sizes: ${s.sizeModel} model — ${s.sizeModelDescription}`);
  if (!s.complete) out.push('  the dump ends early: these results cover what came before the end');
  if (readPast.length > 0) {
    const first = readPast[0]!;
    const parts = readPast.length === 1 ? 'part of the dump could not be read and is' : `${n(readPast.length)} parts of the dump could not be read and are`;
    out.push(`  ${parts} left out (${first.offset === null ? '' : `offset ${first.offset}: `}${first.message}); --json lists every diagnostic`);
  }

  out.push('', `Class histogram (top ${options.top} by shallow size)`, `  ${'instances'.padStart(12)}  ${'shallow B'.padStart(14)}  ${'retained B'.padStart(14)}  class`);
  for (const h of r.histogram) out.push(`  ${n(h.instances).padStart(12)}  ${n(h.shallowBytes).padStart(14)}  ${n(h.retainedBytes).padStart(14)}  ${h.class}`);

  out.push('', 'Biggest objects by retained size', `  ${'retained B'.padStart(14)}  ${'shallow B'.padStart(10)}  object`);
  for (const d of r.dominators) {
    out.push(`  ${n(d.retainedBytes).padStart(14)}  ${n(d.shallowBytes).padStart(10)}  ${d.classOf ? `class ${d.classOf}` : d.class} ${d.objectId}${d.gcRoot ? ' (GC root)' : ''}`);
    if (!d.gcRoot && d.pathFromRoot.length > 0) out.push(`  ${''.padStart(26)}  from root: ${renderPath(d.pathFromRoot)}`);
  }

  out.push('', 'Leak suspects (retaining more than 10 % of the heap)');
  if (r.suspects.length === 0) out.push('  none');
  for (const x of r.suspects) {
    out.push(`  ${x.title}: ${n(x.holder?.retainedBytes ?? x.retainedBytes)} bytes`);
    if (x.holder) out.push(`    under ${x.objectId === x.holder.objectId ? 'itself' : `${x.class} ${x.objectId}`} (${n(x.retainedBytes)} bytes, ${x.percent} %)`);
    out.push(`    accumulates in ${x.accumulation.class} ${x.accumulation.objectId} (${n(x.accumulation.retainedBytes)} bytes)`);
    out.push(`    via ${x.accumulation.path.map((p) => `${p.classOf ? `class ${p.classOf}` : p.class}${p.staticField ? `.${p.staticField}` : ''}`).join(' → ')}`);
  }

  out.push('', `Duplicate strings (top ${options.top} by wasted bytes)`, `  ${'copies'.padStart(10)}  ${'wasted B'.padStart(12)}  value`);
  if (r.duplicateStrings.length === 0) out.push('  none');
  for (const d of r.duplicateStrings) out.push(`  ${n(d.count).padStart(10)}  ${n(d.wastedBytes).padStart(12)}  ${JSON.stringify(d.value)}`);

  out.push('', 'Threads');
  for (const t of r.threads) {
    const oom = !t.outOfMemoryError ? '' : t.outOfMemoryError.how === 'thrown' ? ' — threw the OutOfMemoryError' : ` — holds the OutOfMemoryError ${t.outOfMemoryError.objectId}`;
    out.push(`  "${t.name ?? '(unnamed)'}" ${t.objectId}: retains ${n(t.retainedBytes)} bytes, its frames hold ${n(t.localsRetainedBytes)} bytes${oom}`);
    for (const f of t.stack) {
      const held = f.locals.length ? `  — holds ${f.locals.map((l) => `${l.class} ${l.objectId} (${n(l.retainedBytes)} B)`).join(', ')}` : '';
      out.push(`      at ${f.frame}${held}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function renderPath(steps: PathStep[]): string {
  return steps.map((p) => ('elided' in p ? `… ${formatCount(p.elided)} more …` : `${p.class} ${p.objectId}`)).join(' → ');
}
