// The HTTP view on the staged emojivoto capture in chromium (web mode): gRPC calls among the HTTP/1
// requests, a failed call's status beside its HTTP 200, its detail with the decoded header fields
// and its messages framed as hex and printable bytes, and the finding that explains web's 500.
// Screenshots land in test-results/grpc-*.png for a human to look at.

import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { newPage, RESULTS_DIR, screenshot, SLOW, webSession } from './support';

const EMOJIVOTO = path.join(REPO_ROOT, 'test', 'fixtures', 'http2', 'emojivoto-incident.pcap');
const web = webSession('e2e-grpc', () => [EMOJIVOTO]);

async function go(page: Page, hash: string) {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

describe('gRPC in the HTTP view', () => {
  test('gRPC rows with their status, a failed call framed, the 500 explained', async () => {
    const { context, page, errors } = await newPage(web.browser);
    await page.goto(web.server.announcement.url);
    await expect.poll(() => page.url(), { timeout: SLOW }).not.toContain('token=');
    const { initialCaseId: caseId } = await web.server.call('app.info', {});

    // The finding on the overview names the call that failed and how.
    await go(page, `#/case/${caseId}`);
    const panel = page.locator('.findings-panel');
    await panel.waitFor({ timeout: SLOW });
    const explanations = await panel.locator('.finding-explanation').allInnerTexts();
    expect(explanations.some((t) => t.includes("because its call to emojivoto.v1.VotingService/VotePoop on 127.0.0.1:8081 failed with grpc-status 2 UNKNOWN 'ERROR'"))).toBe(true);
    await screenshot(page, 'grpc-findings');

    await go(page, `#/case/${caseId}/http`);
    const count = page.locator('.exchange-table .pager-range');
    await expect.poll(() => count.innerText(), { timeout: SLOW }).toBe('14 exchanges');
    const rows = page.locator('.exchange-rows tbody tr');
    await expect.poll(() => page.locator('.exchange-rows .proto-badge').count(), { timeout: SLOW }).toBe(7);
    expect(await page.locator('.exchange-rows .grpc-status.grpc-error').allInnerTexts()).toEqual([' UNKNOWN', ' UNKNOWN', ' UNKNOWN']);
    await screenshot(page, 'grpc-http');

    // Open the first failed call.
    await rows.filter({ hasText: 'VotePoop' }).first().click();
    const detail = page.locator('.exchange-detail');
    await detail.waitFor({ timeout: SLOW });
    // (An exchange's id names it; staged while the capture was read, its number follows the order the connections ended.)
    expect(await detail.locator('h2').innerText()).toMatch(/^Exchange \d+: POST \/emojivoto\.v1\.VotingService\/VotePoop → 200 · gRPC UNKNOWN 'ERROR'$/);
    expect(await detail.locator('.message-bytes').first().innerText()).toContain(':path: /emojivoto.v1.VotingService/VotePoop');
    expect(await detail.locator('.message-bytes').nth(1).innerText()).toContain('grpc-message: ERROR');
    const message = detail.locator('.grpc-message').first();
    expect(await message.locator('figcaption strong').innerText()).toBe('Request message 1');
    await detail.screenshot({ path: path.join(RESULTS_DIR, 'grpc-detail.png') });

    // A call with a response message: its bytes as a hex dump with the printable column.
    await rows.filter({ hasText: 'ListAll' }).first().click();
    await expect.poll(() => detail.locator('h2').innerText(), { timeout: SLOW }).toContain('EmojiService/ListAll');
    const response = detail.locator('.grpc-message.grpc-response').first();
    await response.waitFor({ timeout: SLOW });
    expect(await response.locator('.grpc-dump').innerText()).toMatch(/^0000 {2}0a [0-9a-f ]+ {2}\S/);
    await detail.screenshot({ path: path.join(RESULTS_DIR, 'grpc-messages.png') });

    // Its link opens the stream view at the message: every message of the connection framed there,
    // prefix outlined, body tinted, in hex and printable bytes.
    await response.locator('figcaption button').click();
    await expect.poll(() => page.url(), { timeout: SLOW }).toMatch(/\/stream\/\d+\/in\/341$/);
    await page.locator('mark.stream-grpc').first().waitFor({ timeout: SLOW });
    expect(await page.locator('nav[aria-label="gRPC messages in this stream"] a').count()).toBeGreaterThan(0);
    expect(await page.locator('mark.stream-target').first().innerText()).toBe('.....');
    await page.getByRole('button', { name: 'Hex + ASCII' }).click();
    await page.locator('.chunk-hex').first().waitFor();
    const target = page.locator('.hex-bytes mark.stream-target, mark.stream-target').first();
    await target.scrollIntoViewIfNeeded();
    await screenshot(page, 'grpc-stream-hex');
    expect(errors).toEqual([]);
    await context.close();
  }, SLOW);
});
