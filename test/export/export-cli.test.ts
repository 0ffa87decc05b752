// capscope export, as a script runs it: files tshark and sysdig read, one JSON document with
// --json, usage errors (exit 2) and bad selections (exit 1, the file left unwritten).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
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

  it('exports a capture cut short as far as it was read, and says so (exit 1)', () => {
    // curl_google.scap is gzip'd: cut its plain bytes, inside its events.
    const whole = gunzipSync(fs.readFileSync(corpus('scap', 'curl_google.scap')));
    const cut = path.join(dir, 'cut.scap');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const out = path.join(dir, 'cut-slice.scap');
    const r = capscope(['export', cut, '--events', '--filter', 'evt.type=open', '--out', out, '--db', path.join(dir, 'cut.sqlite'), '--json']);
    expect(r.status).toBe(1);
    const doc = onlyJson(r) as { items: number; note: string; error: { message: string } };
    expect(doc.error.message).toMatch(/cut\.scap.*byte \d+/);
    expect(doc.note).toMatch(/stops being readable at byte \d+/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // sysdig reads the slice: the opens before the cut, as it reads them in the cut capture.
    const sysdig = (file: string) => execFileSync('sysdig', ['-r', file, '-p', '%evt.rawtime %evt.type %fd.name', 'evt.type=open'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    const theirs = spawnSync('sysdig', ['-r', cut, '-p', '%evt.rawtime %evt.type %fd.name', 'evt.type=open'], { encoding: 'utf8' }).stdout.trim().split('\n');
    expect(sysdig(out)).toEqual(theirs);
    expect(theirs.length).toBeGreaterThan(10);
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
