// The real thing: `tcpdump -i lo -w - -U | capscope index -` while curl asks a local web server
// (python3 -m http.server) for a few pages; the index holds those HTTP exchanges. And `tcpdump |
// capscope serve -`: each exchange is in the API's answers while tcpdump still runs.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPSCOPE_BIN, capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';

/** Why this machine cannot run the test (no tcpdump, no curl, no python3, no capture on lo), or null. */
function cannotCapture(): string | null {
  for (const tool of ['tcpdump', 'curl', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  // A capture of one packet that never comes: tcpdump refuses at once without the right to capture on lo.
  const probe = spawnSync('tcpdump', ['-i', 'lo', '-c', '1', '-w', '/dev/null', 'tcp port 1'], { timeout: 1500, encoding: 'utf8' });
  if (probe.status !== null && probe.status !== 0) return `tcpdump cannot capture on lo here: ${probe.stderr.trim().split('\n').at(-1)}`;
  return null;
}

const skipReason = cannotCapture();
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` has written `text` to stderr. */
function stderrSays(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (err.includes(text)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before saying '${text}': ${err}`)));
  });
}

describe.skipIf(skipReason !== null)(`tcpdump on loopback piped into capscope index -${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('indexes the HTTP exchanges curl made while tcpdump ran', { timeout: 60_000 }, async () => {
    const dir = scratchDir('stdin-tcpdump');
    const site = path.join(dir, 'site');
    fs.mkdirSync(site);
    fs.writeFileSync(path.join(site, 'hello.txt'), 'hello from the loopback\n');
    fs.writeFileSync(path.join(site, 'big.bin'), Buffer.alloc(200_000, 7)); // many segments, reassembled
    const port = await freePort();
    const web = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: site, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(web);
    // Serving once it answers.
    for (let i = 0; ; i++) {
      if (spawnSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/`]).status === 0) break;
      if (i > 50) throw new Error('python3 -m http.server did not start');
      await new Promise((done) => setTimeout(done, 100));
    }

    const env = { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
    const tcpdump = spawn('tcpdump', ['-i', 'lo', '-w', '-', '-U', `tcp port ${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const index = spawn(process.execPath, [CAPSCOPE_BIN, 'index', '-', '--json'], { stdio: [tcpdump.stdout!, 'pipe', 'pipe'], env });
    children.push(tcpdump, index);
    let out = '';
    let err = '';
    index.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    index.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const indexed = new Promise<number | null>((resolve) => index.on('close', resolve));
    await stderrSays(tcpdump, 'listening on lo');

    const targets = ['/hello.txt', '/big.bin', '/missing.html'];
    for (const target of targets) execFileSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}${target}`]);
    // tcpdump -U writes each packet as it gets it, but libpcap hands packets over in buffers (up to
    // a second late) and drops what it holds when stopped: wait, then end the stream as Ctrl+C would.
    await new Promise((done) => setTimeout(done, 2500));
    tcpdump.kill('SIGINT');
    expect(await indexed).toBe(0);
    expect(err).toBe('');

    const result = JSON.parse(out.trim()) as { file: string; state: string; sources: { format: string; status: string }[] };
    expect(result).toMatchObject({ state: 'done', sources: [{ format: 'pcap', status: 'indexed' }] });
    expect(path.basename(result.file)).toMatch(/^stdin-.*\.pcap$/);
    const http = capscope(['http', '--json', result.file], env);
    expect(http.status).toBe(0);
    const exchanges = (onlyJson(http) as { exchanges: { method: string; target: string; status: number; respBytes: number; complete: boolean }[] }).exchanges;
    const seen = exchanges.map((e) => ({ method: e.method, target: e.target, status: e.status, complete: e.complete }));
    expect(seen).toEqual([
      { method: 'GET', target: '/hello.txt', status: 200, complete: true },
      { method: 'GET', target: '/big.bin', status: 200, complete: true },
      { method: 'GET', target: '/missing.html', status: 404, complete: true },
    ]);
    expect(exchanges[1]!.respBytes).toBeGreaterThan(200_000);
  });

  it("serves each exchange through the API while tcpdump still runs ('capscope serve -')", { timeout: 60_000 }, async () => {
    const dir = scratchDir('stdin-tcpdump-serve');
    const site = path.join(dir, 'site');
    fs.mkdirSync(site);
    fs.writeFileSync(path.join(site, 'hello.txt'), 'hello from the loopback\n');
    const port = await freePort();
    const web = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1'], { cwd: site, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(web);
    for (let i = 0; ; i++) {
      if (spawnSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/`]).status === 0) break;
      if (i > 50) throw new Error('python3 -m http.server did not start');
      await new Promise((done) => setTimeout(done, 100));
    }
    const env = { ...process.env, CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
    // --immediate-mode: libpcap hands each packet over at once, so the capture follows curl closely.
    const tcpdump = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-w', '-', '-U', `tcp port ${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const listening = stderrSays(tcpdump, 'listening on lo');
    const serve = spawn(process.execPath, [CAPSCOPE_BIN, 'serve', '-', '--json'], { stdio: [tcpdump.stdout!, 'pipe', 'pipe'], env });
    children.push(tcpdump, serve);
    await listening;
    // The server starts once the stream's first bytes say what it is: the first exchange makes them.
    execFileSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/hello.txt`]);
    const announced = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const { url, token } = JSON.parse(announced) as { url: string; token: string };
    const call = async <T>(method: string, body: unknown): Promise<T> => {
      const res = await fetch(new URL(`/api/${method}`, url), { method: 'POST', headers: { 'x-capscope-token': token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    };
    const { initialCaseId: caseId } = await call<{ initialCaseId: string }>('app.info', {});
    /** The exchanges' targets once the API has `n` of them, with the case's progress then. */
    const exchangesOnceThere = async (n: number) => {
      for (let i = 0; i < 100; i++) {
        const { rows } = await call<{ rows: { target: string; status: number }[] }>('http.exchanges', { caseId, scope: {}, limit: 10, offset: 0 });
        const summary = await call<{ progress: { state: string; streaming: boolean } }>('case.get', { caseId });
        if (rows.length >= n) return { rows: rows.map((r) => `${r.target} ${r.status}`), progress: summary.progress };
        await new Promise((done) => setTimeout(done, 100));
      }
      throw new Error(`the API did not have ${n} exchanges within 10 s`);
    };
    const first = await exchangesOnceThere(1);
    expect(first).toEqual({ rows: ['/hello.txt 200'], progress: expect.objectContaining({ state: 'running', streaming: true }) });
    execFileSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/missing.html`]);
    const second = await exchangesOnceThere(2);
    expect(second).toEqual({ rows: ['/hello.txt 200', '/missing.html 404'], progress: expect.objectContaining({ state: 'running', streaming: true }) });
    tcpdump.kill('SIGINT');
    serve.kill('SIGTERM');
  });
});
