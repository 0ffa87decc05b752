import path from 'node:path';
import { STDIN_ARGUMENT } from '../core/app/standard-input';

/** The arguments that are ours: Electron's own (the executable and, under `electron .`, the app directory) skipped. */
function ourArguments(argv: readonly string[], runAsDefaultApp: boolean): readonly string[] {
  return argv.slice(runAsDefaultApp ? 2 : 1);
}

/**
 * The evidence file named on a command line, resolved against the directory it was typed in.
 * `argv` is a whole process argv: Electron's own arguments (the executable and, when run as
 * `electron .`, the app directory) are skipped, and so are switches, which Chromium may add, and
 * `-` (standard input, wantsStandardInput).
 */
export function evidencePathFromArgv(argv: readonly string[], cwd: string, runAsDefaultApp: boolean): string | null {
  const file = ourArguments(argv, runAsDefaultApp).find((arg) => arg !== '' && !arg.startsWith('-'));
  return file === undefined ? null : path.resolve(cwd, file);
}

/**
 * Whether the command line asks for the capture piped into the app (`kubectl sniff POD -o - |
 * capscope-desktop -`): `-` as the file, as for `capscope serve -`.
 */
export function wantsStandardInput(argv: readonly string[], runAsDefaultApp: boolean): boolean {
  return ourArguments(argv, runAsDefaultApp).includes(STDIN_ARGUMENT);
}
