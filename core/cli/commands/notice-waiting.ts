// Said on a terminal while a command waits for another capscope process. Its own module: `capscope
// index` imports it without open-case.ts, whose read side it does not load (core/cli/main.ts).

/**
 * Says on a terminal why the command is waiting (another process is writing the case's index), so
 * that a person does not take the wait for a hang; a script reading stderr gets no chatter.
 */
export function noticeWaiting(reason: string): void {
  if (process.stderr.isTTY) process.stderr.write(`capscope: waiting: ${reason} (Ctrl+C to stop)\n`);
}
