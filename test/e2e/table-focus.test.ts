// End to end in web mode: what a table draws after a drill and back. The table takes the keyboard
// again when it comes back up (Backspace), and its focus ring used to be drawn inside its rows'
// box, under the rows: every row without a background of its own (the even ones, not hovered)
// let it through as a stripe at both edges, so rows looked selected that were not. Held on the
// pixels of the screenshot, not on the DOM: only the selected row may carry the accent's stripe.

import { describe, expect, test } from 'vitest';
import { corpus } from '../helpers/paths';
import { decodePng } from '../helpers/png';
import { newPage, screenshot, SLOW, webSession } from './support';

const SCAP = corpus('scap', 'libs-sample.scap');
const web = webSession('e2e-table-focus', () => [SCAP]);

/** The light theme's --accent, rgb(31, 95, 191), give or take antialiasing. */
const isAccent = ([r, g, b]: [number, number, number]) => Math.abs(r - 31) + Math.abs(g - 95) + Math.abs(b - 191) < 90;

describe('a table after a drill and back', () => {
  test('only the selected row carries the selection stripe', async () => {
    const { page, errors, close } = await newPage(web.browser);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(web.server.announcement.url);
    await page.locator('.case-header .badge', { hasText: 'indexed' }).waitFor({ timeout: SLOW });
    await page.getByRole('tab', { name: 'Tables' }).click();
    await page.getByRole('tab', { name: 'Processes' }).click();
    await page.locator('.vt-row').nth(3).waitFor({ timeout: SLOW });
    await page.locator('.vt-viewport').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // Into the process, over to its system calls, and back up by the keyboard.
    await page.keyboard.press('Enter');
    await page.locator('.breadcrumb button.crumb').waitFor({ timeout: SLOW });
    await page.getByRole('tab', { name: 'System calls' }).click();
    await page.locator('.vt-viewport').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Backspace');
    // Up to the top of the table on screen (the drill was retargeted to it).
    await expect.poll(() => page.locator('.breadcrumb .crumb-here').innerText(), { timeout: SLOW }).toBe('All');
    await expect.poll(() => page.locator('.vt-row[aria-selected=true]').count(), { timeout: SLOW }).toBe(1);
    // The pointer away from the rows: a hovered row has a background of its own.
    await page.mouse.move(0, 0);
    const viewport = page.locator('.vt-viewport');
    await expect.poll(() => viewport.evaluate((el) => (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el)).toBe(true);
    // The selected row drawn inside the table's box before its pixels are read: under load the
    // rows of the table come back a frame or two after the breadcrumb does.
    await expect
      .poll(() =>
        page.locator('.vt-row[aria-selected=true]').evaluate((el) => {
          const r = (el as unknown as { getBoundingClientRect(): { top: number; bottom: number } }).getBoundingClientRect();
          const v = (el as unknown as { closest(s: string): { getBoundingClientRect(): { top: number; bottom: number } } | null }).closest('.vt-viewport')!.getBoundingClientRect();
          return r.top >= v.top && r.bottom <= v.bottom;
        }),
      { timeout: SLOW })
      .toBe(true);
    await screenshot(page, 'table-back-from-drill');

    const box = (await viewport.boundingBox())!;
    const pixels = decodePng(await viewport.screenshot());
    const rows = await page.locator('.vt-row').evaluateAll((els) => els.map((el) => ({ top: el.getBoundingClientRect().top, height: el.getBoundingClientRect().height, selected: el.getAttribute('aria-selected') === 'true' })));
    const onScreen = rows.filter((r) => r.top >= box.y && r.top + r.height <= box.y + box.height);
    expect(onScreen.length).toBeGreaterThan(3);
    const striped = onScreen.map((r) => {
      const y = Math.round(r.top - box.y + r.height / 2);
      return { selected: r.selected, left: isAccent(pixels.at(1, y)), right: isAccent(pixels.at(pixels.width - 2, y)) };
    });
    // The selected row's own stripe is there; no other row has one, at either edge.
    expect(striped.filter((r) => r.selected).map((r) => r.left)).toEqual([true]);
    expect(striped.filter((r) => !r.selected && (r.left || r.right))).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 3 * SLOW);
});
