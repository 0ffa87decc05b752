// End to end in web mode: finding one's way back. Backspace and the browser's Back return from a
// stream opened from a finding to that finding, its group expanded as it was; the tab bar says where
// the stream view belongs; the drill path's "All" returns to the table on screen (Errors), not to
// the one the first step was taken from; the selected HTTP exchange's detail is on screen; a drag
// that starts on the time axis brushes.

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { BACKEND_IP, CLIENT_IP, curl, IncidentScap, python, request, SYSTEMD, TICKET_SERVER, TID } from '../helpers/scap-incident';
import { newPage, screenshot, SLOW, VIEWPORT, webSession } from './support';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const SCAP = corpus('scap', 'curl_google.scap');
const REQUEST = request('/getticket');
/** The server read only the first 40 bytes of the request before the capture ended. */
const SERVER_READ = 40;
const RESPONSE = 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n';

/** One connection seen from both ends, where the server's side read fewer bytes than curl sent. */
function shortReadScap(dir: string): string {
  const client = { tid: TID.curl, fd: 3 };
  const server = { tid: TID.python, fd: 5 };
  const w = new IncidentScap({ snaplen: 1024 }).begin([SYSTEMD, curl(`http://${BACKEND_IP}/getticket`), python()], [{ tid: TID.python, fd: 3 }], [TICKET_SERVER]);
  w.connect(client, server, { sip: CLIENT_IP, sport: 51000, dip: BACKEND_IP, dport: 80 });
  w.io('write', client.tid, client.fd, REQUEST).io('read', server.tid, server.fd, REQUEST.slice(0, SERVER_READ));
  w.io('write', server.tid, server.fd, RESPONSE).io('read', client.tid, client.fd, RESPONSE);
  const file = path.join(dir, 'short-read.scap');
  fs.writeFileSync(file, w.close(server.tid, server.fd).close(client.tid, client.fd).bytes());
  return file;
}

const web = webSession('e2e-navigation', (dir) => [PCAP, SCAP, shortReadScap(dir)]);

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

  test('"Also captured by the other end" says when that side moved fewer bytes than the offset', async () => {
    const server = web.servers[2]!;
    const { initialCaseId: caseId } = await server.call('app.info', {});
    await expect.poll(async () => (await server.call('case.get', { caseId: caseId! })).progress.state, { timeout: SLOW }).toBe('done');
    const page0 = await server.call('table.page', { caseId: caseId!, table: 'connections', scope: {} });
    let curlStream: number | null = null;
    for (const row of page0.rows) {
      if (row.drill?.kind !== 'stream') continue;
      const { stream } = await server.call('stream.get', { caseId: caseId!, streamId: row.drill.streamId });
      if (stream.endpoints[0]?.proc === 'curl') curlStream = stream.id;
    }
    expect(curlStream).not.toBeNull();
    const { peers } = await server.call('stream.peers', { caseId: caseId!, streamId: curlStream! });
    expect(peers).toHaveLength(1);
    const { page, errors, close } = await newPage(web.browser);
    await open(page, 2, `#/case/${caseId}/stream/${curlStream}/out/60`);
    const note = page.locator('.stream-peers .peer-short');
    await note.waitFor({ timeout: 15_000 });
    expect((await note.innerText()).trim()).toBe(`(that side received only ${SERVER_READ} bytes, so byte 60 is not in its view: the link opens its last)`);
    await screenshot(page, 'navigation-peer-short');
    await page.locator('.stream-peers a').click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/stream/${peers[0]!.stream.id}/in/${SERVER_READ - 1}$`));
    // A byte the other side did see: the same byte, no note.
    await page.evaluate(`location.hash = ${JSON.stringify(`#/case/${caseId}/stream/${curlStream}/out/10`)}`);
    await page.locator('.stream-peers a').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.stream-peers a').getAttribute('href')).toMatch(new RegExp(`/stream/${peers[0]!.stream.id}/in/10$`));
    expect(await page.locator('.peer-short').count()).toBe(0);
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
