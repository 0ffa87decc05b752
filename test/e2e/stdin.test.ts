// `feeder | capscope serve -` in chromium: a capture arriving slowly on standard input. The page
// says it follows standard input, its overview's counts grow while the stream runs, and once the
// stream ends the case is whole. Screenshots: test-results/stdin-following.png, stdin-done.png.
// On the HTTP tab, the exchanges' rows and the tab's badge grow while the stream runs (each
// exchange lands once its connection has it, not when the stream ends), and the 502s' finding is
// on the overview before the end: test-results/stdin-http-following.png, stdin-http-done.png.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { corpus, REPO_ROOT, scratchDir } from '../helpers/paths';
import { launchChromium, newPage, screenshot, SLOW } from './support';

const PIECES = 8;
const PAUSE_MS = 2500;

/** Writes the file to stdout in pieces, a pause apart: a capture arriving as it is made. */
const FEEDER = `
const bytes = require('node:fs').readFileSync(process.argv[1]);
const [pieces, pauseMs] = [Number(process.argv[2]), Number(process.argv[3])];
const size = Math.ceil(bytes.length / pieces);
(async () => {
  for (let i = 0; i < pieces; i++) {
    await new Promise((done) => process.stdout.write(bytes.subarray(i * size, (i + 1) * size), done));
    if (i < pieces - 1) await new Promise((done) => setTimeout(done, pauseMs));
  }
})();
`;

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

const tileValue = (page: Page, metric: string) => page.locator(`.tile[data-metric="${metric}"] .tile-value`).innerText();

/** `feeder file | capscope serve - --json`: the URL of the page, once the server listens. */
async function serveFed(label: string): Promise<string> {
  const dir = scratchDir(label);
  const feeder = spawn(process.execPath, ['-e', FEEDER, corpus('pcap', 'haproxy-502.pcap'), String(PIECES), String(PAUSE_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const serve = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'capscope.js'), 'serve', '-', '--port', '0', '--json'], {
    stdio: [feeder.stdout!, 'pipe', 'pipe'],
    env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') },
  });
  children.push(feeder, serve);
  return new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

describe('a capture piped into capscope serve, in chromium', () => {
  test('the page follows the case while the stream grows, then shows it whole', { timeout: 2 * SLOW }, async () => {
    const url = await serveFed('e2e-stdin');
    const browser = await launchChromium();
    try {
      const { page, errors, close } = await newPage(browser);
      await page.goto(url);
      const following = page.locator('.ingest-streaming');
      await following.waitFor({ timeout: SLOW });
      expect(await following.innerText()).toMatch(/Following standard input: .* indexed of .* arrived so far/);
      await expect.poll(() => page.locator('.case-header h1').innerText()).toMatch(/^stdin-.*\.pcap$/);

      // While the stream runs, the overview's counts are asked again as it grows.
      const seen: string[] = [];
      while (await following.isVisible()) {
        const value = await tileValue(page, 'connectionsOut').catch(() => '');
        if (value && value !== '0' && !seen.includes(value)) seen.push(value);
        if (seen.length === 2) await screenshot(page, 'stdin-following');
        await page.waitForTimeout(500);
      }
      expect(seen.length, `connections seen while the stream ran: ${seen.join(', ')}`).toBeGreaterThanOrEqual(2);
      const numbers = seen.map((v) => Number(v.replace(/,/g, '')));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));

      // The stream ended: the case is whole, as the file would be.
      await page.locator('.ingest-done').waitFor({ timeout: SLOW });
      await expect.poll(() => tileValue(page, 'httpExchanges'), { timeout: SLOW }).toBe('170');
      await screenshot(page, 'stdin-done');
      expect(errors).toEqual([]);
      await close();
    } finally {
      await browser.close();
    }
  });

  test("the HTTP tab's rows and badge grow while the stream runs, and the findings come before its end", { timeout: 2 * SLOW }, async () => {
    const url = await serveFed('e2e-stdin-http');
    const browser = await launchChromium();
    try {
      const { page, errors, close } = await newPage(browser);
      await page.goto(url);
      const following = page.locator('.ingest-streaming');
      await following.waitFor({ timeout: SLOW });
      const httpTab = page.getByRole('tab', { name: /^HTTP/ });
      await httpTab.waitFor({ timeout: SLOW });
      await httpTab.click();
      const badge = httpTab.locator('.tab-count');
      const total = page.locator('.exchange-table .pager-range');

      // While the stream runs: the badge and the table's count grow, with rows to show.
      const badges: number[] = [];
      const rowCounts: number[] = [];
      while (await following.isVisible()) {
        const n = Number((await badge.innerText().catch(() => '0')).replace(/,/g, ''));
        const shown = await total.innerText().catch(() => '');
        const rows = /^([\d,]+) exchanges?$/.exec(shown);
        if (n > 0 && !badges.includes(n) && rows) {
          badges.push(n);
          rowCounts.push(Number(rows[1]!.replace(/,/g, '')));
          expect(await page.locator('.exchange-rows tbody tr td.num').count()).toBeGreaterThan(0);
          if (badges.length === 2) {
            await page.locator('.exchange-table').scrollIntoViewIfNeeded();
            await screenshot(page, 'stdin-http-following');
          }
          if (badges.length === 3) {
            // The overview meanwhile: the 502s' finding is there before the stream ends.
            await page.getByRole('tab', { name: /^Overview/ }).click();
            const findings = page.locator('.findings-panel .findings-count');
            await expect.poll(async () => Number((await findings.innerText().catch(() => '0')).replace(/,/g, '')), { timeout: SLOW }).toBeGreaterThan(0);
            expect(await following.isVisible()).toBe(true);
            await screenshot(page, 'stdin-findings-following');
            await httpTab.click();
          }
        }
        await page.waitForTimeout(300);
      }
      expect(badges.length, `badges seen while the stream ran: ${badges.join(', ')}`).toBeGreaterThanOrEqual(3);
      expect(badges).toEqual([...badges].sort((a, b) => a - b));
      expect(badges.at(-1)).toBeLessThan(170);
      expect(rowCounts).toEqual([...rowCounts].sort((a, b) => a - b));

      // The stream ended: every exchange, as the file has them.
      await page.locator('.ingest-done').waitFor({ timeout: SLOW });
      await expect.poll(() => badge.innerText(), { timeout: SLOW }).toBe('170');
      await expect.poll(() => total.innerText(), { timeout: SLOW }).toBe('170 exchanges');
      await screenshot(page, 'stdin-http-done');
      expect(errors).toEqual([]);
      await close();
    } finally {
      await browser.close();
    }
  });
});
