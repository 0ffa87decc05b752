// capscope serve [file]: web mode, the app in a browser on 127.0.0.1 with a per-run token.
// `capscope serve -` opens standard input as it arrives (kubectl sniff POD -o - | capscope serve -).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../app/create-core';
import { startWebServer } from '../../server/web-server';
import { EXIT_OK, printJson, reportFailure, UsageError, type Command } from './common';
import { noticeStreamStopped, openStandardInput, STDIN_ARGUMENT } from './stdin-input';
import type { StreamCopy } from '../../ingest/stream-copy';

export const serveCommand: Command = {
  synopsis: 'serve [file | -] [--port N] [--db PATH] [--max-upload SIZE] [--max-ingests N] [--json]',
  summary: 'the app in a browser, on 127.0.0.1 with a per-run token',
  options: { json: { type: 'boolean' }, db: { type: 'string' }, port: { type: 'string' }, 'max-upload': { type: 'string' }, 'max-ingests': { type: 'string' } },
  positionals: [0, 1],
  run: (args, flags) =>
    serve(args[0], {
      json: flags.json === true,
      db: flags.db as string | undefined,
      port: parsePort(flags.port as string | undefined),
      maxUploadBytes: parseSize(flags['max-upload'] as string | undefined),
      maxIngests: parseIngests(flags['max-ingests'] as string | undefined),
    }),
};

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `--max-upload 512M`: bytes, or KiB / MiB / GiB / TiB with K, M, G, T. */
function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)([KMGT]?)(i?B)?$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]! : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new UsageError(`--max-upload takes a size such as 500M or 8G, got '${value}'`);
  return bytes;
}

function parseIngests(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--max-ingests must be 1–64, got '${value}'`);
  return n;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got '${value}'`);
  return port;
}

async function serve(file: string | undefined, options: { json: boolean; db?: string; port: number; maxUploadBytes?: number; maxIngests?: number }): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sample = path.resolve(here, '..', 'sample-captures', 'haproxy-502.pcap');
  const core = createCore({ transport: 'web', samplePath: fs.existsSync(sample) ? sample : null, maxConcurrentIngests: options.maxIngests });
  let copy: StreamCopy | null = null;
  try {
    const dbPath = options.db ? path.resolve(options.db) : undefined;
    if (file === STDIN_ARGUMENT) copy = (await openStandardInput(core, process.stdin, dbPath)).copy;
    else if (file !== undefined) {
      const opened = await core.open(file, { dbPath });
      core.setInitialCase(opened.caseId);
    }
  } catch (err) {
    await core.close();
    return reportFailure(err, options.json, file ?? '');
  }
  const server = await startWebServer({ core, rendererDir: path.join(here, 'renderer'), port: options.port, maxUploadBytes: options.maxUploadBytes });
  if (options.json) printJson({ url: server.openUrl, port: server.port, token: server.token });
  else {
    process.stdout.write(`capscope is serving on ${server.url} (127.0.0.1 only)\nOpen this URL, which carries this run's access token:\n  ${server.openUrl}\nPress Ctrl+C to stop.\n`);
  }
  await new Promise<void>((resolve) => {
    // Piped in, the first Ctrl+C ends the stream (the case is indexed whole and still served); the next stops the server.
    const interrupt = () => {
      if (copy && !copy.complete) {
        void copy.stop();
        noticeStreamStopped(copy, 'the case is served as it is (Ctrl+C again to stop the server)');
        process.once('SIGINT', interrupt);
      } else resolve();
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  await core.close();
  return EXIT_OK;
}

