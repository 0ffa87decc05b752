// The Alerts tab end to end in web mode: the real `capscope serve`, Debian's chromium, Falco's own
// traces. The default rules' alert on the privileged-container capture shows grouped under its
// rule; on cat_write.scap, rules files opened in the tab run over the case and their alerts lead
// to the process's events. Screenshots land in test-results/alerts-*.png.

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage as watchedPage, screenshot, SLOW, webSession } from './support';

const web = webSession('e2e-alerts', () => [corpus('scap', 'falco-privileged.scap'), corpus('scap', 'falco-cat_write.scap')]);

async function openAlerts(server: number): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const watched = await watchedPage(web.browser);
  const { page } = watched;
  const s = web.servers[server]!;
  await page.goto(s.announcement.url);
  await expect.poll(() => page.url(), { timeout: SLOW }).not.toContain('token=');
  const { initialCaseId } = await s.call('app.info', {});
  // Wait for the index, then straight to the tab.
  for (let deadline = Date.now() + SLOW; ; ) {
    const summary = await s.call('case.get', { caseId: initialCaseId! });
    if (summary.progress.state === 'done') break;
    if (Date.now() > deadline) throw new Error('still indexing');
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.evaluate(`location.hash = ${JSON.stringify(`#/case/${initialCaseId}/alerts`)}`);
  await page.locator('.alerts-panel').waitFor({ timeout: SLOW });
  return watched;
}

describe('the Alerts tab in chromium', () => {
  test("shows the default rules' alerts grouped by rule", async () => {
    const { page, errors, close } = await openAlerts(0);
    const group = page.locator('.alerts-panel .finding').first();
    await group.waitFor({ timeout: SLOW });
    expect(await group.locator('.finding-title').innerText()).toBe('Launch privileged container');
    expect(await group.innerText()).toContain('Privileged container started (container_id=9dbcbd0c435f container_name=epic_cray image=nginx:latest)');
    expect(await page.locator('.alerts-panel').innerText()).toContain('Not run: Launch sensitive mount container (field container.mount.dest not supported)');
    await screenshot(page, 'alerts-default');
    expect(errors).toEqual([]);
    await close();
  });

  test('runs rules files opened in the tab, and an alert leads to its process', async () => {
    const { page, errors, close } = await openAlerts(1);
    await page.getByText('No alerts: no event matched the rules.').waitFor({ timeout: SLOW });
    await page.locator('.alerts-open input[type=file]').setInputFiles([corpus('falco', 'rules', 'single_rule.yaml'), corpus('falco', 'rules', 'double_rule.yaml')]);
    const titles = page.locator('.alerts-panel .finding-title');
    await expect.poll(() => titles.allInnerTexts(), { timeout: SLOW }).toEqual(['exec_from_cat', 'open_from_cat']);
    expect(await page.locator('.alerts-panel .finding').nth(1).innerText()).toContain('8 alerts');
    await screenshot(page, 'alerts-opened');
    await page.locator('.alerts-panel .finding').nth(1).locator('.evidence-link', { hasText: /process \d+'s events/ }).first().click();
    await expect.poll(() => page.url(), { timeout: SLOW }).toMatch(/\/tables\/events$/);
    expect(errors).toEqual([]);
    await close();
  });
});
