// The investigation workflow end to end in web mode (issue 22), on the seed incident
// (haproxy-502.pcap: 49 of the 85 client requests answered 502 by HAProxy): grouped findings with
// their banner and members, links from a finding to its exchange, one count of findings under a
// brushed range. Screenshots land in test-results/workflow-*.png for a human to look at.

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession, type WatchedPage } from './support';

const web = webSession('e2e-workflow', () => [corpus('pcap', 'haproxy-502.pcap')]);

async function open(): Promise<WatchedPage> {
  const watched = await newPage(web.browser);
  await watched.page.goto(web.server.announcement.url);
  await watched.page.locator('.tile').first().waitFor({ timeout: SLOW });
  await watched.page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
  return watched;
}

const shot = (page: Page, name: string) => screenshot(page, `workflow-${name}`);
const tileValue = (page: Page, metric: string) => page.locator(`.tile[data-metric="${metric}"] .tile-value`).innerText();

async function brush(page: Page, from: number, to: number) {
  await page.locator('.timeline-bars rect').first().waitFor({ timeout: SLOW });
  const box = (await page.locator('.timeline-svg').boundingBox())!;
  await page.mouse.move(box.x + box.width * from, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to, box.y + 30, { steps: 8 });
  await page.mouse.up();
  await page.locator('.timeline-range').waitFor({ timeout: SLOW });
}

describe('findings in chromium', () => {
  test('the 49 502s are one group with its count, times, endpoint and share, expandable to its members', async () => {
    const { page, errors, close } = await open();
    const panel = page.locator('.findings-panel');
    await panel.waitFor({ timeout: SLOW });
    const group = panel.locator('.finding[data-kind="proxy-error"]');
    expect(await group.count()).toBe(1);
    expect(await group.locator('.finding-title').innerText()).toBe('502 Bad Gateway: malformed upstream response');
    expect(await group.locator('.finding-times').innerText()).toBe('× 49');
    expect(await group.locator('.finding-banner').innerText()).toBe('49 of 85 responses from 127.0.0.1:8080 were 502 Bad Gateway (57.6 %)');
    expect(await group.locator('.finding-meta').innerText()).toMatch(/^first \d\d:\d\d:\d\d\.\d{6}, last \d\d:\d\d:\d\d\.\d{6} UTC · endpoint 127\.0\.0\.1:8080$/);
    expect(await panel.locator('.findings-count').innerText()).toBe('50');
    await shot(page, 'findings-grouped');

    await group.getByRole('button', { name: 'Show all 49' }).click();
    const members = group.locator('.finding-member');
    await expect.poll(() => members.count(), { timeout: SLOW }).toBe(20);
    await group.getByRole('button', { name: /^Show 20 more of 29$/ }).click();
    await expect.poll(() => members.count(), { timeout: SLOW }).toBe(40);
    // Every member names its own exchange, and each a different one.
    const exchanges = await members.locator('.exchange-link').allInnerTexts();
    expect(new Set(exchanges).size).toBe(40);
    await shot(page, 'findings-expanded');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('"exchange 5" is a link to that exchange in the HTTP view', async () => {
    const { page, errors, close } = await open();
    const link = page.locator('.finding[data-kind="proxy-error"] .finding-first .exchange-link');
    await link.waitFor({ timeout: SLOW });
    const id = (await link.innerText()).replace('exchange ', '');
    await link.click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/http/${id}$`));
    const detail = page.locator('.exchange-detail');
    await detail.waitFor({ timeout: SLOW });
    expect(await detail.locator('h2').innerText()).toMatch(/GET \/getticket → 502 Bad Gateway/);
    await shot(page, 'finding-exchange');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('under a brushed range the findings badge and the Findings tile say the same number', async () => {
    const { page, errors, close } = await open();
    await page.locator('.findings-count').waitFor({ timeout: SLOW });
    await brush(page, 0.3, 0.6);
    await expect.poll(async () => Number(await page.locator('.findings-count').innerText()), { timeout: SLOW }).toBeLessThan(49);
    await expect.poll(() => tileValue(page, 'findings'), { timeout: SLOW }).toBe(await page.locator('.findings-count').innerText());
    expect(await page.locator('.findings-note').innerText()).toContain('1 finding is about the whole capture');
    await shot(page, 'findings-brushed');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('one byte, one number', () => {
  const PLACE = "line at byte 17, '/' at byte 21";
  test('the finding, the stream view, the HTTP detail and the report name the malformed line and its offending byte the same way', async () => {
    const { page, errors, close } = await open();
    const group = page.locator('.finding[data-kind="proxy-error"]');
    const evidence = group.locator('.evidence-link', { hasText: 'text/plain: Content-type' }).first();
    await evidence.waitFor({ timeout: SLOW });
    expect(await evidence.locator('.evidence-where').innerText()).toBe(`stream 6, received: ${PLACE}`);
    await evidence.click();
    await expect.poll(() => page.url(), { timeout: SLOW }).toMatch(/\/stream\/6\/in\/21$/);
    const mark = page.locator('.stream-marks .mark-link').first();
    await mark.waitFor({ timeout: SLOW });
    expect(await mark.innerText()).toBe(`invalid-field-name (received: ${PLACE})`);
    await shot(page, 'byte-stream');
    // The upstream exchange's detail, in the HTTP view.
    const { initialCaseId: caseId } = await web.server.call('app.info', {});
    const { rows } = await web.server.call('http.exchanges', { caseId: caseId!, scope: {}, sort: { column: 'time', desc: false }, limit: 10, offset: 0 });
    const upstream = rows.find((r) => r.diagnosticCount > 0)!;
    await page.evaluate(`location.hash = ${JSON.stringify(`#/case/${caseId}/http/${upstream.id}`)}`);
    const see = page.locator('.exchange-diagnostics .link-button').first();
    await see.waitFor({ timeout: SLOW });
    expect(await see.innerText()).toBe(`see the bytes (stream 6, ${PLACE})`);
    await shot(page, 'byte-http');
    const { text } = await web.server.call('report.export', { caseId: caseId!, format: 'md' });
    expect(text).toContain(`| 6 | in | ${PLACE} | \`text/plain: Content-type\` |`);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
