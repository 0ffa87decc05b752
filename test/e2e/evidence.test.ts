// The evidence views end to end in web mode: the real `capscope serve`, Debian's chromium, real
// captures. On haproxy-502 the 502 finding leads to the offending header line in the stream view;
// brushing the latency chart narrows the HTTP table; the heap view names the small dump's leak; a
// capture carrying markup stays text; a syscall capture shows snaplen cuts and the other end's view.
// Screenshots land in test-results/evidence-*.png for a human to look at.

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { CaseSummary } from '../../core/api';
import { stitchedScap } from '../fixtures/ui/stitched-scap';
import { REPO_ROOT } from '../helpers/paths';
import { RESULTS_DIR, newPage as watchedPage, screenshot, SLOW, VIEWPORT, webSession, type WatchedPage } from './support';

const SAMPLE = path.join(REPO_ROOT, 'sample-captures', 'haproxy-502.pcap');
const HEAP = path.join(REPO_ROOT, 'sample-captures', 'small-jcmd-live.hprof.gz');
const HOSTILE = path.join(REPO_ROOT, 'test', 'fixtures', 'ui', 'hostile.pcap');

const web = webSession('e2e-evidence', () => [SAMPLE]);

/** Opens a file as a case and waits for its index. */
async function openCase(file: string): Promise<CaseSummary> {
  let summary = await web.server.call('case.open', { path: file });
  const deadline = Date.now() + SLOW;
  while (summary.progress.state === 'running' || summary.progress.state === 'idle') {
    if (Date.now() > deadline) throw new Error(`${file}: still indexing`);
    await new Promise((r) => setTimeout(r, 100));
    summary = await web.server.call('case.get', { caseId: summary.caseId });
  }
  expect(summary.progress.state, summary.progress.error ?? '').toBe('done');
  return summary;
}

async function newPage(): Promise<WatchedPage> {
  const watched = await watchedPage(web.browser);
  const { page } = watched;
  // The token arrives in the fragment of the printed URL and the page keeps it for the tab; then
  // straight to the sample's case (the shell's own start-up is web.test.ts's).
  await page.goto(web.server.announcement.url);
  await expect.poll(() => page.url(), { timeout: SLOW }).not.toContain('token=');
  const { initialCaseId } = await web.server.call('app.info', {});
  await go(page, `#/case/${initialCaseId}`);
  return watched;
}

async function go(page: Page, hash: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

const shot = (page: Page, name: string) => screenshot(page, `evidence-${name}`);

describe('evidence views in chromium', () => {
  test('the 502 finding is on the overview and leads to the offending header line in the stream view', async () => {
    const { context, page, errors } = await newPage();
    const panel = page.locator('.findings-panel');
    await panel.waitFor({ timeout: SLOW });
    const first = panel.locator('.finding').first();
    expect(await first.locator('.finding-title').innerText()).toBe('502 Bad Gateway: malformed upstream response');
    expect(await first.locator('.finding-explanation').innerText()).toContain('text/plain: Content-type');
    await shot(page, 'findings');

    // From the keyboard: Tab to the evidence link, Enter.
    const link = first.locator('.evidence-link', { hasText: 'text/plain: Content-type' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), { timeout: SLOW }).toMatch(/\/stream\/\d+\/in\/21$/);
    const target = page.locator('mark.stream-target');
    await target.waitFor({ timeout: SLOW });
    expect(await target.innerText()).toBe('text/plain: Content-type');
    expect(await target.isVisible()).toBe(true);
    const box = (await target.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
    // Both directions, in their two colours.
    expect(await page.locator('.chunk-out').count()).toBeGreaterThan(0);
    expect(await page.locator('.chunk-in').count()).toBeGreaterThan(0);
    await shot(page, 'stream-ascii');

    await page.getByRole('button', { name: 'Hex + ASCII' }).click();
    await page.locator('.chunk-hex').first().waitFor();
    expect(await page.locator('.hex-text mark.stream-target').allInnerTexts()).toEqual(['text/plain: Con', 'tent-type']);
    await shot(page, 'stream-hex');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test('brushing the latency chart narrows the HTTP table', async () => {
    const { context, page, errors } = await newPage();
    const { initialCaseId: caseId } = await web.server.call('app.info', {});
    await go(page, `#/case/${caseId}/http`);
    const count = page.locator('.exchange-table .pager-range');
    await expect.poll(() => count.innerText(), { timeout: SLOW }).toBe('170 exchanges');
    await page.locator('.latency-chart circle').first().waitFor();
    expect(await page.locator('.latency-chart circle').count()).toBe(170);
    await shot(page, 'http');

    const svg = (await page.locator('.latency-chart svg').boundingBox())!;
    await page.mouse.move(svg.x + svg.width * 0.3, svg.y + svg.height * 0.4);
    await page.mouse.down();
    await page.mouse.move(svg.x + svg.width * 0.45, svg.y + svg.height * 0.5, { steps: 8 });
    await page.mouse.move(svg.x + svg.width * 0.55, svg.y + svg.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.locator('.range-line').waitFor({ timeout: SLOW });
    await expect.poll(async () => Number((await count.innerText()).split(' ')[0]), { timeout: SLOW }).toBeLessThan(170);
    const narrowed = Number((await count.innerText()).split(' ')[0]);
    expect(narrowed).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.latency-chart circle').count(), { timeout: SLOW }).toBe(narrowed);
    // Every row shown began inside the range the line states.
    const [from, to] = (await page.locator('.range-line').innerText()).match(/\d\d:\d\d:\d\d\.\d{6}/g)!;
    const times = await page.locator('.exchange-rows tbody tr td:first-child').allInnerTexts();
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t >= from! && t <= to!, `${t} in ${from}–${to}`).toBe(true);
    await shot(page, 'http-brushed');

    // The table from the keyboard: arrows move, the selected exchange opens below.
    await page.getByRole('button', { name: 'Clear time range' }).click();
    await expect.poll(() => count.innerText(), { timeout: SLOW }).toBe('170 exchanges');
    await page.locator('.exchange-rows th', { hasText: 'Status' }).getByRole('button').click();
    await page.locator('.exchange-viewport').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    const detail = page.locator('.exchange-detail');
    await detail.waitFor({ timeout: SLOW });
    expect(await detail.locator('h2').innerText()).toMatch(/→ 502 Bad Gateway/);
    await detail.scrollIntoViewIfNeeded();
    await shot(page, 'http-detail');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test("the heap view names the small dump's leak and opens its dominator tree from the keyboard", async () => {
    const heap = await openCase(HEAP);
    const { sources } = await web.server.call('heap.sources', { caseId: heap.caseId });
    const { context, page, errors } = await newPage();
    await go(page, `#/case/${heap.caseId}/heap/${sources[0]!.sourceId}`);
    const suspect = page.locator('.suspect').first();
    await suspect.waitFor({ timeout: SLOW });
    expect(await suspect.innerText()).toContain('java.util.HashMap$Node[]');
    expect(await suspect.innerText()).toContain('class com.example.leak.SessionCache');
    expect(await suspect.innerText()).toContain('.CACHE');
    expect(await page.locator('.heap-summary').innerText()).toContain('175,476');
    await shot(page, 'heap-suspects');

    await page.getByRole('tab', { name: 'Dominator tree' }).click();
    const firstItem = page.locator('[role=treeitem]').first();
    await firstItem.waitFor({ timeout: SLOW });
    expect(await firstItem.locator('.object-class').first().innerText()).toBe('jdk.internal.loader.ClassLoaders$AppClassLoader');
    await firstItem.focus();
    for (let depth = 0; depth < 4; depth++) {
      await page.keyboard.press('ArrowRight');
      await page.locator(`[role=treeitem][aria-level="${depth + 2}"]`).first().waitFor({ timeout: SLOW });
      await page.keyboard.press('ArrowRight');
    }
    expect(await page.locator('[role=treeitem][aria-level="5"] .object-class').first().innerText()).toBe('java.util.HashMap');
    await shot(page, 'heap-tree');

    await page.getByRole('tab', { name: 'Histogram' }).click();
    await page.locator('.histogram-table tbody tr').first().waitFor({ timeout: SLOW });
    expect(await page.locator('.histogram-table tbody tr td').first().innerText()).toBe('byte[]');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test('markup in a capture stays text: no dialog, no element, the characters on screen', async () => {
    const hostile = await openCase(HOSTILE);
    const { context, page, errors, dialogs } = await newPage();
    await go(page, `#/case/${hostile.caseId}/http`);
    await expect.poll(() => page.locator('.exchange-table .pager-range').innerText(), { timeout: SLOW }).toBe('2 exchanges');
    await page.locator('.exchange-rows tbody tr', { hasText: '<img-src=x-onerror=alert(1)>' }).click();
    const detail = page.locator('.exchange-detail');
    await detail.waitFor({ timeout: SLOW });
    await expect.poll(() => detail.innerText()).toContain('<script>alert(1)</script><img src=x onerror=alert(1)>');
    expect(await detail.innerText()).toContain('X-Probe: <img src=x onerror=alert(1)>');
    await detail.scrollIntoViewIfNeeded();
    await shot(page, 'hostile-http');

    const { rows } = await web.server.call('http.exchanges', { caseId: hostile.caseId });
    await go(page, `#/case/${hostile.caseId}/stream/${rows[0]!.streamId}`);
    await page.locator('.chunk-in').first().waitFor({ timeout: SLOW });
    expect(await page.locator('.stream-body').innerText()).toContain('<script>alert(1)</script><img src=x onerror=alert(1)>');
    await shot(page, 'hostile-stream');
    expect(await page.locator('img, .stream-body script, .exchange-detail script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test('Export report in the case header downloads the post-mortem of what the views show', async () => {
    const { context, page, errors } = await newPage();
    const button = page.getByRole('button', { name: 'Export report' });
    await button.waitFor({ timeout: SLOW });
    await page.locator('.case-header').screenshot({ path: path.join(RESULTS_DIR, 'evidence-export-report.png') });

    // The whole case, as HTML: the 502 explained with the offending line.
    let download = page.waitForEvent('download', { timeout: SLOW });
    await button.click();
    const html = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain('text/plain: Content-type');
    expect(html).toContain('502 Bad Gateway');
    expect(html).not.toMatch(/<script/i);

    // Narrowed by the filter bar: the report's HTTP summary counts only what the filter keeps.
    const { initialCaseId: caseId } = await web.server.call('app.info', {});
    await go(page, `#/case/${caseId}/http`);
    const count = page.locator('.exchange-table .pager-range');
    await expect.poll(() => count.innerText(), { timeout: SLOW }).toBe('170 exchanges');
    await page.locator('#filter-input').fill('http.status=200');
    await page.keyboard.press('Enter');
    await expect.poll(() => count.innerText(), { timeout: SLOW }).toBe('121 exchanges');
    await page.getByLabel('Report format').selectOption('md');
    download = page.waitForEvent('download', { timeout: SLOW });
    await button.click();
    const md = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(md).toContain('http.status=200');
    expect(md).not.toMatch(/\|\s*502\s*\|/);
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test('a syscall capture: snaplen cuts are stated, and the other end of the connection is one link away', async () => {
    const file = path.join(web.dir, 'stitched.scap');
    fs.writeFileSync(file, stitchedScap());
    const scap = await openCase(file);
    const { rows } = await web.server.call('http.exchanges', { caseId: scap.caseId });
    const responseView = rows[0]!.responseStreamId ?? rows[0]!.streamId;
    const { context, page, errors } = await newPage();
    await go(page, `#/case/${scap.caseId}/stream/${responseView}`);
    await page.locator('.chunk').first().waitFor({ timeout: SLOW });
    expect(await page.locator('.chunk-head').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('80 of 125 bytes captured')]));
    expect(await page.locator('.stream-mark').first().innerText()).toBe('text/plain: Content-type');
    await shot(page, 'scap-stream');
    const peer = page.locator('.stream-peers a').first();
    const before = page.url();
    await peer.click();
    await expect.poll(() => page.url()).not.toBe(before);
    await page.locator('.chunk').first().waitFor({ timeout: SLOW });
    expect(await page.locator('.stream-peers a').count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);
});
