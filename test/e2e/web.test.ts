// End to end in web mode: the real `capscope serve` on the bundled sample, driven through
// Debian's chromium. Screenshots land in test-results/ for a human to look at.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, corpus } from '../helpers/paths';
import { newPage as watchedPage, screenshot, SLOW, webSession } from './support';

const web = webSession('e2e-web', () => [path.join(REPO_ROOT, 'sample-captures', 'haproxy-502.pcap')]);
const newPage = () => watchedPage(web.browser);

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

describe('capscope serve in chromium', () => {
  test('the printed URL opens the sample case and the token leaves the address bar', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(web.server.announcement.url);
    const row = await expectIndexed(page, 'haproxy-502.pcap');
    await expect.poll(() => row.locator('td').nth(1).innerText()).toBe('pcap');
    await expect.poll(() => page.locator('.case-header h1').innerText()).toBe('haproxy-502.pcap');
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toMatch(/#\/case\/[^/]+\/sources$/);
    await screenshot(page, 'web-case');

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
    await screenshot(page, 'web-diagnostics');

    expect(errors, 'console errors (CSP violations show up here)').toEqual([]);
    await context.close();
  }, SLOW);

  test('the API refuses requests without the token', async () => {
    const { context, page } = await newPage();
    await page.goto(new URL('/', web.server.announcement.url).href);
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
    await page.goto(new URL('/', web.server.announcement.url).href);
    await page.getByRole('heading', { name: 'Not authorised' }).waitFor({ timeout: SLOW });
    expect(await page.locator('.notice-view').innerText()).toContain('Open the URL printed by capscope serve');
    await screenshot(page, 'web-unauthorised');

    // The token of an earlier run: the server refuses it (its own words appear), same advice.
    await page.goto(new URL('/#token=token-of-an-earlier-run', web.server.announcement.url).href);
    await page.locator('.notice-view', { hasText: 'missing or wrong token' }).waitFor({ timeout: SLOW });
    expect(await page.locator('.notice-view').innerText()).toContain('Open the URL printed by capscope serve');
    expect(page.url()).not.toContain('token=');

    // Following the advice in the same tab changes only the fragment (no reload); it must work.
    await page.goto(web.server.announcement.url);
    await expectIndexed(page, 'haproxy-502.pcap');
    expect(page.url()).not.toContain('token=');
    await context.close();
  }, SLOW);

  test('the Open view lists the recent file and the bundled sample', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(web.server.announcement.url);
    await expectIndexed(page, 'haproxy-502.pcap');
    await page.getByRole('button', { name: 'Open another file…' }).click();
    await page.getByRole('heading', { name: 'Open evidence' }).waitFor();
    await page.locator('.recent-item', { hasText: 'haproxy-502.pcap' }).first().waitFor({ timeout: SLOW });
    await page.getByRole('button', { name: /Open the bundled sample/ }).waitFor();
    await screenshot(page, 'web-open');

    // Ctrl+O asks for a file instead of opening the browser's own file dialog.
    const chooser = page.waitForEvent('filechooser', { timeout: SLOW });
    await page.keyboard.press('Control+o');
    expect((await chooser).isMultiple()).toBe(false);

    // A path that does not exist is reported on the page, not thrown away.
    await page.getByLabel("Or open a path on the server's disk").fill(path.join(web.dir, 'no-such-capture.pcap'));
    await page.getByRole('button', { name: 'Open path' }).click();
    await page.locator('.open-view .error-line').waitFor({ timeout: SLOW });
    expect(page.url()).toMatch(/#\/open$/);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    await context.close();
    // Seven steps, each allowed up to SLOW: the whole gets two (it ran out of one in a loaded run).
  }, 2 * SLOW);

  test('a file chosen in the Open view is uploaded and indexed', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(web.server.announcement.url);
    await page.getByRole('button', { name: 'Open another file…' }).click();
    await page
      .locator('input[type=file]')
      .setInputFiles(corpus('pcap', 'haproxy-502.pcap.gz'));
    await page.waitForURL(/#\/case\//, { timeout: SLOW });
    await expect.poll(() => page.locator('.case-header h1').innerText(), { timeout: SLOW }).toBe('haproxy-502.pcap.gz');
    const row = await expectIndexed(page, /^haproxy-502\.pcap/);
    await expect.poll(() => row.locator('td').nth(1).innerText()).toBe('pcap');
    await expect.poll(() => row.locator('td').nth(2).innerText()).toBe('gzip');
    await screenshot(page, 'web-upload-case');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);
});
