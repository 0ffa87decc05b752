import path from 'node:path';

/**
 * The evidence file named on a command line, resolved against the directory it was typed in.
 * `argv` is a whole process argv: Electron's own arguments (the executable and, when run as
 * `electron .`, the app directory) are skipped, and so are switches, which Chromium may add.
 */
export function evidencePathFromArgv(argv: readonly string[], cwd: string, runAsDefaultApp: boolean): string | null {
  const ours = argv.slice(runAsDefaultApp ? 2 : 1);
  const file = ours.find((arg) => arg !== '' && !arg.startsWith('-'));
  return file === undefined ? null : path.resolve(cwd, file);
}
