// report.export, the method behind File › Export report and the Export report button: through the
// core's handlers (scope, errors as ApiError) and over web mode's HTTP transport.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, TOKEN_HEADER } from '../../core/api';
import { createCore, type Core } from '../../core/app/create-core';
import { REPO_ROOT, scratchDir } from '../helpers/paths';

const SEED = path.join(REPO_ROOT, 'sample-captures', 'haproxy-502.pcap');
const CREDENTIALS = path.join(REPO_ROOT, 'test', 'fixtures', 'report', 'credentials.pcap');

describe('report.export through the core', () => {
  let core: Core;
  let seed: string;
  let credentials: string;

  beforeAll(async () => {
    core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(scratchDir('report-api'), 'cache') });
    seed = (await core.open(SEED)).caseId;
    credentials = (await core.open(CREDENTIALS)).caseId;
    await core.waitForIngest(seed);
    await core.waitForIngest(credentials);
  });

  afterAll(async () => {
    await core?.close();
  });

  it('writes the case as HTML or Markdown, named after the evidence', async () => {
    const html = await core.handlers['report.export']({ caseId: seed, format: 'html' });
    expect(html.fileName).toBe('haproxy-502.pcap.report.html');
    expect(html.mediaType).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('49 × 502 Bad Gateway: malformed upstream response');
    const md = await core.handlers['report.export']({ caseId: seed, format: 'md' });
    expect(md.fileName).toBe('haproxy-502.pcap.report.md');
    expect(md.text).toMatch(/^# Post-mortem: haproxy-502\.pcap\n/);
  });

  it('narrows to the views\' scope: the filter and a range in ns since the epoch', async () => {
    // The capture starts at 1795330316421009000 (06:51:56.421009 UTC); its first second holds two 502s.
    const r = await core.handlers['report.export']({
      caseId: seed,
      format: 'md',
      scope: { filter: 'http.status=502', range: { from: '1795330316421009000', to: '1795330317000000000' } },
    });
    expect(r.text).toMatch(/### ERROR: 2 × 502 Bad Gateway/);
    expect(r.text).toContain('| 502 | Bad Gateway | 2 | 100.0 % |');
  });

  it('masks credentials unless asked not to', async () => {
    const masked = await core.handlers['report.export']({ caseId: credentials, format: 'md' });
    expect(masked.text).toContain('Bearer [redacted]');
    expect(masked.text).not.toContain('s3cr3t-bearer-token-value');
    const plain = await core.handlers['report.export']({ caseId: credentials, format: 'md', redact: false });
    expect(plain.text).toContain('Bearer s3cr3t-bearer-token-value');
  });

  it('answers bad requests with bad-request errors, a filter with its column', async () => {
    const call = (req: object) => core.handlers['report.export'](req as never);
    await expect(call({ caseId: seed, format: 'pdf' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call({ caseId: seed, format: 'html', redact: 'no' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call({ caseId: seed, format: 'html', scope: { filter: 'http.status=' } })).rejects.toSatisfy((e: unknown) => e instanceof ApiError && e.code === 'bad-request' && /^filter: column \d+:/.test(e.message));
    await expect(call({ caseId: seed, format: 'html', scope: { range: { from: 'soon', to: '+1s' } } })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining("scope.range.from 'soon'") });
    await expect(call({ caseId: 'no-such-case', format: 'html' })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('report.export in web mode', () => {
  it('is served over the HTTP transport with the run\'s token', async () => {
    const dir = scratchDir('report-serve');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'capscope.js'), 'serve', SEED, '--port', '0', '--json', '--db', path.join(dir, 'case.sqlite')], {
      env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') },
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const { port, token } = JSON.parse(line) as { port: number; token: string };
      const post = (method: string, body: object) =>
        fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token }, body: JSON.stringify(body) });
      const info = (await (await post('app.info', {})).json()) as { initialCaseId: string };
      await post('case.get', { caseId: info.initialCaseId });
      let report: Response | null = null;
      // The case is indexed in the background: a report of a half-read case would still answer, so wait for it.
      for (let i = 0; i < 100; i++) {
        const summary = (await (await post('case.get', { caseId: info.initialCaseId })).json()) as { progress: { state: string } };
        if (summary.progress.state === 'done') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      report = await post('report.export', { caseId: info.initialCaseId, format: 'html' });
      expect(report.status).toBe(200);
      const body = (await report.json()) as { fileName: string; text: string };
      expect(body.fileName).toBe('haproxy-502.pcap.report.html');
      expect(body.text).toContain('49 × 502 Bad Gateway');
      const refused = await post('report.export', { caseId: info.initialCaseId, format: 'html', scope: { filter: 'nosuch=1' } });
      expect(refused.status).toBe(400);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
