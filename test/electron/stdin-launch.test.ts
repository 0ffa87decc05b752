// The desktop app started with `-` (`kubectl sniff POD -o - | capscope-desktop -`) reads standard
// input as `capscope serve -` does. The Electron binary does not run here; what it runs is plain
// Node and is tested as such: the command line's `-` (electron/launch-args.ts) and the opening of
// standard input as the start-up case (core/app/standard-input.ts), fed a capture in pieces through
// a stream standing for process.stdin, with the same core the main process creates.

import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseShape, CaseSummary } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { openStandardInput, stdinCopyFolder } from '../../core/app/standard-input';
import { evidencePathFromArgv, wantsStandardInput } from '../../electron/launch-args';
import { corpus, scratchDir } from '../helpers/paths';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const cores: Core[] = [];
afterAll(async () => {
  for (const core of cores) await core.close();
});

describe('capscope-desktop -', () => {
  it('reads "-" on the command line as standard input, not as a file named "-" nor a switch to skip', () => {
    expect(wantsStandardInput(['/opt/capscope/capscope-desktop', '-'], false)).toBe(true);
    expect(wantsStandardInput(['/usr/bin/electron', '/repo', '-'], true)).toBe(true);
    expect(wantsStandardInput(['/opt/capscope/capscope-desktop', '--no-sandbox', 'x.pcap'], false)).toBe(false);
    // The app directory of `electron .` is not ours, whatever it is called.
    expect(wantsStandardInput(['/usr/bin/electron', '-'], true)).toBe(false);
    expect(evidencePathFromArgv(['/opt/capscope/capscope-desktop', '-'], '/home/u', false)).toBeNull();
    expect(evidencePathFromArgv(['/opt/capscope/capscope-desktop', '-', 'x.pcap'], '/home/u', false)).toBe('/home/u/x.pcap');
  });

  it('opens a capture piped in as the start-up case, which grows (exchanges included) while the stream runs', { timeout: 60_000 }, async () => {
    const dir = scratchDir('desktop-stdin');
    const core = createCore({ transport: 'electron', samplePath: null, cacheDir: path.join(dir, 'cache') });
    cores.push(core);
    const bytes = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'));
    const stdin = new PassThrough();
    const half = Math.ceil(bytes.length / 2);
    stdin.write(bytes.subarray(0, half));
    const { copy, summary } = await openStandardInput(core, stdin);
    expect(path.dirname(copy.file)).toBe(stdinCopyFolder(core.cacheDir));
    expect((await core.handlers['app.info']({})).initialCaseId).toBe(summary.caseId);

    // Half the capture has come: the case follows it, its exchanges already there.
    let live: CaseSummary = summary;
    let shape: CaseShape | null = null;
    for (let tries = 0; tries < 100 && !(shape && shape.httpExchanges > 0 && live.progress.updates > 0); tries++) {
      await sleep(100);
      live = await core.handlers['case.get']({ caseId: summary.caseId });
      shape = await core.handlers['explore.shape']({ caseId: summary.caseId });
    }
    expect(live.progress).toMatchObject({ state: 'running', streaming: true });
    expect(live.progress.updates).toBeGreaterThan(0);
    expect(shape!.httpExchanges).toBeGreaterThan(0);
    expect(shape!.httpExchanges).toBeLessThan(170);

    stdin.end(bytes.subarray(half));
    const done = await core.waitForIngest(summary.caseId);
    expect(done.progress).toMatchObject({ state: 'done', streaming: false, error: null });
    expect(await core.handlers['explore.shape']({ caseId: summary.caseId })).toMatchObject({ partial: false, streams: 170, httpExchanges: 170 });
    expect(fs.readFileSync(copy.file).equals(bytes)).toBe(true);
  });

  it('refuses a terminal in one line, and opens no case', async () => {
    const core = createCore({ transport: 'electron', samplePath: null, cacheDir: path.join(scratchDir('desktop-tty'), 'cache') });
    cores.push(core);
    const terminal = Object.assign(new PassThrough(), { isTTY: true });
    await expect(openStandardInput(core, terminal)).rejects.toThrow(/^standard input is a terminal: pipe a capture into/);
    expect((await core.handlers['app.info']({})).initialCaseId).toBeNull();
  });
});
