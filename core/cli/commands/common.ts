// What every subcommand shares: the exit statuses, usage errors, the --json printer, failures.

import { ApiError } from '../../api';
import type { SpareIngestWorker } from '../../ingest/spare-worker';
import { compileOrFault } from '../../domain/scope/view-scope';
import { FilterError, type CompiledFilter, type FilterTarget } from '../../filter/language';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line: reported with the usage text, exit status 2. */
export class UsageError extends Error {}

/** A repeatable option (`multiple: true`) gives its values in order. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

/** A subcommand: its options (node:util parseArgs), how many files it takes, and what it does. */
export interface Command {
  /** One line for the usage text: the synopsis, then what it does. */
  synopsis: string;
  summary: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  /** How many positional arguments: [min, max]. */
  positionals: [number, number];
  run(positionals: string[], flags: Flags, launch: Launch): Promise<number>;
}

/** What the launcher (bin/capscope.js) started before the CLI's bundle was loaded. */
export interface Launch {
  /** An ingest worker already loading, for the command's ingest to take (core/ingest/spare-worker.ts). */
  spareIngestWorker?: SpareIngestWorker | null;
}

/** --json: exactly one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/**
 * Reports an expected failure (bad input, a refused request) as one line on stderr (and, with
 * --json, as the one JSON document) and returns exit status 1; anything else is a bug and is rethrown.
 */
export function reportFailure(err: unknown, json: boolean, file: string): number {
  const known = err instanceof ApiError || (err instanceof Error && err.name === 'SourceError');
  if (!known) throw err;
  const message = (err as Error).message;
  if (json) printJson({ file, error: { message, offset: (err as { offset?: number }).offset ?? null } });
  process.stderr.write(`capscope: ${message}\n`);
  return EXIT_FAILED;
}

/** `--filter EXPR` compiled for `target`; a fault is a usage error that names its column. */
export function filterOption(expr: unknown, target: FilterTarget): CompiledFilter {
  if (expr !== undefined && typeof expr !== 'string') throw new UsageError('--filter takes an expression');
  const compiled = compileOrFault(expr, target);
  if (compiled instanceof FilterError) throw new UsageError(`--filter: ${compiled.message}`);
  return compiled;
}
