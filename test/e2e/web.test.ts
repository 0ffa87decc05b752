// End to end in web mode: the real `capscope serve` on the bundled sample, driven through
// Debian's chromium. Screenshots land in test-results/ for a human to look at.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = path.join(root, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const SLOW = 60_000;
const VIEWPORT = { width: 1280, height: 800 };

interface Announcement {
  url: string;
  port: number;
  token: string;
}

let server: ChildProcessWithoutNullStreams | null = null;
let serverLog = '';
let announcement: Announcement;
let browser: Browser;
let tmpDir: string;

/** The one JSON line `capscope serve --json` prints once it listens. */
function readAnnouncement(child: ChildProcessWithoutNullStreams, timeoutMs: number): Promise<Announcement> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`capscope serve said nothing in ${timeoutMs} ms:\n${serverLog}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      serverLog += `${line}\n`;
      try {
        const parsed = JSON.parse(line) as Announcement;
        if (typeof parsed.url !== 'string') return;
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // Not the announcement.
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`capscope serve exited with ${code} before listening:\n${serverLog}`));
    });
  });
}

/** A fresh browser context (its own sessionStorage) with console errors collected. */
async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

function sourceRow(page: Page, entry: string | RegExp) {
  return page.locator('table.sources-table tbody tr').filter({ has: page.locator('td.entry', { hasText: entry }) });
}

/** Waits until the row's status cell says `indexed` (the ingest runs in the background). */
async function expectIndexed(page: Page, entry: string | RegExp) {
  // A case opens on its overview; the sources have their own tab.
  await page.getByRole('tab', { name: /Sources/ }).click({ timeout: SLOW });
  const row = sourceRow(page, entry);
  await row.waitFor({ timeout: SLOW });
  await expect.poll(() => row.locator('td').nth(4).innerText(), { timeout: SLOW }).toBe('indexed');
  return row;
}

beforeAll(async () => {
  tmpDir = await mkdtemp(path.join(os.tmpdir(), 'capscope-e2e-'));
  await mkdir(resultsDir, { recursive: true });
  server = spawn(
    process.execPath,
    [
      path.join(root, 'bin', 'capscope.js'),
      'serve',
      path.join(root, 'sample-captures', 'haproxy-502.pcap'),
      '--port',
      '0',
      '--json',
      '--db',
      path.join(tmpDir, 'case.sqlite'),
    ],
    // Uploads, indexes and the recent-files list go to a throw-away cache, not the user's.
    { cwd: root, env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(tmpDir, 'cache') } },
  );
  server.stderr.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
  announcement = await readAnnouncement(server, 30_000);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
}, SLOW);

describe('capscope serve in chromium', () => {
  test('the printed URL opens the sample case and the token leaves the address bar', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(announcement.url);
    const row = await expectIndexed(page, 'haproxy-502.pcap');
    await expect.poll(() => row.locator('td').nth(1).innerText()).toBe('pcap');
    await expect.poll(() => page.locator('.case-header h1').innerText()).toBe('haproxy-502.pcap');
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toMatch(/#\/case\/[^/]+\/sources$/);
    await page.screenshot({ path: path.join(resultsDir, 'web-case.png') });

    // The token now lives in sessionStorage: a reload keeps both access and the view.
    await page.reload();
    await expectIndexed(page, 'haproxy-502.pcap');

    // Diagnostics tab: as many rows (on this first page) as the tab's count says.
    const tab = page.getByRole('tab', { name: /Diagnostics/ });
    await tab.click();
    expect(page.url()).toMatch(/#\/case\/[^/]+\/diagnostics$/);
    const count = Number(await tab.locator('.tab-count').innerText());
    if (count === 0) await page.locator('.diagnostics .empty').waitFor({ timeout: SLOW });
    else await expect.poll(() => page.locator('.diagnostics-table tbody tr').count(), { timeout: SLOW }).toBe(Math.min(count, 100));
    expect(await page.locator('.tab-panel .error-line').count()).toBe(0);
    await page.screenshot({ path: path.join(resultsDir, 'web-diagnostics.png') });

    expect(errors, 'console errors (CSP violations show up here)').toEqual([]);
    await context.close();
  }, SLOW);

  test('the API refuses requests without the token', async () => {
    const { context, page } = await newPage();
    await page.goto(new URL('/', announcement.url).href);
    const statuses = await page.evaluate(async () => {
      const bare = await fetch('/api/app.info', { method: 'POST', body: '{}' });
      const wrong = await fetch('/api/app.info', { method: 'POST', body: '{}', headers: { 'x-capscope-token': 'not-the-token' } });
      const upload = await fetch('/upload', { method: 'POST', body: 'x', headers: { 'x-capscope-filename': 'x.pcap' } });
      return [bare.status, wrong.status, upload.status];
    });
    expect(statuses).toEqual([401, 401, 401]);
    await context.close();
  }, SLOW);

  test('a page opened without the token says how to get in, and lets the right URL in', async () => {
    const { context, page } = await newPage();
    await page.goto(new URL('/', announcement.url).href);
    await page.getByRole('heading', { name: 'Not authorised' }).waitFor({ timeout: SLOW });
    expect(await page.locator('.notice-view').innerText()).toContain('Open the URL printed by capscope serve');
    await page.screenshot({ path: path.join(resultsDir, 'web-unauthorised.png') });

    // The token of an earlier run: the server refuses it (its own words appear), same advice.
    await page.goto(new URL('/#token=token-of-an-earlier-run', announcement.url).href);
    await page.locator('.notice-view', { hasText: 'missing or wrong token' }).waitFor({ timeout: SLOW });
    expect(await page.locator('.notice-view').innerText()).toContain('Open the URL printed by capscope serve');
    expect(page.url()).not.toContain('token=');

    // Following the advice in the same tab changes only the fragment (no reload); it must work.
    await page.goto(announcement.url);
    await expectIndexed(page, 'haproxy-502.pcap');
    expect(page.url()).not.toContain('token=');
    await context.close();
  }, SLOW);

  test('the Open view lists the recent file and the bundled sample', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(announcement.url);
    await expectIndexed(page, 'haproxy-502.pcap');
    await page.getByRole('button', { name: 'Open another file…' }).click();
    await page.getByRole('heading', { name: 'Open evidence' }).waitFor();
    await page.locator('.recent-item', { hasText: 'haproxy-502.pcap' }).first().waitFor({ timeout: SLOW });
    await page.getByRole('button', { name: /Open the bundled sample/ }).waitFor();
    await page.screenshot({ path: path.join(resultsDir, 'web-open.png') });

    // Ctrl+O asks for a file instead of opening the browser's own file dialog.
    const chooser = page.waitForEvent('filechooser', { timeout: SLOW });
    await page.keyboard.press('Control+o');
    expect((await chooser).isMultiple()).toBe(false);

    // A path that does not exist is reported on the page, not thrown away.
    await page.getByLabel("Or open a path on the server's disk").fill(path.join(tmpDir, 'no-such-capture.pcap'));
    await page.getByRole('button', { name: 'Open path' }).click();
    await page.locator('.open-view .error-line').waitFor({ timeout: SLOW });
    expect(page.url()).toMatch(/#\/open$/);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    await context.close();
  }, SLOW);

  test('a file chosen in the Open view is uploaded and indexed', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(announcement.url);
    await page.getByRole('button', { name: 'Open another file…' }).click();
    await page
      .locator('input[type=file]')
      .setInputFiles(path.join(root, '..', 'shared', 'corpus', 'pcap', 'haproxy-502.pcap.gz'));
    await page.waitForURL(/#\/case\//, { timeout: SLOW });
    await expect.poll(() => page.locator('.case-header h1').innerText(), { timeout: SLOW }).toBe('haproxy-502.pcap.gz');
    const row = await expectIndexed(page, /^haproxy-502\.pcap/);
    await expect.poll(() => row.locator('td').nth(1).innerText()).toBe('pcap');
    await expect.poll(() => row.locator('td').nth(2).innerText()).toBe('gzip');
    await page.screenshot({ path: path.join(resultsDir, 'web-upload-case.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);
});
