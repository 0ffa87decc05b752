// A capture whose requests and responses carry markup (recorded: test/fixtures/report/
// record-fixtures.sh) yields an inert report. The HTML is opened in chromium: no dialog fires, no
// <script> or <img> element exists, and the hostile strings are there as text. The Markdown,
// rendered by a Markdown library, makes no element out of them either.

import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { reportRunner } from './helpers/report-cli';

const HOSTILE = path.join(REPO_ROOT, 'test', 'fixtures', 'report', 'hostile.pcap');
const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

describe('a report of a hostile capture', () => {
  const runner = reportRunner('hostile');
  let htmlFile: string;
  let htmlText: string;
  let markdown: string;
  let browser: Browser;

  beforeAll(async () => {
    htmlFile = path.join(runner.dir, 'hostile.report.html');
    const h = await runner.run([HOSTILE, '--out', htmlFile]);
    expect(h.status, h.stderr).toBe(0);
    htmlText = fs.readFileSync(htmlFile, 'utf8');
    const md = await runner.run([HOSTILE, '--format', 'md', '--out', '-']);
    expect(md.status, md.stderr).toBe(0);
    markdown = md.stdout;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('quotes the markup it captured, escaped, in every place it was captured', () => {
    // Request target, request and response header values, a header name, a diagnostic's line.
    expect(htmlText).toContain('GET /&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(htmlText).toContain('<b>User-Agent</b>: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(htmlText).toContain('<b>X-Img</b>: &lt;img src=x onerror=alert(1)&gt;');
    expect(htmlText).toContain('<b>&lt;img src=x onerror=alert(1)&gt;</b>: x');
    expect(htmlText).toContain('<code class="excerpt">&lt;img src=x onerror=alert(1)&gt;: x</code>');
    // The 502 HAProxy answered because of that header line: the finding quotes it, escaped.
    expect(htmlText).toContain('sent the header line <code>&lt;img src=x onerror=alert(1)&gt;: x</code>');
    expect(htmlText).not.toContain(SCRIPT);
    expect(htmlText).not.toContain(IMG);
    // No tag, of ours or otherwise, carries an event handler attribute.
    expect(htmlText).not.toMatch(/<script|<img|<[^>]*\son[a-z]+\s*=/i);
  });

  it('is inert in a browser: no dialog, no script or image element, the strings shown as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${htmlFile}`);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.locator('script, img, iframe, object, embed').count()).toBe(0);
    const text = await page.locator('body').innerText();
    expect(text).toContain(SCRIPT);
    expect(text).toContain(IMG);
    expect(requests).toEqual([`file://${htmlFile}`]);
    await page.screenshot({ path: path.join(REPO_ROOT, 'test-results', 'report-hostile.png'), fullPage: true });
    await page.close();
  });

  it('stays inert as Markdown: no element, link or table cell is made from captured text', () => {
    const rendered = marked.parse(markdown, { async: false });
    expect(rendered).not.toMatch(/<script|<img|<a href="http|<strong>bold/);
    expect(rendered).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The endpoint whose path holds a pipe, backticks and a <b> tag keeps its row's eleven cells.
    const row = rendered.split('<tr>').find((r) => r.includes('/md|pipe'));
    expect(row).toBeDefined();
    expect(row!.match(/<td/g)).toHaveLength(11);
    expect(row).toContain('<code>/md|pipe`tick`&lt;b&gt;x&lt;/b&gt;</code>');
  });
});
