// End to end in web mode: bookmarks. On the seed pcap a connection row (b on the selected row), a
// chunk of a stream's bytes, an HTTP exchange and a finding are marked with notes; the Bookmarks tab
// lists them with their notes, each opening its place; a re-index keeps every one, resolving to the
// same places; the report prints them. On a syscall capture an event of the System calls table, and
// on a heap dump an object of the dominator tree.

import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession } from './support';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const SCAP = corpus('scap', 'curl_google.scap');
const HEAP = corpus('hprof', 'small-jcmd-live.hprof.gz');
const web = webSession('e2e-bookmarks', () => [PCAP, SCAP, HEAP]);

async function note(page: Page, text: string) {
  const field = page.getByLabel('Bookmark note');
  await field.waitFor({ timeout: SLOW });
  await field.fill(text);
  await field.press('Enter');
}

async function caseOf(index: number): Promise<string> {
  return (await web.servers[index]!.call('app.info', {})).initialCaseId!;
}

describe('bookmarks in chromium', () => {
  test('marks a connection, bytes, an exchange and a finding; lists them; a re-index keeps them', async () => {
    const { page, errors, close } = await newPage(web.browser);
    const server = web.server;
    await page.goto(server.announcement.url);
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    const caseId = await caseOf(0);

    // A finding on the overview.
    const finding = page.locator('.finding').first();
    await finding.waitFor({ timeout: SLOW });
    await finding.getByRole('button', { name: /^Bookmark the first finding/ }).click();
    await note(page, 'every 502 is HAProxy refusing the backend header');
    await expect.poll(() => finding.locator('.finding-head .bookmark-button').innerText()).toBe('★ Bookmarked');
    // And one of its members, far down the group; then the group folded again.
    await finding.locator('.finding-expand').click();
    const member = finding.locator('.finding-member').nth(15);
    await member.waitFor({ timeout: SLOW });
    const memberText = await member.locator('.exchange-link').innerText();
    await member.locator('.bookmark-button').click();
    await note(page, 'a later 502, same cause');
    await expect.poll(() => member.locator('.bookmark-button').innerText()).toBe('★ Bookmarked');
    await finding.locator('.finding-expand').click();

    // A connection: the selected row of the table, with the b key.
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Connections' }).click();
    await page.locator('.vt-viewport').focus();
    await page.keyboard.press('ArrowDown');
    // The key works once the selected row has come (its button shows).
    await page.locator('.tables-view .bookmark-button').waitFor({ timeout: SLOW });
    await page.keyboard.press('b');
    await note(page, 'the second client connection');
    await expect.poll(() => page.locator('.tables-view .bookmark-button').innerText()).toBe('★ Bookmarked');

    // Bytes of a stream: its first response chunk.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+$/);
    const chunk = page.locator('.chunk-in').first();
    await chunk.waitFor({ timeout: SLOW });
    await chunk.locator('.bookmark-button').click();
    await note(page, 'the response HAProxy sent');
    await expect.poll(() => chunk.locator('.bookmark-button').innerText()).toBe('★ Bookmarked');
    await screenshot(page, 'bookmark-stream-chunk');

    // An exchange: its detail's button, with Ctrl+B.
    await page.getByRole('tab', { name: 'HTTP' }).click();
    await page.locator('.exchange-rows tbody tr').first().waitFor({ timeout: SLOW });
    await page.locator('.exchange-viewport').focus();
    await page.keyboard.press('ArrowDown');
    const detail = page.locator('.exchange-detail');
    await detail.locator('.bookmark-button').waitFor({ timeout: SLOW });
    await page.locator('.exchange-viewport').focus();
    await page.keyboard.press('Control+b');
    await note(page, 'an exchange to compare with the 502s');
    await expect.poll(() => detail.locator('.bookmark-button').innerText()).toBe('★ Bookmarked');

    // The Bookmarks tab: the four, in the order made, with their notes.
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    const items = page.locator('.bookmark');
    await expect.poll(() => items.count(), { timeout: SLOW }).toBe(5);
    const listed = (await server.call('bookmarks.list', { caseId })).bookmarks;
    expect(listed.map((b) => b.key.kind)).toEqual(['finding', 'finding', 'stream', 'stream-range', 'exchange']);
    expect(await page.locator('.bookmark-edit textarea').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).toEqual([
      'every 502 is HAProxy refusing the backend header',
      'a later 502, same cause',
      'the second client connection',
      'the response HAProxy sent',
      'an exchange to compare with the 502s',
    ]);
    await screenshot(page, 'bookmarks-tab');

    // Each opens its place: the exchange in the HTTP view, the bytes at their first byte.
    const exchange = listed[4]!.place as { exchangeId: number };
    await items.nth(4).locator('.bookmark-open').click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/http/${exchange.exchangeId}$`));
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    const range = listed[3]!.stream!;
    await items.nth(3).locator('.bookmark-open').click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/stream/${range.streamId}/in/${range.offset}$`));
    // The member finding: on the overview, its group expanded again and it in view.
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    await items.nth(1).locator('.bookmark-open').click();
    await expect.poll(() => page.url()).toMatch(/\/case\/[0-9a-f]+$/);
    const focused = page.locator('.finding-member:has(.evidence-link:focus)');
    await focused.waitFor({ timeout: SLOW });
    expect(await focused.locator('.exchange-link').innerText()).toBe(memberText);
    const box = (await focused.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    await screenshot(page, 'bookmark-finding-opened');

    // A note edited in place.
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    await items.nth(2).locator('textarea').fill('the second client connection: reset?');
    await items.nth(2).getByRole('button', { name: 'Save note' }).click();
    await expect.poll(async () => (await server.call('bookmarks.list', { caseId })).bookmarks[2]!.note).toBe('the second client connection: reset?');

    // Re-indexed: every bookmark resolves to the same place.
    await page.getByRole('button', { name: /Re-index/ }).click();
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    await expect.poll(async () => (await server.call('case.get', { caseId })).progress.state, { timeout: SLOW }).toBe('done');
    const after = (await server.call('bookmarks.list', { caseId })).bookmarks;
    expect(after.map((b) => [b.place, b.missing, b.ts])).toEqual(listed.map((b) => [b.place, null, b.ts]));
    await page.reload();
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    await expect.poll(() => items.count(), { timeout: SLOW }).toBe(5);
    expect(await page.locator('.bookmark-gone').count()).toBe(0);

    const report = await server.call('report.export', { caseId, format: 'md' });
    expect(report.text).toContain('## What we looked at and why');
    expect(report.text).toContain('the response HAProxy sent');
    expect(errors).toEqual([]);
    await close();
  }, 3 * SLOW);

  test('marks an event of a syscall capture and an object of a heap dump, each opening its place', async () => {
    const { page, errors, close } = await newPage(web.browser);
    await page.goto(web.servers[1]!.announcement.url);
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    await page.locator('.vt-viewport').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await page.locator('.tables-view .bookmark-button').waitFor({ timeout: SLOW });
    await page.keyboard.press('b');
    await note(page, 'where curl resolves the name');
    const scapCase = await caseOf(1);
    const [event] = (await web.servers[1]!.call('bookmarks.list', { caseId: scapCase })).bookmarks;
    expect(event!.key.kind).toBe('event');
    const num = (event!.place as { num: number }).num;
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    await page.locator('.bookmark-open').click();
    await expect.poll(() => page.locator('.filter-bar input').first().inputValue(), { timeout: SLOW }).toBe(`evt.num=${num}`);
    await expect.poll(() => page.url()).toMatch(/\/tables\/events$/);
    await expect.poll(() => page.locator('.pager-range').innerText(), { timeout: SLOW }).toBe('1 rows');
    await screenshot(page, 'bookmark-event-opened');

    await page.goto(web.servers[2]!.announcement.url);
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    await page.getByRole('tab', { name: 'Heap' }).click();
    await page.getByRole('tab', { name: 'Dominator tree' }).click();
    const firstItem = page.locator('[role=treeitem]').first();
    await firstItem.waitFor({ timeout: SLOW });
    await firstItem.focus();
    await page.locator('.tree-bookmark .bookmark-button').waitFor({ timeout: SLOW });
    await page.keyboard.press('b');
    await note(page, 'the class loader that holds the cache');
    const heapCase = await caseOf(2);
    const [object] = (await web.servers[2]!.call('bookmarks.list', { caseId: heapCase })).bookmarks;
    expect(object!.key.kind).toBe('heap-object');
    expect(object!.label).toMatch(/^object 0x[0-9a-f]+ \(jdk\.internal\.loader\.ClassLoaders\$AppClassLoader\) in small-jcmd-live\.hprof$/);
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    await expect.poll(() => page.locator('.bookmark-open').innerText(), { timeout: SLOW }).toBe(object!.label);
    await screenshot(page, 'bookmark-heap-object');
    expect(errors).toEqual([]);
    await close();
  }, 3 * SLOW);
});
