// Runs the built `capscope` command the way a user or a script does.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths';

export const CAPSCOPE_BIN = path.join(REPO_ROOT, 'bin', 'capscope.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function capscope(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [CAPSCOPE_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, asynchronously (for long runs that should not block other tests' timers). */
export function capscopeAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CAPSCOPE_BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Parses stdout as exactly one JSON document (the --json contract). */
export function onlyJson(result: CliResult): unknown {
  const text = result.stdout.trim();
  if (text.split('\n').length !== 1) throw new Error(`expected one JSON line on stdout, got:\n${result.stdout}`);
  return JSON.parse(text);
}
