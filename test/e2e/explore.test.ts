// End to end in web mode, the exploring half of the case page: the overview's tiles, the
// timeline's brush, the tables with their drill path (mouse and keyboard), and the filter bar's
// inline errors, on a syscall capture of the seed incident with containers (written by the test
// scap writer, which sysdig reads: test/http/scap-incident.test.ts) and on the seed pcap.
// Screenshots land in test-results/ for a human to look at.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { P } from '../helpers/scap-writer';
import { BAD_GATEWAY, BAD_RESPONSE, proxiedExchange, request, seedIncidentScap, TID } from '../helpers/scap-incident';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession, type Server, type WatchedPage } from './support';

const ROUNDS = 8;
/** A file name that is markup: it must stay text in every table. */
const HOSTILE_NAME = '/tmp/<img src=x onerror=alert(1)>.log';

/**
 * curl → haproxy (container edge-lb) → python (container ticket-server), ROUNDS times, 100 ms
 * apart, each round ending in a 502; haproxy reads its config and writes a log line each round.
 */
function incident(): Buffer {
  const w = seedIncidentScap();
  const haproxy = TID.haproxy;
  const ask = request('/getticket');
  for (let round = 0; round < ROUNDS; round++) {
    w.advance(100_000_000n);
    w.ev('openat', '>', haproxy, [P.i64(-100), P.str('/etc/haproxy/haproxy.cfg'), P.u32(1), P.u32(0)]);
    w.ev('openat', '<', haproxy, [P.i64(9), P.i64(-100), P.str('/etc/haproxy/haproxy.cfg'), P.u32(1), P.u32(0), P.u32(0)]);
    w.io('read', haproxy, 9, 'global\n  maxconn 100\n').close(haproxy, 9);
    proxiedExchange(w, { round, request: ask, upstreamRequest: ask, upstreamResponse: BAD_RESPONSE, clientResponse: BAD_GATEWAY });
    w.ev('openat', '>', haproxy, [P.i64(-100), P.str(HOSTILE_NAME), P.u32(1), P.u32(0)]);
    w.ev('openat', '<', haproxy, [P.i64(10), P.i64(-100), P.str(HOSTILE_NAME), P.u32(1), P.u32(0), P.u32(0)]);
    w.io('write', haproxy, 10, `<script>alert(${round})</script> 502 for /getticket\n`).close(haproxy, 10);
    w.ev('open', '>', TID.curl, [P.str('/root/.curlrc'), P.u32(1), P.u32(0)]);
    w.ev('open', '<', TID.curl, [P.i64(-2), P.str('/root/.curlrc'), P.u32(1), P.u32(0), P.u32(0)]);
  }
  return w.bytes();
}

const web = webSession('e2e-explore', (dir) => {
  const file = path.join(dir, 'edge-lb-502.scap');
  fs.writeFileSync(file, incident());
  return [file, corpus('pcap', 'haproxy-502.pcap')];
});
const scapServer = () => web.servers[0]!;
const pcapServer = () => web.servers[1]!;

async function open(server: Server): Promise<WatchedPage> {
  const watched = await newPage(web.browser);
  await watched.page.goto(server.announcement.url);
  await watched.page.locator('.tile').first().waitFor({ timeout: SLOW });
  return watched;
}

const tileValue = (page: Page, metric: string) => page.locator(`.tile[data-metric="${metric}"] .tile-value`).innerText();
const rowCount = async (page: Page) => Number((await page.locator('.tables-panel .pager-range').innerText()).replace(/[^\d]/g, ''));
const visibleRows = (page: Page) => page.locator('.vt-viewport .vt-row');
/** The little of the DOM these checks touch (the test compiles without the DOM library). */
interface El {
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  ownerDocument: { activeElement: unknown };
}
const cellTexts = (page: Page) =>
  visibleRows(page).evaluateAll((rows) => (rows as unknown as El[]).map((r) => Array.from(r.querySelectorAll('[role=gridcell]')).map((c) => c.textContent ?? '')));
const hasFocus = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => (el as unknown as El).ownerDocument.activeElement === el);

describe('exploring a syscall capture in chromium', () => {
  test('the overview counts the incident, and a tile drills into its table', async () => {
    const { page, errors, close } = await open(scapServer());
    await expect.poll(() => tileValue(page, 'httpErrors'), { timeout: SLOW / 2 }).toBe(String(ROUNDS));
    expect(await tileValue(page, 'containers')).toBe('3');
    expect(await tileValue(page, 'fileOpenErrors')).toBe(String(ROUNDS));
    expect(await tileValue(page, 'connectionsOut')).toBe(String(ROUNDS * 2));
    expect(await tileValue(page, 'connectionsIn')).toBe(String(ROUNDS * 2));
    await screenshot(page, 'explore-overview', { fullPage: true });
    await page.locator('.tile[data-metric="fileOpenErrors"] .tile-main').click();
    await expect.poll(() => page.url()).toMatch(/\/tables\/errors$/);
    // curl's failed open of ~/.curlrc, once a round: one group, first failed by curl.
    await expect.poll(() => cellTexts(page), { timeout: SLOW / 2 }).toEqual([['open', 'ENOENT (-2)', String(ROUNDS), 'curl', expect.any(String), expect.any(String)]]);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('drilling from containers to a connection ends in its bytes; Backspace climbs back', async () => {
    const { page, errors, close } = await open(scapServer());
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Containers' }).click();
    const edge = visibleRows(page).filter({ hasText: 'edge-lb' });
    await edge.waitFor({ timeout: SLOW });
    await edge.dblclick();
    await expect.poll(() => page.locator('.breadcrumb').innerText()).toContain('container edge-lb');
    await expect.poll(() => cellTexts(page)).toEqual([expect.arrayContaining(['haproxy'])]);
    await visibleRows(page).first().dblclick();
    await expect.poll(() => page.url()).toMatch(/\/tables\/connections$/);
    // haproxy's two ends per round: the accepted client connection and its own upstream one.
    await expect.poll(() => rowCount(page)).toBe(ROUNDS * 2);
    await screenshot(page, 'explore-drill-connections');
    const first = visibleRows(page).first();
    const tuple = (await first.locator('[role=gridcell]').first().innerText()).trim();
    await first.dblclick();
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+$/);
    await expect.poll(() => page.locator('.breadcrumb').innerText()).toContain(tuple);
    await page.locator('.tab-panel').getByText('GET /getticket').first().waitFor({ timeout: SLOW });
    await screenshot(page, 'explore-drill-stream');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.url()).toMatch(/\/tables\/connections$/);
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.url()).toMatch(/\/tables\/processes$/);
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.url()).toMatch(/\/tables\/containers$/);
    expect(await page.locator('.breadcrumb .crumb-here').innerText()).toBe('All');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('keyboard alone: select with arrows, Enter drills, Backspace goes up, / focuses the filter', async () => {
    const { page, errors, close } = await open(scapServer());
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Containers' }).click();
    await visibleRows(page).first().waitFor({ timeout: SLOW });
    // The table has the focus as soon as it shows.
    await expect.poll(() => hasFocus(page, '.vt-viewport')).toBe(true);
    const names = await cellTexts(page);
    const target = names.findIndex((cells) => cells[0] === 'ticket-server');
    await page.keyboard.press('Home');
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.breadcrumb').innerText()).toContain('container ticket-server');
    await expect.poll(() => cellTexts(page)).toEqual([expect.arrayContaining(['python'])]);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toMatch(/\/tables\/connections$/);
    await expect.poll(() => rowCount(page)).toBe(ROUNDS);
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.url()).toMatch(/\/tables\/processes$/);
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.url()).toMatch(/\/tables\/containers$/);
    // Back where it was: the ticket-server row is selected again.
    await expect.poll(() => page.locator('.vt-selected').innerText()).toContain('ticket-server');
    await page.keyboard.press('/');
    expect(await hasFocus(page, '#filter-input')).toBe(true);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('brushing the timeline narrows the tables and the tiles', async () => {
    const { page, errors, close } = await open(scapServer());
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    // The whole capture, once its ingest is done: a count read while rows still arrive may be
    // smaller than the brushed range's, and the narrowing below would never show.
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    const { initialCaseId } = await scapServer().call('app.info', {});
    const { events } = await scapServer().call('explore.shape', { caseId: initialCaseId! });
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(events);
    const all = await rowCount(page);
    // The chart is drawn (and measured) before the drag.
    await page.locator('.timeline-bars rect').first().waitFor({ timeout: SLOW });
    const svg = page.locator('.timeline-svg');
    const box = (await svg.boundingBox())!;
    // Drag across the middle third of the capture.
    await page.mouse.move(box.x + box.width * 0.35, box.y + 30);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.65, box.y + 30, { steps: 8 });
    await page.mouse.up();
    await page.locator('.timeline-range').waitFor({ timeout: SLOW });
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBeLessThan(all);
    const narrowed = await rowCount(page);
    expect(narrowed).toBeGreaterThan(0);
    await screenshot(page, 'explore-brush-events');
    // The selection stays when the view changes: the overview counts the same range.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(async () => Number((await tileValue(page, 'httpErrors')).replace(/[^\d]/g, '')), { timeout: SLOW }).toBeLessThan(ROUNDS);
    // Keyboard: Escape on the focused timeline clears the selection.
    await svg.focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => tileValue(page, 'httpErrors'), { timeout: SLOW }).toBe(String(ROUNDS));
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('the filter bar marks the column of a fault inline and applies a good filter to the view', async () => {
    const { page, errors, close } = await open(scapServer());
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    // The whole capture, once its ingest is done: a count read while rows still arrive would not hold.
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    const { initialCaseId } = await scapServer().call('app.info', {});
    const { events } = await scapServer().call('explore.shape', { caseId: initialCaseId! });
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(events);
    const all = await rowCount(page);
    const input = page.locator('#filter-input');
    await input.fill('fd.sprot=80');
    await input.press('Enter');
    const fault = page.locator('.filter-error');
    await fault.waitFor({ timeout: SLOW });
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const expected = await page.evaluate(async () => {
      const token = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('capscope.token');
      const res = await fetch('/api/filter.check', { method: 'POST', body: JSON.stringify({ expr: 'fd.sprot=80', target: 'events' }), headers: { 'x-capscope-token': String(token) } });
      return (await res.json()) as { ok: boolean; column: number; message: string };
    });
    expect(expected.ok).toBe(false);
    expect(await fault.locator('.filter-message').innerText()).toBe(expected.message);
    // The marked character is the one at that column.
    expect(await page.locator('.filter-mark').innerText()).toBe('fd.sprot=80'.charAt(expected.column - 1) || ' ');
    // The view was not filtered by the faulty expression.
    expect(await rowCount(page)).toBe(all);
    await screenshot(page, 'explore-filter-error');
    await input.fill('evt.type=openat');
    await input.press('Enter');
    await expect.poll(() => page.locator('.filter-error').count()).toBe(0);
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(ROUNDS * 4);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('file names and bytes that are markup stay text', async () => {
    const { page, errors, close } = await open(scapServer());
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Files' }).click();
    await visibleRows(page).filter({ hasText: '<img src=x onerror=alert(1)>' }).first().waitFor({ timeout: SLOW });
    expect(await page.locator('.tab-panel img').count()).toBe(0);
    await page.getByRole('tab', { name: 'Directories' }).click();
    await visibleRows(page).filter({ hasText: '/tmp/' }).first().waitFor({ timeout: SLOW });
    await screenshot(page, 'explore-directories');
    expect(await page.locator('.tab-panel img, .tab-panel script').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('exploring a network capture in chromium', () => {
  test('the overview says what a pcap cannot show, and connections page like tshark counts them', async () => {
    const { page, errors, close } = await open(pcapServer());
    await expect.poll(() => tileValue(page, 'httpErrors'), { timeout: SLOW }).toBe('49');
    expect(await tileValue(page, 'processes')).toBe('—');
    await screenshot(page, 'explore-pcap-overview', { fullPage: true });
    await page.getByRole('tab', { name: 'Tables' }).click();
    expect(await page.getByRole('tab', { name: 'Processes' }).count()).toBe(0);
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(170);
    // Scroll to the bottom: rows are fetched as they come on screen.
    await page.locator('.vt-viewport').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('.vt-selected').innerText(), { timeout: SLOW }).toMatch(/\d+\.\d+\.\d+\.\d+/);
    await screenshot(page, 'explore-pcap-connections');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
