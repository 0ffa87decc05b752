// The seed incident's post-mortem: the 502 finding with the offending header line, and an HTTP
// summary whose status counts are what tshark counts in the same capture (the oracle). Also the
// report's options: scope by filter and time, bad filters and times as usage errors.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { marked } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { reportRunner, tableAfter } from './helpers/report-cli';

const SEED = path.join(REPO_ROOT, 'sample-captures', 'haproxy-502.pcap');

function tsharkStatusCounts(file: string): Map<string, number> {
  const r = spawnSync('tshark', ['-r', file, '-Y', 'http.response', '-T', 'fields', '-e', 'http.response.code'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const counts = new Map<string, number>();
  for (const code of r.stdout.split('\n').filter(Boolean)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return counts;
}

describe('report of haproxy-502.pcap', () => {
  const runner = reportRunner('seed');
  let markdown: string;
  let htmlText: string;

  beforeAll(async () => {
    const md = await runner.run([SEED, '--format', 'md', '--out', '-']);
    expect(md.status, md.stderr).toBe(0);
    markdown = md.stdout;
    const out = path.join(runner.dir, 'seed.html');
    const h = await runner.run([SEED, '--out', out]);
    expect(h.status, h.stderr).toBe(0);
    htmlText = fs.readFileSync(out, 'utf8');
  });

  it('puts the 502 finding first, with the offending header line as evidence', () => {
    const findings = markdown.slice(markdown.indexOf('## Findings'), markdown.indexOf('## Timeline'));
    const first = findings.split('\n').find((l) => l.startsWith('### '));
    expect(first).toBe('### ERROR: 49 × 502 Bad Gateway: malformed upstream response');
    expect(tableAfter(markdown, 'ERROR: 49 × 502 Bad Gateway: malformed upstream response')[1]).toEqual(['6', 'in', "line at byte 17, '/' at byte 21", 'text/plain: Content-type']);
    expect(findings).toContain('sent the header line `text/plain: Content-type`');
    expect(findings).toContain('termination state PH--.');
    const firstFinding = htmlText.indexOf('<article class="finding error">');
    expect(firstFinding).toBeGreaterThan(0);
    expect(htmlText.slice(firstFinding, htmlText.indexOf('</article>', firstFinding))).toContain('<code class="excerpt">text/plain: Content-type</code>');
  });

  it('counts status codes as tshark does', () => {
    const oracle = tsharkStatusCounts(SEED);
    const rows = tableAfter(markdown, 'Status codes').slice(1);
    const ours = new Map(rows.map(([status, , count]) => [status!, Number(count!.replace(/,/g, ''))]));
    expect(ours).toEqual(oracle);
    expect(oracle.get('502')).toBe(49);
  });

  it('gives latency percentiles per endpoint, consistent with the exchange counts', () => {
    const [head, ...rows] = tableAfter(markdown, 'Endpoints');
    expect(head).toEqual(['server', 'method', 'path', 'requests', '4xx', '5xx', 'no resp.', 'p50', 'p90', 'p99', 'max']);
    const byKey = new Map(rows.map((r) => [`${r[0]} ${r[2]}`, r]));
    expect(byKey.get('127.0.0.1:8080 /getticket')?.slice(3, 6)).toEqual(['49', '', '49']);
    expect(byKey.get('127.0.0.1:8080 /health')?.[3]).toBe('36');
    for (const r of rows) {
      const [p50, p90, p99, max] = r.slice(7).map(Number);
      expect(p50).toBeGreaterThan(0);
      expect(p50! <= p90! && p90! <= p99! && p99! <= max!).toBe(true);
    }
  });

  it('renders as Markdown with the expected headings and tables', () => {
    const tokens = marked.lexer(markdown);
    const h2 = tokens.filter((t) => t.type === 'heading' && t.depth === 2).map((t) => (t as { text: string }).text);
    expect(h2).toEqual(['Findings', 'Timeline', 'HTTP', 'Errors', 'Top containers, processes and connections', 'Evidence']);
    const rendered = marked.parse(markdown, { async: false });
    expect(rendered).toContain('<h1>Post-mortem: haproxy-502.pcap</h1>');
    expect(rendered).toContain('<th align="right">p99</th>');
  });

  it('is one self-contained HTML file: no script, no handler, no reference outside itself', () => {
    expect(htmlText).toMatch(/^<!DOCTYPE html>/);
    expect(htmlText).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;`);
    expect(htmlText).not.toMatch(/<script|<iframe|<object|<embed|<link|<img|<[^>]*\son[a-z]+\s*=/i);
    expect(htmlText).not.toMatch(/(src|href)\s*=\s*"(?!#)/i);
    expect(htmlText.match(/<svg class="chart"/g)?.length).toBe(3);
  });

  it('narrows to a time range and a filter', async () => {
    // 06:51:56.421 is the capture's start: the first second holds the first 502 and its upstream.
    const r = await runner.run([SEED, '--format', 'md', '--out', '-', '--from', '+0s', '--to', '06:51:57.000', '--filter', 'http.status=502']);
    expect(r.status, r.stderr).toBe(0);
    expect(tableAfter(r.stdout, 'Status codes').slice(1).map((row) => [row[0], row[2]])).toEqual([['502', '2']]);
    expect(r.stdout).toMatch(/### ERROR: 2 × 502 Bad Gateway/);
    // http.status means nothing to streams: those sections say so instead of showing unfiltered rows.
    expect(r.stdout).toMatch(/> Left out: the filter does not apply to streams/);
  });

  it('reports a filter no section can take as a usage error with its column', async () => {
    const r = await runner.run([SEED, '--out', '-', '--filter', 'http.status=502 and nosuch.field=1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--filter: column 21: unknown field 'nosuch.field'/);
    const t = await runner.run([SEED, '--out', '-', '--from', 'noon']);
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/--from 'noon'/);
  });

  it('writes <file>.report.html in the current directory by default', async () => {
    const cwd = path.join(runner.dir, 'cwd');
    fs.mkdirSync(cwd);
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'capscope.js'), 'report', SEED, '--json'], { cwd, encoding: 'utf8', env: { ...process.env, CAPSCOPE_CACHE_DIR: path.join(runner.dir, 'cache') } });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { report: string; format: string; redacted: boolean };
    expect(out).toMatchObject({ report: path.join(cwd, 'haproxy-502.pcap.report.html'), format: 'html', redacted: true });
    expect(fs.readFileSync(out.report, 'utf8')).toContain('49 × 502 Bad Gateway');
  });

  it('writes nothing for a file that holds no evidence, and says why', async () => {
    const junk = path.join(runner.dir, 'junk.bin');
    fs.writeFileSync(junk, Buffer.from('not a capture at all, just words\n'));
    const out = path.join(runner.dir, 'junk.report.html');
    const r = await runner.run([junk, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/junk\.bin at byte 0: expected a capture/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
