// The `capscope` command. Every subcommand: --json prints exactly one JSON document on stdout
// (docs/cli.md: a public contract that only grows), messages and errors go to stderr, and the exit
// status is 0 for success, 1 for bad input or a failed analysis, 2 for a usage error.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describeFile } from '../parsers/source/describe';
import { ApiError, type CaseSummary, type IngestProgress } from './api';
import { createCore } from './handlers';
import { startWebServer } from './server/web-server';
import { CAPSCOPE_VERSION } from './version';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

const USAGE = `capscope ${CAPSCOPE_VERSION}: offline analyzer for syscall captures, network captures and Java heap dumps

Usage:
  capscope info <file> [--json]                 what evidence the file holds (formats, layers, sizes)
  capscope index <file> [--db PATH] [--reindex] [--json]
                                                index the file into its case database
  capscope serve [file] [--port N] [--db PATH] [--json]
                                                the app in a browser, on 127.0.0.1 with a per-run token
  capscope --version | --help

Files are recognised by content: scap, pcap, pcapng and HPROF, plain or inside gzip, zstd and tar.
Exit status: 0 ok, 1 bad input or analysis error, 2 usage error. See docs/cli.md.`;

type Flags = Record<string, string | boolean | undefined>;

interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments: [min, max]. */
  positionals: [number, number];
  run(positionals: string[], flags: Flags): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  info: {
    options: { json: { type: 'boolean' } },
    positionals: [1, 1],
    run: (args, flags) => info(args[0]!, flags.json === true),
  },
  index: {
    options: { json: { type: 'boolean' }, db: { type: 'string' }, reindex: { type: 'boolean' } },
    positionals: [1, 1],
    run: (args, flags) => index(args[0]!, { json: flags.json === true, db: flags.db as string | undefined, reindex: flags.reindex === true }),
  },
  serve: {
    options: { json: { type: 'boolean' }, db: { type: 'string' }, port: { type: 'string' } },
    positionals: [0, 1],
    run: (args, flags) => serve(args[0], { json: flags.json === true, db: flags.db as string | undefined, port: parsePort(flags.port as string | undefined) }),
  },
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${CAPSCOPE_VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command '${name}'`);
    const parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min) throw new UsageError(`'${name}' needs a file`);
    if (parsed.positionals.length > max) throw new UsageError(`'${name}' takes ${max === 1 ? 'one file' : 'no arguments'}, got: ${parsed.positionals.join(' ')}`);
    return await command.run(parsed.positionals, parsed.values as Flags);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`capscope: ${(err as Error).message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got '${value}'`);
  return port;
}

// ----- info -----

async function info(file: string, json: boolean): Promise<number> {
  const described = await describeFile(file);
  const error = described.error ? { message: described.error.message, offset: described.error.offset ?? null } : null;
  if (json) {
    printJson({
      file: described.file,
      entries: described.entries.map((e) => ({ name: e.name, format: e.format, compression: e.compression, bytes: e.bytes, detail: e.detail })),
      skipped: described.skipped,
      error,
    });
  } else {
    const lines = described.entries.map((e) => {
      const layers = e.compression.length ? e.compression.join(' › ') : 'plain';
      const size = e.bytes === null ? 'size unknown' : `${formatCount(e.bytes)} bytes`;
      return `  ${e.name}\n      ${e.format}, ${layers}, ${size}: ${e.detail}`;
    });
    if (lines.length) process.stdout.write(`${described.file}\n${lines.join('\n')}\n`);
  }
  for (const s of described.skipped) process.stderr.write(`capscope: skipped ${s.name}: ${s.reason}\n`);
  if (error) process.stderr.write(`capscope: ${error.message}\n`);
  return error ? EXIT_FAILED : EXIT_OK;
}

// ----- index -----

async function index(file: string, options: { json: boolean; db?: string; reindex: boolean }): Promise<number> {
  const core = createCore({ transport: 'web', samplePath: null });
  const started = Date.now();
  const bar = !options.json && process.stderr.isTTY ? new ProgressBar(path.basename(file)) : null;
  let opened: CaseSummary | null = null;
  const cancel = () => {
    if (opened) void core.handlers['case.cancel']({ caseId: opened.caseId });
  };
  process.once('SIGINT', cancel);
  try {
    opened = await core.open(file, { dbPath: options.db ? path.resolve(options.db) : undefined, reindex: options.reindex });
    const done = await core.waitForIngest(opened.caseId, bar ? (p) => bar.update(p) : undefined);
    bar?.finish();
    const failedSources = done.sources.filter((s) => s.status === 'failed');
    const ok = done.progress.state === 'done' && failedSources.length === 0;
    if (options.json) {
      printJson({
        file: done.file,
        db: done.dbPath,
        state: done.progress.state,
        reused: done.progress.reused,
        elapsedMs: Date.now() - started,
        sources: done.sources,
        diagnostics: done.diagnosticCount,
        error: done.progress.error,
      });
    } else {
      const how = done.progress.reused ? 'already indexed, nothing to do (--reindex to index again)' : `${done.progress.state} in ${((Date.now() - started) / 1000).toFixed(2)} s`;
      process.stdout.write(`${done.file}: ${how}\n  index: ${done.dbPath}\n`);
      for (const s of done.sources) {
        const size = s.bytes === null ? '' : `, ${formatCount(s.bytes)} bytes`;
        const time = s.parseMs === null ? '' : `, ${s.parseMs.toFixed(0)} ms`;
        process.stdout.write(`  ${s.entry}: ${s.format}${size}: ${s.status}${time}\n`);
      }
      if (done.diagnosticCount) process.stdout.write(`  ${done.diagnosticCount} diagnostic${done.diagnosticCount === 1 ? '' : 's'}\n`);
    }
    for (const s of failedSources) process.stderr.write(`capscope: ${s.error}\n`);
    if (done.progress.error && !failedSources.some((s) => s.error === done.progress.error)) process.stderr.write(`capscope: ${done.progress.error}\n`);
    if (done.progress.state === 'cancelled') process.stderr.write('capscope: cancelled; what was read before is kept in the index\n');
    return ok ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    bar?.finish();
    return reportFailure(err, options.json, file);
  } finally {
    process.off('SIGINT', cancel);
    await core.close();
  }
}

// ----- serve -----

async function serve(file: string | undefined, options: { json: boolean; db?: string; port: number }): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sample = path.resolve(here, '..', 'sample-captures', 'haproxy-502.pcap');
  const core = createCore({ transport: 'web', samplePath: fs.existsSync(sample) ? sample : null });
  try {
    if (file !== undefined) {
      const opened = await core.open(file, { dbPath: options.db ? path.resolve(options.db) : undefined });
      core.setInitialCase(opened.caseId);
    }
  } catch (err) {
    await core.close();
    return reportFailure(err, options.json, file ?? '');
  }
  const server = await startWebServer({ core, rendererDir: path.join(here, 'renderer'), port: options.port });
  if (options.json) printJson({ url: server.openUrl, port: server.port, token: server.token });
  else {
    process.stdout.write(`capscope is serving on ${server.url} (127.0.0.1 only)\nOpen this URL, which carries this run's access token:\n  ${server.openUrl}\nPress Ctrl+C to stop.\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await core.close();
  return EXIT_OK;
}

// ----- output helpers -----

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function reportFailure(err: unknown, json: boolean, file: string): number {
  const known = err instanceof ApiError || (err instanceof Error && err.name === 'SourceError');
  if (!known) throw err;
  const message = (err as Error).message;
  if (json) printJson({ file, error: { message, offset: (err as { offset?: number }).offset ?? null } });
  process.stderr.write(`capscope: ${message}\n`);
  return EXIT_FAILED;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A one-line progress bar on stderr, redrawn in place (TTY only). */
class ProgressBar {
  private lastDraw = 0;
  constructor(private readonly label: string) {}

  update(p: IngestProgress): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = p.startedAt ? (now - p.startedAt) / 1000 : 0;
    const rate = seconds > 0 ? p.bytesDone / seconds : 0;
    const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${(rate / 1e6).toFixed(1)} MB/s  ${eta > 0 ? `${eta.toFixed(0)} s left` : ''}`;
    process.stderr.write(`\r${line.padEnd(100).slice(0, (process.stderr.columns || 100) - 1)}`);
  }

  finish(): void {
    if (this.lastDraw) process.stderr.write('\r\x1b[K');
  }
}

// Run when executed as the bundle's entry (bin/capscope.js imports this module and calls main).
export async function run(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`capscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT_FAILED;
  }
}
