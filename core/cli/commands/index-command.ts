// capscope index <file>: index the file into its case database, with a progress bar on a TTY.
// `capscope index -` indexes standard input as it arrives, from a copy kept in the cache.

import path from 'node:path';
import type { CaseSummary, IngestProgress } from '../../api';
import { createCaseManager } from '../../app/case-manager';
import { formatCount } from '../../../common/format';
import { EXIT_FAILED, EXIT_OK, printJson, reportFailure, type Command, type Launch } from './common';
import { noticeWaiting } from './notice-waiting';
import { copyStandardInput, noticeStreamStopped, STDIN_ARGUMENT } from './stdin-input';
import type { StreamCopy } from '../../ingest/stream-copy';

export const indexCommand: Command = {
  synopsis: 'index <file | -> [--db PATH] [--reindex] [--json]',
  summary: 'index the file into its case database',
  options: { json: { type: 'boolean' }, db: { type: 'string' }, reindex: { type: 'boolean' } },
  positionals: [1, 1],
  run: (args, flags, launch) => index(args[0]!, { json: flags.json === true, db: flags.db as string | undefined, reindex: flags.reindex === true }, launch),
};

async function index(file: string, options: { json: boolean; db?: string; reindex: boolean }, launch: Launch): Promise<number> {
  // The case manager alone, not the whole core: indexing asks nothing of the read side, whose
  // handlers and request schemas (zod) would only lengthen the start before the ingest's.
  const core = createCaseManager({ transport: 'web', samplePath: null, spareIngestWorker: launch.spareIngestWorker });
  const started = Date.now();
  const fromStdin = file === STDIN_ARGUMENT;
  const bar = !options.json && process.stderr.isTTY ? new ProgressBar(fromStdin ? 'standard input' : path.basename(file)) : null;
  let opened: CaseSummary | null = null;
  let copy: StreamCopy | null = null;
  const cancel = () => {
    // Piped in, the first Ctrl+C ends the stream: what arrived is indexed whole; a second cancels.
    if (copy && !copy.complete) {
      void copy.stop();
      noticeStreamStopped(copy, 'indexing what arrived (Ctrl+C again to cancel)');
      process.once('SIGINT', cancel);
      return;
    }
    if (opened) void core.cancel(opened.caseId);
  };
  process.once('SIGINT', cancel);
  try {
    if (fromStdin) copy = await copyStandardInput(core.cacheDir);
    opened = await core.open(copy ? copy.file : file, { dbPath: options.db ? path.resolve(options.db) : undefined, reindex: options.reindex, onWait: noticeWaiting, growing: copy ?? undefined });
    const done = await core.waitForIngest(opened.caseId, bar ? (p) => bar.update(p) : undefined);
    bar?.finish();
    if (copy?.error) process.stderr.write(`capscope: ${copy.error}\n`);
    const failedSources = done.sources.filter((s) => s.status === 'failed');
    const ok = done.progress.state === 'done' && failedSources.length === 0;
    if (options.json) {
      printJson({
        file: done.file,
        db: done.dbPath,
        state: done.progress.state,
        reused: done.progress.reused,
        elapsedMs: Date.now() - started,
        sources: done.sources,
        diagnostics: done.diagnosticCount,
        error: done.progress.error,
      });
    } else {
      const how = done.progress.reused ? 'already indexed, nothing to do (--reindex to index again)' : `${done.progress.state} in ${((Date.now() - started) / 1000).toFixed(2)} s`;
      process.stdout.write(`${done.file}: ${how}\n  index: ${done.dbPath}\n`);
      for (const s of done.sources) {
        const size = s.bytes === null ? '' : `, ${formatCount(s.bytes)} bytes`;
        const time = s.parseMs === null ? '' : `, ${s.parseMs.toFixed(0)} ms`;
        process.stdout.write(`  ${s.entry}: ${s.format}${size}: ${s.status}${time}\n`);
      }
      if (done.diagnosticCount) process.stdout.write(`  ${done.diagnosticCount} diagnostic${done.diagnosticCount === 1 ? '' : 's'}\n`);
    }
    for (const s of failedSources) process.stderr.write(`capscope: ${s.error}\n`);
    if (done.progress.error && !failedSources.some((s) => s.error === done.progress.error)) process.stderr.write(`capscope: ${done.progress.error}\n`);
    if (done.progress.state === 'cancelled') process.stderr.write('capscope: cancelled; what was read before is kept in the index\n');
    return ok ? EXIT_OK : EXIT_FAILED;
  } catch (err) {
    bar?.finish();
    return reportFailure(err, options.json, file);
  } finally {
    process.off('SIGINT', cancel);
    // A failed open leaves nothing to read standard input for: stop, or the pipe keeps the process alive.
    await copy?.stop();
    await core.close();
  }
}

/** A one-line progress bar on stderr, redrawn in place (TTY only). */
class ProgressBar {
  private lastDraw = 0;
  constructor(private readonly label: string) {}

  update(p: IngestProgress): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    if (p.streaming) {
      const seconds = p.startedAt ? (now - p.startedAt) / 1000 : 0;
      const line = `${this.label}: ${formatCount(p.bytesDone)} bytes indexed of ${formatCount(p.bytesTotal)} arrived${seconds > 0 ? `, ${(p.bytesTotal / seconds / 1e6).toFixed(2)} MB/s` : ''} (Ctrl+C ends the stream)`;
      process.stderr.write(`\r${line.padEnd(100).slice(0, (process.stderr.columns || 100) - 1)}`);
      return;
    }
    const fraction = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = p.startedAt ? (now - p.startedAt) / 1000 : 0;
    const rate = seconds > 0 ? p.bytesDone / seconds : 0;
    const eta = rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${(rate / 1e6).toFixed(1)} MB/s  ${eta > 0 ? `${eta.toFixed(0)} s left` : ''}`;
    process.stderr.write(`\r${line.padEnd(100).slice(0, (process.stderr.columns || 100) - 1)}`);
  }

  finish(): void {
    if (this.lastDraw) process.stderr.write('\r\x1b[K');
  }
}

