// End to end in web mode: evidence taken away from the app and re-read by the trusted tools. A
// connection's packets (the stream view's Export pcapng) are the frames tshark shows for that
// connection; its client bytes are tshark's Follow TCP Stream; the System calls in scope (Export
// .scap) are what sysdig prints of the original under the same filter. And the System calls table
// lists what sysdig prints, the capture's metadata one switch away.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession, type Server, type WatchedPage } from './support';

const PCAP = corpus('pcap', 'haproxy-502.pcap');
const SCAP = corpus('scap', 'curl_google.scap');
const web = webSession('e2e-export', () => [PCAP, SCAP]);

async function open(server: Server): Promise<WatchedPage> {
  const watched = await newPage(web.browser);
  await watched.page.goto(server.announcement.url);
  await watched.page.locator('.tile').first().waitFor({ timeout: SLOW });
  await watched.page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
  return watched;
}

const rowCount = async (page: Page) => Number((await page.locator('.tables-panel .pager-range').innerText()).replace(/[^\d]/g, ''));

/** Clicks a button that offers a download and saves the file. */
async function download(page: Page, button: string, name: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: SLOW }), page.getByRole('button', { name: button }).click()]);
  const target = path.join(web.dir, name);
  await file.saveAs(target);
  return target;
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter((l) => l !== '');

describe('exports in chromium', () => {
  test("a connection's packets and bytes from the stream view", async () => {
    const { page, errors, close } = await open(web.servers[0]!);
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Connections' }).click();
    const row = page.locator('.vt-viewport .vt-row').nth(2);
    await row.waitFor({ timeout: SLOW });
    await row.dblclick();
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+$/);
    const streamId = Number(/\/stream\/(\d+)$/.exec(page.url())![1]);
    const { initialCaseId } = await web.servers[0]!.call('app.info', {});
    const info = await web.servers[0]!.call('stream.get', { caseId: initialCaseId!, streamId });
    const connection = info.stream.connectionIndex!;
    const file = await download(page, 'Export pcapng', 'connection.pcapng');
    const fields = ['-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'tcp.flags'];
    expect(run('tshark', ['-r', file, ...fields])).toEqual(run('tshark', ['-r', PCAP, '-Y', `tcp.stream == ${connection}`, ...fields]));
    await page.getByRole('status').filter({ hasText: /\.pcapng: \d+ items/ }).waitFor({ timeout: SLOW });
    const client = await download(page, 'Save client bytes', 'client.bin');
    const follow = run('tshark', ['-r', PCAP, '-q', '-z', `follow,tcp,raw,${connection}`]).filter((l) => /^[0-9a-f]+$/.test(l));
    expect(fs.readFileSync(client).toString('hex')).toBe(follow.join(''));
    await screenshot(page, 'export-stream');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('the System calls in scope as a .scap sysdig reads, and the metadata switch', async () => {
    const { page, errors, close } = await open(web.servers[1]!);
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    const printed = run('sysdig', ['-r', SCAP, '-p', '%evt.num']).length;
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(printed);
    await page.getByLabel('Show capture metadata').check();
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBeGreaterThan(printed);
    await screenshot(page, 'export-metadata-shown');
    await page.getByLabel('Show capture metadata').uncheck();
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(printed);
    const filter = 'evt.type in (connect, socket)';
    await page.locator('#filter-input').fill(filter);
    await page.locator('#filter-input').press('Enter');
    const theirs = run('sysdig', ['-r', SCAP, '-p', '*%evt.rawtime %evt.type %proc.name %fd.name %evt.rawres', filter]);
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(theirs.length);
    const slice = await download(page, 'Export .scap', 'slice.scap');
    expect(run('sysdig', ['-r', slice, '-p', '*%evt.rawtime %evt.type %proc.name %fd.name %evt.rawres', filter])).toEqual(theirs);
    await screenshot(page, 'export-scap');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
