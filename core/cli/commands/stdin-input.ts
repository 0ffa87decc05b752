// `-` as the file: the evidence is read from standard input (`tcpdump -w - -U | capscope index -`),
// copied into the case cache as it arrives and indexed as it grows (core/app/standard-input.ts,
// which the desktop app uses too).

import type { StreamCopy } from '../../ingest/stream-copy';

export { copyStandardInput, openStandardInput, STDIN_ARGUMENT, stdinCopyFolder } from '../../app/standard-input';

/** On a terminal: what the first Ctrl+C did while standard input was still being read. */
export function noticeStreamStopped(copy: StreamCopy, then: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\ncapscope: stopped reading standard input after ${copy.bytes} bytes (kept in ${copy.file}); ${then}\n`);
}
