// End to end in web mode: finding one's way back. Backspace and the browser's Back return from a
// stream opened from a finding to that finding, its group expanded as it was; the tab bar says where
// the stream view belongs; the drill path's "All" returns to the table on screen (Errors), not to
// the one the first step was taken from; the selected HTTP exchange's detail is on screen; a drag
// that starts on the time axis brushes.

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, VIEWPORT, webSession } from './support';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const SCAP = corpus('scap', 'curl_google.scap');
const web = webSession('e2e-navigation', () => [PCAP, SCAP]);

const selectedTab = (page: Page) => page.locator('[aria-label="Case views"] [role=tab][aria-selected=true]').innerText();

async function open(page: Page, server: number, hash = '') {
  await page.goto(web.servers[server]!.announcement.url);
  await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
  if (hash) await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  return !!box && box.y >= 0 && box.y + Math.min(box.height, 40) <= VIEWPORT.height;
}

describe('navigation in chromium', () => {
  test('Backspace and Back return from a stream to the finding it was opened from, its group expanded', async () => {
    const { page, errors, close } = await newPage(web.browser);
    await open(page, 0);
    const group = page.locator('.finding[data-kind="proxy-error"]');
    await group.waitFor({ timeout: SLOW });
    await group.locator('.finding-expand').click();
    const members = group.locator('.finding-member');
    await expect.poll(() => members.count(), { timeout: SLOW }).toBe(20);
    // The 12th member's evidence: far enough down that the page scrolled to it.
    const member = members.nth(11);
    const memberText = await member.innerText();
    await member.locator('.evidence-link').first().click();
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+\/in\/\d+$/);
    await page.locator('.chunk').first().waitFor({ timeout: SLOW });
    // The stream view belongs under the tab it was opened from.
    expect(await selectedTab(page)).toMatch(/^Overview/);
    await screenshot(page, 'navigation-stream-from-finding');

    await page.locator('.stream-body').focus();
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.url()).toMatch(/\/case\/[0-9a-f]+$/);
    await expect.poll(() => members.count(), { timeout: SLOW }).toBe(20);
    expect(await group.locator('.finding-expand').getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => onScreen(page, `.finding-member:nth-child(12)`), { timeout: SLOW }).toBe(true);
    expect(await members.nth(11).innerText()).toBe(memberText);
    await screenshot(page, 'navigation-back-to-finding');

    // The browser's Back does the same.
    await members.nth(11).locator('.evidence-link').first().click();
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+\/in\/\d+$/);
    await page.goBack();
    await expect.poll(() => members.count(), { timeout: SLOW }).toBe(20);
    await expect.poll(() => onScreen(page, `.finding-member:nth-child(12)`), { timeout: SLOW }).toBe(true);
    expect(errors).toEqual([]);
    await close();
  }, 2 * SLOW);

  test('a stream reached by its address alone sits under Tables, where connections lead to it', async () => {
    const { page, errors, close } = await newPage(web.browser);
    const { initialCaseId: caseId } = await web.servers[0]!.call('app.info', {});
    await open(page, 0, `#/case/${caseId}/stream/3`);
    // Reloaded at the stream's address: no tab it was opened from.
    await page.reload();
    await page.locator('.chunk').first().waitFor({ timeout: SLOW });
    expect(await selectedTab(page)).toBe('Tables');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('"All" on Errors, after a drill from Processes, returns to Errors', async () => {
    const { page, errors, close } = await newPage(web.browser);
    await open(page, 1);
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Processes' }).click();
    await page.locator('.vt-viewport').focus();
    await page.locator('.vt-row').first().waitFor({ timeout: SLOW });
    await page.keyboard.press('Enter');
    await page.locator('.breadcrumb button', { hasText: 'All' }).waitFor({ timeout: SLOW });
    await page.getByRole('tab', { name: 'Errors' }).click();
    await expect.poll(() => page.url()).toMatch(/\/tables\/errors$/);
    await screenshot(page, 'navigation-errors-drilled');
    await page.locator('.breadcrumb button', { hasText: 'All' }).click();
    await expect.poll(() => page.url()).toMatch(/\/tables\/errors$/);
    await expect.poll(() => page.locator('.breadcrumb button').count()).toBe(0);
    expect(await page.locator('[aria-label="Tables"] [role=tab][aria-selected=true]').innerText()).toBe('Errors');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('the selected HTTP exchange shows its detail on screen', async () => {
    const { page, errors, close } = await newPage(web.browser);
    const { initialCaseId: caseId } = await web.servers[0]!.call('app.info', {});
    await open(page, 0, `#/case/${caseId}/http`);
    await page.locator('.exchange-rows tbody tr').first().waitFor({ timeout: 15_000 });
    await page.locator('.exchange-rows tbody tr').nth(2).click();
    await page.locator('.exchange-detail h2').waitFor({ timeout: 15_000 });
    await expect.poll(() => onScreen(page, '.exchange-detail h2'), { timeout: 10_000 }).toBe(true);
    await screenshot(page, 'navigation-http-detail');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('a drag that starts on the time axis brushes', async () => {
    const { page, errors, close } = await newPage(web.browser);
    await open(page, 0);
    await page.locator('.timeline-bars rect').first().waitFor({ timeout: SLOW });
    const axis = (await page.locator('.timeline-axis').boundingBox())!;
    const y = axis.y + axis.height / 2;
    await page.mouse.move(axis.x + axis.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(axis.x + axis.width * 0.6, y, { steps: 8 });
    await page.mouse.up();
    await page.locator('.timeline-range').waitFor({ timeout: 15_000 });
    await screenshot(page, 'navigation-axis-brush');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
