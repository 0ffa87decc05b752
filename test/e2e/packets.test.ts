// End to end in web mode: the packet list on the seed pcap, held against tshark. The list shows
// tshark's packets (number, addresses, Info), pages to the last one, follows the filter bar, shows
// the selected packet's bytes as tshark dumps them; a packet bookmarked with a note opens again
// from the Bookmarks tab, selected in the list, and the report prints it among what we looked at.

import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession } from './support';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const web = webSession('e2e-packets', () => [PCAP]);

function tshark(args: string[]): string[] {
  return execFileSync('tshark', ['-r', PCAP, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l !== '');
}

const list = (page: Page) => page.locator('.packets-view');
const cellOf = (page: Page, rowIndex: number, column: string) => list(page).locator(`.vt-row[aria-rowindex="${rowIndex + 2}"] [data-column="${column}"]`);
const selectedCell = (page: Page, column: string) => list(page).locator(`.vt-row[aria-selected=true] [data-column="${column}"]`);

describe('the packet list in chromium', () => {
  test('lists, pages, filters, shows bytes; a bookmarked packet opens from the Bookmarks tab and is in the report', async () => {
    const { page, errors, close } = await newPage(web.browser);
    const server = web.server;
    await page.goto(server.announcement.url);
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    const caseId = (await server.call('app.info', {})).initialCaseId!;
    const all = tshark(['-T', 'fields', '-e', 'frame.number']).length;

    // The list: tshark's first packet first.
    await page.getByRole('tab', { name: /^Packets/ }).click();
    await expect.poll(() => list(page).locator('.pager-range').innerText(), { timeout: SLOW }).toBe(`${all.toLocaleString('en-US')} packets`);
    const [first] = tshark(['-c', '1', '-T', 'fields', '-E', 'separator=|', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport']);
    const [src, dst, sport, dport] = first!.split('|');
    await expect.poll(() => cellOf(page, 0, 'frame').innerText(), { timeout: SLOW }).toBe('1');
    expect(await cellOf(page, 0, 'source').innerText()).toBe(src);
    expect(await cellOf(page, 0, 'destination').innerText()).toBe(dst);
    expect(await cellOf(page, 0, 'info').innerText()).toMatch(new RegExp(`^${sport} → ${dport} \\[SYN\\] Seq=0 Win=\\d+ Len=0`));
    await screenshot(page, 'packets-list');

    // Paged: the last packet, fetched when it comes on screen.
    await list(page).locator('.vt-viewport').focus();
    await page.keyboard.press('End');
    await expect.poll(() => selectedCell(page, 'frame').innerText(), { timeout: SLOW }).toBe(String(all));
    await page.keyboard.press('Home');

    // The filter bar: the upstream connections' packets only.
    const upstream = tshark(['-Y', 'tcp.port == 9001', '-T', 'fields', '-e', 'frame.number']);
    const input = page.locator('#filter-input');
    await input.fill('fd.sport=9001');
    await input.press('Enter');
    await expect.poll(() => list(page).locator('.pager-range').innerText(), { timeout: SLOW }).toBe(`${upstream.length.toLocaleString('en-US')} packets`);
    await expect.poll(() => page.getByRole('tab', { name: /^Packets/ }).innerText()).toMatch(new RegExp(`${upstream.length}`));

    // A packet selected: its bytes as tshark dumps them, its layers.
    await list(page).locator('.vt-viewport').focus();
    // Far down the list, so that opening it again has to find it and scroll to it.
    await page.keyboard.press('End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    const frame = Number(upstream[upstream.length - 4]);
    await expect.poll(() => selectedCell(page, 'frame').innerText(), { timeout: SLOW }).toBe(String(frame));
    const bytes = page.locator('.packet-bytes');
    await bytes.waitFor({ timeout: SLOW });
    const dump = tshark(['-Y', `frame.number == ${frame}`, '-x']).filter((l) => /^[0-9a-f]{4}  /.test(l));
    const hexOf = (line: string) => line.slice(6, 6 + 16 * 3).trim().split(/\s+/).join(' ');
    const shownHex = await bytes.locator('.packet-bytes-hex').evaluateAll((els) => els.map((el) => (el as unknown as { textContent: string }).textContent));
    expect(shownHex.length).toBe(dump.length);
    expect(shownHex.map((h) => h.match(/../g)!.join(' '))).toEqual(dump.map(hexOf));
    await expect.poll(() => list(page).locator('.packet-layers summary').allInnerTexts()).toEqual([
      expect.stringMatching(new RegExp(`^Frame ${frame}: `)),
      expect.stringMatching(/^Ethernet II/),
      expect.stringMatching(/^Internet Protocol Version 4, Src: 127\.0\.0\.1, Dst: 127\.0\.0\.1$/),
      expect.stringMatching(/^Transmission Control Protocol, Src Port: \d+, Dst Port: \d+, Len: \d+, Seq: \d+/),
      ...(await list(page).locator('.packet-layers summary').allInnerTexts()).slice(4),
    ]);
    // Pointing at the IP layer marks its 20 bytes.
    await list(page).locator('.packet-layers summary', { hasText: 'Internet Protocol Version 4' }).hover();
    await expect.poll(() => bytes.locator('.packet-byte.is-marked').count()).toBe(20);
    await screenshot(page, 'packets-filtered-bytes', { fullPage: true });

    // Bookmarked with a note, by the b key on the list.
    await list(page).locator('.vt-viewport').focus();
    await page.keyboard.press('b');
    const note = page.getByLabel('Bookmark note');
    await note.fill('the backend answering HAProxy');
    await note.press('Enter');
    await expect.poll(() => list(page).locator('.bookmark-button').innerText()).toBe('★ Bookmarked');
    const [mark] = (await server.call('bookmarks.list', { caseId })).bookmarks;
    expect(mark!.key).toEqual({ kind: 'packet', entry: 'haproxy-502.pcap', frame });

    // Opened from the Bookmarks tab, with the filter gone: found deep in the whole list, selected and on screen.
    await input.fill('');
    await input.press('Enter');
    await page.getByRole('tab', { name: 'Bookmarks' }).click();
    await page.locator('.bookmark-open').click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/packets/frame/1/${frame}$`));
    await expect.poll(() => selectedCell(page, 'frame').innerText(), { timeout: SLOW }).toBe(String(frame));
    const row = (await list(page).locator('.vt-row[aria-selected=true]').boundingBox())!;
    const viewport = (await list(page).locator('.vt-viewport').boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(viewport.y);
    expect(row.y + row.height).toBeLessThanOrEqual(viewport.y + viewport.height);
    await list(page).locator('.packet-bytes').waitFor({ timeout: SLOW });
    await screenshot(page, 'packets-bookmark-opened', { fullPage: true });

    // Enter: the packet's connection; its Packets button: that connection's packets only.
    await list(page).locator('.vt-viewport').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+$/);
    await page.getByRole('button', { name: 'Packets', exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/\/packets\/stream\/\d+$/);
    const [connection] = tshark(['-Y', `frame.number == ${frame}`, '-T', 'fields', '-e', 'tcp.stream']);
    const ofConnection = tshark(['-Y', `tcp.stream == ${connection}`, '-T', 'fields', '-e', 'frame.number']);
    await expect.poll(() => list(page).locator('.pager-range').innerText(), { timeout: SLOW }).toBe(`${ofConnection.length} packets`);
    expect(await cellOf(page, 0, 'frame').innerText()).toBe(ofConnection[0]);
    await screenshot(page, 'packets-of-a-connection');

    // The report's "What we looked at and why".
    const report = await server.call('report.export', { caseId, format: 'md' });
    const section = report.text.slice(report.text.indexOf('## What we looked at and why'));
    expect(section).toContain(`packet ${frame} (tcp) in haproxy-502.pcap`);
    expect(section).toContain('the backend answering HAProxy');
    expect(errors).toEqual([]);
    await close();
  }, 4 * SLOW);
});
