// What an Eclipse MAT user expects of the heap view, end to end in web mode (the real `capscope
// serve`, Debian's chromium) on test/heap/java/leakapp's dump: the leak suspect among the case's
// findings, named by SessionCache.CACHE and opening the map in the object inspector; the path from
// a GC root with the root's kind and the field at every step; incoming and outgoing references; a
// histogram row leading to the class's instances and to the merged shortest paths to GC roots; the
// dominator tree grouped by class; the thread holding an OutOfMemoryError marked. Screenshots land
// in test-results/heap-mat-*.png for a human to look at.

import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { LEAK_APP_DUMP, sourceLine } from '../heap/helpers/leak-app';
import { newPage as watchedPage, screenshot, SLOW, webSession, type WatchedPage } from './support';

const web = webSession('e2e-heap-mat', () => [LEAK_APP_DUMP]);

async function newPage(): Promise<WatchedPage & { caseId: string; sourceId: number }> {
  const watched = await watchedPage(web.browser);
  const { page } = watched;
  await page.goto(web.server.announcement.url);
  await expect.poll(() => page.url(), { timeout: SLOW }).not.toContain('token=');
  const { initialCaseId } = await web.server.call('app.info', {});
  const caseId = initialCaseId!;
  // Wait for the index: the heap sources are listed once the dump is analysed.
  let sources: { sourceId: number }[] = [];
  await expect.poll(async () => (sources = (await web.server.call('heap.sources', { caseId })).sources).length, { timeout: SLOW }).toBe(1);
  return { ...watched, caseId, sourceId: sources[0]!.sourceId };
}

async function go(page: Page, hash: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

const shot = (page: Page, name: string) => screenshot(page, `heap-mat-${name}`, { fullPage: true });

describe('the heap view as a MAT user expects it, in chromium', () => {
  test('the leak suspect is a finding of the case, named SessionCache.CACHE, and opens the map with its path from a GC root and its references', async () => {
    const { context, page, errors, caseId, sourceId } = await newPage();
    await go(page, `#/case/${caseId}`);
    const finding = page.locator('.findings-panel .finding').first();
    await finding.waitFor({ timeout: SLOW });
    expect(await finding.locator('.finding-title').innerText()).toMatch(/^leak-app\.hprof: com\.example\.leak\.SessionCache\.CACHE \(java\.util\.HashMap\) retains [\d.]+ % of the heap$/);
    await shot(page, 'finding');

    await finding.getByRole('link', { name: /in the heap view/ }).click();
    await expect.poll(() => page.url(), { timeout: SLOW }).toMatch(new RegExp(`/heap/${sourceId}/0x[0-9a-f]+$`));
    const inspector = page.locator('.object-inspector');
    await inspector.locator('.root-path li').first().waitFor({ timeout: SLOW });
    expect(await inspector.locator('.inspected .object-class').innerText()).toBe('java.util.HashMap');
    expect(await inspector.locator('.root-kind').innerText()).toContain('JNI global');
    const fields = await inspector.locator('.root-path .path-field').allInnerTexts();
    expect(fields.slice(0, 2)).toEqual(['classes', 'elementData']);
    expect(fields.at(-1)).toBe('static CACHE');
    // Outgoing: the map's class and its table; incoming: the static field.
    const rows = inspector.locator('.references-table tbody tr');
    await rows.first().waitFor({ timeout: SLOW });
    expect(await rows.filter({ hasText: 'table' }).locator('.object-class').innerText()).toBe('java.util.HashMap$Node[]');
    await shot(page, 'object-outgoing');
    await inspector.getByRole('button', { name: 'Incoming references' }).click();
    await expect.poll(() => rows.first().locator('td').first().innerText(), { timeout: SLOW }).toBe('static CACHE');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('.object-class').innerText()).toBe('class com.example.leak.SessionCache');
    await shot(page, 'object-incoming');
    // Any object named there opens in its turn.
    await rows.first().locator('button.object-name').click();
    await expect.poll(() => inspector.locator('.inspected .object-class').innerText(), { timeout: SLOW }).toBe('class com.example.leak.SessionCache');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test('a histogram row leads to its instances and to the merged shortest paths to GC roots', async () => {
    const { context, page, errors, caseId, sourceId } = await newPage();
    await go(page, `#/case/${caseId}/heap/${sourceId}`);
    await page.getByRole('tab', { name: 'Histogram' }).click();
    await page.locator('.toolbar input[type=search]').fill('com.example.leak.Session');
    const row = page.locator('.histogram-table tbody tr').filter({ has: page.locator('td.entry', { hasText: /^com\.example\.leak\.Session$/ }) });
    await row.waitFor({ timeout: SLOW });
    await row.click();
    const instances = page.locator('.instances-table tbody tr');
    await instances.first().waitFor({ timeout: SLOW });
    expect(await page.locator('.class-panel .pager-range').innerText()).toBe('1–50 of 300 instances');
    expect(await instances.count()).toBe(50);
    await shot(page, 'instances');

    await page.getByRole('button', { name: 'Merge shortest paths to GC roots' }).click();
    const tree = page.locator('.merged-paths');
    await tree.locator('[role=treeitem]').first().waitFor({ timeout: SLOW });
    expect(await tree.locator('.tree-note').first().innerText()).toContain('300 of 300 instances of com.example.leak.Session');
    // Down the one branch that leads to all 300, to the map's table.
    for (let level = 1; level < 12; level++) {
      const item = tree.locator(`[role=treeitem][aria-level="${level}"]`).first();
      await item.waitFor({ timeout: SLOW });
      expect(await item.locator('.tree-size').first().innerText()).toBe('300 instances');
      if ((await item.locator('.object-class').first().innerText()) === 'java.util.HashMap$Node[]') break;
      // The toggle: the object's name in the line opens the object in the inspector.
      await item.locator('.tree-toggle').first().click();
    }
    const tableLine = tree.locator('.tree-line', { has: page.locator('.object-class', { hasText: 'java.util.HashMap$Node[]' }) }).first();
    expect(await tableLine.locator('.path-field').innerText()).toBe('table');
    await tableLine.locator('.tree-toggle').click();
    const buckets = tableLine.locator('xpath=..').locator('[role=group] > [role=treeitem] > .tree-line .path-field');
    await buckets.first().waitFor({ timeout: SLOW });
    expect(await buckets.first().innerText()).toMatch(/^\[\d+\]$/);
    const root = tree.locator('[role=treeitem][aria-level="1"] .badge').first();
    expect(await root.innerText()).toBe('JNI global');
    await shot(page, 'merged-paths');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);

  test('the dominator tree grouped by class, and the threads: oom-catcher and oom-keeper marked, worker-0 holding its Request at its line', async () => {
    const { context, page, errors, caseId, sourceId } = await newPage();
    await go(page, `#/case/${caseId}/heap/${sourceId}`);
    await page.getByRole('tab', { name: 'Dominator tree' }).click();
    await page.getByLabel('Group by class').check();
    const groups = page.locator('[aria-label="Dominator tree grouped by class"]');
    const top = groups.locator('[role=treeitem][aria-level="1"]').first();
    await top.waitFor({ timeout: SLOW });
    expect(await top.locator('.object-class').innerText()).toBe('jdk.internal.loader.ClassLoaders$AppClassLoader');
    expect(await top.innerText()).toContain('1 object');
    // From the keyboard: Enter opens the group.
    await top.focus();
    await page.keyboard.press('Enter');
    await groups.locator('[role=treeitem][aria-level="2"]').first().waitFor({ timeout: SLOW });
    expect(await top.getAttribute('aria-expanded')).toBe('true');
    expect(await groups.locator('[role=treeitem][aria-level="2"] .object-class').first().innerText()).toBe('java.util.ArrayList');
    // The top level's classes: java.lang.Class groups the system classes.
    expect(await groups.locator('[role=treeitem][aria-level="1"] .object-class', { hasText: /^java\.lang\.Class$/ }).count()).toBe(1);
    await shot(page, 'dominators-by-class');

    await page.getByRole('tab', { name: 'Threads' }).click();
    const oom = page.locator('.threads .thread-oom');
    await oom.first().waitFor({ timeout: SLOW });
    expect(await oom.locator('.thread-name').allInnerTexts()).toEqual(['"oom-catcher"', '"oom-keeper"']);
    expect(await oom.locator('.badge').allInnerTexts()).toEqual(['holds an OutOfMemoryError', 'holds an OutOfMemoryError']);
    await shot(page, 'threads');
    // The keeper's error is in no frame: its path from a GC root goes through the thread's ThreadLocals.
    await oom.nth(1).locator('summary button.object-name').click();
    const keptPath = page.locator('.object-inspector .root-path .path-field');
    await keptPath.first().waitFor({ timeout: SLOW });
    const kept = await keptPath.allInnerTexts();
    expect(kept).toContain('threadLocals');
    expect(kept.at(-1)).toBe('value');
    await shot(page, 'oom-kept-in-thread-local');
    await page.getByRole('tab', { name: 'Threads' }).click();

    const worker = page.locator('.threads > li', { has: page.locator('.thread-name', { hasText: '"worker-0"' }) });
    await worker.locator('summary').click();
    await worker.locator('.locals button.object-name', { hasText: 'com.example.leak.Request' }).click();
    const rootKind = page.locator('.object-inspector .root-kind');
    await rootKind.waitFor({ timeout: SLOW });
    expect(await rootKind.innerText()).toContain(`Java frame of thread worker-0 at com.example.leak.LeakApp.work(LeakApp.java:${sourceLine('worker-0 waits here')})`);
    await shot(page, 'java-frame-root');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);
});
