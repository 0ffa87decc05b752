// The `capscope` command. Every subcommand: --json prints exactly one JSON document on stdout
// (docs/cli.md: a public contract that only grows), messages and errors go to stderr, and the exit
// status is 0 for success, 1 for bad input or a failed analysis, 2 for a usage error.
//
// A subcommand is one module in core/commands/ plus one line in COMMANDS.

import { parseArgs } from 'node:util';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type Command, type Flags, type Launch } from './commands/common';
import { CAPSCOPE_VERSION } from '../../common/version';

// Each command's module is loaded when it is run (the build splits them into chunks): `capscope
// index` then loads the case manager and the ingest, not the read side's handlers, request schemas
// and views, which cost it ~70 ms before its ingest could start. The usage text loads them all.
const COMMANDS: Record<string, () => Promise<Command>> = {
  info: async () => (await import('./commands/info')).infoCommand,
  index: async () => (await import('./commands/index-command')).indexCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  streams: async () => (await import('./commands/streams')).streamsCommand,
  packets: async () => (await import('./commands/packets')).packetsCommand,
  events: async () => (await import('./commands/events')).eventsCommand,
  follow: async () => (await import('./commands/follow')).followCommand,
  heap: async () => (await import('./commands/heap')).heapCommand,
  profile: async () => (await import('./commands/profile')).profileCommand,
  http: async () => (await import('./commands/http')).httpCommand,
  findings: async () => (await import('./commands/findings')).findingsCommand,
  alerts: async () => (await import('./commands/alerts')).alertsCommand,
  report: async () => (await import('./commands/report')).reportCommand,
  export: async () => (await import('./commands/export')).exportCommand,
};

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  // The synopsis on its line, what the command does under it: a column padded to the longest
  // synopsis (export's, about 180 characters) pushed every summary past a terminal's width.
  const lines = commands.map((c) => `  capscope ${c.synopsis}\n      ${c.summary}`);
  return `capscope ${CAPSCOPE_VERSION}: offline analyser for syscall captures, network captures, Java heap dumps and Go profiles

Usage:
${lines.join('\n')}
  capscope --version | --help

Files are recognised by content: scap, pcap, pcapng, HPROF and Go profiles, plain or inside gzip, zstd and tar.
Exit status: 0 ok, 1 bad input or analysis error, 2 usage error. See docs/cli.md.`;
}

export async function main(argv: string[], launch: Launch = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(`${await usage()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${CAPSCOPE_VERSION}\n`);
    return EXIT_OK;
  }
  try {
    const command = Object.hasOwn(COMMANDS, name) ? await COMMANDS[name]!() : undefined;
    if (!command) throw new UsageError(`unknown command '${name}'`);
    const parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (parsed.values.help) {
      process.stdout.write(`${await usage()}\n`);
      return EXIT_OK;
    }
    const [min, max] = command.positionals;
    if (parsed.positionals.length < min) throw new UsageError(`'${name}' needs a file`);
    if (parsed.positionals.length > max) throw new UsageError(`'${name}' takes ${max === 1 ? 'one file' : 'no arguments'}, got: ${parsed.positionals.join(' ')}`);
    return await command.run(parsed.positionals, parsed.values as Flags, launch);
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`capscope: ${(err as Error).message}\n\n${await usage()}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

// Run when executed as the bundle's entry (bin/capscope.js imports this module and calls run).
export async function run(launch: Launch = {}): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2), launch);
  } catch (err) {
    process.stderr.write(`capscope: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT_FAILED;
  }
}
