// The investigation workflow end to end in web mode (issue 22), on the seed incident
// (haproxy-502.pcap: 49 of the 85 client requests answered 502 by HAProxy): grouped findings with
// their banner and members, links from a finding to its exchange, one count of findings under a
// brushed range. Screenshots land in test-results/workflow-*.png for a human to look at.

import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { newPage, screenshot, SLOW, webSession, type WatchedPage } from './support';

const web = webSession('e2e-workflow', () => [corpus('pcap', 'haproxy-502.pcap')]);
// A syscall capture (its tables have pids, tids, fds), in a session of its own: two servers
// started at once on one cache folder can race for their uploads folders' locks.
const scapWeb = webSession('e2e-workflow-scap', () => [corpus('scap', 'curl_google.scap')]);
const scap = () => scapWeb.server;

async function open(server = web.server): Promise<WatchedPage> {
  const watched = await newPage(web.browser);
  await watched.page.goto(server.announcement.url);
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

describe('time', () => {
  /** The capture is of 2026-11-22 (UTC): its date is not obvious on any other day. */
  const CAPTURE_DAY = '2026-11-22';
  const notToday = new Date().toISOString().slice(0, 10) !== CAPTURE_DAY;
  interface Box {
    getBoundingClientRect(): { left: number; right: number };
  }
  /** How far the axis labels reach past their svg's edges (0 when none is clipped). */
  const overflow = (page: Page, svg: string) =>
    page.locator(svg).evaluate((el) => {
      const box = (el as unknown as Box).getBoundingClientRect();
      const labels = Array.from((el as unknown as { querySelectorAll(s: string): ArrayLike<Box> }).querySelectorAll('.tick text')).map((t) => t.getBoundingClientRect());
      return Math.max(0, ...labels.map((l) => l.right - box.right), ...labels.map((l) => box.left - l.left));
    });

  test('a microsecond capture shows 6 digits, the date where it is not obvious, and every axis label whole', async () => {
    const { page, errors, close } = await open();
    const header = page.locator('.timeline-span');
    await header.waitFor({ timeout: SLOW });
    expect(await header.innerText()).toMatch(notToday ? /^2026-11-22 06:51:56\.421009 – 06:52:06\.424847 UTC \(10\.00 s\)$/ : /^06:51:56\.421009 – 06:52:06\.424847 UTC/);
    await page.locator('.timeline-axis .tick text').first().waitFor({ timeout: SLOW });
    const ticks = await page.locator('.timeline-axis .tick text').allTextContents();
    expect(ticks[0]).toMatch(notToday ? /^2026-11-22 06:51:5\d$/ : /^06:51:5\d$/);
    for (const t of ticks.slice(1)) expect(t).toMatch(/^06:5\d:\d\d$/);
    expect(await overflow(page, '.timeline-svg')).toBe(0);
    await page.getByRole('tab', { name: /^HTTP/ }).click();
    const times = page.locator('.exchange-rows tbody tr td:first-child');
    await times.first().waitFor({ timeout: SLOW });
    for (const t of (await times.allInnerTexts()).slice(0, 10)) expect(t).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
    expect(await page.locator('.exchange-rows th').first().innerText()).toContain(notToday ? `Time (${CAPTURE_DAY})` : 'Time (UTC)');
    expect(await overflow(page, '.latency-chart svg')).toBe(0);
    await shot(page, 'time-absolute');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('one switch sets the time base of the timeline, the latency chart and the tables: relative, then delta', async () => {
    const { page, errors, close } = await open();
    await page.getByRole('tab', { name: /^HTTP/ }).click();
    const times = page.locator('.exchange-rows tbody tr td:first-child');
    await times.first().waitFor({ timeout: SLOW });
    await page.getByLabel('Time display format').selectOption('relative');
    await expect.poll(() => page.locator('.timeline-span').innerText()).toBe('+0.000000 – +10.003838 s since capture start (10.00 s)');
    // The first exchange began 96 µs after the capture's first packet (tshark: frame.time_relative of its request).
    await expect.poll(() => times.first().innerText()).toBe('+0.000096');
    expect(await page.locator('.exchange-rows th').first().innerText()).toContain('Time (s since start)');
    const axes = [await page.locator('.timeline-axis .tick text').allTextContents(), await page.locator('.latency-chart .tick text').allTextContents()];
    for (const labels of axes) {
      expect(labels.length).toBeGreaterThan(3);
      for (const l of labels.filter((text) => text.endsWith(' s'))) expect(l).toMatch(/^\+\d+(\.\d+)? s$/);
    }
    expect(axes[0]![0]).toBe('+0 s');
    await shot(page, 'time-relative');
    await page.getByLabel('Time display format').selectOption('delta');
    await expect.poll(() => times.first().innerText()).toBe('+0.000000');
    const deltas = (await times.allInnerTexts()).slice(0, 4);
    // The second exchange (HAProxy's upstream request) began 840 µs after the first.
    expect(deltas[1]).toBe('+0.000840');
    // The choice outlives the page.
    await page.reload();
    await page.getByRole('tab', { name: /^HTTP/ }).click();
    await expect.poll(() => page.getByLabel('Time display format').inputValue(), { timeout: SLOW }).toBe('delta');
    await page.getByLabel('Time display format').selectOption('absolute');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('filter bar', () => {
  const caseId = async () => (await web.server.call('app.info', {})).initialCaseId!;
  const httpTotal = async (filter: string) => (await web.server.call('http.exchanges', { caseId: await caseId(), scope: { filter }, limit: 1, offset: 0 })).total;
  const httpBadge = (page: Page) => page.getByRole('tab', { name: /^HTTP/ }).locator('.tab-count').innerText();
  const applyFilter = async (page: Page, text: string) => {
    await page.locator('#filter-input').fill(text);
    await page.locator('#filter-input').press('Enter');
  };

  test('the HTTP badge follows the filter and the range; a bad filter says its column once and which filter the views still show', async () => {
    const { page, errors, close } = await open();
    await page.getByRole('tab', { name: /^HTTP/ }).click();
    const all = await httpTotal('');
    expect(await httpBadge(page)).toBe(String(all));
    const errors502 = await httpTotal('http.status=502');
    expect(errors502).toBeGreaterThan(0);
    expect(errors502).toBeLessThan(all);
    await applyFilter(page, 'http.status=502');
    await expect.poll(() => httpBadge(page), { timeout: SLOW }).toBe(String(errors502));

    await applyFilter(page, 'http.stauts=502');
    const message = page.locator('.filter-message');
    await message.waitFor({ timeout: SLOW });
    expect((await message.innerText()).match(/column/gi)).toHaveLength(1);
    expect(await page.locator('.filter-in-force').innerText()).toContain('The views show the filter in force: http.status=502');
    expect(await httpBadge(page)).toBe(String(errors502));
    await shot(page, 'filter-in-force');

    // Escape puts the filter in force back; Clear removes it and the badge is the whole again.
    await page.locator('#filter-input').press('Escape');
    await expect.poll(() => page.locator('.filter-in-force').count()).toBe(0);
    await page.locator('.filter-bar').getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => httpBadge(page), { timeout: SLOW }).toBe(String(all));
    await brush(page, 0.3, 0.6);
    await expect.poll(async () => Number(await httpBadge(page)), { timeout: SLOW }).toBeLessThan(all);
    expect(Number(await httpBadge(page))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('a field this kind of capture never fills says so', async () => {
    const { page, errors, close } = await open();
    await page.getByRole('tab', { name: 'Tables' }).click();
    await applyFilter(page, 'fd.sport=8080 and proc.name=haproxy');
    const notes = page.locator('.filter-notes');
    await notes.waitFor({ timeout: SLOW });
    expect(await notes.innerText()).toBe('proc.name at column 19 is only known from syscall captures; this case has none, so it is never set here');
    await shot(page, 'filter-unfilled');
    await applyFilter(page, 'fd.sport=8080');
    await expect.poll(() => notes.count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('actions on tables', () => {
  const rowCount = async (page: Page) => Number((await page.locator('.tables-panel .pager-range').innerText()).replace(/\D/g, ''));
  const clipboard = (page: Page) => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());

  test('a cell is applied as a filter or excluded from it, and copied without thousands separators', async () => {
    const { page, context, errors, close } = await open(scap());
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: scap().announcement.url });
    const { initialCaseId: caseId } = await scap().call('app.info', {});
    const processes = await scap().call('table.page', { caseId: caseId!, table: 'processes', scope: {}, limit: 100 });
    const pidAt = processes.columns.findIndex((c) => c.id === 'pid');
    // The busiest process with a pid of 4 digits or more (one a thousands separator would spoil).
    const eventsOf = async (p: number) => (await scap().call('table.page', { caseId: caseId!, table: 'events', scope: { filter: `proc.pid=${p}` }, limit: 1 })).total;
    const candidates = processes.rows.map((r) => Number(r.cells[pidAt])).filter((p) => p >= 1000);
    const counts = await Promise.all(candidates.map(eventsOf));
    const pid = candidates[counts.indexOf(Math.max(...counts))]!;
    expect(pid).toBeGreaterThanOrEqual(1000);

    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.locator('.vt-row').first().waitFor({ timeout: SLOW });
    // Its row on screen: the table lists the rows in the API's order, 26 px each.
    const at = processes.rows.findIndex((r) => Number(r.cells[pidAt]) === pid);
    await page.locator('.vt-viewport').evaluate((el, top) => ((el as unknown as { scrollTop: number }).scrollTop = top), Math.max(0, at - 2) * 26);
    const cell = page.locator('.vt-row [data-column="pid"]', { hasText: new RegExp(`^${pid.toLocaleString('en-US')}$`) }).first();
    await cell.click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor({ timeout: SLOW });
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual([
      `Apply as filter\nproc.pid=${pid}`,
      `Exclude from filter\nnot proc.pid=${pid}`,
      `Copy PID\n${pid}`,
      'Copy row',
    ]);
    await shot(page, 'table-menu');
    await menu.getByRole('menuitem', { name: /^Copy PID/ }).click();
    await expect.poll(() => clipboard(page)).toBe(String(pid));
    expect(await menu.count()).toBe(0);

    // Applied from the processes, the filter narrows the events too; then a cell of the events excluded narrows it again.
    await cell.click({ button: 'right' });
    await page.getByRole('menuitem', { name: /^Apply as filter/ }).click();
    await expect.poll(() => page.locator('#filter-input').inputValue()).toBe(`proc.pid=${pid}`);
    await page.getByRole('tab', { name: 'System calls' }).click();
    // Every event of the capture, its metadata too: curl_google.scap's only process with activity is this one.
    const { total: all } = await scap().call('table.page', { caseId: caseId!, table: 'events', scope: {}, limit: 1, metadata: true });
    const { total: ofPid } = await scap().call('table.page', { caseId: caseId!, table: 'events', scope: { filter: `proc.pid=${pid}` }, limit: 1 });
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(ofPid);
    expect(ofPid).toBeLessThan(all);
    const type = await page.locator('.vt-row [data-column="type"]').first().innerText();
    await page.locator('.vt-row [data-column="type"]').first().click({ button: 'right' });
    await page.getByRole('menuitem', { name: /^Exclude from filter/ }).click();
    await expect.poll(() => page.locator('#filter-input').inputValue()).toBe(`proc.pid=${pid} and not evt.type=${type}`);
    const { total: rest } = await scap().call('table.page', { caseId: caseId!, table: 'events', scope: { filter: `proc.pid=${pid} and not evt.type=${type}` }, limit: 1 });
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(rest);

    // From the keyboard: the menu key on the selected row, Copy row.
    await page.locator('.vt-row').first().click();
    await page.keyboard.press('Shift+F10');
    await page.getByRole('menuitem', { name: 'Copy row' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => clipboard(page)).toMatch(new RegExp(`^\\d+\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\t\\d+\t[^\t]*\t${pid}\t`));
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('the rows in scope are exported whole as CSV and JSON with the columns chosen; columns resize', async () => {
    const { page, errors, close } = await open(scap());
    const { initialCaseId: caseId } = await scap().call('app.info', {});
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    // The table before keeps its rows and count until the system calls' first page lands: wait for it.
    // More rows than a page, or the export would prove nothing.
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBeGreaterThan(1000);
    const total = await rowCount(page);

    await page.getByRole('button', { name: /^Columns/ }).click();
    for (const label of ['CPU', 'Dir', 'Latency', 'Container', 'Arguments']) await page.getByRole('checkbox', { name: label }).uncheck();
    await shot(page, 'table-columns');
    await page.getByRole('button', { name: /^Columns/ }).click();
    const headings = page.locator('.vt-head [role="columnheader"]');
    expect(await headings.evaluateAll((els) => els.map((el) => (el as unknown as { dataset: { column: string } }).dataset.column))).toEqual(['num', 'time', 'process', 'pid', 'tid', 'type', 'fd', 'fdName', 'res']);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('events.csv');
    const lines = fs.readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Num,Time,Process,PID,TID,Type,FD,FD name,Result');
    expect(lines.length).toBe(total + 1);
    await expect.poll(() => page.locator('.table-status').innerText()).toBe(`Exported ${total.toLocaleString('en-US')} rows to events.csv.`);

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    const parsed = JSON.parse(fs.readFileSync((await json.path())!, 'utf8')) as { rows: Record<string, unknown>[] };
    expect(parsed.rows).toHaveLength(total);
    const { rows: last } = await scap().call('table.page', { caseId: caseId!, table: 'events', scope: {}, offset: total - 1, limit: 1 });
    expect(parsed.rows.at(-1)!.num).toBe(last[0]!.cells[0]);

    // Dragging the Type heading's edge widens its column, in the heading and in the rows.
    const heading = page.locator('.vt-head [data-column="type"]');
    const before = (await heading.boundingBox())!;
    const edge = (await heading.locator('.vt-resize').boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 120, edge.y + edge.height / 2, { steps: 6 });
    await page.mouse.up();
    const after = (await heading.boundingBox())!;
    expect(after.width).toBeGreaterThan(before.width + 100);
    expect((await page.locator('.vt-row [data-column="type"]').first().boundingBox())!.width).toBeCloseTo(after.width, 0);
    await shot(page, 'table-resized');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('actions on the HTTP table', () => {
  test('a status is applied as a filter, the exchanges in scope exported, a target copied, from the exchanges table', async () => {
    const { page, context, errors, close } = await open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.server.announcement.url });
    const { initialCaseId: caseId } = await web.server.call('app.info', {});
    const { total: bad } = await web.server.call('http.exchanges', { caseId: caseId!, scope: { filter: 'http.status=502' }, limit: 1, offset: 0 });
    await page.getByRole('tab', { name: /^HTTP/ }).click();
    const status = page.locator('.exchange-rows td[data-column="status"]', { hasText: /^502$/ }).first();
    await status.click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor({ timeout: SLOW });
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Apply as filter\nhttp.status=502', 'Exclude from filter\nnot http.status=502', 'Copy Status\n502', 'Copy row']);
    await shot(page, 'http-menu');
    await menu.getByRole('menuitem', { name: /^Apply as filter/ }).click();
    await expect.poll(() => page.locator('#filter-input').inputValue()).toBe('http.status=502');
    await expect.poll(() => page.getByRole('tab', { name: /^HTTP/ }).locator('.tab-count').innerText(), { timeout: SLOW }).toBe(String(bad));
    // The exchanges in scope are exported whole: the 502s, each a line.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('.exchange-table').getByRole('button', { name: 'Export CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('http-exchanges.csv');
    const lines = fs.readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(bad + 1);
    expect(lines.slice(1).every((l) => l.split(',')[5] === '502')).toBe(true);
    await page.locator('.exchange-rows td[data-column="target"]').first().click({ button: 'right' });
    await page.getByRole('menuitem', { name: /^Copy Target/ }).click();
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()))
      .toBe('/getticket');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('a file that is not evidence', () => {
  const NOT_EVIDENCE = /at byte 0: expected a capture \(scap, pcap, pcapng\), a heap dump \(HPROF\), a Go profile \(pprof, goroutine dump\) or a gzip\/zstd\/tar of them, found text, not a capture \(first line: "meeting notes, not a capture"\)/;

  test('opened by path, it gives its error, stays on the open screen and is marked failed in Recent files', async () => {
    const notes = path.join(web.dir, 'notes.txt');
    fs.writeFileSync(notes, 'meeting notes, not a capture\nsecond line\n');
    const { page, errors, close } = await open();
    await page.getByRole('button', { name: 'Open another file…' }).click();
    await page.locator('#server-path').fill(notes);
    await page.getByRole('button', { name: 'Open path' }).click();
    const error = page.locator('.open-view .error-line');
    await error.waitFor({ timeout: SLOW });
    expect(await error.innerText()).toMatch(NOT_EVIDENCE);
    expect(await error.innerText()).toContain(notes);
    expect(page.url()).not.toMatch(/#\/case\//);
    expect(await page.locator('.tile').count()).toBe(0);
    const recent = page.locator('.recent-item', { hasText: 'notes.txt' });
    await recent.locator('.recent-failed').waitFor({ timeout: SLOW });
    expect(await recent.locator('.recent-failed').innerText()).toBe('failed');
    expect(await recent.getAttribute('title')).toMatch(NOT_EVIDENCE);
    await shot(page, 'not-evidence');
    // The evidence it was opened beside is listed as it was, not failed.
    expect(await page.locator('.recent-item', { hasText: 'haproxy-502.pcap' }).locator('.recent-failed').count()).toBe(0);
    expect(errors.filter((e) => !e.includes('status of 4'))).toEqual([]);
    await close();
  }, SLOW);

  test('uploaded, it gives its error and stays on the open screen', async () => {
    const { page, errors, close } = await open();
    await page.getByRole('button', { name: 'Open another file…' }).click();
    await page.locator('input[type="file"]').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('meeting notes, not a capture\n') });
    const error = page.locator('.open-view .error-line');
    await error.waitFor({ timeout: SLOW });
    expect(await error.innerText()).toMatch(NOT_EVIDENCE);
    expect(page.url()).not.toMatch(/#\/case\//);
    expect(errors.filter((e) => !e.includes('status of 4'))).toEqual([]);
    await close();
  }, SLOW);
});

describe('dark theme', () => {
  // Run in the page (this file is type-checked without the DOM's types): the colour behind an
  // element (its own background, or the first ancestor's that is not transparent), and its text's.
  const background = (page: Page, selector: string) =>
    page.evaluate<string>(`(() => {
      for (let el = document.querySelector(${JSON.stringify(selector)}); el; el = el.parentElement) {
        const bg = getComputedStyle(el).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    })()`);
  const color = (page: Page, selector: string) => page.evaluate<string>(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).color`);
  /** Relative luminance (WCAG) of an rgb() colour: 0 black, 1 white. */
  const luminance = (rgb: string) => {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };

  test('follows the system setting, and the switch overrides it and is remembered', async () => {
    const { page, errors, close } = await open();
    await page.emulateMedia({ colorScheme: 'dark' });
    const theme = page.getByLabel('Theme');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await theme.inputValue()).toBe('system');
    expect(luminance(await background(page, 'body'))).toBeLessThan(0.05);
    // Text reads on every surface: the page, a tile, a table's heading, the findings.
    for (const [text, ground] of [['body', 'body'], ['.tile-value', '.tile'], ['.finding-title', '.finding']] as const) {
      expect(contrast(await color(page, text), await background(page, ground)), `${text} on ${ground}`).toBeGreaterThan(4.5);
    }
    await shot(page, 'dark-overview');
    await page.getByRole('tab', { name: /^HTTP/ }).click();
    await page.locator('.exchange-rows tbody tr').first().waitFor({ timeout: SLOW });
    expect(luminance(await background(page, '.exchange-rows'))).toBeLessThan(0.05);
    await shot(page, 'dark-http');
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.locator('.vt-row').first().waitFor({ timeout: SLOW });
    expect(contrast(await color(page, '.vt-head'), await background(page, '.vt-head'))).toBeGreaterThan(4.5);
    await shot(page, 'dark-tables');
    const { initialCaseId: caseId } = await web.server.call('app.info', {});
    await page.evaluate(`location.hash = '#/case/${caseId}/stream/6'`);
    await page.locator('.chunk-out .chunk-text').first().waitFor({ timeout: SLOW });
    for (const dir of ['out', 'in']) expect(contrast(await color(page, `.chunk-${dir} .chunk-text`), await background(page, `.chunk-${dir} .chunk-text`)), dir).toBeGreaterThan(4.5);
    await shot(page, 'dark-stream');

    // The switch wins over the system, and outlives the page.
    await theme.selectOption('light');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(luminance(await background(page, 'body'))).toBeGreaterThan(0.8);
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('data-theme'), { timeout: SLOW }).toBe('light');
    await page.getByLabel('Theme').selectOption('system');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
