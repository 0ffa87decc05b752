// The flame graph of a larger CPU profile (the standard library's regexp benchmarks: 595 samples,
// 201 functions, stacks with inlined frames), in chromium: the first paint, a zoom by click, a zoom
// back out, a search and the switch to the flame form each draw again (the SVG counts its draws and
// records each one's time in data-draw-ms). How long they take is a benchmark's question, not a
// test's (bench/pprof-case.mjs, docs/benchmarks.md). Screenshot: test-results/profile-large-*.png.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { newPage as watchedPage, screenshot, SLOW, webSession } from '../e2e/support';
import { PROFILES } from './helpers/oracle';

const web = webSession('e2e-profile-large', (dir) => {
  const bundle = path.join(dir, 'regexp-cpu.tar');
  execFileSync('tar', ['-cf', bundle, '-C', PROFILES, 'regexp-bench-cpu.pb.gz']);
  return [bundle];
});

/** Waits for a draw after the `before`-th (the SVG counts its draws in data-draws); its time in ms. */
const drawn = async (page: Page, before: number) => {
  await expect.poll(async () => Number(await page.locator('.flame-svg').getAttribute('data-draws')), { timeout: SLOW }).toBeGreaterThan(before);
  return Number(await page.locator('.flame-svg').getAttribute('data-draw-ms'));
};
const drawCount = async (page: Page) => Number(await page.locator('.flame-svg').getAttribute('data-draws'));

describe('the flame graph of a larger profile', () => {
  test('first paint, zoom, zoom out, search and the flame form each draw', async () => {
    const { initialCaseId } = await web.server.call('app.info', {});
    let summary = await web.server.call('case.get', { caseId: initialCaseId! });
    const deadline = Date.now() + SLOW;
    while (summary.progress.state !== 'done') {
      if (Date.now() > deadline || summary.progress.state === 'failed') throw new Error(`indexing: ${summary.progress.state}`);
      await new Promise((r) => setTimeout(r, 100));
      summary = await web.server.call('case.get', { caseId: initialCaseId! });
    }
    const { context, page, errors } = await watchedPage(web.browser);
    await page.goto(web.server.announcement.url);
    await expect.poll(() => page.url(), { timeout: SLOW }).not.toContain('token=');
    await page.evaluate(`location.hash = ${JSON.stringify(`#/case/${summary.caseId}/profile/${summary.sources[0]!.id}`)}`);
    await page.locator('.flame-svg g.frame').first().waitFor({ timeout: SLOW });
    const draws: Record<string, number> = { first: await drawn(page, 0) };
    const frames = Number(await page.locator('.flame-svg').getAttribute('data-frames'));
    expect(frames).toBeGreaterThan(300);

    let last = await drawCount(page);
    await page.locator('.flame-svg g.frame', { hasText: 'regexp.(*machine).match' }).first().click();
    draws.zoom = await drawn(page, last);
    last = await drawCount(page);
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    draws.zoomOut = await drawn(page, last);
    last = await drawCount(page);
    await page.locator('.flame-search').fill('regexp\\.\\(\\*machine\\)');
    await expect.poll(() => page.locator('.flame-svg g.frame.match').count(), { timeout: SLOW }).toBeGreaterThan(0);
    draws.search = await drawn(page, last);
    last = await drawCount(page);
    await page.getByLabel('flame (root at the bottom)').check();
    draws.flame = await drawn(page, last);
    await screenshot(page, 'profile-large-flame');
    // Each draw measured itself (a number, not a wait that never ended).
    for (const [what, ms] of Object.entries(draws)) expect(Number.isFinite(ms), what).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  }, 3 * SLOW);
});
