// End to end in web mode, the exploring half of the case page: the overview's tiles, the
// timeline's brush, the tables with their drill path (mouse and keyboard), and the filter bar's
// inline errors, on a syscall capture of the seed incident with containers (written by the test
// scap writer, which sysdig reads: test/http/scap-incident.test.ts) and on the seed pcap.
// Screenshots land in test-results/ for a human to look at.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { P, ScapWriter } from '../helpers/scap-writer';
import { REPO_ROOT, corpus, scratchDir } from '../helpers/paths';
import { evType } from '../scap/scenarios';

const resultsDir = path.join(REPO_ROOT, 'test-results');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const SLOW = 60_000;
const VIEWPORT = { width: 1280, height: 800 };

const EDGE = 'e1'.repeat(32);
const TICKETS = 'f2'.repeat(32);
const SNAPLEN = 80;
const ROUNDS = 8;
const REQUEST = 'GET /getticket HTTP/1.1\r\nHost: tickets.example\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n';
const BAD_RESPONSE = 'HTTP/1.1 200 OK\r\ntext/plain: Content-type\r\nContent-Length: 33\r\n\r\n{"ticket":"T-0001","valid":true}\n';
const BAD_GATEWAY_BODY = '<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n';
const BAD_GATEWAY = `HTTP/1.1 502 Bad Gateway\r\ncontent-length: ${BAD_GATEWAY_BODY.length}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n\r\n${BAD_GATEWAY_BODY}`;
/** A file name that is markup: it must stay text in every table. */
const HOSTILE_NAME = '/tmp/<img src=x onerror=alert(1)>.log';

/**
 * curl → haproxy (container edge-lb) → python (container ticket-server), ROUNDS times, 100 ms
 * apart, each round ending in a 502; haproxy reads its config and writes a log line each round.
 */
function incident(): Buffer {
  const w = new ScapWriter();
  let ts = 1_795_330_316_000_000_000n;
  const ev = (name: string, dir: '>' | '<', tid: number, params: Uint8Array[]) => w.event({ type: evType(name, dir), tid, ts: (ts += 1000n), params, block: 'EV_V2', cpu: tid % 2 });
  const io = (name: 'read' | 'write', tid: number, fd: number, text: string) => {
    ev(name, '>', tid, [P.i64(fd), P.u32(name === 'read' ? 65536 : text.length)]);
    ev(name, '<', tid, [P.i64(text.length), P.buf(text.slice(0, SNAPLEN))]);
  };
  const json = (id: string, name: string, image: string) => JSON.stringify({ container: { id, name, image, labels: {}, type: 0, privileged: false } });
  w.shb().machineInfo({ hostname: 'node-3' });
  w.procList(
    [
      { tid: 1, comm: 'systemd', exe: '/sbin/init', ptid: 0 },
      { tid: 300, comm: 'curl', exe: '/usr/bin/curl', args: ['-s', 'http://10.4.0.31/getticket'], cwd: '/root' },
      { tid: 100, comm: 'haproxy', exe: '/usr/sbin/haproxy', args: ['-f', '/etc/haproxy/haproxy.cfg'], cwd: '/', cgroups: [`cpuset=/docker/${EDGE}`] },
      { tid: 200, comm: 'python', exe: '/usr/bin/python3', args: ['ticket_server.py'], cwd: '/srv', cgroups: [`cpuset=/docker/${TICKETS}`] },
    ],
    9,
  );
  w.fdList(100, [{ fd: 4, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }], 2);
  w.fdList(200, [{ fd: 3, kind: 'ipv4-server', ip: '0.0.0.0', port: 80 }], 2);
  w.event({ type: 324, tid: -1, ts: (ts += 1000n), params: [P.str(json(EDGE.slice(0, 12), 'edge-lb', 'haproxy:2.6'))] });
  w.event({ type: 324, tid: -1, ts: (ts += 1000n), params: [P.str(json(TICKETS.slice(0, 12), 'ticket-server', 'python:3.11'))] });
  for (let round = 0; round < ROUNDS; round++) {
    ts += 100_000_000n;
    const client = P.tuple4('10.4.0.50', 51000 + round, '10.4.0.31', 80);
    const upstream = P.tuple4('10.4.0.31', 34560 + round, '10.4.0.12', 80);
    ev('openat', '>', 100, [P.i64(-100), P.str('/etc/haproxy/haproxy.cfg'), P.u32(1), P.u32(0)]);
    ev('openat', '<', 100, [P.i64(9), P.i64(-100), P.str('/etc/haproxy/haproxy.cfg'), P.u32(1), P.u32(0), P.u32(0)]);
    io('read', 100, 9, 'global\n  maxconn 100\n');
    ev('close', '>', 100, [P.i64(9)]);
    ev('close', '<', 100, [P.i64(0)]);
    ev('socket', '>', 300, [P.u32(2), P.u32(1), P.u32(0)]);
    ev('socket', '<', 300, [P.i64(3)]);
    ev('connect', '>', 300, [P.i64(3), P.sockaddr4('10.4.0.31', 80)]);
    ev('connect', '<', 300, [P.i64(0), client]);
    ev('accept', '>', 100, []);
    ev('accept', '<', 100, [P.i64(6), client, P.u8(0), P.u32(0), P.u32(128)]);
    io('write', 300, 3, REQUEST);
    io('read', 100, 6, REQUEST);
    ev('socket', '>', 100, [P.u32(2), P.u32(1), P.u32(0)]);
    ev('socket', '<', 100, [P.i64(7)]);
    ev('connect', '>', 100, [P.i64(7), P.sockaddr4('10.4.0.12', 80)]);
    ev('connect', '<', 100, [P.i64(0), upstream]);
    ev('accept', '>', 200, []);
    ev('accept', '<', 200, [P.i64(5), upstream, P.u8(0), P.u32(0), P.u32(128)]);
    io('write', 100, 7, REQUEST);
    io('read', 200, 5, REQUEST);
    io('write', 200, 5, BAD_RESPONSE);
    ev('close', '>', 200, [P.i64(5)]);
    ev('close', '<', 200, [P.i64(0)]);
    io('read', 100, 7, BAD_RESPONSE);
    ev('close', '>', 100, [P.i64(7)]);
    ev('close', '<', 100, [P.i64(0)]);
    io('write', 100, 6, BAD_GATEWAY);
    io('read', 300, 3, BAD_GATEWAY);
    ev('close', '>', 100, [P.i64(6)]);
    ev('close', '<', 100, [P.i64(0)]);
    ev('close', '>', 300, [P.i64(3)]);
    ev('close', '<', 300, [P.i64(0)]);
    ev('openat', '>', 100, [P.i64(-100), P.str(HOSTILE_NAME), P.u32(1), P.u32(0)]);
    ev('openat', '<', 100, [P.i64(10), P.i64(-100), P.str(HOSTILE_NAME), P.u32(1), P.u32(0), P.u32(0)]);
    io('write', 100, 10, `<script>alert(${round})</script> 502 for /getticket\n`);
    ev('close', '>', 100, [P.i64(10)]);
    ev('close', '<', 100, [P.i64(0)]);
    ev('open', '>', 300, [P.str('/root/.curlrc'), P.u32(1), P.u32(0)]);
    ev('open', '<', 300, [P.i64(-2), P.str('/root/.curlrc'), P.u32(1), P.u32(0), P.u32(0)]);
  }
  return w.bytes();
}

interface Announcement {
  url: string;
}

interface Server {
  child: ChildProcessWithoutNullStreams;
  url: string;
  log: string;
}

async function serve(file: string, dir: string): Promise<Server> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'capscope.js'), 'serve', file, '--port', '0', '--json', '--db', path.join(dir, `${path.basename(file)}.sqlite`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') },
  });
  const server: Server = { child, url: '', log: '' };
  child.stderr.on('data', (chunk: Buffer) => (server.log += chunk.toString()));
  server.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`capscope serve said nothing:\n${server.log}`)), 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      server.log += `${line}\n`;
      try {
        const parsed = JSON.parse(line) as Announcement;
        if (typeof parsed.url !== 'string') return;
        clearTimeout(timer);
        resolve(parsed.url);
      } catch {
        // Not the announcement.
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`capscope serve exited with ${code}:\n${server.log}`));
    });
  });
  return server;
}

let browser: Browser;
let scapServer: Server;
let pcapServer: Server;

beforeAll(async () => {
  const dir = scratchDir('e2e-explore');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(dir, 'edge-lb-502.scap');
  fs.writeFileSync(file, incident());
  [scapServer, pcapServer] = await Promise.all([serve(file, dir), serve(corpus('pcap', 'haproxy-502.pcap'), dir)]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  for (const s of [scapServer, pcapServer]) {
    if (s && s.child.exitCode === null) {
      s.child.kill('SIGTERM');
      await once(s.child, 'exit');
    }
  }
}, SLOW);

async function open(server: Server): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(server.url);
  await page.locator('.tile').first().waitFor({ timeout: SLOW });
  return { page, errors, close: () => context.close() };
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
    const { page, errors, close } = await open(scapServer);
    await expect.poll(() => tileValue(page, 'httpErrors'), { timeout: SLOW / 2 }).toBe(String(ROUNDS));
    expect(await tileValue(page, 'containers')).toBe('3');
    expect(await tileValue(page, 'fileOpenErrors')).toBe(String(ROUNDS));
    expect(await tileValue(page, 'connectionsOut')).toBe(String(ROUNDS * 2));
    expect(await tileValue(page, 'connectionsIn')).toBe(String(ROUNDS * 2));
    await page.screenshot({ path: path.join(resultsDir, 'explore-overview.png'), fullPage: true });
    await page.locator('.tile[data-metric="fileOpenErrors"] .tile-main').click();
    await expect.poll(() => page.url()).toMatch(/\/tables\/errors$/);
    // curl's failed open of ~/.curlrc, once a round: one group, first failed by curl.
    await expect.poll(() => cellTexts(page), { timeout: SLOW / 2 }).toEqual([['open', 'ENOENT (-2)', String(ROUNDS), 'curl', expect.any(String), expect.any(String)]]);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('drilling from containers to a connection ends in its bytes; Backspace climbs back', async () => {
    const { page, errors, close } = await open(scapServer);
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
    await page.screenshot({ path: path.join(resultsDir, 'explore-drill-connections.png') });
    const first = visibleRows(page).first();
    const tuple = (await first.locator('[role=gridcell]').first().innerText()).trim();
    await first.dblclick();
    await expect.poll(() => page.url()).toMatch(/\/stream\/\d+$/);
    await expect.poll(() => page.locator('.breadcrumb').innerText()).toContain(tuple);
    await page.locator('.tab-panel').getByText('GET /getticket').first().waitFor({ timeout: SLOW });
    await page.screenshot({ path: path.join(resultsDir, 'explore-drill-stream.png') });
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
    const { page, errors, close } = await open(scapServer);
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
    const { page, errors, close } = await open(scapServer);
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBeGreaterThan(0);
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
    await page.screenshot({ path: path.join(resultsDir, 'explore-brush-events.png') });
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
    const { page, errors, close } = await open(scapServer);
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'System calls' }).click();
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBeGreaterThan(0);
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
    expect(await fault.innerText()).toContain(`Column ${expected.column}: ${expected.message}`);
    // The marked character is the one at that column.
    expect(await page.locator('.filter-mark').innerText()).toBe('fd.sprot=80'.charAt(expected.column - 1) || ' ');
    // The view was not filtered by the faulty expression.
    expect(await rowCount(page)).toBe(all);
    await page.screenshot({ path: path.join(resultsDir, 'explore-filter-error.png') });
    await input.fill('evt.type=openat');
    await input.press('Enter');
    await expect.poll(() => page.locator('.filter-error').count()).toBe(0);
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(ROUNDS * 4);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);

  test('file names and bytes that are markup stay text', async () => {
    const { page, errors, close } = await open(scapServer);
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Files' }).click();
    await visibleRows(page).filter({ hasText: '<img src=x onerror=alert(1)>' }).first().waitFor({ timeout: SLOW });
    expect(await page.locator('.tab-panel img').count()).toBe(0);
    await page.getByRole('tab', { name: 'Directories' }).click();
    await visibleRows(page).filter({ hasText: '/tmp/' }).first().waitFor({ timeout: SLOW });
    await page.screenshot({ path: path.join(resultsDir, 'explore-directories.png') });
    expect(await page.locator('.tab-panel img, .tab-panel script').count()).toBe(0);
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});

describe('exploring a network capture in chromium', () => {
  test('the overview says what a pcap cannot show, and connections page like tshark counts them', async () => {
    const { page, errors, close } = await open(pcapServer);
    await expect.poll(() => tileValue(page, 'httpErrors'), { timeout: SLOW }).toBe('49');
    expect(await tileValue(page, 'processes')).toBe('—');
    await page.screenshot({ path: path.join(resultsDir, 'explore-pcap-overview.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Tables' }).click();
    expect(await page.getByRole('tab', { name: 'Processes' }).count()).toBe(0);
    await expect.poll(() => rowCount(page), { timeout: SLOW }).toBe(170);
    // Scroll to the bottom: rows are fetched as they come on screen.
    await page.locator('.vt-viewport').focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.locator('.vt-selected').innerText(), { timeout: SLOW }).toMatch(/\d+\.\d+\.\d+\.\d+/);
    await page.screenshot({ path: path.join(resultsDir, 'explore-pcap-connections.png') });
    expect(errors).toEqual([]);
    await close();
  }, SLOW);
});
