// The report's Go profile section, on a bundle of the Go test program's profiles: each profile's
// top table (flat and cum per function as go tool pprof -top counts them, in the default sample
// type), its flame graph as inline SVG in the HTML report (a frame's width its share of the total),
// and the findings the profiles point at.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportRunner, tableAfter } from '../report/helpers/report-cli';
import { PROFILES, readOracle } from './helpers/oracle';

const runner = reportRunner('pprof');
let bundle: string;

beforeAll(() => {
  bundle = path.join(runner.dir, 'snapshots.tar');
  execFileSync('tar', ['-cf', bundle, '-C', PROFILES, 'heap-1.pb.gz', 'heap-2.pb.gz', 'cpu.pb.gz', 'goroutine-1.pb.gz', 'goroutine-2.pb.gz']);
});

const oracle = (name: string) => readOracle(path.join(PROFILES, 'oracle', name)).rows;
const number = (cell: string) => Number(cell.replace(/,/g, ''));

describe('the report of Go profiles', () => {
  it('Markdown: a top table per profile in its default sample type, as pprof -top counts it, and the findings', async () => {
    const r = await runner.run([bundle, '--format', 'md', '--out', '-']);
    expect(r.status, r.stderr).toBe(0);
    const md = r.stdout;
    expect(md).toContain('## Go profiles');
    expect(md.slice(md.indexOf('## Findings'), md.indexOf('## Go profiles'))).toContain('Go profiles: 6 findings (see Go profiles).');
    const [head, ...rows] = tableAfter(md, 'cpu.pb — cpu, cpu (nanoseconds)');
    expect(head).toEqual(['function', 'flat', 'flat %', 'cum', 'cum %']);
    const cpu = oracle('cpu.pb.gz.cpu.top');
    expect(rows.length).toBe(Math.min(10, cpu.size));
    for (const [fn, flat, , cum] of rows) expect({ fn, flat: number(flat!), cum: number(cum!) }).toEqual({ fn, ...cpu.get(fn!) });
    expect(rows[0]![0]).toBe('main.fib');

    // The heading is escaped prose: Markdown would read inuse_space's underscore as emphasis.
    const [, ...heap] = tableAfter(md, 'heap-2.pb — heap, inuse\\_space (bytes)');
    const inuse = oracle('heap-2.pb.gz.inuse_space.top');
    for (const [fn, flat, , cum] of heap) expect({ fn, flat: number(flat!), cum: number(cum!) }).toEqual({ fn, ...inuse.get(fn!) });

    const findings = md.slice(md.indexOf('### Findings in the profiles'), md.indexOf('### ', md.indexOf('### Findings in the profiles') + 4));
    expect(findings).toMatch(/Goroutine leak: \d+ goroutines parked in main\.waitForReply/);
    expect(findings).toContain('Memory growth: main.newBuffer holds');
    expect(findings).toMatch(/Hot CPU path: [\d.]+% of CPU time in main\.fib/);
  });

  it('of a kind taken more than twice, the first and the last are shown and the ones between named', async () => {
    const work = path.join(runner.dir, 'three-heaps');
    fs.mkdirSync(path.join(work, 'raw'), { recursive: true });
    fs.copyFileSync(path.join(PROFILES, 'heap-2.pb'), path.join(work, 'raw', 'heap-2.pb'));
    const tar = path.join(runner.dir, 'three-heaps.tar');
    execFileSync('tar', ['-cf', tar, '-C', PROFILES, 'heap-1.pb.gz', 'heap-2.pb.gz']);
    execFileSync('tar', ['-rf', tar, '-C', work, 'raw/heap-2.pb']);
    const r = await runner.run([tar, '--format', 'md', '--out', '-']);
    expect(r.status, r.stderr).toBe(0);
    const headings = [...r.stdout.matchAll(/^### (.*) — heap, /gm)].map((m) => m[1]);
    // heap-2.pb (from heap-2.pb.gz) and raw/heap-2.pb were taken at the same time: the later in the case is the last.
    expect(headings).toEqual(['heap-1.pb', 'raw/heap-2.pb']);
    expect(r.stdout).toContain('1 more heap profile between the first and the last shown here (`heap-2.pb`)');
  });

  it('HTML: a flame graph per profile as inline SVG, each frame as wide as its share of the total', async () => {
    const out = path.join(runner.dir, 'report.html');
    const r = await runner.run([bundle, '--format', 'html', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const page = fs.readFileSync(out, 'utf8');
    expect(page).toContain('<section id="profiles"><h2>Go profiles</h2>');
    const svgs = page.match(/<svg class="flame"[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(5);
    const cpuSvg = svgs.find((s) => s.includes('aria-label="Flame graph of cpu.pb'))!;
    const width = Number(/viewBox="0 0 (\d+) /.exec(cpuSvg)![1]);
    const crunch = /<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"[^>]*><title>main\.crunch: /.exec(cpuSvg);
    const cpu = oracle('cpu.pb.gz.cpu.top');
    const total = Number(/data-total="(\d+)"/.exec(cpuSvg)![1]);
    // main.crunch is called from one place, so its one frame holds its whole cum.
    expect(Number(crunch![1])).toBeCloseTo((cpu.get('main.crunch')!.cum / total) * width, 0);
    // No script, no handler: the report stays a static page.
    expect(cpuSvg).not.toMatch(/<script|on[a-z]+=/i);
  });
});
