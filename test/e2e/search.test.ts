// End to end in web mode: finding bytes. The Search tab finds a text in every stream of the seed
// pcap (as many hits as the API, which test/search holds against tshark), a hit opens its stream at
// that byte; the stream view's find does the same inside one stream, hex bytes included.

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession } from './support';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const web = webSession('e2e-search', () => [PCAP]);

const hits = (page: Page) => page.locator('.byte-hit');

describe('searching bytes in chromium', () => {
  test('across every stream, then into one stream at the hit', async () => {
    const { page, errors, close } = await newPage(web.browser);
    await page.goto(web.server.announcement.url);
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    await page.getByRole('tab', { name: 'Search' }).click();
    await page.getByLabel('Search all streams: pattern').fill('502 Bad Gateway');
    await page.getByRole('button', { name: 'Find' }).click();
    const { initialCaseId: caseId } = await web.server.call('app.info', {});
    const api = await web.server.call('search.bytes', { caseId: caseId!, query: { mode: 'text', pattern: '502 Bad Gateway' }, limit: 500 });
    await expect.poll(() => hits(page).count(), { timeout: SLOW }).toBe(api.hits.length);
    expect(await page.getByRole('status').first().innerText()).toContain(`${api.hits.length} hits`);
    expect(await page.locator('.byte-hit mark').first().innerText()).toBe('502 Bad Gateway');
    await screenshot(page, 'search-all-streams');
    const first = api.hits[0]!;
    await hits(page).first().click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/stream/${first.streamId}/${first.dir}/${first.offset}$`));
    await expect.poll(() => page.locator('.stream-body').innerText(), { timeout: SLOW }).toContain('502 Bad Gateway');

    // Inside the stream: hex bytes of "content-" (its response's headers).
    await page.getByText('Find in this stream').click();
    await page.getByLabel('Find in this stream: pattern').fill('63 6f 6e 74 65 6e 74 2d');
    await page.getByLabel('Pattern kind').selectOption('hex');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => hits(page).count(), { timeout: SLOW }).toBeGreaterThan(0);
    await screenshot(page, 'search-in-stream');
    await hits(page).first().click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/stream/${first.streamId}/(in|out)/\\d+$`));
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
