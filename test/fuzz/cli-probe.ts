// Runs an input through the real command line, as a user or a script does: `capscope index --json`
// and then the query command of its format (`events`, `streams`, `heap`) on the same index, each
// under a wall-clock timeout and with its resident memory watched (Linux: /proc/<pid>/status).
// Checks the command-line contract of docs/cli.md: the exit status, one JSON document on stdout,
// one line on stderr naming the file and an offset, no stack trace, and both commands agreeing.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CAPSCOPE_BIN } from '../helpers/cli';
import { hasStackTrace, namedOffsets, type Violation } from './promises';
import type { ProbeLimits } from './ingest-probe';

export interface CommandRun {
  args: string[];
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssMb: number;
  /** The harness stopped it: too slow or too big. */
  stopped: 'timeout' | 'memory' | null;
}

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** `cacheDir`: where the command keeps its recent-files list (not the user's own cache). */
export function runCommand(args: string[], limits: ProbeLimits, cacheDir: string): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CAPSCOPE_BIN, ...args], { env: { ...process.env, CAPSCOPE_CACHE_DIR: cacheDir } });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let stopped: CommandRun['stopped'] = null;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const stop = (why: 'timeout' | 'memory') => {
      stopped ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), limits.timeoutMs);
    const watch = setInterval(() => {
      if (child.pid === undefined) return;
      peak = Math.max(peak, rssMb(child.pid));
      // The command's own baseline (Node, SQLite, the bundle) is about 100 MB.
      if (peak > limits.memoryMb + 150) stop('memory');
    }, 50);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      resolve({ args, status, signal, stdout, stderr, ms: performance.now() - started, peakRssMb: Math.round(peak), stopped });
    });
  });
}

/**
 * The query commands that read back what each format's ingest stored; a CLI sample takes them in
 * turn (`pick`), so each gets its share.
 */
const QUERIES: Record<string, string[][]> = {
  scap: [['events', '--limit', '3'], ['streams'], ['http'], ['alerts']],
  pcap: [['streams'], ['http'], ['findings']],
  pcapng: [['streams'], ['http'], ['findings']],
  hprof: [['heap', '--top', '3']],
  pprof: [['profile', '--top', '3']],
};

export function queryArgs(format: string | null, pick = 0): string[] {
  const choices = QUERIES[format ?? 'pcap'] ?? QUERIES.pcap!;
  return choices[pick % choices.length]!;
}

export interface CliObservation {
  /** `capscope info --json`: what the file holds, read without an index. */
  info: CommandRun;
  index: CommandRun;
  query: CommandRun;
  /** The format `index --json` named for the first entry (null when nothing was recognised). */
  format: string | null;
}

export async function probeCli(file: string, dbPath: string, fallbackFormat: string, limits: ProbeLimits, pick = 0, query?: string[]): Promise<CliObservation> {
  const cacheDir = path.join(path.dirname(dbPath), 'cache');
  const info = await runCommand(['info', '--json', file], limits, cacheDir);
  const index = await runCommand(['index', '--json', '--db', dbPath, file], limits, cacheDir);
  let format: string | null = null;
  try {
    format = (JSON.parse(index.stdout) as { sources?: { format: string }[] }).sources?.[0]?.format ?? null;
  } catch {
    // A broken document is reported by checkCli.
  }
  const queried = await runCommand([...(query ?? queryArgs(format ?? fallbackFormat, pick)), '--json', '--db', dbPath, file], limits, cacheDir);
  return { info, index, query: queried, format };
}

function clip(text: string, n = 300): string {
  const one = text.replace(/\n/g, '\\n');
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/**
 * The contract one command run keeps: exit status, stdout, stderr. `errors` is how many distinct
 * faults the ingest reported (each failed source's, and the walk's): one line on stderr each.
 */
function checkRun(run: CommandRun, file: string, errors: number): { violations: Violation[]; doc: Record<string, unknown> | null } {
  const v: Violation[] = [];
  const name = run.args[0];
  if (run.stopped === 'timeout') v.push({ rule: 'bounded-time', detail: `${name}: no exit after ${Math.round(run.ms)} ms` });
  if (run.stopped === 'memory') v.push({ rule: 'bounded-memory', detail: `${name}: resident memory reached ${run.peakRssMb} MB` });
  if (run.stopped) return { violations: v, doc: null };
  if (run.status !== 0 && run.status !== 1) v.push({ rule: 'exit-status', detail: `${name}: exit status ${run.status ?? `signal ${run.signal}`} (documented: 0 success, 1 bad input)` });
  if (hasStackTrace(run.stderr) || hasStackTrace(run.stdout)) v.push({ rule: 'no-stack-trace', detail: `${name}: ${clip(run.stderr || run.stdout)}` });
  let doc: Record<string, unknown> | null = null;
  const out = run.stdout.replace(/\n$/, '');
  if (out.includes('\n') || out === '') v.push({ rule: 'one-json-document', detail: `${name}: ${out === '' ? 'nothing' : `${out.split('\n').length} lines`} on stdout` });
  else {
    try {
      doc = JSON.parse(out) as Record<string, unknown>;
    } catch {
      v.push({ rule: 'one-json-document', detail: `${name}: stdout is not JSON: ${clip(out)}` });
    }
  }
  // `info` lists the archive members it skips on stderr, as messages beside its JSON (docs/cli.md).
  const lines = run.stderr.split('\n').filter((l) => l.length > 0 && !(name === 'info' && l.startsWith('capscope: skipped ')));
  if (run.status === 1 && lines.length === 0) v.push({ rule: 'stderr-one-line', detail: `${name}: exit 1 with nothing on stderr` });
  if (run.status === 0 && lines.length > 0) v.push({ rule: 'stderr-one-line', detail: `${name}: exit 0 with ${lines.length} lines on stderr: ${clip(run.stderr)}` });
  if (lines.length > Math.max(1, errors)) v.push({ rule: 'stderr-one-line', detail: `${name}: ${lines.length} lines on stderr for ${errors} faults: ${clip(run.stderr)}` });
  if (new Set(lines).size < lines.length) v.push({ rule: 'stderr-one-line', detail: `${name}: the same line twice on stderr: ${clip(run.stderr)}` });
  for (const line of run.status === 1 ? lines : []) {
    if (!line.includes(file)) v.push({ rule: 'error-names-file', detail: `${name}: ${clip(line)}` });
    else if (line.split(file).length > 2) v.push({ rule: 'file-named-once', detail: `${name}: ${clip(line)}` });
    if (namedOffsets(line).length === 0) v.push({ rule: 'error-names-offset', detail: `${name}: ${clip(line)}` });
  }
  if (doc) {
    const error = doc.error;
    if (run.status === 0 && error !== null) v.push({ rule: 'json-agrees-with-exit', detail: `${name}: exit 0 with error ${clip(JSON.stringify(error))}` });
    if (run.status === 1 && (error === null || error === undefined) && name !== 'index') v.push({ rule: 'json-agrees-with-exit', detail: `${name}: exit 1 with error null` });
    if (name === 'index') {
      const sources = (doc.sources ?? []) as { status: string }[];
      const ok = doc.state === 'done' && sources.every((s) => s.status === 'indexed');
      if (ok !== (run.status === 0)) v.push({ rule: 'json-agrees-with-exit', detail: `index: state ${String(doc.state)}, sources ${sources.map((s) => s.status).join(', ')}, exit ${run.status}` });
    }
  }
  return { violations: v, doc };
}

/** The distinct faults `index --json` reported: each failed source's error, and the walk's. */
function faultsReported(doc: Record<string, unknown> | null): number {
  if (!doc) return 1;
  const sources = (doc.sources ?? []) as { error: string | null }[];
  return new Set([...sources.map((s) => s.error), doc.error].filter((e) => typeof e === 'string')).size;
}

export function checkCli(obs: CliObservation, file: string): Violation[] {
  let indexDoc: Record<string, unknown> | null = null;
  try {
    indexDoc = JSON.parse(obs.index.stdout) as Record<string, unknown>;
  } catch {
    // checkRun says so.
  }
  const faults = faultsReported(indexDoc);
  const info = checkRun(obs.info, file, 1);
  const index = checkRun(obs.index, file, faults);
  const query = checkRun(obs.query, file, faults);
  const v = [...info.violations, ...index.violations, ...query.violations];
  if (!obs.index.stopped && !obs.query.stopped && obs.index.status !== obs.query.status) {
    const why = (run: CommandRun) => clip(run.stderr.split('\n')[0] || 'no message', 200);
    v.push({ rule: 'commands-agree', detail: `index exits ${obs.index.status} (${why(obs.index)}), ${obs.query.args[0]} exits ${obs.query.status} (${why(obs.query)})` });
  }
  return v;
}
