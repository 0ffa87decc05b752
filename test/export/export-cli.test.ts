// capscope export, as a script runs it: files tshark and sysdig read, one JSON document with
// --json, usage errors (exit 2) and bad selections (exit 1, the file left unwritten).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { corpus, scratchDir } from '../helpers/paths';

const dir = scratchDir('export-cli');
const db = path.join(dir, 'case.sqlite');
const PCAP = corpus('pcap', 'haproxy-502.pcap');

describe('capscope export', () => {
  it('writes a connection as pcap that tshark reads as those packets', () => {
    const out = path.join(dir, 'stream.pcap');
    const r = capscope(['export', PCAP, '--packets', '--stream', '3', '--format', 'pcap', '--out', out, '--db', db, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = onlyJson(r) as { items: number; bytes: number; out: string };
    expect(doc.out).toBe(out);
    expect(doc.bytes).toBe(fs.statSync(out).size);
    const lines = execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', 'tcp.srcport'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    expect(lines).toHaveLength(doc.items);
    expect(doc.items).toBeGreaterThan(3);
  });

  it('writes a filtered .scap slice sysdig reads', () => {
    const out = path.join(dir, 'slice.scap');
    const r = capscope(['export', corpus('scap', 'curl_google.scap'), '--events', '--filter', 'evt.type=connect', '--out', out, '--db', path.join(dir, 'scap.sqlite')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/slice\.scap: \d+ events, \d+ bytes/);
    const sysdig = (file: string) => execFileSync('sysdig', ['-r', file, '-p', '%evt.rawtime %evt.type %fd.name', 'evt.type=connect'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    expect(sysdig(out)).toEqual(sysdig(corpus('scap', 'curl_google.scap')));
    expect(sysdig(out).length).toBeGreaterThan(4);
  });

  it('says what is wrong: usage (exit 2) and a selection it cannot write (exit 1, no file left)', () => {
    expect(capscope(['export', PCAP, '--out', path.join(dir, 'x')]).status).toBe(2);
    expect(capscope(['export', PCAP, '--packets']).stderr).toMatch(/--out PATH/);
    const out = path.join(dir, 'none.scap');
    const r = capscope(['export', PCAP, '--events', '--out', out, '--db', db]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no syscall capture/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
