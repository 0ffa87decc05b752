// Evidence piped in (`tcpdump -w - -U | capscope index -`, `kubectl sniff POD -o - | capscope serve -`,
// `capscope-desktop -`): standard input is copied, as it arrives, into the cache's stdin/ folder
// (core/ingest/stream-copy.ts), and the copy is opened as a case indexed as it grows. The CLI's
// commands and the desktop app's main process open it the same way, through here.

import path from 'node:path';
import type { Readable } from 'node:stream';
import { ApiError, type CaseSummary } from '../api';
import { StreamCopy } from '../ingest/stream-copy';
import type { Core } from './create-core';

/** The file argument that means standard input. */
export const STDIN_ARGUMENT = '-';

/** Where the copies of standard input are kept, under the cache: reopened later like any file. */
export function stdinCopyFolder(cacheDir: string): string {
  return path.join(cacheDir, 'stdin');
}

/**
 * Starts copying `input` (standard input) into the cache, once its first bytes have said what it
 * is; a terminal is refused (a person typing is not a capture).
 */
export async function copyStandardInput(cacheDir: string, input: Readable & { isTTY?: boolean } = process.stdin): Promise<StreamCopy> {
  if (input.isTTY) throw new ApiError('bad-input', "standard input is a terminal: pipe a capture into 'capscope index -' (tcpdump -w - -U | capscope index -)");
  const folder = stdinCopyFolder(cacheDir);
  try {
    return await StreamCopy.start(input, folder);
  } catch (err) {
    // Standard input broke before its first bytes were read, or the copy could not be made.
    throw new ApiError('bad-input', `standard input (to be copied into ${folder}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Opens standard input as the case shown at start-up (app.info's initialCaseId): copied as it
 * arrives, indexed as it grows. The copy stops when the case is closed; a copy that could not be
 * opened as a case is stopped here.
 */
export async function openStandardInput(core: Core, input?: Readable & { isTTY?: boolean }, dbPath?: string): Promise<{ copy: StreamCopy; summary: CaseSummary }> {
  const copy = await copyStandardInput(core.cacheDir, input);
  try {
    const summary = await core.open(copy.file, { dbPath, growing: copy });
    core.setInitialCase(summary.caseId);
    return { copy, summary };
  } catch (err) {
    await copy.stop();
    throw err;
  }
}
