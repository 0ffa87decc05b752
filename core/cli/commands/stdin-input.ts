// `-` as the file: the evidence is read from standard input (`tcpdump -w - -U | capscope index -`),
// copied into the case cache as it arrives (core/ingest/stream-copy.ts) and indexed as it grows.

import path from 'node:path';
import { ApiError } from '../../api';
import { StreamCopy } from '../../ingest/stream-copy';

/** The file argument that means standard input. */
export const STDIN_ARGUMENT = '-';

/** Where the copies of standard input are kept, under the cache: reopened later like any file. */
export function stdinCopyFolder(cacheDir: string): string {
  return path.join(cacheDir, 'stdin');
}

/**
 * Starts copying standard input into the cache, once its first bytes have said what it is; a
 * terminal is refused (a person typing is not a capture).
 */
export async function copyStandardInput(cacheDir: string): Promise<StreamCopy> {
  if (process.stdin.isTTY) throw new ApiError('bad-input', "standard input is a terminal: pipe a capture into 'capscope index -' (tcpdump -w - -U | capscope index -)");
  const folder = stdinCopyFolder(cacheDir);
  try {
    return await StreamCopy.start(process.stdin, folder);
  } catch (err) {
    // Standard input broke before its first bytes were read, or the copy could not be made.
    throw new ApiError('bad-input', `standard input (to be copied into ${folder}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** On a terminal: what the first Ctrl+C did while standard input was still being read. */
export function noticeStreamStopped(copy: StreamCopy, then: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\ncapscope: stopped reading standard input after ${copy.bytes} bytes (kept in ${copy.file}); ${then}\n`);
}
