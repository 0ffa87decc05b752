// PDF, as the desktop app makes it (Chromium printing the HTML report): printed here by headless
// chromium through playwright-core. The report's print stylesheet gives A4 pages; the PDFs land in
// test-results/ for a person to look at (pdftoppm -png turns their pages into pictures).

import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { scapIncident } from './helpers/scap-incident';
import { reportRunner } from './helpers/report-cli';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const RESULTS = path.join(REPO_ROOT, 'test-results');

/** Page objects in a PDF (`/Type /Page`, not `/Pages`) and their media boxes. */
function pages(pdf: Buffer): { count: number; boxes: string[] } {
  const text = pdf.toString('latin1');
  const count = text.match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  const boxes = [...text.matchAll(/\/MediaBox\s*\[([^\]]+)\]/g)].map((m) => m[1]!.trim());
  return { count, boxes };
}

describe('reports printed to PDF', () => {
  const runner = reportRunner('pdf');
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  const cases: [string, () => string][] = [
    ['haproxy-502', () => path.join(REPO_ROOT, 'sample-captures', 'haproxy-502.pcap')],
    ['edge-lb-scap', () => {
      const file = path.join(runner.dir, 'edge-lb-502.scap');
      fs.writeFileSync(file, scapIncident());
      return file;
    }],
    ['small-heap', () => path.join(REPO_ROOT, 'sample-captures', 'small-jcmd-live.hprof.gz')],
  ];

  for (const [name, evidence] of cases) {
    it(`prints the ${name} report on A4 pages`, async () => {
      const htmlFile = path.join(runner.dir, `${name}.report.html`);
      const r = await runner.run([evidence(), '--out', htmlFile]);
      expect(r.status, r.stderr).toBe(0);
      const page = await browser.newPage();
      await page.goto(`file://${htmlFile}`);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.close();
      fs.writeFileSync(path.join(RESULTS, `report-${name}.pdf`), pdf);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const { count, boxes } = pages(pdf);
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThan(20);
      // A4 is 595.92 × 842.88 points in Chromium's PDFs.
      for (const box of boxes) expect(box.split(/\s+/).map((n) => Math.round(Number(n)))).toEqual([0, 0, 596, 843]);
    });

    it(`keeps the ${name} report's wide tables within a narrow window`, async () => {
      const htmlFile = path.join(runner.dir, `${name}.report.html`);
      if (!fs.existsSync(htmlFile)) expect((await runner.run([evidence(), '--out', htmlFile])).status).toBe(0);
      const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
      await page.goto(`file://${htmlFile}`);
      const layout = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): ArrayLike<{ scrollWidth: number; clientWidth: number; parentElement: { className: string; scrollWidth: number; clientWidth: number } | null }> } }).document;
        const tables = Array.from(doc.querySelectorAll('table'));
        return {
          page: doc.documentElement.scrollWidth - doc.documentElement.clientWidth,
          tables: tables.length,
          // Every table is in a box that scrolls it sideways; those wider than the page do scroll.
          unboxed: tables.filter((t) => t.parentElement?.className !== 'table-scroll').length,
          scrolling: tables.filter((t) => t.parentElement!.scrollWidth > t.parentElement!.clientWidth).length,
        };
      });
      await page.screenshot({ path: path.join(RESULTS, `report-${name}-narrow.png`) });
      await page.close();
      expect(layout.page).toBe(0);
      expect(layout.tables).toBeGreaterThan(0);
      expect(layout.unboxed).toBe(0);
      if (name === 'haproxy-502') expect(layout.scrolling).toBeGreaterThan(0);
    });
  }
});
