// The bookmarks methods through the core, as the app and the web server call them: a bookmark made
// on a case outlives the case's re-index (case.reindex makes the index again) and a reopen by a new
// process, and resolves to the same place; a request for a place the case has not is refused in one line.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { corpus, scratchDir } from '../helpers/paths';

const cacheDir = path.join(scratchDir('bookmarks-api'), 'cache');
const PCAP = corpus('pcap', 'haproxy-502.pcap');

describe('bookmarks through the core', () => {
  let core: Core;
  let caseId: string;

  beforeAll(async () => {
    core = createCore({ transport: 'web', samplePath: null, cacheDir });
    caseId = (await core.open(PCAP)).caseId;
    await core.waitForIngest(caseId);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
  });

  it('keeps bookmarks across case.reindex and a new core over the same cache', async () => {
    const h = core.handlers;
    const exchanges = await h['http.exchanges']({ caseId, scope: { filter: 'http.status=502' }, limit: 3, offset: 10 });
    const exchange = exchanges.rows[2]!;
    const added = await h['bookmarks.add']({ caseId, place: { kind: 'exchange', exchangeId: exchange.id }, note: 'the 502 we followed' });
    expect(added.place).toEqual({ kind: 'exchange', exchangeId: exchange.id });
    expect(added.missing).toBeNull();

    await h['case.reindex']({ caseId });
    await core.waitForIngest(caseId);
    const listed = (await h['bookmarks.list']({ caseId })).bookmarks;
    expect(listed.map((b) => [b.note, b.place, b.ts])).toEqual([['the 502 we followed', { kind: 'exchange', exchangeId: exchange.id }, added.ts]]);

    await core.close();
    core = createCore({ transport: 'web', samplePath: null, cacheDir });
    caseId = (await core.open(PCAP)).caseId;
    await core.waitForIngest(caseId);
    expect((await core.handlers['bookmarks.list']({ caseId })).bookmarks.map((b) => b.note)).toEqual(['the 502 we followed']);
  }, 120_000);

  it("prints the bookmarks in the report's own section, in HTML and Markdown", async () => {
    const h = core.handlers;
    const finding = (await h['findings.list']({ caseId, limit: 1, offset: 0 })).rows[0]!;
    await h['bookmarks.add']({ caseId, place: { kind: 'finding', findingId: finding.id }, note: 'HAProxy refused the <backend> header line' });
    const md = (await h['report.export']({ caseId, format: 'md' })).text;
    const section = md.slice(md.indexOf('## What we looked at and why'));
    expect(section.split('\n').slice(0, 5)).toEqual([
      '## What we looked at and why',
      '',
      expect.stringMatching(/^- `GET \/getticket → 502 on 127\.0\.0\.1:\d+->127\.0\.0\.1:8080` \(2\d{3}-\d\d-\d\d [\d:.]+ UTC\): the 502 we followed$/),
      expect.stringMatching(/^- `[^`]+` \(2\d{3}-[^)]+ UTC\): HAProxy refused the \\<backend\\> header line$/),
      '',
    ]);
    expect(md.indexOf('## What we looked at and why')).toBeLessThan(md.indexOf('## HTTP'));
    const html = (await h['report.export']({ caseId, format: 'html' })).text;
    expect(html).toContain('<section id="bookmarks"><h2>What we looked at and why</h2>');
    expect(html).toContain('<p class="bookmark-note">HAProxy refused the &lt;backend&gt; header line</p>');
  });

  it('refuses a place the case does not hold, naming it', async () => {
    const refused = core.handlers['bookmarks.add']({ caseId, place: { kind: 'event', sourceId: 1, num: 5 }, note: '' });
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toThrow('no event 5 in haproxy-502.pcap');
  });
});
